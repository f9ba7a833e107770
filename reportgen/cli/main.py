"""The `reportgen` command line: thin, injectable, heavy imports inside the commands."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TextIO, cast

from reportgen.errors import ReportgenError
from reportgen.options import OPTIONS

# name: (help, positional arguments)
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "demo": ("build the report of one synthetic example region, no arguments needed", ()),
    "build": ("build a region's StressTest-Report (PDF, scores CSV, optional HTML) from an "
              "export or from the portfolio database", ()),
    "workshop": ("write a region's Policy Learning Workshop pack: slide deck (PPTX), priority "
                 "worksheet (XLSX), charts (SVG, PNG) and every number shown (CSV)", ()),
    "workshop record": ("store the fields of action agreed in a workshop (the filled-in "
                        "priority worksheet), so that the next wave's report follows them up",
                        ()),
    "questionnaire": ("write the survey from the catalogue: a LimeSurvey survey structure "
                      "(.lss) with the mapping that reads its export, and a printable "
                      "questionnaire per stakeholder group (PDF, HTML)", ()),
    "survey status": ("show the responses of a running survey per region and group, the "
                      "response rate against the people invited, and the groups to remind "
                      "because they lack the minimum of complete responses", ()),
    "translations check": ("list every text a report language lacks: messages, catalogue, "
                           "good-practice cases and analyst commentary (exit status 1 if any)",
                           ()),
    "batch": ("build the reports of many regions from the portfolio database", ()),
    "score": ("write the tidy score table of every region in an export", ()),
    "validate": ("check an export against the catalogue and list every problem", ()),
    "portfolio import": ("validate an export and store it as a new wave per region", ()),
    "portfolio list": ("list the regions and their waves", ()),
    "portfolio show": ("show one region's waves, respondents and composite scores",
                       ("REGION",)),
    "portfolio remove": ("remove a region's wave(s), after a backup of the database",
                         ("REGION",)),
    "portfolio restore": ("make a replaced or removed wave active again", ("REGION",)),
    "portfolio export": ("write every stored score as a tidy CSV or XLSX table", ()),
    "knowledge import": ("validate activity counts by region and class and store them, one "
                         "period at a time", ()),
    "knowledge export": ("write the knowledge space (RTA, density, complexity, opportunities) "
                         "of every stored period as a tidy CSV or XLSX table", ()),
    "templates export": ("copy the packaged templates and stylesheet (or only the NAMEs "
                         "given) into a folder to start your own", ("DIR", "NAME...")),
}


def parser() -> argparse.ArgumentParser:
    """Build the argument parser from the command and option tables."""
    from reportgen import __version__

    top = argparse.ArgumentParser(prog="reportgen", description="Turn a Smart Specialisation "
                                  "StressTest survey into a benchmarked StressTest-Report.")
    top.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    plain: dict[str, argparse.ArgumentParser] = {}
    for name, (help_text, positionals) in COMMANDS.items():
        head, _, tail = name.partition(" ")
        if tail and head in plain and head not in groups:
            # A command that also has actions ('workshop' and 'workshop record').
            groups[head] = plain[head].add_subparsers(dest="action", metavar="ACTION",
                                                      required=False)
        if tail:
            if head not in groups:
                group = sub.add_parser(head, help={"portfolio": "manage the portfolio database",
                                                   "knowledge": "activity counts and the "
                                                   "knowledge space",
                                                   "templates": "work with report templates",
                                                   "survey": "follow a running survey",
                                                   "translations": "check report languages",
                                                   }[head])
                groups[head] = group.add_subparsers(dest="action", metavar="ACTION",
                                                    required=True)
            cmd = groups[head].add_parser(tail, help=help_text,
                                          description=help_text[0].upper() + help_text[1:])
        else:
            cmd = plain[name] = sub.add_parser(
                name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        for positional in positionals:
            if positional.endswith("..."):  # any number, none included
                word = positional.removesuffix("...")
                cmd.add_argument(word.lower(), metavar=word, nargs="*")
            else:
                cmd.add_argument(positional.lower(), metavar=positional)
        for opt in OPTIONS:
            if name in opt.commands and opt.flags:
                # No defaults here: config.apply() tells "not given" from "given as default".
                cmd.add_argument(*opt.flags, dest=opt.dest, help=opt.help, default=None,
                                 required=name in opt.required, **dict(opt.kwargs))
    return top


def handlers() -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Map each command name to the function that runs it."""
    from reportgen.cli import commands as c
    from reportgen.cli import knowledge as k
    from reportgen.cli import portfolio as p
    from reportgen.cli import questionnaire as q
    from reportgen.cli import translations as tr
    from reportgen.cli import workshop as w

    return {"build": c.cmd_build, "score": c.cmd_score, "validate": c.cmd_validate,
            "demo": p.cmd_demo, "batch": p.cmd_batch, "portfolio import": p.cmd_import,
            "portfolio list": p.cmd_list, "portfolio show": p.cmd_show,
            "portfolio remove": p.cmd_remove, "portfolio restore": p.cmd_restore,
            "portfolio export": p.cmd_export, "templates export": c.cmd_templates_export,
            "knowledge import": k.cmd_import, "knowledge export": k.cmd_export,
            "workshop": w.cmd_workshop, "workshop record": w.cmd_record,
            "questionnaire": q.cmd_questionnaire, "survey status": q.cmd_status,
            "translations check": tr.cmd_check}


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the CLI; return the exit code (2 for any mistake in the input)."""
    from reportgen.terminal import SafeStream

    # Every line we print may carry names from an export; escape control characters once here.
    out = cast(TextIO, SafeStream(stdout or sys.stdout))
    err = cast(TextIO, SafeStream(stderr or sys.stderr))
    args = parser().parse_args(argv)
    name = f"{args.command} {args.action}" if getattr(args, "action", None) else args.command
    try:
        from reportgen.config import apply
        from reportgen.inputs.raw import input_limits

        args = apply(args, name)
        for line in args.config_unused:
            print(f"reportgen: {line}", file=err)
        with input_limits(getattr(args, "max_input_mb", None)):
            return handlers()[name](args, out)
    except ReportgenError as exc:
        for line in exc.lines[:50]:
            print(f"reportgen: {line}", file=err)
        if len(exc.lines) > 50:
            print(f"reportgen: … and {len(exc.lines) - 50} more problems", file=err)
        return exc.exit_code
    except BrokenPipeError:
        return 1  # the reader of our output went away (e.g. `| head`); nothing to report
    except sqlite3.Error as exc:
        # A damaged, read-only, full or busy database: every change runs in a transaction
        # that SQLite has rolled back, so the file is as it was.
        from reportgen.store.schema import busy, busy_text

        said = busy_text() if busy(exc) else f"database error: {exc}; the database was not changed"
        print(f"reportgen: {said}", file=err)
        return 2
    except OSError as exc:
        print(f"reportgen: cannot access {exc.filename or ''}: {exc.strerror or exc}", file=err)
        return 2
    except KeyboardInterrupt:
        return 130


def entry() -> None:
    """Console-script entry: run, flush, and leave without tearing down every module.

    A report build loads pandas, matplotlib and WeasyPrint; the interpreter's orderly teardown
    of them adds a quarter of a second to every run and does nothing useful: all output files
    are closed (written atomically) and the database is closed before main() returns.
    """
    import os
    import signal

    from reportgen import interrupt

    here = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != here:
            # A forked chart worker, stopped by its pool: die at once, as by default, rather
            # than unwinding in the middle of the pool's machinery (that can hang).
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        # Unwind like Ctrl-C does, so that staging folders and partial files are removed.
        interrupt.note(signum)
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    shown = sys.unraisablehook

    def unraisable(what: Any) -> None:
        # A stop raised where Python cannot unwind (a finaliser, an at-fork hook) is noted
        # and acted on at the next step; "Exception ignored … SystemExit" would only alarm.
        if not isinstance(what.exc_value, SystemExit | KeyboardInterrupt):
            shown(what)

    sys.unraisablehook = unraisable
    try:
        code = main()
    except SystemExit as exc:  # a signal: the finally blocks have cleaned up by now
        code = exc.code if isinstance(exc.code, int) else 1
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)

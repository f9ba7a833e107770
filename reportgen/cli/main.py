"""The `reportgen` command line: thin, injectable, heavy imports inside the commands."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from reportgen.errors import ReportgenError
from reportgen.options import OPTIONS

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from reportgen.build import BuildResult
    from reportgen.inputs.validate import Columns
    from reportgen.report.settings import ReportSettings

# name: (help, positional arguments)
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "demo": ("build the report of one synthetic example region, no arguments needed", ()),
    "build": ("build a region's StressTest-Report (PDF, scores CSV, optional HTML) from an "
              "export or from the portfolio database", ()),
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
    "templates export": ("copy the packaged templates and stylesheet into a folder to start "
                         "your own", ("DIR",)),
}


def parser() -> argparse.ArgumentParser:
    """Build the argument parser from the command and option tables."""
    from reportgen import __version__

    top = argparse.ArgumentParser(prog="reportgen", description="Turn a Smart Specialisation "
                                  "StressTest survey into a benchmarked StressTest-Report.")
    top.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for name, (help_text, positionals) in COMMANDS.items():
        head, _, tail = name.partition(" ")
        if tail:
            if head not in groups:
                group = sub.add_parser(head, help={"portfolio": "manage the portfolio database",
                                                   "templates": "work with report templates"
                                                   }[head])
                groups[head] = group.add_subparsers(dest="action", metavar="ACTION",
                                                    required=True)
            cmd = groups[head].add_parser(tail, help=help_text,
                                          description=help_text[0].upper() + help_text[1:])
        else:
            cmd = sub.add_parser(name, help=help_text,
                                 description=help_text[0].upper() + help_text[1:] + ".")
        for positional in positionals:
            cmd.add_argument(positional.lower(), metavar=positional)
        for opt in OPTIONS:
            if name in opt.commands and opt.flags:
                # No defaults here: config.apply() tells "not given" from "given as default".
                cmd.add_argument(*opt.flags, dest=opt.dest, help=opt.help, default=None,
                                 required=name in opt.required, **dict(opt.kwargs))
    return top


def columns(args: argparse.Namespace) -> Columns:
    """Return the export's column names from the options."""
    from reportgen.inputs.validate import Columns

    return Columns(args.id_column, args.region_column, args.group_column,
                   args.region_name_column, tuple(args.ignore_columns))


def optional_path(value: str | None) -> Path | None:
    """Return a Path for a given option value, None for a missing one."""
    return Path(value) if value else None


def settings(args: argparse.Namespace) -> ReportSettings:
    """Collect the presentation settings from the merged options."""
    from reportgen.report.settings import ReportSettings

    return ReportSettings.from_options(vars(args))


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.parallel import WORKERS, chart_pool

    # Start the chart workers before the pipeline's imports: they load matplotlib meanwhile.
    with chart_pool(WORKERS) as pool:
        return _build(args, out, pool)


def _build(args: argparse.Namespace, out: TextIO, pool: Pool | None) -> int:
    import gc

    from reportgen.build import build_report

    # This process ends after one build: layout allocates millions of short-lived objects,
    # and moving the long-lived ones (pandas, matplotlib, the catalogue) out of the
    # collector's sight keeps its passes short. A library caller's memory is never frozen.
    gc.freeze()

    survey = optional_path(args.survey)
    result = build_report(
        args.region, Path(args.out), survey=survey, db=Path(args.db), wave=args.wave,
        definitions=optional_path(args.definitions), cases=optional_path(args.cases),
        benchmark_tables=[Path(p) for p in args.benchmark], same_version=not args.any_version,
        html=args.html, synthetic=args.synthetic, force=args.force,
        columns=columns(args),
        templates=[Path(t) for t in args.templates], settings=settings(args),
        mapping=optional_path(args.mapping), log=lambda msg: print(msg, file=out), pool=pool)
    report_written(result, args.timings, out)
    return 0


def report_written(result: BuildResult, timings: bool, out: TextIO) -> None:
    """Print where a build wrote its files (and its stage timings if asked)."""
    if timings:
        for stage, seconds in result.timings.items():
            print(f"timing {stage:<10} {seconds:7.3f} s", file=out)
    print(f"report: {result.pdf}\nscores: {result.scores_csv}", file=out)
    if result.html:
        print(f"html:   {result.html}", file=out)


INTERNAL_WARNING = ("warning: --include-small-groups: the file holds values of groups below "
                    "the minimum respondents (marked INTERNAL); do not publish it")


def cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.output import free_name, staged
    from reportgen.scoring.aggregate import score
    from reportgen.scoring.disclosure import disclose
    from reportgen.scoring.tables import tidy
    from reportgen.sources import load_survey

    cat, responses = load_survey(Path(args.survey), optional_path(args.definitions),
                                 columns(args), args.min_respondents,
                                 optional_path(args.mapping))
    scores = score(responses, cat)
    table = tidy(scores if args.include_small_groups else disclose(scores, cat), cat)
    target = free_name(Path(args.out), args.force)
    with staged(target.parent, args.force) as stage:
        table.to_csv(stage(target.name), index=False)
    target = stage.final[target.name]
    print(f"scores of {len(responses.region_names)} regions: {target}", file=out)
    if args.include_small_groups:
        print(INTERNAL_WARNING, file=out)
    return 0


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.inputs.validate import left_out
    from reportgen.sources import load_survey

    cat, responses = load_survey(Path(args.survey), optional_path(args.definitions),
                                 columns(args), mapping=optional_path(args.mapping))
    for warning in responses.warnings:
        print(warning, file=out)
    groups = responses.meta.groupby(["region", "group"]).size().unstack(fill_value=0)
    kept, dropped = len(responses.meta), responses.dropped
    print(f"{args.survey}: OK, {kept} respondents in {len(groups)} regions "
          f"(catalogue {cat.title})", file=out)
    print(groups.reindex(columns=[g.id for g in cat.groups], fill_value=0).to_string(),
          file=out)
    for line in left_out(dropped, kept):
        print(line, file=out)
    return 0


def handlers() -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Map each command name to the function that runs it."""
    from reportgen.cli import portfolio as p

    return {"build": cmd_build, "score": cmd_score, "validate": cmd_validate,
            "demo": p.cmd_demo, "batch": p.cmd_batch, "portfolio import": p.cmd_import,
            "portfolio list": p.cmd_list, "portfolio show": p.cmd_show,
            "portfolio remove": p.cmd_remove, "portfolio restore": p.cmd_restore,
            "portfolio export": p.cmd_export, "templates export": cmd_templates_export}


def cmd_templates_export(args: argparse.Namespace, out: TextIO) -> int:
    """Copy the packaged templates into DIR, refusing to overwrite what is there."""
    import shutil

    from reportgen.errors import UsageError
    from reportgen.resources import templates_dir

    target = Path(args.dir)
    sources = sorted(p for p in templates_dir().iterdir() if p.suffix in (".html", ".css"))
    clashes = [p.name for p in sources if (target / p.name).exists()]
    if clashes and not args.force:
        raise UsageError(f"{target} already has {', '.join(clashes)}; pass --force to "
                         "overwrite them")
    target.mkdir(parents=True, exist_ok=True)
    for path in sources:
        shutil.copyfile(path, target / path.name)
    print(f"copied {len(sources)} templates to {target}; use them with --templates {target}",
          file=out)
    return 0


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
        from reportgen.inputs.survey import input_limits

        args = apply(args, name)
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
        # A damaged, read-only or full database: every change runs in a transaction that
        # SQLite has rolled back, so the file is as it was.
        print(f"reportgen: database error: {exc}; the database was not changed", file=err)
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

    code = main()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)

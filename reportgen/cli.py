"""The `reportgen` command line: thin, injectable, heavy imports inside the commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reportgen.errors import ReportgenError
from reportgen.options import OPTIONS

if TYPE_CHECKING:
    from reportgen.validate import Columns

DEMO_REGION = "R07"

COMMANDS = {
    "demo": "build the report of one synthetic example region, no arguments needed",
    "build": "build a region's StressTest-Report (PDF, scores CSV, optional HTML)",
    "score": "write the tidy score table of every region in an export",
    "validate": "check an export against the catalogue and list every problem",
}


def parser() -> argparse.ArgumentParser:
    """Build the argument parser from the option table."""
    from reportgen import __version__

    top = argparse.ArgumentParser(prog="reportgen", description="Turn a Smart Specialisation "
                                  "StressTest survey into a benchmarked StressTest-Report.")
    top.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text[0].upper()
                             + help_text[1:] + ".")
        for opt in OPTIONS:
            if name in opt.commands:
                cmd.add_argument(*opt.flags, dest=opt.dest, help=opt.help,
                                 default=opt.default, required=name in opt.required,
                                 **dict(opt.kwargs))
    return top


def _columns(args: argparse.Namespace) -> Columns:
    from reportgen.validate import Columns

    return Columns(args.id_column, args.region_column, args.group_column,
                   args.region_name_column, tuple(args.ignore_columns))


def _optional(value: str | None) -> Path | None:
    return Path(value) if value else None


def cmd_build(args: argparse.Namespace, out: TextIO, demo: bool = False) -> int:
    from reportgen.build import build_report
    from reportgen.resources import example_inputs
    from reportgen.validate import Columns

    if demo:
        inputs = example_inputs()
        kwargs = dict(survey=inputs / "survey.csv", region=DEMO_REGION,
                      out_dir=Path(args.out or "reportgen-demo"),
                      cases=inputs / "cases.yaml", synthetic=True, columns=Columns())
    else:
        kwargs = dict(survey=Path(args.survey), region=args.region, out_dir=Path(args.out),
                      definitions=_optional(args.definitions), cases=_optional(args.cases),
                      benchmark_tables=[Path(p) for p in args.benchmark],
                      synthetic=args.synthetic, columns=_columns(args))
    result = build_report(**kwargs, html=args.html, force=args.force,  # type: ignore[arg-type]
                          templates=[Path(t) for t in args.templates],
                          log=lambda msg: print(msg, file=out))
    if args.timings:
        for stage, seconds in result.timings.items():
            print(f"timing {stage:<10} {seconds:7.3f} s", file=out)
    print(f"report: {result.pdf}\nscores: {result.scores_csv}", file=out)
    if result.html:
        print(f"html:   {result.html}", file=out)
    return 0


def cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.build import load_survey
    from reportgen.output import free_name, staged
    from reportgen.scoretable import tidy
    from reportgen.scoring import score

    cat, responses = load_survey(Path(args.survey), _optional(args.definitions), _columns(args))
    target = free_name(Path(args.out), args.force)
    with staged(target.parent) as stage:
        tidy(score(responses, cat), cat).to_csv(stage(target.name), index=False)
    print(f"scores of {len(responses.region_names)} regions: {target}", file=out)
    return 0


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.build import load_survey

    cat, responses = load_survey(Path(args.survey), _optional(args.definitions), _columns(args))
    for warning in responses.warnings:
        print(warning, file=out)
    groups = responses.meta.groupby(["region", "group"]).size().unstack(fill_value=0)
    print(f"{args.survey}: OK, {len(responses.meta)} respondents in {len(groups)} regions "
          f"(catalogue {cat.title})", file=out)
    print(groups.reindex(columns=[g.id for g in cat.groups], fill_value=0).to_string(),
          file=out)
    return 0


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the CLI; return the exit code (2 for any mistake in the input)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    try:
        if args.command in ("build", "demo"):
            return cmd_build(args, out, demo=args.command == "demo")
        if args.command == "score":
            return cmd_score(args, out)
        return cmd_validate(args, out)
    except ReportgenError as exc:
        for line in exc.lines[:50]:
            print(f"reportgen: {line}", file=err)
        if len(exc.lines) > 50:
            print(f"reportgen: … and {len(exc.lines) - 50} more problems", file=err)
        return exc.exit_code
    except OSError as exc:
        print(f"reportgen: cannot access {exc.filename or ''}: {exc.strerror or exc}", file=err)
        return 2
    except KeyboardInterrupt:
        return 130

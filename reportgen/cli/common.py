"""Helpers the command groups share: option values to paths, columns, settings; output."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reportgen.terminal import one_line

if TYPE_CHECKING:
    import pandas as pd

    from reportgen.build import BuildResult
    from reportgen.inputs.validate import Columns
    from reportgen.report.settings import ReportSettings


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


def report_written(result: BuildResult, timings: bool, out: TextIO) -> None:
    """Print where a build wrote its files (and its stage timings if asked)."""
    if timings:
        for stage, seconds in result.timings.items():
            print(f"timing {stage:<10} {seconds:7.3f} s", file=out)
    print(f"report: {one_line(result.pdf)}\nscores: {one_line(result.scores_csv)}", file=out)
    if result.html:
        print(f"html:   {one_line(result.html)}", file=out)
    if result.handout:
        print(f"handout: {one_line(result.handout)}", file=out)


INTERNAL_WARNING = ("warning: --include-small-groups: the file holds values of groups below "
                    "the minimum respondents (marked INTERNAL); do not publish it")


def table_path(value: str) -> Path:
    """Return the --out path of a table export, which must name a CSV or XLSX file."""
    from reportgen.errors import UsageError

    target = Path(value)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError(f"--out must end in .csv or .xlsx, got {target.name!r}")
    if target.is_dir():
        raise UsageError(f"--out {value} is a folder; name the table file to write")
    return target


def _refuse_inputs(target: Path, args: argparse.Namespace) -> None:
    """Refuse an --out that is one of the command's own input files (--force or not)."""
    from reportgen.errors import UsageError

    if not target.exists():
        return
    for flag, value in vars(args).items():
        for given in value if isinstance(value, list) else [value]:
            if flag != "out" and isinstance(given, str | Path) and Path(given).is_file() \
                    and Path(given).samefile(target):
                raise UsageError(f"--out {target} is the --{flag.replace('_', '-')} input; "
                                 "write the table under another name")


def write_table(table: pd.DataFrame, path: Path, args: argparse.Namespace, out: TextIO) -> Path:
    """Write a score table as CSV or XLSX (by its suffix) atomically under a free name.

    Warns when the table holds the internal values of small groups.
    """
    from reportgen.output import free_name, staged
    from reportgen.spreadsheet import csv_safe, write_xlsx

    _refuse_inputs(path, args)
    target = free_name(path, args.force)
    with staged(target.parent, args.force) as stage:
        if target.suffix.lower() == ".xlsx":
            write_xlsx(table, stage(target.name))
        else:
            csv_safe(table).to_csv(stage(target.name), index=False)
    if getattr(args, "include_small_groups", False):
        print(INTERNAL_WARNING, file=out)
    return stage.final[target.name]

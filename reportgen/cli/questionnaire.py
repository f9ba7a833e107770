"""The questionnaire command: the survey from the catalogue, for LimeSurvey and for print."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from reportgen.cli.common import optional_path, table_path, write_table
from reportgen.terminal import one_line


def cmd_questionnaire(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.questionnaire import FORMATS, write_questionnaire
    from reportgen.sources import catalogue

    cat = catalogue(optional_path(args.definitions))
    folder, files = write_questionnaire(
        cat, Path(args.out), languages=args.languages or (), region=args.region,
        formats=args.formats or FORMATS, templates=[Path(t) for t in args.templates or ()],
        force=bool(args.force), log=lambda msg: print(msg, file=out))
    mapping = next(f for f in files if f.endswith("-mapping.yaml"))
    print(f"questionnaire: {one_line(folder)} ({len(files)} files; import the .lss into "
          "LimeSurvey and "
          f"read its export with --mapping {one_line(folder / mapping)})", file=out)
    return 0


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    """Show the survey's responses per region and group, and which groups to remind."""
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from reportgen.cli.common import columns
    from reportgen.questionnaire.status import survey_status
    from reportgen.sources import catalogue

    cat = catalogue(optional_path(args.definitions), args.min_respondents)
    status = survey_status(Path(args.survey), cat, optional_path(args.mapping), columns(args),
                           optional_path(args.targets))
    labels = {g.id: g.label for g in cat.groups}
    table = Table(title=f"Survey status: {args.survey}")
    for name, justify in (("Region", "left"), ("Group", "left"), ("Complete", "right"),
                          ("Incomplete", "right"), ("Invited", "right"),
                          ("Response rate", "right"), ("Minimum reached", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in status.itertuples(index=False):
        rate = "–" if pd.isna(row.response_rate) else f"{row.response_rate:.0%}"
        invited = "–" if pd.isna(row.invited) else str(int(row.invited))
        table.add_row(row.region, labels.get(row.group, row.group), str(row.complete),
                      str(row.incomplete), invited, rate,
                      "yes" if row.reaches_minimum else f"no: remind ({row.minimum} needed)")
    # Text from the export is text: no rich markup is read from it.
    Console(file=out, width=110, markup=False, highlight=False).print(table)
    remind = status[~status["reaches_minimum"]]
    print(f"{len(remind)} of {len(status)} region/group cells below the minimum of "
          f"{cat.rules.min_respondents} complete responses", file=out)
    if args.out:
        # Same rules as every table export: atomic, a free name unless --force, never over
        # an input file.
        target = write_table(status, table_path(args.out), args, out)
        print(f"status table: {one_line(target)}", file=out)
    return 0

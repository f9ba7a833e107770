"""The knowledge commands: import activity counts, export the knowledge space."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from reportgen.cli.common import table_path, write_table
from reportgen.errors import UsageError
from reportgen.terminal import one_line


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.cli.portfolio import backed_up
    from reportgen.inputs.counts import read_counts, read_labels
    from reportgen.sources import analysable
    from reportgen.store import session
    from reportgen.store.knowledge import import_counts, periods

    counts = read_counts(Path(args.counts), args.period)  # all problems before any write
    # A period that gives no knowledge space would only fail later builds: refuse it now.
    analysable(counts, Path(args.counts).name)
    names = read_labels(Path(args.labels)) if args.labels else None
    with session(args.db) as conn:
        held = bool(set(counts["period"]) & set(periods(conn)))
        with backed_up(conn, Path(args.db), args.replace and held) as saved:
            new, unknown = import_counts(conn, counts, args.replace, names, args.counts)
    if saved:
        print(f"backup: {one_line(saved)}", file=out)
    print(f"stored {len(counts)} counts of {counts['region'].nunique()} regions and "
          f"{counts['technology'].nunique()} classes for period(s) {', '.join(new)} in "
          f"{one_line(args.db)}", file=out)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        print(f"warning: {len(unknown)} region(s) have counts but no survey wave in the "
              f"portfolio: {shown}", file=out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    import pandas as pd

    from reportgen.knowledge.analysis import tidy_space
    from reportgen.sources import spaces_of
    from reportgen.store import session
    from reportgen.store.knowledge import periods, stored_counts

    target = table_path(args.out)
    with session(args.db, create=False) as conn:
        tables = {p: stored_counts(conn, p) for p in periods(conn)}
    if not tables:
        raise UsageError(f"no counts in {args.db}; store some with 'reportgen knowledge "
                         "import'")
    spaces = spaces_of(pd.concat([t.assign(period=p) for p, t in tables.items()]))
    if not spaces:
        raise UsageError(f"no stored period of {args.db} gives a knowledge space (too few "
                         "regions or classes, or all alike)")
    table = pd.concat([tidy_space(space, p) for p, space in spaces])
    target = write_table(table, target, args, out)
    print(f"knowledge space of {len(tables)} period(s) written to {one_line(target)}", file=out)
    return 0

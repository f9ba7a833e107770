"""The workshop commands: write a region's workshop pack, record what the workshop agreed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from reportgen.cli.commands import source_options
from reportgen.cli.common import optional_path, settings
from reportgen.errors import UsageError
from reportgen.terminal import one_line


def cmd_workshop(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.workshop import build_workshop

    # Not required by the parser, which also reads 'workshop record' with its own options.
    missing = [flag for flag, value in (("--region", args.region), ("--out", args.out))
               if not value]
    if missing:
        raise UsageError(f"reportgen workshop: {' and '.join(missing)} required")
    folder, pack = build_workshop(
        args.region, Path(args.out), settings=settings(args), cases=optional_path(args.cases),
        synthetic=args.synthetic, templates=[Path(t) for t in args.templates],
        force=args.force, log=lambda msg: print(msg, file=out), **source_options(args))
    print(f"workshop pack: {one_line(folder)} ({len(pack.files)} files; the priority "
          f"worksheet lists {pack.worksheet_rows} indicators below the portfolio median)",
          file=out)
    return 0


def cmd_record(args: argparse.Namespace, out: TextIO) -> int:
    """Store the fields of action of a filled-in priority worksheet for a wave."""
    from reportgen.cli.portfolio import backed_up
    from reportgen.inputs.worksheet import read_worksheet
    from reportgen.sources import catalogue
    from reportgen.store import read as store
    from reportgen.store import session
    from reportgen.store.actions import record_actions, recorded
    from reportgen.terminal import printable

    cat = catalogue(optional_path(args.definitions))
    facts, actions = read_worksheet(Path(args.worksheet), cat)  # all problems before writing
    for key, given in (("region", args.region), ("wave", args.wave)):
        # The sheet holds control characters escaped, as the terminal shows them.
        if facts.get(key) and facts[key] not in (given, printable(given or "")):
            raise UsageError(f"{args.worksheet} was written for {key} {facts[key]!r}, not "
                             f"{given!r}")
    with session(args.db, create=False) as conn:
        wave = store.select_wave(conn, args.region, args.wave)
        wanted = bool(args.replace and recorded(conn, wave))
        with backed_up(conn, Path(args.db), wanted) as saved:
            record_actions(conn, wave, actions, args.replace)
    if saved:
        print(f"backup: {one_line(saved)}", file=out)
    print(f"recorded {len(actions)} field(s) of action for {args.region}, wave {wave.label}; "
          "the next wave's report follows them up", file=out)
    return 0

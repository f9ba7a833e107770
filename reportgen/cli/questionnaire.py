"""The questionnaire command: the survey from the catalogue, for LimeSurvey and for print."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from reportgen.cli.common import optional_path


def cmd_questionnaire(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.questionnaire import FORMATS, write_questionnaire
    from reportgen.sources import catalogue

    cat = catalogue(optional_path(args.definitions))
    folder, files = write_questionnaire(
        cat, Path(args.out), languages=args.languages or (), region=args.region,
        formats=args.formats or FORMATS, templates=[Path(t) for t in args.templates or ()],
        force=bool(args.force), log=lambda msg: print(msg, file=out))
    mapping = next(f for f in files if f.endswith("-mapping.yaml"))
    print(f"questionnaire: {folder} ({len(files)} files; import the .lss into LimeSurvey and "
          f"read its export with --mapping {folder / mapping})", file=out)
    return 0

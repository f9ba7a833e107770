"""The translations command: what a report language still lacks."""

from __future__ import annotations

import argparse
from itertools import groupby
from pathlib import Path
from typing import TextIO

from reportgen.cli.common import optional_path


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """List every missing text of the language, by file; exit 1 when anything is missing."""
    from reportgen.benchmark.cases import load_cases
    from reportgen.report.gaps import report_gaps
    from reportgen.report.i18n import check_language
    from reportgen.resources import default_catalogue
    from reportgen.sources import catalogue
    from reportgen.terminal import counted, printable

    lang = args.language
    # An unknown language is a usage error, not a list of gaps.
    check_language(lang, args.templates or ())
    definitions = optional_path(args.definitions)
    cat = catalogue(definitions)
    cases = optional_path(args.cases)
    library = load_cases(cases, cat) if cases else None
    texts = optional_path(args.region_texts)
    if texts is not None and not args.region:
        print("reportgen: --region-texts needs --region: commentary is kept per region",
              file=out)
        return 2
    gaps = report_gaps(lang, cat, definitions or default_catalogue(), library, cases, texts,
                       args.region or "", [Path(t) for t in args.templates or ()])
    if not gaps:
        print(f"language {lang}: complete (messages, catalogue {cat.id}"
              f"{', cases' if library else ''}{', commentary' if texts else ''})", file=out)
        return 0
    print(f"language {lang}: {counted(len(gaps), 'text')} missing", file=out)
    for file, items in groupby(gaps, key=lambda g: g.file):
        keys = [g.key for g in items]
        print(f"{printable(file)} ({len(keys)})", file=out)
        for key in keys:
            print(f"  {printable(key)}", file=out)
    return 1




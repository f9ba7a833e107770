"""The commands on one survey export: build, score, validate; and templates export."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reportgen.cli.common import (
    columns,
    optional_path,
    report_written,
    settings,
    table_path,
    write_table,
)
from reportgen.errors import UsageError
from reportgen.terminal import counted, one_line

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from reportgen.sources import CountsFiles


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

    result = build_report(
        args.region, Path(args.out), html=args.html, synthetic=args.synthetic,
        force=args.force, cases=optional_path(args.cases),
        templates=[Path(t) for t in args.templates], settings=settings(args),
        log=lambda msg: print(msg, file=out), pool=pool, **source_options(args))
    report_written(result, args.timings, out)
    return 0


def source_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return where a build's inputs come from, as build_report and build_workshop take it."""
    return {"survey": optional_path(args.survey), "db": Path(args.db), "wave": args.wave,
            "definitions": optional_path(args.definitions),
            "benchmark_tables": [Path(p) for p in args.benchmark],
            "same_version": not args.any_version, "columns": columns(args),
            "mapping": optional_path(args.mapping), "counts": counts_files(args)}


def counts_files(args: argparse.Namespace) -> CountsFiles | None:
    """Return the activity-count files a build was given, if any."""
    from reportgen.sources import CountsFiles

    if not args.counts:
        if args.labels or args.period:
            raise UsageError("--labels and --period describe a --counts file; give --counts")
        return None
    return CountsFiles(Path(args.counts), optional_path(args.labels), args.period)


def cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.scoring.aggregate import score
    from reportgen.scoring.disclosure import disclose
    from reportgen.scoring.tables import tidy
    from reportgen.sources import load_survey

    cat, responses = load_survey(Path(args.survey), optional_path(args.definitions),
                                 columns(args), args.min_respondents,
                                 optional_path(args.mapping))
    for warning in responses.warnings:
        print(warning, file=out)
    scores = score(responses, cat)
    table = tidy(scores if args.include_small_groups else disclose(scores, cat), cat)
    target = write_table(table, table_path(args.out), args, out)
    print(f"scores of {len(responses.region_names)} regions: {one_line(target)}", file=out)
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
    print(f"{one_line(args.survey)}: OK, {kept} respondents in {len(groups)} regions "
          f"(catalogue {cat.title})", file=out)
    print(groups.reindex(columns=[g.id for g in cat.groups], fill_value=0).to_string(),
          file=out)
    for line in left_out(dropped, kept):
        print(line, file=out)
    return 0


def cmd_templates_export(args: argparse.Namespace, out: TextIO) -> int:
    """Copy the packaged templates (all, or the named) into DIR, refusing to overwrite."""
    import os
    import tempfile

    from reportgen.resources import templates_dir

    target = Path(args.dir)
    sources = sorted(p for p in templates_dir().iterdir() if p.suffix in (".html", ".css"))
    if args.name:
        # A copy shadows the packaged template for good: copy only what you will change.
        known = {p.name: p for p in sources}
        unknown = [n for n in args.name if n not in known]
        if unknown:
            raise UsageError(f"no packaged template {', '.join(map(repr, unknown))}; there are "
                             f"{', '.join(known)}")
        sources = [known[n] for n in dict.fromkeys(args.name)]
    # lexists: a symbolic link counts as taken even when it points nowhere (copying through
    # it wrote a file outside the folder).
    clashes = [p.name for p in sources if os.path.lexists(target / p.name)]
    if clashes and not args.force:
        raise UsageError(f"{target} already has {', '.join(clashes)}; pass --force to "
                         "overwrite them")
    target.mkdir(parents=True, exist_ok=True)
    for path in sources:
        # Written under a fresh name, then moved over: --force replaces a link, not its target.
        with tempfile.NamedTemporaryFile(dir=target, prefix=f".{path.name}.", delete=False) as f:
            f.write(path.read_bytes())
        os.chmod(f.name, 0o644)  # a template to edit and share, not a private temporary
        os.replace(f.name, target / path.name)
    shown = one_line(target)
    copied = counted(len(sources), "template")
    print(f"copied {copied} to {shown}; use them with --templates {shown}", file=out)
    return 0

"""Commands around the portfolio database: demo, batch and `portfolio …`."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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
from reportgen.options import default
from reportgen.output import make_folder
from reportgen.terminal import one_line

if TYPE_CHECKING:
    from reportgen.catalogue import Catalogue

DEMO_REGION = "R07"
# The example waves and their labels, oldest first.
DEMO_WAVES = (("survey.csv", "2024"), ("survey-wave2.csv", "2026"))


def _catalogue(args: argparse.Namespace) -> Catalogue:
    from reportgen.catalogue import load_catalogue
    from reportgen.resources import default_catalogue

    return load_catalogue(optional_path(getattr(args, "definitions", None))
                          or default_catalogue())


MAX_WAVE_LABEL = 40


def wave_label(given: str | None) -> str:
    """Return the --wave label to store (today's date if none), or refuse an unusable one."""
    if given is None:
        return dt.date.today().isoformat()
    label = given.strip()
    # The label heads report sections, fills table cells and names files.
    if not label or len(label) > MAX_WAVE_LABEL or not label.isprintable():
        raise UsageError(f"--wave {given!r}: a wave label needs 1 to {MAX_WAVE_LABEL} "
                         "printable characters, such as 2026 or 2026-spring")
    return label


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.store import session
    from reportgen.store.waves import import_survey

    cat = _catalogue(args)
    label = wave_label(args.wave)
    with session(args.db) as conn:
        done = import_survey(conn, Path(args.survey), cat, columns(args), label, args.replace,
                             optional_path(args.mapping), optional_path(args.region_table),
                             synthetic=args.synthetic)
    if done.already:
        held = ", ".join(f"{r} {w}" for r, w in done.already)
        print(f"{one_line(args.survey)} is already imported (waves: {held}); nothing changed",
              file=out)
        return 0
    regions = f"{len(done.new)} region{'' if len(done.new) == 1 else 's'}"
    print(f"imported {done.respondents} respondents as wave {label!r} of {regions} into "
          f"{one_line(args.db)}", file=out)
    for line in [*done.warnings, *done.left_out]:
        print(f"  {line}", file=out)
    for region, wave in done.replaced:
        print(f"  replaced the earlier wave {wave!r} of {region} (kept; 'reportgen portfolio "
              f"restore {region} --wave {wave}' brings it back)", file=out)
    for line in done.cautions:
        print(f"  caution: {line}", file=out)
    return 0


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.store import session
    from reportgen.store.overview import regions_table

    with session(args.db, create=False) as conn:
        table = regions_table(conn)
    print(table.to_string(index=False) if not table.empty else "the portfolio is empty",
          file=out)
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.store import session
    from reportgen.store.overview import composites_table, waves_table

    with session(args.db, create=False) as conn:
        waves, composites = waves_table(conn, args.region), composites_table(conn, args.region)
    if waves.empty:
        raise UsageError(f"region {args.region!r} is not in {args.db}")
    print(f"Region {args.region}\n\nWaves:\n{waves.to_string(index=False)}", file=out)
    if not composites.empty:
        print(f"\nComposite indicators by wave:\n{composites.to_string()}", file=out)
    return 0


@contextmanager
def backed_up(conn: sqlite3.Connection, db: Path, wanted: bool = True
              ) -> Iterator[Path | None]:
    """Back the database up for the block's change; drop the copy if the change fails."""
    saved = backup(conn, db) if wanted else None
    try:
        yield saved
    except BaseException:
        if saved is not None:  # nothing changed: a backup of it would only mislead
            saved.unlink(missing_ok=True)
        raise


def backup(conn: sqlite3.Connection, db: Path) -> Path:
    """Copy the database beside itself before a destructive change, under a new name.

    SQLite's backup API copies a consistent state even while another process writes. The
    copy is written under a hidden name and claimed whole and exclusively: a killed run
    leaves no half backup under a backup's name, and two in one second never overwrite.
    """
    from reportgen.output import claim, partial

    base = db.with_name(f"{db.name}.backup-{dt.datetime.now():%Y%m%d-%H%M%S}")
    tmp = partial(base)
    try:
        # Private from the start, as the database: it holds every region's scores.
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        copy = sqlite3.connect(tmp)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        counter = iter(range(2, 1_000_000))
        return claim(tmp, base, after=lambda _taken: base.with_name(
            f"{base.name}-{next(counter)}"))
    finally:
        tmp.unlink(missing_ok=True)


def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.store import session
    from reportgen.store.read import waves
    from reportgen.store.waves import set_status

    with session(args.db, create=False) as conn:
        mine = [w for w in waves(conn, args.region) if args.wave in (None, w.label)]
        if not mine:
            raise UsageError(f"region {args.region!r} has no active wave "
                             f"{args.wave or ''} in {args.db}".replace("  ", " "))
        listed = ", ".join(w.label for w in mine)
        if not args.yes and not _confirm(f"Remove wave(s) {listed} of {args.region}?", out):
            print("nothing removed", file=out)
            return 1
        with backed_up(conn, Path(args.db)) as saved:
            set_status(conn, [w.id for w in mine], "removed")
    print(f"removed wave(s) {listed} of {args.region}; backup of the database: {one_line(saved)}",
          file=out)
    return 0


def _confirm(question: str, out: TextIO) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("refusing to remove without confirmation: pass --yes")
    print(f"{question} [y/N] ", end="", file=out, flush=True)
    return input().strip().lower() in ("y", "yes")


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.store import session
    from reportgen.store.read import waves
    from reportgen.store.waves import restore

    with session(args.db, create=False) as conn:
        everything = waves(conn, args.region, ("active", "replaced", "removed"))
        retired = [w for w in everything if w.label == args.wave and w.status != "active"]
        if not retired:
            raise UsageError(f"region {args.region!r} has no replaced or removed wave "
                             f"{args.wave!r}")
        current = [w.id for w in everything if w.label == args.wave and w.status == "active"]
        with backed_up(conn, Path(args.db)):
            restore(conn, current, retired[-1].id)
    print(f"wave {args.wave!r} of {args.region} (imported {retired[-1].imported_at}) is "
          "active again", file=out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.errors import UsageError
    from reportgen.resources import default_catalogue
    from reportgen.scoring.aggregate import rules_fingerprint
    from reportgen.scoring.disclosure import minimum, publish_table
    from reportgen.sources import catalogue, rescored_scores
    from reportgen.store import session
    from reportgen.store.overview import all_scores

    target = table_path(args.out)
    definitions = optional_path(args.definitions) or default_catalogue()
    cat = catalogue(definitions, args.min_respondents)
    with session(args.db, create=False) as conn:
        rules = {r for (r,) in conn.execute(
            "SELECT DISTINCT rules FROM waves WHERE status = 'active' AND rules IS NOT NULL")}
        if not rules - {rules_fingerprint(cat)}:
            table = all_scores(conn)
        elif args.min_respondents is None:
            # The minimum is the rule the scores were computed under: another catalogue's
            # minimum could publish a group value its own rule withholds.
            raise UsageError(f"{args.db}: the stored scores were computed under other rules "
                             f"than those of {definitions.name}; pass the catalogue they were "
                             "imported with as --definitions, or the minimum as "
                             "--min-respondents N")
        else:
            # Stored region values hold every group of the import's minimum: score afresh.
            table, others = rescored_scores(conn, cat)
            if table.empty:
                raise UsageError(f"{args.db}: no wave was imported with catalogue {cat.id} "
                                 f"{cat.version}, so none can be scored afresh under "
                                 f"--min-respondents {args.min_respondents}; pass the "
                                 "catalogue they were imported with as --definitions")
            if others:
                print(f"left out (another catalogue or version, not rescored): "
                      f"{', '.join(others)}", file=out)
    table = publish_table(table, minimum(cat), internal=args.include_small_groups)
    target = write_table(table, target, args, out)
    print(f"{len(table)} scores written to {one_line(target)}", file=out)
    return 0


def cmd_batch(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen import __version__, resume
    from reportgen.batch import run_batch
    from reportgen.store import session
    from reportgen.store.read import waves

    options = dict(db=Path(args.db), definitions=optional_path(args.definitions),
                   cases=optional_path(args.cases), same_version=not args.any_version,
                   html=args.html, synthetic=args.synthetic, force=args.force,
                   templates=[Path(t) for t in args.templates], settings=settings(args))
    with session(args.db, create=False) as conn:
        known = sorted({w.region for w in waves(conn)})
        regions = list(dict.fromkeys(args.regions or known))
        unknown = sorted(set(regions) - set(known))
        if unknown:
            raise UsageError(f"no wave in {args.db} for {', '.join(unknown)}")
        keys = resume.input_keys(conn, regions, options, f"reportgen {__version__}")
    out_dir = Path(args.out)
    manifest = resume.load(out_dir)
    todo = [r for r in regions
            if args.force or not resume.up_to_date(manifest, r, keys[r])]
    if len(todo) < len(regions):
        print(f"{len(regions) - len(todo)} reports are up to date and skipped (--force "
              "rebuilds them)", file=out)

    def done(outcome: Any) -> None:
        if outcome.ok:
            manifest[outcome.region] = {"key": keys[outcome.region], "pdf": outcome.detail}
            resume.save(out_dir, manifest)

    outcomes = run_batch(todo, out_dir, max(1, args.jobs), options, out=out, finished=done)
    failed = [o for o in outcomes if not o.ok]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} reports built in {one_line(args.out)}",
          file=out)
    for o in failed:
        print(f"  FAILED {o.region}: {o.detail}", file=out)
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from reportgen.parallel import WORKERS, chart_pool

    # As in `build`: the chart workers load matplotlib while the pipeline is imported.
    with chart_pool(WORKERS) as pool:
        return _demo(args, out, pool)


def _demo(args: argparse.Namespace, out: TextIO, pool: Any) -> int:
    folder = Path(args.out or "reportgen-demo")
    fresh = not folder.exists()
    db = make_folder(folder) / default("db")
    fresh_db = not db.exists()
    cat = _catalogue(args)
    try:
        _demo_build(args, out, pool, folder, db, cat)
    except BaseException:
        # Nothing half-made stays behind: a database (and folder) this run created goes with
        # the report that failed; one kept from an earlier demo stays.
        if fresh:
            shutil.rmtree(folder, ignore_errors=True)
        elif fresh_db:
            for path in (db, *db.parent.glob(db.name + "-*")):
                path.unlink(missing_ok=True)
        raise
    return 0


def _demo_build(args: argparse.Namespace, out: TextIO, pool: Any, folder: Path, db: Path,
                cat: Catalogue) -> None:
    from reportgen.build import build_report
    from reportgen.inputs.counts import read_counts
    from reportgen.inputs.validate import DEFAULT_COLUMNS
    from reportgen.resources import example_inputs
    from reportgen.store import session
    from reportgen.store.knowledge import import_counts, periods
    from reportgen.store.waves import import_survey, update_regions

    inputs = example_inputs()
    with session(db) as conn:
        for name, label in DEMO_WAVES:  # a second run finds them imported and changes nothing
            import_survey(conn, inputs / name, cat, DEFAULT_COLUMNS, label, synthetic=True)
        update_regions(conn, inputs / "regions.csv")
        if not periods(conn):  # a second run finds them stored and changes nothing
            import_counts(conn, read_counts(inputs / "knowledge-counts.csv"))
    print("portfolio database with the synthetic example waves and activity counts: "
          f"{one_line(db)}", file=out)
    gc.freeze()  # as in `build`: this process ends after the one report
    result = build_report(DEMO_REGION, folder, db=db, cases=inputs / "cases.yaml",
                          synthetic=True, html=args.html, force=args.force,
                          templates=[Path(t) for t in args.templates],
                          settings=settings(args), log=lambda msg: print(msg, file=out),
                          pool=pool)
    report_written(result, args.timings, out)


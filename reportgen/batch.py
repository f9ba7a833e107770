"""Build the reports of many regions from the database in parallel, none skipped silently."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sqlite3
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from reportgen.errors import ReportgenError
from reportgen.safenames import distinct_name
from reportgen.terminal import printable


@dataclass(frozen=True)
class Outcome:
    """How one region's build ended."""

    region: str
    ok: bool
    detail: str
    seconds: float


def _build_one(region: str, out_dir: Path, options: dict[str, Any]) -> Outcome:
    """Build one report in a worker; turn every failure into an Outcome."""
    from reportgen.build import build_report

    start = time.perf_counter()
    try:
        result = build_report(region, out_dir, parallel=False, **options)
        return Outcome(region, True, str(result.pdf), time.perf_counter() - start)
    except ReportgenError as exc:
        return Outcome(region, False, "; ".join(exc.lines), time.perf_counter() - start)
    except sqlite3.Error as exc:  # a damaged or locked database: the user's to mend, no bug
        return Outcome(region, False, f"database error: {exc}", time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one region's bug must not stop the others
        log = _keep_traceback(region, out_dir)
        return Outcome(region, False, f"{type(exc).__name__}: {exc} (traceback in {log})",
                       time.perf_counter() - start)


def _keep_traceback(region: str, out_dir: Path) -> Path:
    """Write the running exception's traceback beside the reports; return the file."""
    from reportgen.output import staged

    with staged(Path(out_dir)) as stage:
        stage(f"{distinct_name(region)}-error.log").write_text(traceback.format_exc(),
                                                           encoding="utf-8")
    return stage.final[f"{distinct_name(region)}-error.log"]


def _start_worker() -> None:
    """Hide the modules a worker inherits from the collector, once, before its first build."""
    # Its passes over WeasyPrint's layout objects stay short. Only once: freezing again
    # before later builds would make their uncollected garbage immortal (memory grew by
    # about 45 MB per report over a long batch).
    gc.collect()
    gc.freeze()


def _preload() -> None:
    """Import the heavy stages once in the parent, so forked workers start warm."""
    import weasyprint  # noqa: F401

    import reportgen.build  # noqa: F401
    from reportgen.report import charts

    charts.warm_up()


def progress_line(done: int, total: int, outcome: Outcome, width: int = 20) -> str:
    """Format one progress line with a bar, e.g. '[#####-----]  5/10  R07  ok  3.1 s'."""
    filled = round(width * done / total) if total else width
    state = "ok" if outcome.ok else "FAILED"
    return (f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total}  "
            f"{outcome.region}  {state}  {outcome.seconds:.1f} s  {outcome.detail}")


def run_batch(regions: list[str], out_dir: Path, jobs: int, options: dict[str, Any],
              out: TextIO = sys.stderr, report: Callable[[str], None] | None = None,
              finished: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Build every region's report with `jobs` worker processes; return all outcomes.

    On a terminal a progress bar with ETA replaces the line per region (failures are still
    printed); `finished` is called with each outcome as it arrives.
    """
    regions = list(dict.fromkeys(regions))  # a region named twice is built once
    with progress(out, len(regions), report) as say:
        return _run(regions, out_dir, jobs, options, say, finished or (lambda _o: None))


def _run(regions: list[str], out_dir: Path, jobs: int, options: dict[str, Any],
         say: Callable[[int, Outcome], None], finished: Callable[[Outcome], None]
         ) -> list[Outcome]:
    outcomes: list[Outcome] = []
    # Each worker holds a whole build (a few hundred MB): more of them than cores or regions
    # only costs memory, and --jobs 100000 forked until the machine ran out of it.
    jobs = min(jobs, len(regions), os.cpu_count() or 1)
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for region in regions:
            outcomes.append(_build_one(region, out_dir, options))
            finished(outcomes[-1])
            say(len(outcomes), outcomes[-1])
        return outcomes
    _preload()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             initializer=_start_worker) as pool:
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork() beside threads; workers only build reports.
            warnings.simplefilter("ignore", DeprecationWarning)
            futures: dict[Future[Outcome], str] = {
                pool.submit(_build_one, region, out_dir, options): region for region in regions}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died
                outcome = Outcome(futures[future], False, f"worker failed: {exc}", 0.0)
            outcomes.append(outcome)
            finished(outcome)
            say(len(outcomes), outcome)
    order = {region: k for k, region in enumerate(regions)}
    return sorted(outcomes, key=lambda o: order[o.region])


@contextlib.contextmanager
def progress(out: TextIO, total: int, report: Callable[[str], None] | None
             ) -> Iterator[Callable[[int, Outcome], None]]:
    """Yield say(done, outcome): a rich progress bar on a terminal, else one line each."""
    if report is not None or not out.isatty():
        line = report or (lambda text: print(text, file=out, flush=True))
        yield lambda done, outcome: line(progress_line(done, total, outcome))
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    # rich writes its own control sequences, so it gets the raw stream; region codes from
    # the data pass through printable() first.
    console = Console(file=getattr(out, "raw", out))
    bar = Progress("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeRemainingColumn(), console=console)
    with bar:
        task = bar.add_task("building reports", total=total)

        def say(done: int, outcome: Outcome) -> None:
            bar.update(task, completed=done,
                       description=f"built {printable(outcome.region)}")
            if not outcome.ok:
                bar.console.print(f"FAILED {printable(outcome.region)}: "
                                  f"{printable(outcome.detail)}", markup=False,
                                  highlight=False)

        yield say

"""Chart workers: forked processes that load matplotlib while the parent does other work."""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool

# Chart workers: two on the two cores this tool is sized for, one on a single core.
WORKERS = max(1, min(2, os.cpu_count() or 1))


@contextmanager
def reuse(pool: Pool) -> Iterator[Pool]:
    """Lend a pool someone else started (and will stop)."""
    yield pool


def _warm_up() -> None:
    """Import the chart stack in the worker before any chart is asked for."""
    import signal

    from reportgen.report import charts

    # The pool stops its workers with SIGTERM: they die at once, whatever the parent's
    # handler (which unwinds the parent to clean up its files).
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)

    charts.warm_up()


@contextmanager
def chart_pool(workers: int = 2) -> Iterator[Pool | None]:
    """Start `workers` forked chart processes for the block; None for 0 or without fork.

    The pool starts first thing in a build, so that matplotlib loads in the workers while the
    parent reads and scores the survey and then loads WeasyPrint: on two cores this takes the
    chart stage almost entirely off the critical path.
    """
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods() or os.environ.get(
            "REPORTGEN_NO_FORK"):
        yield None
        return
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() beside threads (numpy's BLAS pool); the workers
        # only draw charts and touch none of those threads' locks.
        warnings.simplefilter("ignore", DeprecationWarning)
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_warm_up)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()

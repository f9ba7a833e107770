"""Chart workers: forked processes that load matplotlib while the parent does other work."""

from __future__ import annotations

import multiprocessing
import os
import time
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
    # Ctrl-C reaches the whole process group: the parent stops the build and the workers
    # with it; a worker's own KeyboardInterrupt would only print a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

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
    except BaseException:
        _abandon(pool)
        raise
    try:
        _stop(pool)
    except BaseException:  # a signal while stopping it: same as above
        _abandon(pool)
        raise


def _stop(pool: Pool) -> None:
    """Let the workers finish and leave, waiting in short steps.

    terminate() can block for good in a lock a killed worker holds, and a C-level wait is
    not interrupted by a signal the kernel hands to another thread; waits with a timeout
    return to Python, which then runs the signal handler.
    """
    workers = list(pool._pool)  # type: ignore[attr-defined]
    pool.close()  # each worker takes one sentinel and exits
    deadline = time.monotonic() + 10
    for worker in workers:
        while worker.exitcode is None and time.monotonic() < deadline:
            worker.join(timeout=0.1)
    if any(worker.exitcode is None for worker in workers):
        _abandon(pool)  # one died with the queue's lock: the others cannot get their sentinel
        return
    pool.join()


def _abandon(pool: Pool) -> None:
    """Stop a pool whose workers may have died holding its locks, without waiting on them.

    A signal to the whole process group (Ctrl-C, `timeout`, a CI runner) kills the workers
    as well; one killed while waiting for a task holds the task queue's lock for good, and
    terminate() takes that lock first, so it waited forever. The pool's internals are used
    because the public API has no way to give up on it.
    """
    from multiprocessing.pool import TERMINATE

    for handler in (pool._worker_handler, pool._task_handler):  # type: ignore[attr-defined]
        handler._state = TERMINATE  # no replacements for the dead, no more tasks
    workers = list(pool._pool)  # type: ignore[attr-defined]
    for worker in workers:
        if worker.exitcode is None:
            worker.kill()
    for worker in workers:
        worker.join(timeout=5)
    pool._state = TERMINATE  # type: ignore[attr-defined]
    pool._terminate.cancel()  # type: ignore[attr-defined]  # its finalizer would wait too

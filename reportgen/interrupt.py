"""Stop on a termination signal where stopping is safe, even if Python swallowed it once."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Signals that ask us to stop. A handler's exception raised inside a finaliser, a weakref
# callback or an at-fork hook is printed as "Exception ignored" and the build went on: the
# note below lets the next pipeline step stop it after all.
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_pending: list[int] = []


def note(signum: int) -> None:
    """Remember that `signum` asked us to stop."""
    _pending.append(signum)


def check() -> None:
    """Raise SystemExit (128 + signal) if a stop signal arrived and was not acted on."""
    if _pending:
        signum = _pending[0]
        raise KeyboardInterrupt if signum == signal.SIGINT else SystemExit(128 + signum)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold stop signals back for a short block that must finish whole (moving files in)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can set handlers; it is not running this block
        return
    check()  # a signal swallowed earlier: do not start what the block commits
    # Handlers, not a signal mask: the kernel hands a signal to any thread that does not
    # block it (numpy's, the chart pool's), and Python then runs the handler all the same.
    held = {sig: signal.getsignal(sig) for sig in STOPPING}
    for sig, handler in held.items():
        if handler not in (signal.SIG_IGN, None):  # an ignored signal (nohup) stays ignored
            signal.signal(sig, lambda signum, frame: note(signum))
    try:
        yield
    finally:
        for sig, handler in held.items():
            if handler is not None:
                signal.signal(sig, handler)
    check()  # what came meanwhile is acted on now, with the block done

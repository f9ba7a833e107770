"""Run one function in a forked child while the parent goes on with other work."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import warnings
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    """The result of a function running in a child process (or already computed)."""

    def __init__(self, pid: int | None = None, fd: int | None = None, value: Any = None):
        self._pid, self._fd, self._value = pid, fd, value

    def cancel(self) -> None:
        """Stop waiting: end the child and release the pipe."""
        if self._fd is not None and self._pid:
            os.close(self._fd)
            self._fd = None
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)

    def result(self) -> T:
        """Wait for the child and return its result, re-raising its failure."""
        if self._fd is None:
            return self._value  # type: ignore[no-any-return]
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self._pid or 0, 0)
        self._fd = None
        status, self._value = pickle.loads(data) if data else ("error", "child died")
        if status != "ok":
            raise RuntimeError(f"chart drawing failed in the worker process: {self._value}")
        return self._value  # type: ignore[no-any-return]


def run_forked(fn: Callable[..., T], *args: Any) -> Pending[T]:
    """Start `fn(*args)` in a forked child; without fork, run it here and now.

    The child inherits the parent's memory, so nothing but the result is pickled. Only the
    chart stage uses this: it overlaps matplotlib with the parent's import of WeasyPrint.
    """
    if not hasattr(os, "fork") or os.environ.get("REPORTGEN_NO_FORK"):
        return Pending(value=fn(*args))
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads (numpy's BLAS pool);
        # the child only draws charts and touches none of their locks.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        # Whatever happens, the child must never return into the parent's code.
        try:
            os.close(read_fd)
            try:
                payload = pickle.dumps(("ok", fn(*args)))
            except BaseException as exc:  # noqa: BLE001 - everything must reach the parent
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    return Pending(pid, read_fd)

"""Bound the wall time and memory of one rendering: a template, or the PDF laid out from it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

try:
    import resource
except ImportError:  # Windows: no address-space ceiling, the sandbox's own limits remain
    resource = None  # type: ignore[assignment]

# The demo renders in about a second and a few MB; these leave room for big catalogues and
# slow machines while stopping a template that loops or grows without end.
MAX_SECONDS = 120.0
MAX_MEMORY = 2 * 1024**3  # bytes of address space a rendering may add to the process


class LimitExceeded(Exception):
    """A rendering ran out of its time or memory allowance."""


def _address_space() -> int | None:
    """Return the process's current virtual size in bytes (Linux), or None elsewhere."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * resource.getpagesize()


@contextmanager
def _memory(extra: int) -> Iterator[None]:
    if resource is None:
        yield
        return
    size = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if size is None or (soft != resource.RLIM_INFINITY and soft <= size + extra):
        yield  # no way to measure, or already bounded more tightly by the caller
        return
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def _clock(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        # An exception raised inside a __del__ or a gc callback is printed and dropped: ring
        # again shortly, until one lands in the rendering itself.
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        raise LimitExceeded(f"took longer than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def bounded(seconds: float | None = None, memory: int | None = None) -> Iterator[None]:
    """Run the block under a wall-clock alarm and an address-space ceiling.

    Both are process-wide, so they apply only in the main thread (signals cannot be caught
    elsewhere, and a ceiling would squeeze other threads); an embedding server that renders
    in threads keeps the sandbox's per-operation limits only.
    """
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return
    try:
        with _clock(seconds or MAX_SECONDS), _memory(memory or MAX_MEMORY):
            yield
    except MemoryError as exc:
        raise LimitExceeded(f"needed more than {(memory or MAX_MEMORY) // 1024**2:,} MB "
                            "of memory").with_traceback(exc.__traceback__) from None

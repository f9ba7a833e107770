"""reportgen: turn a Smart Specialisation StressTest survey into a benchmarked report."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["BuildResult", "__version__", "build_report"]


def __getattr__(name: str) -> Any:
    """Import the pipeline only when it is used, so `reportgen --help` stays instant."""
    if name in ("build_report", "BuildResult"):
        from reportgen import build

        return getattr(build, name)
    raise AttributeError(name)

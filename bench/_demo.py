"""What the build benchmarks share: a timed cold process, and the demo's two waves stored."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "example_inputs"
CLI = [sys.executable, "-m", "reportgen"]


def timed(cmd: list[str]) -> tuple[float, str]:
    """Run a command to completion; return its wall time and its output."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def demo_db(db: Path) -> Path:
    """Import the demo's two synthetic waves into a fresh portfolio database."""
    for name, label in (("survey.csv", "2024"), ("survey-wave2.csv", "2026")):
        timed([*CLI, "portfolio", "import", "--survey", str(INPUTS / name), "--wave", label,
               "--db", str(db)])
    return db


def runs_option(doc: str | None) -> int:
    """Read the one option every build benchmark takes: how many runs to take the median of."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    return int(parser.parse_args().runs)

"""Benchmark `reportgen workshop` against a `reportgen build` of the same region.

Run: python bench/bench_workshop.py [--runs N]

Both are cold processes on the demo's portfolio database (region R07, latest wave), measured
interleaved in one run. The workshop writes the deck (PPTX and 16:9 PDF), the priority
worksheet (XLSX and A3 PDF), every chart as SVG and PNG and the numbers; the build writes the
report PDF. Prints both medians and their ratio (target: at most 1.5).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    inputs = REPO / "example_inputs"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cli = [sys.executable, "-m", "reportgen"]
        db = str(out / "bench.db")
        for name, label in (("survey.csv", "2024"), ("survey-wave2.csv", "2026")):
            timed([*cli, "portfolio", "import", "--survey", str(inputs / name), "--wave", label,
                   "--db", db])
        common = ["--db", db, "--region", "R07", "--cases", str(inputs / "cases.yaml")]
        build = [*cli, "build", *common, "--synthetic", "--out", str(out / "r"), "--force"]
        timed(build)  # warm the OS file cache and matplotlib's font cache once
        builds, packs = [], []
        for k in range(args.runs):  # interleaved, so drift affects both sides alike
            builds.append(timed(build))
            packs.append(timed([*cli, "workshop", *common, "--out", str(out / f"w{k}")]))
    b, w = statistics.median(builds), statistics.median(packs)
    print(f"runs: {args.runs}")
    print(f"cold reportgen build     median {b:6.2f} s  (min {min(builds):.2f}, "
          f"max {max(builds):.2f})")
    print(f"cold reportgen workshop  median {w:6.2f} s  (min {min(packs):.2f}, "
          f"max {max(packs):.2f})")
    print(f"ratio workshop / build   {w / b:6.2f}   (target <= 1.50)")


if __name__ == "__main__":
    main()

"""Benchmark `reportgen batch` against separate cold `reportgen build` runs of every region.

Run: python bench/bench_batch.py [--jobs 2] [--sample N]

Imports the example waves into a fresh database, then measures in one run (a) the wall time
of `reportgen batch` over all regions and (b) the sum of one cold `reportgen build` process
per region (or, with --sample N, the median of N cold builds times the number of regions).
Prints the ratio batch / sum (target: at most 0.6 on two cores).
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
CLI = [sys.executable, "-m", "reportgen"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(CLI + args, capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=0,
                        help="time only N cold builds and extrapolate (0: all regions)")
    args = parser.parse_args()
    inputs = REPO / "example_inputs"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        for name, label in (("survey.csv", "2024"), ("survey-wave2.csv", "2026")):
            timed(["portfolio", "import", "--survey", str(inputs / name), "--wave", label,
                   "--db", str(db)])
        common = ["--db", str(db), "--cases", str(inputs / "cases.yaml"), "--synthetic"]
        regions = [f"R{k:02d}" for k in range(1, 27)]
        batch = timed(["batch", *common, "--out", str(Path(tmp) / "batch"), "--jobs",
                       str(args.jobs)])
        written = len(list((Path(tmp) / "batch").glob("*.pdf")))
        chosen = regions[: args.sample] if args.sample else regions
        singles = [timed(["build", "--region", r, *common, "--out", str(Path(tmp) / "one")])
                   for r in chosen]
    total = sum(singles) if not args.sample else statistics.median(singles) * len(regions)
    how = "measured" if not args.sample else f"median of {len(singles)} x {len(regions)}"
    print(f"regions: {len(regions)}, batch jobs: {args.jobs}, PDFs written by the batch: "
          f"{written}")
    print(f"batch wall time                {batch:7.1f} s")
    print(f"sum of cold single builds      {total:7.1f} s  ({how}; median "
          f"{statistics.median(singles):.2f} s per build)")
    print(f"ratio batch / sum              {batch / total:7.2f}   (target <= 0.60)")


if __name__ == "__main__":
    main()

"""Measure whether `reportgen batch` runs in flat memory as the number of regions grows.

Run: python bench/bench_batch_memory.py [--copies 6] [--jobs 2]

Imports the demo's two waves `copies` times under new region codes (26 × copies regions),
then runs `reportgen batch` cold over a small and over the full set of regions, each as its
own process tree, and prints the peak resident memory of the largest process in each tree
(the parent or a worker; the kernel reports the largest of a process and its waited-for
children). Flat memory: the ratio large / small stays near 1 while the regions multiply.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "reportgen"]


def copy_wave(source: Path, copies: int, target: Path) -> None:
    """Write `source` again `copies` times with suffixed respondent ids and region codes."""
    import pandas as pd

    demo = pd.read_csv(source, dtype=str, keep_default_na=False)
    parts = []
    for k in range(copies):
        part = demo.copy()
        part["respondent_id"] = part["respondent_id"] + f"-{k}"
        part["region"] = part["region"] + ("" if k == 0 else f"-{k}")
        parts.append(part)
    pd.concat(parts).to_csv(target, index=False)


def peak(argv: list[str]) -> tuple[float, float]:
    """Run a cold process tree; return (seconds, largest peak resident memory in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    inputs = REPO / "example_inputs"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "many.db"
        for name, label in (("survey.csv", "2024"), ("survey-wave2.csv", "2026")):
            copy_wave(inputs / name, args.copies, work / name)
            subprocess.run([*CLI, "portfolio", "import", "--survey", str(work / name),
                            "--wave", label, "--db", str(db)], check=True,
                           stdout=subprocess.DEVNULL)
        regions = [f"R{r:02d}" + ("" if k == 0 else f"-{k}")
                   for k in range(args.copies) for r in range(1, 27)]
        small = regions[: max(args.jobs * 4, 8)]
        common = ["batch", "--db", str(db), "--synthetic", "--jobs", str(args.jobs)]
        rows = []
        for chosen in (small, regions):
            seconds, mb = peak([*CLI, *common, "--out", str(work / f"out{len(chosen)}"),
                                "--regions", *chosen])
            rows.append((len(chosen), seconds, mb))
    for count, seconds, mb in rows:
        print(f"batch of {count:4d} regions   {seconds:7.1f} s   peak {mb:6.0f} MB   "
              f"({seconds / count:.2f} s per region)")
    (n1, _, m1), (n2, _, m2) = rows
    print(f"regions x{n2 / n1:.1f} -> peak memory x{m2 / m1:.2f}   (flat: near 1)")


if __name__ == "__main__":
    main()

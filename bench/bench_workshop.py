"""Benchmark `reportgen workshop` against a `reportgen build` of the same region.

Run: python bench/bench_workshop.py [--runs N]

Both are cold processes on the demo's portfolio database (region R07, latest wave), measured
interleaved in one run. The workshop writes the deck (PPTX and 16:9 PDF), the priority
worksheet (XLSX and A3 PDF), every chart as SVG and PNG and the numbers; the build writes the
report PDF. Prints both medians and their ratio (target: at most 1.5).
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from _demo import CLI, INPUTS, demo_db, runs_option, timed


def main() -> None:
    runs = runs_option(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        db = str(demo_db(out / "bench.db"))
        common = ["--db", db, "--region", "R07", "--cases", str(INPUTS / "cases.yaml")]
        build = [*CLI, "build", *common, "--synthetic", "--out", str(out / "r"), "--force"]
        timed(build)  # warm the OS file cache and matplotlib's font cache once
        builds, packs = [], []
        for k in range(runs):  # interleaved, so drift affects both sides alike
            builds.append(timed(build)[0])
            packs.append(timed([*CLI, "workshop", *common, "--out", str(out / f"w{k}")])[0])
    b, w = statistics.median(builds), statistics.median(packs)
    print(f"runs: {runs}")
    print(f"cold reportgen build     median {b:6.2f} s  (min {min(builds):.2f}, "
          f"max {max(builds):.2f})")
    print(f"cold reportgen workshop  median {w:6.2f} s  (min {min(packs):.2f}, "
          f"max {max(packs):.2f})")
    print(f"ratio workshop / build   {w / b:6.2f}   (target <= 1.50)")


if __name__ == "__main__":
    main()

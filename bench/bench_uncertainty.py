"""Benchmark the uncertainty stage: what 1,000 resamples add to a build, and how they scale.

Run: python bench/bench_uncertainty.py [--runs N]

1. Cold builds of the demo report (region R07 from a database with the two example waves, a
   26-region portfolio), interleaved in one run: with the catalogue's 1,000 resamples and with
   `--resamples 0`. Prints the medians, the seconds the resampling adds (target: at most 2)
   and the median of the build's own "uncertainty" stage.
2. The stage alone, in this process, on portfolios made of 1, 2, 4, 8 and 16 copies of the
   demo's 26 regions: bootstrap (1,000 resamples), band support and the sensitivity analysis.
   Prints the median time per size and its ratio to the 26-region time next to the ratio of
   regions (linear growth: the two ratios agree).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
from _demo import CLI, INPUTS, demo_db, runs_option, timed

from reportgen.build import load_survey
from reportgen.inputs.validate import DEFAULT_COLUMNS, Responses
from reportgen.scoring.aggregate import score
from reportgen.uncertainty import assess as stage


def copies(responses: Responses, times: int) -> Responses:
    """Return the answers with every region repeated `times` times under new codes."""
    metas, items = [], []
    for k in range(times):
        meta = responses.meta.copy()
        meta["region"] = meta["region"] + f"-{k}"
        metas.append(meta)
        items.append(responses.items)
    meta = pd.concat(metas, ignore_index=True)
    names = {code: code for code in meta["region"].unique()}
    return replace(responses, meta=meta, items=pd.concat(items, ignore_index=True),
                   region_names=names)


def builds(runs: int) -> None:
    """Time cold builds with and without resampling, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        db = demo_db(out / "bench.db")
        base = [*CLI, "build", "--db", str(db), "--region", "R07", "--cases",
                str(INPUTS / "cases.yaml"), "--synthetic", "--out", str(out), "--force",
                "--timings"]
        timed(base)  # warm the file cache and matplotlib's font cache once
        on, off, stage_times = [], [], []
        for _ in range(runs):
            seconds, stdout = timed(base)
            on.append(seconds)
            stage_times += [float(line.split()[2]) for line in stdout.splitlines()
                            if line.startswith("timing uncertainty ")]
            off.append(timed([*base, "--resamples", "0"])[0])
    a, b = statistics.median(on), statistics.median(off)
    print(f"cold build, 1,000 resamples  median {a:6.2f} s  (min {min(on):.2f})")
    print(f"cold build, --resamples 0    median {b:6.2f} s  (min {min(off):.2f})")
    print(f"added by resampling          {a - b:6.2f} s   (target <= 2.00); "
          f"ratio {a / b:.2f}")
    if stage_times:
        print(f"  the build's uncertainty stage alone: median "
              f"{statistics.median(stage_times):.3f} s")


def scaling(runs: int) -> None:
    """Time the stage on growing portfolios."""
    cat, responses = load_survey(INPUTS / "survey.csv", None, DEFAULT_COLUMNS)
    first = None
    print("regions  respondents  median s  time ratio  region ratio")
    for times in (1, 2, 4, 8, 16):
        more = copies(responses, times)
        values = score(more, cat).values
        region = str(values.index[0])
        seconds = []
        for _ in range(runs):
            stage._LAST.clear()  # the cache would make every run after the first free
            start = time.perf_counter()
            stage.assess(more, values, region, cat, resamples=1000)
            seconds.append(time.perf_counter() - start)
        med = statistics.median(seconds)
        first = first or med
        print(f"{len(values):7d}  {len(more.meta):11d}  {med:8.3f}  {med / first:10.2f}  "
              f"{times:12d}")


def main() -> None:
    runs = runs_option(__doc__)
    print(f"python {sys.version.split()[0]}, runs per measurement: {runs}")
    builds(runs)
    scaling(runs)


if __name__ == "__main__":
    main()

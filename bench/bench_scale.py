"""Benchmark reportgen at Europe-wide scale: a million respondents against a bare CSV read.

Run: python bench/bench_scale.py [--small 100000] [--large 1000000] [--no-import]

Synthetic exports are made by repeating the demo survey (new respondent ids, regions spread
over about 1,100 codes). Every step runs as its own cold process in this one run, so the
ratios compare like with like on whatever machine runs it:

- `reportgen score` on the large file vs a bare `pandas.read_csv` of it (target <= 3),
- `reportgen score` on the large vs the small file (linear: target <= large/small * 1.1),
- `reportgen portfolio import` of the large file vs the bare read (target <= 5),
- the peak memory of each process (target < 4 GB).
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
BARE = "import sys, pandas; pandas.read_csv(sys.argv[1])"


def make_export(rows: int, target: Path) -> None:
    """Write `rows` respondents by repeating the demo export with fresh ids and regions."""
    import pandas as pd

    demo = pd.read_csv(REPO / "example_inputs" / "survey.csv", dtype=str,
                       keep_default_na=False)
    copies = rows // len(demo) + 1
    parts = []
    for k in range(copies):
        part = demo.copy()
        part["respondent_id"] = part["respondent_id"] + f"-{k}"
        part["region"] = part["region"] + f"-{k % 42}"
        parts.append(part)
    pd.concat(parts).head(rows).to_csv(target, index=False)


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Run a cold process; return (seconds, peak resident memory in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{err}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    if sys.argv[1:2] == ["--make"]:
        make_export(int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--no-import", action="store_true", help="skip portfolio import")
    args = parser.parse_args()
    reportgen = [sys.executable, "-m", "reportgen"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = {}
        for size in (args.small, args.large):
            files[size] = work / f"export-{size}.csv"
            # In a child process: memory held here before a fork would count as the peak of
            # every process measured after it.
            subprocess.run([sys.executable, __file__, "--make", str(size), str(files[size])],
                           check=True)
            print(f"{size:>9,} respondents: {files[size].stat().st_size / 1e6:6.1f} MB of CSV")
        results: dict[str, tuple[float, float]] = {}
        results["read"] = timed([sys.executable, "-c", BARE, str(files[args.large])], work)
        for size in (args.small, args.large):
            results[f"score {size}"] = timed(
                [*reportgen, "score", "--survey", str(files[size]), "--out",
                 str(work / f"s{size}.csv"), "--force"], work)
        if not args.no_import:
            results["import"] = timed(
                [*reportgen, "portfolio", "import", "--survey", str(files[args.large]),
                 "--wave", "w1", "--db", str(work / "scale.db")], work)
    for name, (seconds, mb) in results.items():
        print(f"{name:<20} {seconds:8.2f} s   peak {mb:7.0f} MB")
    read = results["read"][0]
    small, large = results[f"score {args.small}"][0], results[f"score {args.large}"][0]
    print(f"score / bare read          {large / read:6.2f}   (target <= 3)")
    print(f"score large / small        {large / small:6.2f}   (linear: "
          f"{args.large / args.small:.0f}; target <= {1.1 * args.large / args.small:.0f})")
    if "import" in results:
        print(f"import / bare read         {results['import'][0] / read:6.2f}   (target <= 5)")
    print(f"largest peak memory        {max(mb for _, mb in results.values()):6.0f} MB "
          "(target < 4096)")


if __name__ == "__main__":
    main()

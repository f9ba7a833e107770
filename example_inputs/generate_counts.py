"""Generate the synthetic patent-like counts behind the demo's knowledge-space chapter.

Everything written here is synthetic: 26 invented regions (R01..R26, the demo's codes) and
120 invented technology classes (K001..K120) over two periods. No real patent data are used
or imitated. The counts only need the structure real patent counts show, so that the
knowledge-space analysis has something to find:

* sparse and heavy tailed: most region × class cells are zero, a few are large;
* nested: regions differ in how many of 30 latent capabilities they hold, and classes in
  how many they need; a region patents in a class roughly in proportion to the share of the
  class's capabilities it holds, so diverse regions also hold the rare, complex classes;
* related: classes that need the same capabilities co-occur in the same regions;
* dynamic: between the periods each region gains a few capabilities (more likely those
  that share classes with what it holds), so it enters classes related to its strengths.

Rerun from the repository root; the same seed always gives the same file:

    python example_inputs/generate_counts.py            # writes knowledge-counts.csv
"""

import argparse
import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REGIONS = [f"R{i:02d}" for i in range(1, 27)]
CLASSES = [f"K{j:03d}" for j in range(1, 121)]
CAPABILITIES = 30
PERIODS = ("2014-2018", "2019-2023")


def capabilities(rng):
    """Draw what each class needs and what each region holds (both as 0/1 matrices)."""
    needs = np.zeros((len(CLASSES), CAPABILITIES), dtype=bool)
    for j in range(len(CLASSES)):
        k = 1 + int(rng.gamma(2.0, 2.0))  # most classes need a few, some need many
        needs[j, rng.choice(CAPABILITIES, size=min(k, CAPABILITIES), replace=False)] = True
    prevalence = rng.uniform(0.2, 0.9, CAPABILITIES)
    ability = rng.uniform(0.25, 0.95, len(REGIONS))
    holds = rng.uniform(size=(len(REGIONS), CAPABILITIES)) < ability[:, None] * prevalence
    return needs, holds


def counts(rng, needs, holds, size):
    """Draw counts: a region patents where it holds most of what a class needs."""
    share = (holds.astype(float) @ needs.T.astype(float)) / needs.sum(axis=1)
    rate = size[:, None] * np.exp(6.0 * (share - 1.0)) * rng.gamma(0.6, 1 / 0.6, share.shape)
    return rng.poisson(rate)


def gain(rng, needs, holds):
    """Let each region acquire a few capabilities, preferring ones close to what it holds."""
    together = needs.T.astype(float) @ needs.astype(float)  # capabilities sharing classes
    out = holds.copy()
    for r in range(holds.shape[0]):
        missing = np.flatnonzero(~holds[r])
        if missing.size == 0:
            continue
        closeness = together[missing][:, holds[r]].sum(axis=1) + 1.0
        picks = rng.choice(missing, size=min(2, missing.size), replace=False,
                           p=closeness / closeness.sum())
        out[r, picks] = True
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=HERE / "knowledge-counts.csv")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    needs, holds = capabilities(rng)
    size = rng.pareto(1.5, len(REGIONS)) * 40 + 20  # patenting volume: heavy tailed
    rows = []
    for period in PERIODS:
        table = counts(rng, needs, holds, size)
        rows += [(region, cls, int(table[i, j]), period) for i, region in enumerate(REGIONS)
                 for j, cls in enumerate(CLASSES) if table[i, j] > 0]
        holds, size = gain(rng, needs, holds), size * rng.uniform(1.0, 1.3, len(REGIONS))
    with args.out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["region", "technology", "count", "period"])
        writer.writerows(rows)
    print(f"wrote {args.out}: {len(rows)} non-zero counts, {len(REGIONS)} regions, "
          f"{len(CLASSES)} classes, periods {', '.join(PERIODS)} (synthetic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

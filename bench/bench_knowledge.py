"""Benchmark the knowledge stage: 300 and 1,100 regions × 650 technology classes × 2 periods.

Run: python bench/bench_knowledge.py

Counts are synthetic (sparse, heavy tailed, nested). The whole stage runs for each period:
RTA, specialisation, proximity, density, complexity, and every region's top opportunities.
Prints the median of five runs and the ratio of the two sizes (targets: <= 1 s for 300
regions; 1,100 regions at most 4x that).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from reportgen.knowledge.analysis import analyse
from reportgen.knowledge.space import Counts


def synthetic(regions: int, techs: int, seed: int) -> Counts:
    """Make counts whose specialisations nest: able regions also hold hard technologies."""
    rng = np.random.default_rng(seed)
    size = rng.pareto(1.2, regions)[:, None] + 1
    ability = rng.uniform(0, 1, regions)[:, None]
    ease = rng.uniform(0, 1, techs)[None, :]
    rate = size * np.exp(3 * (ability + ease - 1)) * rng.gamma(0.5, 2, (regions, techs))
    return Counts([f"R{i}" for i in range(regions)], [f"T{j}" for j in range(techs)],
                  rng.poisson(rate).astype(float))


def stage(periods: list[Counts]) -> None:
    """Run the whole knowledge stage for every period and every region."""
    for counts in periods:
        space = analyse(counts)
        for region in space.counts.regions:
            space.opportunities(region)


def median_seconds(regions: int, runs: int = 5) -> float:
    periods = [synthetic(regions, 650, seed) for seed in (1, 2)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        stage(periods)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    small, large = median_seconds(300), median_seconds(1100)
    print(f"300 regions x 650 classes x 2 periods:   median {small:6.3f} s (target <= 1 s)")
    print(f"1,100 regions x 650 classes x 2 periods: median {large:6.3f} s")
    print(f"ratio 1,100 / 300: {large / small:5.2f} (target <= 4)")


if __name__ == "__main__":
    main()

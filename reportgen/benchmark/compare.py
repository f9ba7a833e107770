"""Place a region within its benchmarking portfolio: statistics, ranks, bands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportgen.marks import N_

BANDS = (N_("top quarter"), N_("upper middle"), N_("lower middle"), N_("bottom quarter"))
# Two neighbouring quarters, for a region the resamples place in either (BANDS[k], BANDS[k+1]).
PAIRS = (N_("top quarter or upper middle"), N_("upper middle or lower middle"),
         N_("lower middle or bottom quarter"))


@dataclass(frozen=True)
class PortfolioStats:
    """Distribution of one indicator over the portfolio, with Tukey whiskers."""

    n: int
    min: float
    q1: float
    median: float
    q3: float
    max: float
    mean: float
    whisker_low: float
    whisker_high: float
    outliers: tuple[float, ...]

    @property
    def iqr(self) -> float:
        """Return the interquartile range."""
        return self.q3 - self.q1


@dataclass(frozen=True)
class Position:
    """Where the region's value stands against the portfolio of other regions."""

    key: str
    value: float | None
    stats: PortfolioStats | None
    rank: int | None
    of: int
    band: str | None
    distance: float | None
    # From the bootstrap (uncertainty.assess), when it ran: the value's interval, the rank's
    # range, the share of resamples in each quarter (BANDS order), and their coverage.
    interval: tuple[float, float] | None = None
    rank_band: tuple[int, int] | None = None
    band_shares: tuple[float, ...] | None = None
    level: float | None = None

    @property
    def settled_band(self) -> str | None:
        """Name the quarter, or two neighbouring ones, that hold `level` of the resamples.

        The band of the value itself when it holds them alone; with the neighbour that holds
        more of the rest when the two together do; None when even that is in doubt.
        """
        if self.band is None or self.band_shares is None or self.level is None:
            return self.band
        k, shares = BANDS.index(self.band), self.band_shares
        if shares[k] >= self.level:
            return self.band
        near = [j for j in (k - 1, k + 1) if 0 <= j < len(BANDS)]
        j = max(near, key=lambda n: shares[n])
        return PAIRS[min(k, j)] if shares[k] + shares[j] >= self.level else None

    @property
    def rank_spread(self) -> bool:
        """Tell whether the rank band spans more than the rank itself."""
        return self.rank_band is not None and self.rank_band[0] != self.rank_band[1]

    @property
    def above_median(self) -> bool | None:
        """Tell whether the value lies above the portfolio median (None if unknown)."""
        if self.value is None or self.stats is None:
            return None
        return self.value > self.stats.median


def portfolio_stats(values: pd.Series) -> PortfolioStats | None:
    """Summarise the non-missing values; None when there are none."""
    v = np.sort(values.dropna().to_numpy(dtype=float))
    if v.size == 0:
        return None
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    reach = 1.5 * (q3 - q1)
    inside = v[(v >= q1 - reach) & (v <= q3 + reach)]
    outliers = v[(v < q1 - reach) | (v > q3 + reach)]
    return PortfolioStats(int(v.size), float(v[0]), float(q1), float(med), float(q3),
                          float(v[-1]), float(v.mean()), float(inside.min()),
                          float(inside.max()), tuple(float(x) for x in outliers))


def band_of(value: float, stats: PortfolioStats) -> str:
    """Name the quartile band of the portfolio that `value` falls into."""
    if value >= stats.q3:
        return BANDS[0]
    if value >= stats.median:
        return BANDS[1]
    if value >= stats.q1:
        return BANDS[2]
    return BANDS[3]


def position(values: pd.Series, region: str, floor: float) -> Position:
    """Benchmark `region` against every other region with a value in `values`.

    A region without a value is no member of this indicator's portfolio: `of` counts the
    region itself and the others that have a value, so ranks and legends agree.
    """
    own = values.get(region)
    own_value = None if own is None or pd.isna(own) else float(own)
    others = values.drop(index=region, errors="ignore").dropna()
    stats = portfolio_stats(others)
    if own_value is None or stats is None:
        return Position(str(values.name), own_value, stats, None, len(others) + 1, None, None)
    rank = 1 + int((others > own_value).sum())
    # IQR units make distances comparable across indicators. The spread never counts as
    # smaller than `floor` (a share of the scale, rules.spread_floor_share): on a coarse
    # scale a nearly flat portfolio would otherwise turn a small lead into a huge distance.
    unit = max(stats.iqr, floor)
    distance = (own_value - stats.median) / unit
    return Position(str(values.name), own_value, stats, rank, len(others) + 1,
                    band_of(own_value, stats), distance)


def benchmark(values: pd.DataFrame, region: str, floor: float) -> dict[str, Position]:
    """Position the region on every column (indicator or composite) of `values`."""
    return {str(key): position(values[key], region, floor) for key in values.columns}


def strengths_and_weaknesses(
    positions: dict[str, Position], keys: list[str], top: int = 3
) -> tuple[list[Position], list[Position]]:
    """Return the indicators furthest above and below the portfolio median."""
    scored = [positions[k] for k in keys if positions[k].distance is not None]
    ordered = sorted(scored, key=lambda p: p.distance or 0.0, reverse=True)
    strengths = [p for p in ordered if (p.distance or 0) > 0][:top]
    weaknesses = [p for p in reversed(ordered) if (p.distance or 0) < 0][:top]
    return strengths, weaknesses

"""Bootstrap the portfolio: value intervals and rank bands from resampled respondents."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.uncertainty.resample import Layout, chunks, draws, evaluate

# A value missing from more than this share of resamples gets no interval: its rules
# (enough respondents, enough indicators) hold too rarely for the resamples to say much.
MAX_UNDEFINED = 0.5


@dataclass(frozen=True)
class Bands:
    """Resampled values of the whole portfolio and what they say about each region.

    `resampled` is resamples x regions x keys; regions without answers (extra score tables,
    other catalogue versions) hold their given value in every resample. `low`/`high` bound
    each value, `rank_low`/`rank_high` each rank, at coverage `level`.
    """

    level: float
    resamples: int
    seed: int
    regions: pd.Index
    keys: list[str]
    point: pd.DataFrame
    resampled: np.ndarray
    low: pd.DataFrame
    high: pd.DataFrame
    rank: pd.DataFrame
    rank_low: pd.DataFrame
    rank_high: pd.DataFrame


def ranks(values: np.ndarray, axis: int = -2, scale: tuple[float, float] | None = None
          ) -> np.ndarray:
    """Rank regions along `axis`: 1 plus the number of regions with a greater value.

    One stable sort along a contiguous last axis; ties share the best rank. With `scale`
    (the score range), values are first put on a grid of 65,535 steps, so that numpy sorts
    16-bit keys by radix: linear in the number of regions (a comparison sort of a thousand
    resamples of a large portfolio grew faster than the portfolio). Values closer than a
    65,534th of the scale then count as tied, far below any printed difference.
    """
    v = np.moveaxis(values, axis, -1)
    missing = np.isnan(v)
    if scale is None:
        key: np.ndarray = np.ascontiguousarray(np.where(missing, np.inf, -v))
    else:
        lo, hi = scale
        width = hi - lo if hi > lo else 1.0
        step = np.rint((hi - np.clip(np.where(missing, lo, v), lo, hi)) / width * 65534)
        key = np.ascontiguousarray(np.where(missing, 65535, step).astype(np.uint16))
    order = np.argsort(key, axis=-1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=-1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    position = np.arange(ordered.shape[-1], dtype=np.int32)
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    out = np.empty(ordered.shape)
    np.put_along_axis(out, order, first + 1.0, axis=-1)
    out[missing] = np.nan
    return np.moveaxis(out, -1, axis)


def quantiles(x: np.ndarray, qs: list[float], method: str = "linear", axis: int = 0
              ) -> list[np.ndarray]:
    """Return the q-quantiles along `axis`, ignoring NaN (NaN where a slice has no value).

    numpy's nanpercentile with these methods, but sorted once for all slices and every q:
    nanpercentile applies a Python function per slice when NaN occur, which took a second
    for one report's bands.
    """
    ordered = np.sort(np.ascontiguousarray(np.moveaxis(x, axis, -1)), axis=-1)  # NaN last
    n = (~np.isnan(ordered)).sum(axis=-1)
    top = np.maximum(n - 1, 0)
    out = []
    for q in qs:
        pos = q * top
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, top)
        if method == "lower":
            above = below
        elif method == "higher":
            below = above = np.ceil(pos).astype(np.int64)
        a = np.take_along_axis(ordered, below[..., None], axis=-1)[..., 0]
        b = np.take_along_axis(ordered, above[..., None], axis=-1)[..., 0]
        value = a + (b - a) * (pos - np.floor(pos)) if method == "linear" else a
        out.append(np.where(n > 0, value, np.nan))
    return out


def quantile(x: np.ndarray, q: float, method: str = "linear", axis: int = 0) -> np.ndarray:
    """Return one q-quantile along `axis`, ignoring NaN (see quantiles)."""
    return quantiles(x, [q], method, axis)[0]


def resample_values(lay: Layout, cat: Catalogue, resamples: int,
                    seed: int | np.random.SeedSequence) -> np.ndarray:
    """Return resamples x regions x keys values, drawn in chunks from one seeded stream."""
    rng = np.random.default_rng(seed)
    # Chunks only bound memory: they draw in turn from the one stream, so the resamples are
    # the rows of a single (resamples x respondents) draw whatever the chunk size.
    parts = [evaluate(lay, draws(lay, count, rng), cat)[0] for count in chunks(lay, resamples)]
    return np.concatenate(parts, axis=0)


def bootstrap(lay: Layout, cat: Catalogue, fixed: pd.DataFrame, *, resamples: int, seed: int,
              level: float) -> Bands:
    """Resample every region's respondents; add the `fixed` regions as they are."""
    keys = lay.keys
    fixed = fixed.drop(index=lay.regions, errors="ignore").reindex(columns=keys).astype(float)
    regions = lay.regions.append(pd.Index(fixed.index, name="region"))
    own = resample_values(lay, cat, resamples, seed)
    constant = np.broadcast_to(fixed.to_numpy()[None], (resamples, *fixed.shape))
    every = np.concatenate([own, constant], axis=1)
    point = np.concatenate([evaluate(lay, np.ones((1, len(lay.start))), cat)[0][0],
                            fixed.to_numpy()], axis=0)
    point_rank = ranks(point, axis=0)
    alpha = (1 - level) / 2
    low, high = quantiles(every, [alpha, 1 - alpha])
    if np.isnan(every).all():
        every_rank = np.full(every.shape, np.nan)
    else:
        every_rank = ranks(every, axis=1, scale=(np.nanmin(every), np.nanmax(every)))
    (rank_low,) = quantiles(every_rank, [alpha], "lower")
    (rank_high,) = quantiles(every_rank, [1 - alpha], "higher")
    undefined = np.isnan(every).mean(axis=0) > MAX_UNDEFINED
    gone = undefined | np.isnan(point)
    # A percentile interval can miss the value itself (a rule flips in most resamples);
    # the band is widened to hold it, so a reader never sees a value outside its own band.
    low, high = np.fmin(low, point), np.fmax(high, point)
    rank_low, rank_high = np.fmin(rank_low, point_rank), np.fmax(rank_high, point_rank)

    def frame(a: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.where(gone, np.nan, a), index=regions, columns=keys)

    return Bands(level, resamples, seed, regions, keys,
                 pd.DataFrame(point, index=regions, columns=keys), every,
                 frame(low), frame(high), pd.DataFrame(point_rank, index=regions, columns=keys),
                 frame(rank_low), frame(rank_high))


def band_support(bands: Bands, region: str) -> pd.DataFrame:
    """Share of resamples that put the region in each quarter of the portfolio, by key.

    Columns 0 (top quarter) to 3 (bottom quarter), as compare.band_of names them: the other
    regions' quartiles, in every resample anew. NaN where the region or the portfolio has no
    value.
    """
    r = bands.regions.get_loc(region)
    own = bands.resampled[:, r, :]
    others = np.delete(bands.resampled, r, axis=1)
    q1, med, q3 = quantiles(others, [0.25, 0.5, 0.75], axis=1)
    point = bands.point.to_numpy()[r]
    quarter = _quarter(own, q1, med, q3)
    defined = ~np.isnan(own) & ~np.isnan(q1)
    unknown = np.isnan(point) | np.isnan(np.delete(bands.point.to_numpy(), r, axis=0)).all(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.stack([((quarter == k) & defined).sum(axis=0) / defined.sum(axis=0)
                           for k in range(4)], axis=1)
    return pd.DataFrame(np.where(unknown[:, None], np.nan, shares), index=bands.keys)


def _quarter(v: np.ndarray, q1: np.ndarray, med: np.ndarray, q3: np.ndarray) -> np.ndarray:
    """Return 0 (top quarter) to 3 (bottom quarter) as compare.band_of does."""
    return np.where(v >= q3, 0, np.where(v >= med, 1, np.where(v >= q1, 2, 3)))

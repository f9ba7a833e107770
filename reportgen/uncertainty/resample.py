"""Score many weightings of the respondents at once: the engine of bootstrap and sensitivity.

A resample is a row of weights, one per respondent: how often the respondent was drawn. The
sums every rule needs (answers, answering respondents per region x group x indicator) are one
sparse matrix product for all resamples of a chunk, so no Python loop runs over resamples,
regions or indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from reportgen.catalogue.schema import Catalogue
from reportgen.inputs.validate import Responses
from reportgen.scoring.aggregate import composite_mean, respondent_indicators

# Cells (resamples x regions x groups x indicators) per chunk: bounds memory at any size.
CHUNK_CELLS = 4_000_000
Weights = Literal["catalogue", "equal", "respondents"]
Aggregation = Literal["arithmetic", "geometric"]


@dataclass(frozen=True)
class Layout:
    """The respondents sorted by region and group, as sparse sums per unit and indicator."""

    regions: pd.Index
    groups: list[str]
    keys: list[str]  # indicator ids, then dimension ids
    start: np.ndarray  # per respondent: first row of its region x group
    size: np.ndarray  # per respondent: rows of its region x group
    answers: sparse.csc_matrix  # (regions*groups*indicators) x respondents, 0 where missing
    answered: sparse.csc_matrix  # the same, 1 where answered
    distinct: np.ndarray  # regions x groups x indicators: respondents who answered

    @property
    def shape(self) -> tuple[int, int, int]:
        """Return (regions, groups, indicators)."""
        n_reg, n_grp, n_ind = self.distinct.shape
        return n_reg, n_grp, n_ind


def layout(responses: Responses, cat: Catalogue) -> Layout:
    """Sort the respondents by region and group and lay out their indicator values."""
    meta = responses.meta
    resp = respondent_indicators(responses.items, meta["group"], cat).to_numpy(dtype=float)
    place, regions = pd.factorize(meta["region"].to_numpy(), sort=True)
    groups = [g.id for g in cat.groups]
    kind = pd.Index(groups).get_indexer(meta["group"].to_numpy())
    n_reg, n_grp, n_ind = len(regions), len(groups), len(cat.indicators)
    unit = place * n_grp + kind
    # Stable order: the seed then draws the same resamples from the same export.
    order = np.argsort(unit, kind="stable")
    unit, resp = unit[order], resp[order]
    size_of = np.bincount(unit, minlength=n_reg * n_grp)
    first = np.concatenate([[0], np.cumsum(size_of)[:-1]])
    have = ~np.isnan(resp)
    rows, cols = np.nonzero(have)
    where = unit[rows] * n_ind + cols
    shape = (n_reg * n_grp * n_ind, len(unit))
    answers = sparse.csc_matrix((resp[rows, cols], (where, rows)), shape=shape)
    answered = sparse.csc_matrix((np.ones(len(rows)), (where, rows)), shape=shape)
    distinct = np.asarray(answered.sum(axis=1)).reshape(n_reg, n_grp, n_ind)
    keys = [i.id for i in cat.indicators] + [d.id for d in cat.dimensions]
    return Layout(pd.Index(regions, name="region"), groups, keys, first[unit], size_of[unit],
                  answers.tocsr(), answered.tocsr(), distinct)


def draws(lay: Layout, count: int, rng: np.random.Generator) -> np.ndarray:
    """Draw `count` resamples: each region x group's respondents drawn with replacement.

    Row b holds how often each respondent was drawn; every unit keeps its size. Respondent
    slot i draws a respondent of its own unit: start + floor(u * size), u uniform in [0, 1).
    """
    n = len(lay.start)
    picked = lay.start + np.floor(rng.random((count, n)) * lay.size).astype(np.int64)
    flat = (picked + np.arange(count)[:, None] * n).ravel()
    return np.bincount(flat, minlength=count * n).reshape(count, n).astype(float)


def evaluate(lay: Layout, weights: np.ndarray, cat: Catalogue, *, groups: Weights = "catalogue",
             aggregation: Aggregation = "arithmetic", min_respondents: int | None = None,
             floor: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Score every row of `weights` (resamples x respondents) under the catalogue's rules.

    Returns (values, small), both resamples x regions x keys: values of indicators and
    composites, and where a value rests on a group with fewer respondents than `floor`.
    A group enters a value when it has at least `min_respondents` answers in the row and as
    many distinct respondents: drawing one person twice never lifts a group that is too small
    over the threshold.
    """
    rules = cat.rules
    least = rules.min_respondents if min_respondents is None else min_respondents
    n_reg, n_grp, n_ind = lay.shape
    count = len(weights)
    sums = np.asarray(lay.answers @ weights.T).T.reshape(count, n_reg, n_grp, n_ind)
    answers = np.asarray(lay.answered @ weights.T).T.reshape(count, n_reg, n_grp, n_ind)
    enters = (answers >= least) & (lay.distinct >= least)[None]
    if groups == "respondents":
        # Weight proportional to respondents: the pooled mean of every answer that enters.
        num = np.where(enters, sums, 0.0).sum(axis=2)
        den = np.where(enters, answers, 0.0).sum(axis=2)
    else:
        gw = np.array([g.weight for g in cat.groups]) if groups == "catalogue" else np.ones(n_grp)
        w = enters * gw[None, None, :, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(answers > 0, sums / answers, 0.0)
        num, den = (mean * w).sum(axis=2), w.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(den > 0, num / den, np.nan)
    lowest = floor if floor is not None else least
    small: np.ndarray = np.asarray((enters & (lay.distinct < lowest)[None]).any(axis=2))
    dims_v, dims_s = composites(values, small, cat, aggregation)
    return np.concatenate([values, dims_v], axis=2), np.concatenate([small, dims_s], axis=2)


def composites(values: np.ndarray, small: np.ndarray, cat: Catalogue,
               aggregation: Aggregation = "arithmetic") -> tuple[np.ndarray, np.ndarray]:
    """Combine indicator values (... x indicators) into one composite per dimension."""
    index = {ind.id: k for k, ind in enumerate(cat.indicators)}
    share = cat.rules.composite_min_share
    out, out_small = [], []
    for dim in cat.dimensions:  # a handful of dimensions; every resample and region at once
        cols = [index[i.id] for i in dim.indicators]
        w = np.array([i.weight for i in dim.indicators])
        x = values[..., cols]
        if aggregation == "geometric":
            out.append(_geometric(x, w, cat))
        else:
            out.append(composite_mean(x, w, share))
        out_small.append((small[..., cols] & ~np.isnan(x)).any(axis=-1))
    return np.stack(out, axis=-1), np.stack(out_small, axis=-1)


def _geometric(x: np.ndarray, w: np.ndarray, cat: Catalogue) -> np.ndarray:
    """Weighted geometric mean of values shifted above the scale's minimum (same data rule)."""
    shift = cat.score.span * cat.rules.uncertainty.geometric_offset_share
    have = ~np.isnan(x)
    logs = np.log(np.where(have, x - cat.score.min + shift, 1.0))
    # The arithmetic mean of the logs, under the composite rule, is the log of the answer.
    return np.exp(composite_mean(np.where(have, logs, np.nan), w,
                                 cat.rules.composite_min_share)) + cat.score.min - shift


def chunks(lay: Layout, total: int) -> list[int]:
    """Split `total` resamples into chunks whose arrays stay within CHUNK_CELLS."""
    n_reg, n_grp, n_ind = lay.shape
    size = max(1, CHUNK_CELLS // max(1, n_reg * n_grp * n_ind))
    return [min(size, total - s) for s in range(0, total, size)]

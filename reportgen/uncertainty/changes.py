"""Margins of changes between two waves of a region, from resampling both waves."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from reportgen.catalogue.schema import Catalogue
from reportgen.inputs.validate import Responses
from reportgen.uncertainty.bootstrap import quantile, resample_values
from reportgen.uncertainty.resample import Layout, composites, layout


def only(responses: Responses, region: str) -> Responses:
    """Return the answers of one region."""
    mine = (responses.meta["region"] == region).to_numpy()
    return replace(responses, meta=responses.meta[mine], items=responses.items[mine])


def _small(lay: Layout, cat: Catalogue, below: int) -> np.ndarray:
    """Tell per key whether a group entering the value has fewer than `below` respondents."""
    least = cat.rules.min_respondents
    enters = lay.distinct >= least
    # 1 x regions x indicators, as composites() takes it
    small = np.asarray((enters & (lay.distinct < below)).any(axis=1))[None]
    values = np.where(enters.any(axis=1), 0.0, np.nan)[None]
    dims = composites(values, small, cat)[1]
    return np.concatenate([small, dims], axis=2)[0, 0]


def change_margins(now: Responses, before: Responses, cat: Catalogue, *, resamples: int,
                   seed: int, z: float) -> dict[str, float]:
    """Bootstrap the margin of each change that rests on a small group (rules' threshold).

    Both waves are resampled independently (their respondents are different people); the
    margin is half the width of the central interval of the resampled differences at the
    coverage the normal margin's z stands for (1.96: 95 %). Keys whose groups are all large
    are left to the normal approximation, which is then as good and cheaper.
    """
    below = cat.rules.uncertainty.bootstrap_changes_below
    if resamples <= 0 or below <= 0:
        return {}
    lay_now, lay_before = layout(now, cat), layout(before, cat)
    if len(lay_now.regions) != 1 or len(lay_before.regions) != 1:
        return {}
    small = _small(lay_now, cat, below) | _small(lay_before, cat, below)
    if not small.any():
        return {}
    # Separate streams for the two waves, both fixed by the seed.
    first, second = np.random.SeedSequence(seed).spawn(2)
    diff = (resample_values(lay_now, cat, resamples, first)[:, 0, :]
            - resample_values(lay_before, cat, resamples, second)[:, 0, :])
    coverage = math.erf(z / math.sqrt(2))
    low = quantile(diff, (1 - coverage) / 2)
    high = quantile(diff, 1 - (1 - coverage) / 2)
    return {key: float((h - lo) / 2) for key, lo, h, s in
            zip(lay_now.keys, low, high, small, strict=True) if s and not np.isnan(lo)}

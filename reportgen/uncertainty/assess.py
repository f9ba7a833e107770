"""Assess one report's certainty: bootstrap the portfolio once, then read off the region."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from reportgen.benchmark.compare import Position
from reportgen.catalogue.schema import Catalogue
from reportgen.inputs.validate import Responses
from reportgen.uncertainty.bootstrap import Bands, band_support, bootstrap
from reportgen.uncertainty.resample import layout
from reportgen.uncertainty.sensitivity import Variant, sensitivity


@dataclass(frozen=True)
class Certainty:
    """The portfolio's bands and variants, and the report region's support for its bands."""

    bands: Bands
    variants: list[Variant]
    support: pd.DataFrame  # keys x quarters: share of resamples in each

    @property
    def level(self) -> float:
        """Return the coverage of the intervals and rank bands."""
        return self.bands.level


# A batch builds many reports from one portfolio: the resamples are the same for each, so
# the latest portfolio's are kept (one at a time, so memory stays flat).
_LAST: dict[str, tuple[Bands, list[Variant]]] = {}


def _key(responses: Responses, fixed: pd.DataFrame, cat: Catalogue, resamples: int,
         seed: int) -> str:
    digest = hashlib.sha256()
    for frame in (responses.meta[["region", "group"]], responses.items, fixed):
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    digest.update(json.dumps([cat.model_dump(mode="json", exclude={"translations"}),
                              resamples, seed], sort_keys=True).encode())
    return digest.hexdigest()


def plan(cat: Catalogue, resamples: int | None = None, seed: int | None = None
         ) -> tuple[int, int]:
    """Return the resamples and seed to use: the report's settings, else the catalogue's."""
    rules = cat.rules.uncertainty
    return (rules.resamples if resamples is None else resamples,
            rules.seed if seed is None else seed)


def assess(responses: Responses, values: pd.DataFrame, region: str, cat: Catalogue, *,
           resamples: int | None = None, seed: int | None = None) -> Certainty | None:
    """Bootstrap and re-score the portfolio; None when switched off (0 resamples).

    `values` is the whole portfolio as benchmarked; regions without answers in `responses`
    (extra score tables, stored values of another version) keep their values throughout.
    """
    count, chosen_seed = plan(cat, resamples, seed)
    if count <= 0 or region not in set(responses.meta["region"]):
        return None
    key = _key(responses, values, cat, count, chosen_seed)
    if key not in _LAST:
        _LAST.clear()
        lay = layout(responses, cat)
        fixed = values.drop(index=lay.regions, errors="ignore")
        _LAST[key] = (bootstrap(lay, cat, fixed, resamples=count, seed=chosen_seed,
                                level=cat.rules.uncertainty.level),
                      sensitivity(lay, cat, fixed))
    bands, variants = _LAST[key]
    return Certainty(bands, variants, band_support(bands, region))


def with_certainty(positions: dict[str, Position], certainty: Certainty | None,
                   region: str) -> dict[str, Position]:
    """Add the region's interval, rank band and band support to each position."""
    if certainty is None:
        return positions
    b = certainty.bands
    out = {}
    for key, p in positions.items():
        if key not in b.keys or p.value is None:
            out[key] = p
            continue
        low, high = b.low.at[region, key], b.high.at[region, key]
        r_low, r_high = b.rank_low.at[region, key], b.rank_high.at[region, key]
        shares = certainty.support.loc[key] if key in certainty.support.index else None
        out[key] = replace(
            p, level=b.level,
            interval=None if np.isnan(low) else (float(low), float(high)),
            rank_band=None if np.isnan(r_low) or p.rank is None else
            (min(int(r_low), p.rank), max(int(r_high), p.rank)),
            band_shares=None if shares is None or shares.isna().any() else
            tuple(float(x) for x in shares))
    return out

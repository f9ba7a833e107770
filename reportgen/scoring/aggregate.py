"""Score answers: item -> respondent -> stakeholder group -> region -> composite."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reportgen.catalogue.schema import Catalogue, Dimension
from reportgen.inputs.validate import Responses

# Guards ceil() against 0.5 * 3 = 1.5000000000000002 style noise.
_EPS = 1e-9
# Raise with every change to how values are computed: stored scores of another version are
# then recomputed from the stored answers rather than compared with new ones.
SCORING_VERSION = "2"


def rules_fingerprint(cat: Catalogue) -> str:
    """Identify everything a stored value depends on besides the answers themselves."""
    import hashlib
    import json

    basis = {"scoring": SCORING_VERSION, "catalogue": cat.id, "version": cat.version,
             # How sure the report is does not change a stored value.
             "rules": cat.rules.model_dump(mode="json", exclude={"uncertainty"}),
             "weights": {**{g.id: g.weight for g in cat.groups},
                         **{i.id: i.weight for d in cat.dimensions for i in d.indicators}}}
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Scores:
    """Every computed value with the number of respondents behind it.

    `values`/`counts`/`errors` (standard errors) are indexed by region,
    `group_values`/`group_counts` by (region, group); columns are indicator ids followed by
    dimension ids (the composites).
    """

    values: pd.DataFrame
    counts: pd.DataFrame
    group_values: pd.DataFrame
    group_counts: pd.DataFrame
    included: pd.DataFrame
    respondents: pd.DataFrame
    region_names: dict[str, str]
    errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    merged_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    merged_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Set by disclosure.disclose: which group values are blanked, and the minimum applied.
    hidden: pd.DataFrame | None = None
    complement: pd.DataFrame | None = None
    floor: int | None = None

    def value(self, region: str, key: str) -> float | None:
        """Return a region's value for an indicator or dimension id, None when missing."""
        v = self.values.at[region, key]
        return None if pd.isna(v) else float(v)


def respondent_indicators(items: pd.DataFrame, groups: pd.Series, cat: Catalogue) -> pd.DataFrame:
    """Average each respondent's item scores per indicator, if enough items were answered."""
    # Plain arrays: a million rows make pandas' per-call overhead the larger part of the cost.
    scores = items.to_numpy(dtype=float)
    column = {qid: k for k, qid in enumerate(items.columns)}
    # Whether a question was put to a respondent, looked up per distinct group, not per row.
    codes, distinct = pd.factorize(groups)
    out = np.full((len(items), len(cat.indicators)), np.nan, order="F")
    for k, ind in enumerate(cat.indicators):
        questions = [q for q in cat.questions if q.indicator == ind.id]
        sub = scores[:, [column[q.id] for q in questions]]
        have = ~np.isnan(sub)
        answered = have.sum(axis=1)
        asked = sum((np.array([g in q.texts for g in distinct] + [False], dtype=int)[codes]
                     for q in questions), start=np.zeros(len(items), dtype=int))
        if ind.min_items is not None:
            need = np.minimum(ind.min_items, asked)
        else:
            need = np.ceil(cat.rules.min_items_share * asked - _EPS)
        ok = (asked > 0) & (answered >= np.maximum(need, 1))
        total = np.where(have, sub, 0.0).sum(axis=1)
        out[ok, k] = total[ok] / answered[ok]
    return pd.DataFrame(out, index=items.index, columns=[i.id for i in cat.indicators],
                        copy=False)


def needed(share: float, count: int) -> int:
    """Return how many of `count` values a composite needs (the rule's share, rounded up)."""
    return int(np.ceil(share * count - _EPS))


def composite_mean(x: np.ndarray, weights: np.ndarray, share: float) -> np.ndarray:
    """Weighted mean over the last axis where at least `share` of the values exist.

    The one composite rule: scoring applies it to regions and groups, the bootstrap to every
    resample at once.
    """
    have = ~np.isnan(x)
    total = (have * weights).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.where(have, x, 0.0) * weights).sum(axis=-1) / total
    enough = (have.sum(axis=-1) >= needed(share, x.shape[-1])) & (total > 0)
    return np.where(enough, mean, np.nan)


def _composite(values: pd.DataFrame, dim: Dimension, share: float) -> pd.Series:
    """Weighted mean of a dimension's indicators where enough of them exist."""
    ids = [i.id for i in dim.indicators]
    weights = np.array([i.weight for i in dim.indicators])
    return pd.Series(composite_mean(values[ids].to_numpy(dtype=float), weights, share),
                     index=values.index)


def _agg(frame: pd.DataFrame, codes: np.ndarray, labels: pd.Index, how: str) -> pd.DataFrame:
    """Aggregate rows by precomputed integer codes and label the result.

    Grouping a million rows by their text keys factorised them anew in every groupby (half
    the scoring time); the keys are factorised once in score() instead.
    """
    out = frame.groupby(codes).agg(how)
    out.index = labels[out.index.to_numpy()]
    return out


def score(responses: Responses, cat: Catalogue) -> Scores:
    """Compute group, region and composite values following the catalogue's rules."""
    meta = responses.meta
    resp = respondent_indicators(responses.items, meta["group"], cat)
    # Sorted factorisation keeps the order a groupby on the text keys would give.
    place, places = pd.factorize(meta["region"].to_numpy(), sort=True)
    kind, kinds = pd.factorize(meta["group"].to_numpy(), sort=True)
    # (region, group) pairs as one integer each, ordered as a groupby on the pair would be.
    unit, pair = pd.factorize(place * len(kinds) + kind, sort=True)
    units = pd.MultiIndex.from_arrays([places[pair // len(kinds)], kinds[pair % len(kinds)]],
                                      names=["region", "group"])
    places = pd.Index(places, name="region")
    group_values = _agg(resp, unit, units, "mean")
    group_counts = _agg(resp.notna(), unit, units, "sum")
    included = group_counts >= cat.rules.min_respondents
    group_weight = pd.Series({g.id: g.weight for g in cat.groups})
    w = included.mul(group_weight.reindex(included.index.get_level_values("group")).to_numpy(),
                     axis=0)
    num = (group_values.fillna(0.0) * w).groupby(level="region").sum()
    den = w.groupby(level="region").sum()
    values = (num / den.replace(0.0, np.nan)).astype(float)
    counts = (group_counts * included).groupby(level="region").sum()
    errors = _standard_errors(resp, unit, units, group_counts, w, den)
    # A respondent counts towards a value only where their group entered the region's mean.
    in_mean = included.to_numpy()[unit]
    resp_in = resp.notna() & in_mean
    # Respondents of groups too small to be shown on their own, pooled per region: a view
    # that protects them (shown only if the pool itself is large enough) without losing them.
    small = resp.notna() & ~in_mean
    merged_values = _agg(resp.where(small), place, places, "mean")
    merged_counts = _agg(small, place, places, "sum")
    for dim in cat.dimensions:
        ids = [i.id for i in dim.indicators]
        values[dim.id] = _composite(values, dim, cat.rules.composite_min_share)
        errors[dim.id] = _composite_error(errors, values, dim)
        counts[dim.id] = _agg(resp_in[ids].any(axis=1).to_frame("n"), place, places,
                              "sum")["n"]
        counts[dim.id] = counts[dim.id].where(values[dim.id].notna(), 0)
        group_values[dim.id] = _composite(group_values, dim, cat.rules.composite_min_share)
        group_counts[dim.id] = _agg(resp[ids].notna().any(axis=1).to_frame("n"), unit, units,
                                    "sum")["n"]
        group_counts[dim.id] = group_counts[dim.id].where(group_values[dim.id].notna(), 0)
    sizes = pd.Series(np.bincount(unit, minlength=len(units)), index=units)
    respondents = sizes.unstack(fill_value=0).reindex(columns=[g.id for g in cat.groups],
                                                      fill_value=0)
    return Scores(values, counts.astype(int), group_values, group_counts.astype(int), included,
                  respondents, dict(responses.region_names), errors, merged_values,
                  merged_counts.astype(int))


def _standard_errors(resp: pd.DataFrame, unit: np.ndarray, units: pd.Index,
                     group_counts: pd.DataFrame, w: pd.DataFrame, den: pd.DataFrame
                     ) -> pd.DataFrame:
    """Standard error of each region value: sqrt(sum of (w_g/W)^2 * s_g^2 / n_g).

    A group of one respondent has no spread to measure; its infinite variance makes any
    change that rests on it count as unsupported.
    """
    group_var = _agg(resp, unit, units, "var") / group_counts.replace(0, np.nan)
    share = w / den.reindex(w.index.get_level_values("region")).to_numpy()
    terms = (share ** 2) * group_var.fillna(np.inf).where(share > 0, 0.0)
    return np.sqrt(terms.groupby(level="region").sum()).where(den > 0)


def _composite_error(errors: pd.DataFrame, values: pd.DataFrame, dim: Dimension) -> pd.Series:
    """Bound a composite's standard error from above by the weighted sum of its indicators'.

    Indicators of one dimension are positively correlated, so the plain root-sum-of-squares
    would understate the uncertainty; the sum is the conservative choice for judging change.
    """
    ids = [i.id for i in dim.indicators]
    weights = pd.Series({i.id: i.weight for i in dim.indicators})
    have = values[ids].notna()
    total = (errors[ids].fillna(0.0) * weights * have).sum(axis=1)
    return (total / (have * weights).sum(axis=1).replace(0.0, np.nan)).where(
        values[dim.id].notna())

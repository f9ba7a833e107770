"""Re-score the portfolio under other reasonable rules and see what moves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from reportgen.catalogue.schema import Alternative, Catalogue
from reportgen.uncertainty.bootstrap import ranks
from reportgen.uncertainty.resample import Layout, evaluate


@dataclass(frozen=True)
class Variant:
    """The portfolio scored under one set of rules: values and ranks, regions x keys.

    `withheld` marks values that rest on a group below the publication minimum (only a lower
    threshold lets such groups in): they are computed for the ranks but never shown.
    """

    id: str
    values: pd.DataFrame
    ranks: pd.DataFrame
    withheld: pd.DataFrame


def settings(alternative: Alternative, cat: Catalogue) -> dict[str, Any] | None:
    """Return evaluate()'s options for an alternative; None where it equals the rules or
    cannot be applied (equal weights when the groups weigh alike; a threshold below 1)."""
    least = cat.rules.min_respondents
    if alternative == "equal_weights":
        same = len({g.weight for g in cat.groups}) == 1
        return None if same else {"groups": "equal"}
    if alternative == "respondent_weights":
        return {"groups": "respondents"}
    if alternative == "geometric":
        return {"aggregation": "geometric"}
    if alternative == "min_respondents_minus_1":
        return {"min_respondents": least - 1} if least > 1 else None
    return {"min_respondents": least + 1}


def variant(lay: Layout, cat: Catalogue, fixed: pd.DataFrame, name: str,
            options: dict[str, Any]) -> Variant:
    """Score every region with answers under `options`; `fixed` regions keep their values."""
    ones = np.ones((1, len(lay.start)))
    values, small = evaluate(lay, ones, cat, floor=cat.rules.min_respondents, **options)
    fixed = fixed.drop(index=lay.regions, errors="ignore").reindex(columns=lay.keys)
    table = pd.concat([pd.DataFrame(values[0], index=lay.regions, columns=lay.keys),
                       fixed.astype(float)])
    rank = pd.DataFrame(ranks(table.to_numpy(), axis=0), index=table.index, columns=lay.keys)
    withheld = pd.DataFrame(small[0], index=lay.regions, columns=lay.keys).reindex(
        table.index, fill_value=False)
    return Variant(name, table, rank, withheld)


def sensitivity(lay: Layout, cat: Catalogue, fixed: pd.DataFrame) -> list[Variant]:
    """Score the portfolio under the rules (first) and each applicable alternative."""
    out = [variant(lay, cat, fixed, "rules", {})]
    for alternative in cat.rules.uncertainty.alternatives:
        options = settings(alternative, cat)
        if options is not None:
            out.append(variant(lay, cat, fixed, alternative, options))
    return out

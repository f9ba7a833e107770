"""Count how a region's respondents answered each question, by stakeholder group."""

from __future__ import annotations

import pandas as pd

from reportgen.inputs.validate import Responses


def answer_counts(responses: Responses, region: str) -> pd.DataFrame:
    """Return question, group, score and count for the region's answers (missing left out).

    Scores are the item scores the catalogue gives each answer, rounded to two decimals so
    that equal answers fall into one bar segment.
    """
    mine = responses.meta["region"] == region
    items = responses.items[mine.to_numpy()]
    groups = responses.meta.loc[mine, "group"]
    tidy = items.assign(group=groups.to_numpy()).melt(id_vars="group", var_name="question",
                                                      value_name="score").dropna()
    tidy["score"] = tidy["score"].astype(float).round(2)
    counted = tidy.groupby(["question", "group", "score"], sort=True).size()
    return counted.rename("count").reset_index()

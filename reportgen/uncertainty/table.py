"""Write the bootstrap and the sensitivity analysis into the region's scores table."""

from __future__ import annotations

import pandas as pd

from reportgen.uncertainty.assess import Certainty


def certainty_columns(frame: pd.DataFrame, certainty: Certainty | None,
                      region: str) -> pd.DataFrame:
    """Add interval, rank band and each alternative's value and rank to the region's rows.

    Group rows stay blank: the bootstrap bounds region values only. A value an alternative
    withholds (it would rest on a group below the publication minimum) is blank with its rank.
    """
    if certainty is None:
        return frame
    frame = frame.copy()
    rows = (frame["level"] == "region") & (frame["region"] == region)
    keys = frame.loc[rows, "id"]
    b = certainty.bands
    added: list[tuple[str, pd.Series, bool]] = [
        ("low", b.low.loc[region], False), ("high", b.high.loc[region], False),
        ("rank", b.rank.loc[region], True), ("rank_low", b.rank_low.loc[region], True),
        ("rank_high", b.rank_high.loc[region], True)]
    for v in certainty.variants[1:]:
        shown = ~v.withheld.loc[region].astype(bool)
        added += [(f"value_{v.id}", v.values.loc[region].where(shown), False),
                  (f"rank_{v.id}", v.ranks.loc[region].where(shown), True)]
    for name, series, whole in added:
        at = series.reindex(keys)
        if whole:  # ranks as whole numbers, blank where there is none
            frame[name] = pd.array([pd.NA] * len(frame), dtype="Int64")
            frame.loc[rows, name] = pd.array(at.round(), dtype="Int64")
        else:
            frame[name] = float("nan")
            frame.loc[rows, name] = at.to_numpy(dtype=float)
    return frame

"""Write every number the workshop material shows as one tidy table, for the analyst's use."""

from __future__ import annotations

import pandas as pd

from reportgen.report.i18n import Lang
from reportgen.report.narrative import band_word
from reportgen.report.views import Item, Report

COLUMNS = ["dimension", "id", "name", "kind", "group", "value", "low", "high", "n", "median",
           "q1", "q3", "rank", "rank_low", "rank_high", "of", "band", "band_shown", "previous",
           "change",
           "change_shown", "margin", "beyond_margin", "margin_method", "previous_wave"]


def _row(dim: str, item: Item, kind: str, t: Lang) -> dict[str, object]:
    p, c = item.position, item.change
    return {"dimension": dim, "id": item.id, "name": item.name, "kind": kind, "group": "",
            "value": item.value, "n": item.n,
            "median": p.stats.median if p.stats else None,
            "q1": p.stats.q1 if p.stats else None, "q3": p.stats.q3 if p.stats else None,
            "low": p.interval[0] if p.interval else None,
            "high": p.interval[1] if p.interval else None,
            "rank": p.rank, "rank_low": p.rank_band[0] if p.rank_band else None,
            "rank_high": p.rank_band[1] if p.rank_band else None, "of": p.of,
            # As the report words it: no quarter the resamples do not bear out.
            "band": (p.settled_band or "not settled") if p.band else "",
            "band_shown": band_word(t, p) if p.band else "",  # in the report's language
            # Full precision like the values, so that "change > margin" can be checked here;
            # change_shown is the difference of the printed values, as the slides show it.
            "previous": c.previous if c else None, "change": c.delta if c else None,
            "change_shown": c.shown_delta if c else None, "margin": c.margin if c else None,
            "beyond_margin": c.supported if c else None,
            "margin_method": c.method if c and c.margin is not None else "",
            "previous_wave": c.previous_label if c else ""}


def numbers_table(report: Report, t: Lang) -> pd.DataFrame:
    """Return one row per composite, indicator and shown group value of the report.

    Only what the report itself shows: values behind the disclosure rule stay empty, and a
    group value appears only where the report prints it.
    """
    rows = []
    for dim in report.dimensions:
        for item, kind in [(dim.composite, "composite"),
                           *((i, "indicator") for i in dim.indicators)]:
            rows.append(_row(dim.id, item, kind, t))
            for g in item.groups:
                if g.shown and g.value is not None:
                    rows.append({"dimension": dim.id, "id": item.id, "name": item.name,
                                 "kind": f"{kind} by group", "group": g.label,
                                 "value": g.value, "n": g.n})
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    return table.astype({"n": "Int64", "rank": "Int64", "rank_low": "Int64",
                         "rank_high": "Int64", "of": "Int64"})

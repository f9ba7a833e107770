"""Follow a survey campaign: responses per region and group, against invitations and the minimum."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.inputs.exports import read_tool_file, select
from reportgen.inputs.mapping import load_mapping
from reportgen.inputs.raw import RawSurvey
from reportgen.inputs.survey import read_survey
from reportgen.inputs.targets import columns_named, read_targets
from reportgen.inputs.validate import DEFAULT_COLUMNS, Columns

NOT_GIVEN = "(not given)"
STATUS_COLUMNS = ["region", "group", "complete", "incomplete", "invited", "response_rate",
                  "minimum", "reaches_minimum"]


def _count(raw: RawSurvey, cat: Catalogue, cols: Columns) -> pd.Series:
    """Count rows by region and catalogue group (a group not given or unknown as such)."""
    regions, groups = columns_named(raw, (cols.region, cols.group))
    region = regions.str.strip().replace("", NOT_GIVEN)
    group = groups.map(
        lambda g: cat.group_keys.get(str(g).strip().casefold(), NOT_GIVEN))
    return pd.DataFrame({"region": region, "group": group}).value_counts()


def survey_status(survey: Path, cat: Catalogue, mapping: Path | None = None,
                  cols: Columns = DEFAULT_COLUMNS, targets: Path | None = None
                  ) -> pd.DataFrame:
    """Return per region and group the complete and incomplete responses and the rate."""
    if mapping is None:
        # reportgen's own layout has no completion column: every row counts as complete.
        complete = _count(read_survey(survey), cat, cols)
        started = complete
    else:
        spec = load_mapping(mapping, cat)
        raw = read_tool_file(survey, spec, cat)  # read once, counted twice
        complete = _count(select(raw, spec, cat), cat, DEFAULT_COLUMNS)
        everyone = spec.model_copy(update={"include_incomplete": True})
        started = _count(select(raw, everyone, cat), cat, DEFAULT_COLUMNS)
    invited = (read_targets(targets, cat, complete.to_dict()) if targets is not None
               else pd.Series(dtype="int64"))
    order = {g.id: k for k, g in enumerate(cat.groups)}
    keys = sorted(set(started.index) | set(complete.index) | set(invited.index),
                  key=lambda key: (key[0], order.get(key[1], len(order))))
    floor = cat.rules.min_respondents
    rows = []
    for region, group in keys:
        done = int(complete.get((region, group), 0))
        asked = invited.get((region, group))
        rows.append({"region": region, "group": group, "complete": done,
                     "incomplete": int(started.get((region, group), 0)) - done,
                     "invited": None if asked is None else int(asked),
                     "response_rate": round(done / asked, 3) if asked else None,
                     "minimum": floor, "reaches_minimum": done >= floor})
    # A nullable integer: counts of people stay "10", not "10.0", beside blanks.
    return pd.DataFrame(rows, columns=STATUS_COLUMNS).astype({"invited": "Int64"})

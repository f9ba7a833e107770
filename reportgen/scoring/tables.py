"""The tidy score table: write it, and read it back as extra benchmark regions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.errors import InputError, Problem, regular_file
from reportgen.scoring.aggregate import Scores
from reportgen.scoring.disclosure import (
    COMPLEMENT_NOTE,
    HIDDEN_NOTE,
    INTERNAL_NOTE,
    NO_DATA_NOTE,
    NOT_ASKED_NOTE,
    minimum,
)
from reportgen.spreadsheet import csv_unmarked

MAX_TABLE_BYTES = 200_000_000
COLUMNS = ["catalogue", "catalogue_version", "region", "region_name", "level", "kind",
           "dimension", "id", "name", "value", "n", "se", "note"]


def _items(cat: Catalogue) -> list[tuple[str, str, str, str]]:
    """List (kind, dimension id, id, name) for every indicator and composite."""
    rows = []
    for dim in cat.dimensions:
        rows.append(("composite", dim.id, dim.id, dim.name))
        rows.extend(("indicator", dim.id, ind.id, ind.name) for ind in dim.indicators)
    return rows


def _long(table: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Stack a units x keys table into one value per (unit, key), keys in catalogue order."""
    return table.reindex(columns=keys).stack(future_stack=True)


def tidy(scores: Scores, cat: Catalogue, regions: list[str] | None = None) -> pd.DataFrame:
    """Return one row per region x level x indicator/composite, with value and n.

    Values keep full precision (METHOD §3.6: round only for display). Group values are as in
    `scores`: the internal ones straight from scoring, or the published ones after
    disclosure.disclose, whose blanks are explained in the note column. Built column-wise:
    a cell-by-cell loop took seconds for a hundred thousand respondents.
    """
    items = pd.DataFrame(_items(cat), columns=["kind", "dimension", "id", "name"])
    keys = list(items["id"])
    wanted = list(scores.values.index if regions is None else regions)
    floor = scores.floor or minimum(cat)
    region_part = pd.DataFrame({
        "region": np.repeat(wanted, len(keys)), "level": "region", "order": 0,
        "item": np.tile(np.arange(len(keys)), len(wanted)),
        "value": _long(scores.values.loc[wanted], keys).to_numpy(dtype=float),
        "n": _long(scores.counts.loc[wanted], keys).to_numpy(),
        "se": _long(scores.errors.reindex(wanted), keys).to_numpy(dtype=float)})
    region_part["note"] = np.where(np.isnan(region_part["value"]), NO_DATA_NOTE, "")
    group_order = {g.id: k + 1 for k, g in enumerate(cat.groups)}
    gv = scores.group_values
    units = gv.index[gv.index.get_level_values("region").isin(wanted)
                     & gv.index.get_level_values("group").isin(list(group_order))]
    long_values = _long(gv.loc[units], keys)
    at = long_values.index
    group_part = pd.DataFrame({
        "region": at.get_level_values("region"), "level": at.get_level_values("group"),
        "item": np.tile(np.arange(len(keys)), len(units)),
        "value": long_values.to_numpy(dtype=float),
        "n": _long(scores.group_counts.loc[units], keys).to_numpy(), "se": np.nan})
    group_part["order"] = group_part["level"].map(group_order)
    _mark_groups(scores, units, keys, group_part, floor)
    _mark_not_asked(cat, keys, group_part, published=scores.hidden is not None)
    frame = pd.concat([region_part, group_part], ignore_index=True)
    position = {r: k for k, r in enumerate(wanted)}
    frame["rank"] = frame["region"].map(position)
    frame = frame.sort_values(["rank", "item", "order"], kind="stable", ignore_index=True)
    frame = frame.join(items, on="item")
    frame["catalogue"], frame["catalogue_version"] = cat.id, cat.version
    frame["region_name"] = [scores.region_names.get(str(r), str(r)) for r in frame["region"]]
    frame["n"] = frame["n"].astype("Int64")
    return frame[COLUMNS]


def _mark_groups(scores: Scores, units: pd.Index, keys: list[str], part: pd.DataFrame,
                 floor: int) -> None:
    """Note why each group row is blank (published scores), or mark it internal.

    A value hidden for too few respondents loses its count as well: 0 or 1 of a one-person
    group tells whether that person answered at all ("don't know" is an answer too).
    """
    notes = np.full(len(part), "", dtype=object)
    if scores.hidden is None:
        internal = (part["n"] > 0) & (part["n"] < floor) & part["value"].notna()
        notes[internal.to_numpy()] = INTERNAL_NOTE.format(floor=floor)
        part["note"] = notes
        return
    hidden = _long(scores.hidden.loc[units], keys).to_numpy(dtype=bool)
    complement = (_long(scores.complement.loc[units], keys).to_numpy(dtype=bool)
                  if scores.complement is not None else np.zeros(len(part), dtype=bool))
    notes[hidden] = HIDDEN_NOTE.format(floor=floor)
    notes[complement] = COMPLEMENT_NOTE.format(floor=floor)
    # No value, and a group large enough that saying so gives nobody away (disclose).
    notes[(part["value"].isna() & ~hidden & ~complement).to_numpy()] = NO_DATA_NOTE
    part["note"] = notes
    part["n"] = part["n"].astype("Int64").mask(hidden & ~complement)


def _mark_not_asked(cat: Catalogue, keys: list[str], part: pd.DataFrame, *,
                    published: bool) -> None:
    """Say so where a group's questionnaire has no question on the indicator or dimension.

    Without it the row read "rests on fewer than 3 respondents", which is untrue and hides
    that the group could not have answered (the questionnaires are public, so nothing leaks).
    """
    asked = {key: cat.asked(key) for key in keys}
    not_asked = np.array([group not in asked[keys[item]]
                          for group, item in zip(part["level"], part["item"], strict=True)],
                         dtype=bool)
    part.loc[not_asked, "note"] = NOT_ASKED_NOTE
    if published:  # no count to give where nobody was asked (stored tables keep their 0)
        part["n"] = part["n"].astype("Int64").mask(not_asked)


def _checked_values(frame: pd.DataFrame, name: str, cat: Catalogue
                    ) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse region values and counts; list every value the portfolio must not take in.

    A benchmark region enters boxplots and rankings as it stands, so its values must lie on
    the catalogue's scale and rest on at least the minimum of respondents (a table scored
    under a looser minimum would otherwise publish what the disclosure rule hides).
    """
    problems = []
    low, high, floor = cat.score.min, cat.score.max, minimum(cat)
    numbers = pd.to_numeric(frame["value"], errors="coerce")
    counts = pd.to_numeric(frame["n"], errors="coerce") if "n" in frame else None
    for i in frame.index:
        row, raw, value = int(str(i)) + 2, frame.at[i, "value"], numbers[i]
        if pd.isna(raw):
            continue  # a blank: the region has no value here
        if pd.isna(value):
            problems.append(Problem(name, f"value {raw!r} is not a number", row=row,
                                    column="value"))
        elif not low <= value <= high:
            problems.append(Problem(name, f"value {raw} lies outside the catalogue's scale "
                                    f"{low:g}–{high:g}", row=row, column="value"))
        if counts is None:
            continue
        n = counts[i]
        if pd.isna(n) or n != int(n) or n < 0:
            problems.append(Problem(name, f"n {str(frame.at[i, 'n'])!r} is not a count of "
                                    "respondents", row=row, column="n"))
        elif n < floor:
            problems.append(Problem(name, f"the value rests on {int(n)} respondents, fewer "
                                    f"than the minimum of {floor}", row=row, column="n"))
    frame = frame.assign(value=numbers)
    # A repeated row is harmless; two different values for one region and id are not.
    twice = (frame.duplicated(["region", "id"], keep="first")
             & ~frame.duplicated(["region", "id", "value"], keep="first"))
    for i in frame.index[twice]:
        problems.append(Problem(name, f"region {frame.at[i, 'region']!r} has two values for "
                                f"{frame.at[i, 'id']!r}", row=int(str(i)) + 2, column="value"))
    return frame, problems


def _looser(frame: pd.DataFrame, name: str, cat: Catalogue) -> list[Problem]:
    """Find the first group value published below the minimum: the table's rule was looser.

    Its region values then took in groups this build's rule keeps out. An internal table
    (`--include-small-groups`) marks such values and scores its regions under the rule.
    """
    if "n" not in frame:
        return []
    floor = minimum(cat)
    counts = pd.to_numeric(frame["n"], errors="coerce")
    note = frame["note"].astype(str) if "note" in frame else pd.Series("", index=frame.index)
    small = ((frame["level"] != "region") & (counts > 0) & (counts < floor)
             & frame["value"].notna() & ~note.str.startswith("INTERNAL"))
    for i in frame.index[small]:
        return [Problem(name, f"group {frame.at[i, 'level']!r} of region "
                        f"{frame.at[i, 'region']!r} has a value resting on {int(counts[i])} "
                        f"respondents: the table was scored under a minimum below {floor}; "
                        "score it again under this build's minimum", row=int(str(i)) + 2,
                        column="n")]
    return []


def read_benchmark(path: str | Path, cat: Catalogue) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a score table written by `reportgen score`; return region values and names."""
    name = str(path)
    regular_file(path)
    if Path(path).stat().st_size > MAX_TABLE_BYTES:
        raise InputError.single(name, f"larger than {MAX_TABLE_BYTES:,} bytes; a score table "
                                "of every European region is far smaller")
    try:
        frame = pd.read_csv(path, dtype={"region": str, "catalogue_version": str},
                            keep_default_na=False, na_values={"value": [""]})
    except FileNotFoundError:
        raise InputError.single(name, "file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError.single(name, f"not a readable score table: {exc}") from None
    # Text cells that `reportgen score` marked with an apostrophe (see spreadsheet.csv_safe).
    for col in ("region", "region_name", "country", "wave"):
        if col in frame:
            frame[col] = frame[col].map(csv_unmarked)
    missing = [c for c in ("catalogue", "region", "level", "id", "value") if c not in frame]
    if missing:
        raise InputError.single(name, f"missing columns {missing}; expected a table written by "
                                "'reportgen score'", row=1)
    problems = []
    for i, row in frame.iterrows():
        if row["catalogue"] != cat.id:
            problems.append(Problem(name, f"scores of catalogue {row['catalogue']!r} cannot be "
                                    f"compared with {cat.id!r}", row=int(str(i)) + 2,
                                    column="catalogue"))
            break
    problems += _looser(frame, name, cat)
    frame = frame[frame["level"] == "region"]
    frame, found = _checked_values(frame, name, cat)
    problems += found
    known = {key for _, _, key, _ in _items(cat)}
    unknown = sorted(set(frame["id"]) - known)
    if unknown:
        problems.append(Problem(name, f"ids not in catalogue {cat.id!r}: {unknown}", column="id"))
    if problems:
        raise InputError(problems)
    values = frame.pivot_table(index="region", columns="id", values="value", aggfunc="first",
                               dropna=False)
    values = values.reindex(columns=[key for _, _, key, _ in _items(cat)]).astype(float)
    names = dict(zip(frame["region"], frame.get("region_name", frame["region"]), strict=True))
    return values, {str(k): str(v) for k, v in names.items()}

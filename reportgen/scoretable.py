"""The tidy score table: write it, and read it back as extra benchmark regions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.definitions.schema import Catalogue
from reportgen.disclosure import COMPLEMENT_NOTE, HIDDEN_NOTE, INTERNAL_NOTE
from reportgen.errors import InputError, Problem
from reportgen.scoring import Scores

COLUMNS = ["catalogue", "catalogue_version", "region", "region_name", "level", "kind",
           "dimension", "id", "name", "value", "n", "se", "note"]


def _items(cat: Catalogue) -> list[tuple[str, str, str, str]]:
    """List (kind, dimension id, id, name) for every indicator and composite."""
    rows = []
    for dim in cat.dimensions:
        rows.append(("composite", dim.id, dim.id, dim.name))
        rows.extend(("indicator", dim.id, ind.id, ind.name) for ind in dim.indicators)
    return rows


def tidy(scores: Scores, cat: Catalogue, regions: list[str] | None = None) -> pd.DataFrame:
    """Return one row per region x level x indicator/composite, with value and n.

    Values keep full precision (METHOD §3.6: round only for display). Group values are as in
    `scores`: the internal ones straight from scoring, or the published ones after
    disclosure.disclose, whose blanks are explained in the note column.
    """
    records = []
    hidden, complement = scores.hidden, scores.complement
    floor = scores.floor or cat.rules.min_respondents
    for region in regions if regions is not None else scores.values.index:
        name = scores.region_names.get(str(region), str(region))
        base = (cat.id, cat.version, region, name)
        for kind, dim, key, label in _items(cat):
            value = scores.values.at[region, key]
            note = "" if pd.notna(value) else "not enough data"
            records.append((*base, "region", kind, dim, key, label, value,
                            int(scores.counts.at[region, key]), scores.errors.at[region, key],
                            note))
            for group in (g.id for g in cat.groups):
                if (region, group) not in scores.group_values.index:
                    continue
                at = (region, group)
                n = int(scores.group_counts.at[at, key])
                gv = scores.group_values.at[at, key]
                gnote = ""
                if complement is not None and complement.at[at, key]:
                    gnote = COMPLEMENT_NOTE.format(floor=floor)
                elif hidden is not None and hidden.at[at, key] and n > 0:
                    gnote = HIDDEN_NOTE.format(floor=floor)
                elif hidden is None and 0 < n < floor and pd.notna(gv):
                    gnote = INTERNAL_NOTE.format(floor=floor)
                records.append((*base, group, kind, dim, key, label, gv, n, np.nan, gnote))
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    for column in ("value", "se"):
        frame[column] = frame[column].astype(float)
    return frame


def read_benchmark(path: str | Path, cat: Catalogue) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a score table written by `reportgen score`; return region values and names."""
    name = str(path)
    try:
        frame = pd.read_csv(path, dtype={"region": str, "catalogue_version": str},
                            keep_default_na=False, na_values={"value": [""]})
    except FileNotFoundError:
        raise InputError.single(name, "file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError.single(name, f"not a readable score table: {exc}") from None
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
    numbers = pd.to_numeric(frame["value"], errors="coerce")
    for i in frame.index[numbers.isna() & frame["value"].notna()]:
        problems.append(Problem(name, f"value {frame.at[i, 'value']!r} is not a number",
                                row=int(str(i)) + 2, column="value"))
    frame = frame.assign(value=numbers)
    frame = frame[frame["level"] == "region"]
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

"""Read the invitation list of a survey: how many people of each region and group were asked."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.errors import InputError, Problem
from reportgen.inputs.raw import RawSurvey
from reportgen.inputs.survey import read_survey


def column_named(raw: RawSurvey, name: str) -> pd.Series | None:
    """Return a column of the export by its heading (any case), or None."""
    folded = [h.strip().casefold() for h in raw.header]
    if name.casefold() not in folded:
        return None
    return raw.cells[folded.index(name.casefold())].fillna("").astype(str)


def columns_named(raw: RawSurvey, names: tuple[str, ...], hint: str = "") -> list[pd.Series]:
    """Return columns of the export by heading; every missing one is a problem of row 1."""
    found = [column_named(raw, name) for name in names]
    missing = [name for name, col in zip(names, found, strict=True) if col is None]
    if missing:
        raise InputError([Problem(raw.file, f"column {c!r} is not in the export{hint}", row=1)
                          for c in missing])
    return [col for col in found if col is not None]


def read_targets(path: Path, cat: Catalogue,
                 answered: Mapping[tuple[str, str], int] | None = None) -> pd.Series:
    """Read the invitations table: region, group, invited (one row per region and group).

    With `answered` (complete responses by region and group), a row inviting fewer people
    than answered is refused: its response rate would pass 100 %.
    """
    raw = read_survey(path)
    table = columns_named(raw, ("region", "group", "invited"), "; expected region, group, invited")
    problems: list[Problem] = []
    rows: dict[tuple[str, str], int] = {}
    for k, number in enumerate(raw.row_numbers):
        region, group, invited = (str(col.iloc[k]).strip() for col in table)
        gid = cat.group_keys.get(group.casefold())
        if gid is None:
            problems.append(Problem(raw.file, f"unknown group {group!r}; expected one of "
                                    f"{[g.id for g in cat.groups]}", number, "group"))
        if not invited.isdigit():
            problems.append(Problem(raw.file, f"expected a whole number of people invited, "
                                    f"got {invited!r}", number, "invited"))
        if gid is not None and invited.isdigit():
            if (region, gid) in rows:
                problems.append(Problem(raw.file, f"{region}/{gid} is listed twice", number))
            rows[(region, gid)] = int(invited)
            done = (answered or {}).get((region, gid), 0)
            if done > int(invited):
                problems.append(Problem(raw.file, f"{invited} invited in {region}/{gid}, but "
                                        f"the survey holds {done} complete responses there",
                                        number, "invited"))
    if problems:
        raise InputError(problems)
    return pd.Series(rows, dtype="int64")

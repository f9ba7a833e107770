"""The one disclosure rule: no published value rests on fewer than the minimum respondents.

Every file reportgen writes by default (PDF, HTML, attachments, the scores CSV, `score`,
`portfolio export`) takes its group values from `disclose` or `publish_table`, so the rule is
written out once, here. Region values need no mask: scoring lets only groups that reach the
minimum into them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.marks import N_
from reportgen.scoring.aggregate import Scores

# Written in English while scoring; a report's scores file gives them in its language.
HIDDEN_NOTE = N_("not shown: rests on fewer than {floor} respondents")
COMPLEMENT_NOTE = N_("not shown: would reveal a value resting on fewer than {floor} respondents")
NO_DATA_NOTE = N_("not enough data")
NOT_ASKED_NOTE = N_("not asked: the group's questionnaire has no question on it")
INTERNAL_NOTE = N_("INTERNAL, not for publication: rests on fewer than {floor} respondents")
NOTES = (HIDDEN_NOTE, COMPLEMENT_NOTE, NO_DATA_NOTE, NOT_ASKED_NOTE, INTERNAL_NOTE)


def translated_notes(notes: pd.Series, translate: Callable[[str], str], floor: int
                     ) -> pd.Series:
    """Return the notes in another language; `translate` gives a message's translation."""
    wording = {n.format(floor=floor): translate(n).format(floor=floor) for n in NOTES}
    return notes.map(lambda note: wording.get(note, note))


def minimum(cat: Catalogue) -> int:
    """Return the number of respondents a published value needs (catalogue rule or override)."""
    return cat.rules.min_respondents


def members(cat: Catalogue) -> dict[str, list[str]]:
    """Map each dimension id to the ids of its indicators."""
    return {d.id: [i.id for i in d.indicators] for d in cat.dimensions}


def hidden(values: pd.DataFrame, counts: pd.DataFrame, dims: Mapping[str, Sequence[str]],
           floor: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (too few respondents, complementary) masks over a units x keys table.

    A composite is complementary-hidden when an indicator value that entered it is hidden:
    the composite and the shown indicators would give the hidden one away by arithmetic.
    """
    few = counts.reindex(index=values.index, columns=values.columns).fillna(0) < floor
    complement = pd.DataFrame(False, index=values.index, columns=values.columns)
    for dim, ids in dims.items():
        ids = [i for i in ids if i in values.columns]
        if dim not in values.columns or not ids:
            continue
        leaks = (few[ids] & values[ids].notna()).any(axis=1)
        complement[dim] = leaks & ~few[dim] & values[dim].notna()
    return few, complement


def disclose(scores: Scores, cat: Catalogue) -> Scores:
    """Return the scores as they may be published: small groups' values blanked."""
    floor = minimum(cat)
    few, complement = hidden(scores.group_values, scores.group_counts, members(cat), floor)
    # A group with enough respondents may say that a cell has no value (too few indicators or
    # answers): nothing is hidden there. A smaller group's cells all read alike, so that a
    # blank never tells whether its one or two people answered.
    size = scores.respondents.stack(future_stack=True).reindex(scores.group_values.index)
    nothing = scores.group_values.isna() & (size.fillna(0) >= floor).to_numpy()[:, None]
    mask = (few | complement) & ~nothing
    merged_few = scores.merged_counts.reindex_like(scores.merged_values).fillna(0) < floor
    return replace(scores, group_values=scores.group_values.mask(mask),
                   merged_values=scores.merged_values.mask(merged_few),
                   hidden=mask, complement=complement, floor=floor)


def publish_table(frame: pd.DataFrame, floor: int, *, internal: bool = False) -> pd.DataFrame:
    """Apply the rule to a tidy score table (rows as written by `scoretable.tidy`).

    The dimension of each indicator is read from the table itself, so stored waves of any
    catalogue are handled alike. With `internal`, values stay and are marked instead.
    """
    frame = frame.copy()
    frame["note"] = frame["note"].fillna("") if "note" in frame else ""
    unit_keys = [c for c in ("catalogue", "catalogue_version", "region", "wave", "level")
                 if c in frame]
    groups = frame[frame["level"] != "region"]
    if groups.empty:
        return frame
    keyed = groups.assign(**{k: groups[k].astype(str) for k in unit_keys})
    by_unit = keyed.groupby([*unit_keys, "id"], sort=False, dropna=False)
    values = by_unit["value"].first().astype(float).unstack("id")
    counts = by_unit["n"].first().astype(float).unstack("id")
    dims: dict[str, list[str]] = {}
    for dim, key in zip(groups["dimension"], groups["id"], strict=True):
        if dim != key:
            dims.setdefault(str(dim), []).append(str(key))
    few, complement = hidden(values, counts, dims, floor)
    where = pd.MultiIndex.from_frame(keyed[[*unit_keys, "id"]])
    few_rows, comp_rows = (m.stack(future_stack=True).reindex(where).fillna(False)
                           .to_numpy(dtype=bool) for m in (few, complement))
    rows = groups.index
    if internal:
        marked = rows[(few_rows | comp_rows) & groups["value"].notna().to_numpy()]
        frame.loc[marked, "note"] = INTERNAL_NOTE.format(floor=floor)
        return frame
    frame.loc[rows[few_rows], "value"] = np.nan
    # The count goes with the value: 0 or 1 of a one-person group tells whether that person
    # answered at all.
    frame["n"] = pd.to_numeric(frame["n"], errors="coerce").astype("Int64")
    frame.loc[rows[few_rows], "n"] = pd.NA
    # A row already noted as not asked keeps its reason: no answer could be there to hide.
    noted = frame.loc[rows, "note"].astype(str).str.startswith(NOT_ASKED_NOTE).to_numpy()
    frame.loc[rows[few_rows & ~noted], "note"] = HIDDEN_NOTE.format(floor=floor)
    frame.loc[rows[comp_rows], "value"] = np.nan
    frame.loc[rows[comp_rows], "note"] = COMPLEMENT_NOTE.format(floor=floor)
    return frame

"""Turn the sensitivity analysis into table rows and one sentence per dimension."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.marks import N_
from reportgen.report.i18n import Lang
from reportgen.uncertainty.assess import Certainty

LABELS = {
    "rules": N_("Catalogue's rules"),
    "equal_weights": N_("Groups weighted equally"),
    "respondent_weights": N_("Groups weighted by respondents"),
    "geometric": N_("Geometric mean of indicators"),
    "min_respondents_minus_1": N_("Group minimum {n}"),
    "min_respondents_plus_1": N_("Group minimum {n}"),
}
# The same rules in running text, for the approach chapter: it lists what was done.
DESCRIPTIONS = {
    "equal_weights": N_("stakeholder groups weighted equally"),
    "respondent_weights": N_("stakeholder groups weighted by their numbers of respondents"),
    "geometric": N_("composite indicators as geometric means of their indicators (a weak "
                    "indicator then pulls the composite down further)"),
    "min_respondents_minus_1": N_("a group minimum of {n} instead of {least} respondents"),
    "min_respondents_plus_1": N_("a group minimum of {n} instead of {least} respondents"),
}


_BRACKETED = re.compile(r"\s*\([^()]*\)")


@dataclass(frozen=True)
class Cell:
    """A value and rank under one set of rules; withheld when it rests on a small group."""

    value: float | None
    rank: int | None
    withheld: bool = False


@dataclass(frozen=True)
class Row:
    """One indicator or composite of the region under the rules and every alternative."""

    key: str
    name: str
    composite: bool
    rules: Cell
    cells: list[Cell]

    @property
    def rank_range(self) -> tuple[int, int] | None:
        """Return the best and worst shown rank over the rules and the alternatives."""
        shown = [c.rank for c in (self.rules, *self.cells) if c.rank is not None]
        return (min(shown), max(shown)) if shown else None


@dataclass(frozen=True)
class CertaintyView:
    """What the templates show of the bootstrap and the sensitivity analysis."""

    level: float
    resamples: int
    seed: int
    alternatives: list[str]  # labels, in the order of each row's cells
    described: list[str]  # the same rules in running text
    composites: list[Row]
    rows: list[Row]  # every composite followed by its indicators (the annex table)


def _label(t: Lang, variant: str, cat: Catalogue, texts: dict[str, str] = LABELS) -> str:
    least = cat.rules.min_respondents
    n = least - 1 if variant.endswith("minus_1") else least + 1
    return t._(texts[variant]).format(n=n, least=least)


def _cell(values: pd.DataFrame, ranks: pd.DataFrame, withheld: pd.DataFrame, region: str,
          key: str) -> Cell:
    v, r = values.at[region, key], ranks.at[region, key]
    if bool(withheld.at[region, key]):
        return Cell(None, None, True)  # its rank would give the value away: withheld too
    return Cell(None if pd.isna(v) else float(v), None if pd.isna(r) else int(r))


def certainty_view(c: Certainty | None, cat: Catalogue, region: str, t: Lang
                   ) -> CertaintyView | None:
    """Lay out the region's rows; None when the report does not resample."""
    if c is None:
        return None
    base, *alts = c.variants
    rows = []
    for dim in cat.dimensions:
        for key, name in [(dim.id, dim.name), *((i.id, i.name) for i in dim.indicators)]:
            rows.append(Row(key, name, key == dim.id,
                            _cell(base.values, base.ranks, base.withheld, region, key),
                            [_cell(a.values, a.ranks, a.withheld, region, key) for a in alts]))
    return CertaintyView(c.level, c.bands.resamples, c.bands.seed,
                         [_label(t, a.id, cat) for a in alts],
                         [_label(t, a.id, cat, DESCRIPTIONS) for a in alts],
                         [r for r in rows if r.composite], rows)


def sensitivity_sentence(t: Lang, view: CertaintyView | None, key: str) -> list[str]:
    """Say how far the rank of a composite moves under the alternative rules."""
    row = next((r for r in (view.composites if view else []) if r.key == key), None)
    if view is None or row is None or row.rules.rank is None or not view.alternatives:
        return []
    span = row.rank_range
    assert span is not None
    # A rule under which it has no value (too few respondents) has no rank to compare.
    unranked = [_BRACKETED.sub("", label) for c, label
                in zip(row.cells, view.described, strict=True) if c.rank is None]
    gaps = [t.ngettext("It has no value under this rule: {rules}.",
                       "It has no value under these rules: {rules}.", len(unranked)).format(
        rules="; ".join(unranked))] if unranked else []
    if span[0] == span[1] and unranked:
        return [t._("Under every alternative scoring rule of the sensitivity analysis that "
                    "gives it a value its rank stays at {rank}.").format(rank=row.rules.rank),
                *gaps]
    if span[0] == span[1]:
        return [t._("Under every alternative scoring rule of the sensitivity analysis its "
                    "rank stays at {rank}.").format(rank=row.rules.rank)]
    # The rules as running text (lower case), not as the table's column labels; without the
    # explanation in brackets, which would nest inside the sentence's own.
    named = [_BRACKETED.sub("", label) for label in view.described]
    moves = [(abs((c.rank or row.rules.rank) - row.rules.rank), label)
             for c, label in zip(row.cells, named, strict=True)]
    furthest = max(m[0] for m in moves)
    widest = [label for move, label in moves if move == furthest]
    if len(widest) > 1:
        return [t._("Under the alternative scoring rules of the sensitivity analysis its rank "
                    "lies between {best} and {worst} (rank {rank} under the catalogue's rules); "
                    "several rules move it equally far ({rules}).").format(
            best=span[0], worst=span[1], rank=row.rules.rank, rules="; ".join(widest)), *gaps]
    return [t._("Under the alternative scoring rules of the sensitivity analysis its rank "
                "lies between {best} and {worst} (rank {rank} under the catalogue's rules); "
                "it moves most with “{rule}”.").format(best=span[0], worst=span[1],
                                                      rank=row.rules.rank, rule=widest[0]),
            *gaps]

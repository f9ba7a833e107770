"""Build the typed template context: everything a template may show, in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from reportgen import narrative
from reportgen.benchmark import Position, strengths_and_weaknesses
from reportgen.cases import Case, select_case
from reportgen.definitions.schema import Catalogue, Dimension
from reportgen.figures import Chart
from reportgen.scoring import Scores

# Chapter order and titles; `template` is looked up through the template search path.
CHAPTERS = [
    ("introduction", "Introduction", "introduction.html"),
    ("context", "The context: interplay of S3 and clusters", "context.html"),
    ("approach", "The StressTest approach", "approach.html"),
    ("results", "Results for the key dimensions", "results.html"),
    ("summary", "Summary", "summary.html"),
    ("annex", "Annex", "annex.html"),
]


@dataclass(frozen=True)
class Chapter:
    id: str
    number: str
    title: str
    template: str


@dataclass(frozen=True)
class GroupValue:
    label: str
    value: float | None
    n: int
    shown: bool


@dataclass(frozen=True)
class Item:
    """An indicator or composite of the region, with its benchmark position."""

    id: str
    name: str
    label: str
    description: str
    value: float | None
    n: int
    position: Position
    groups: list[GroupValue]
    questions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseView:
    case: Case
    region_name: str
    composite: float


@dataclass(frozen=True)
class DimensionView:
    id: str
    number: str
    name: str
    determinants: list[str]
    rationale: str
    leverage: str
    composite: Item
    indicators: list[Item]
    boxplot: Chart
    groups_chart: Chart | None
    perspective: list[str]
    case: CaseView | None


@dataclass(frozen=True)
class GroupView:
    id: str
    label: str
    description: str
    n: int
    included: bool


@dataclass(frozen=True)
class Report:
    """The whole template context."""

    title: str
    region: str
    region_name: str
    date: dt.date
    synthetic: bool
    generator: str
    catalogue: Catalogue
    survey_file: str
    groups: list[GroupView]
    respondents: int
    portfolio: list[str]
    chapters: list[Chapter]
    dimensions: list[DimensionView]
    composites_chart: Chart
    radar: Chart
    summary: list[str]
    strengths: list[Item]
    weaknesses: list[Item]


def _groups(cat: Catalogue, scores: Scores, region: str, key: str) -> list[GroupValue]:
    out = []
    for g in cat.groups:
        idx = (region, g.id)
        if idx not in scores.group_values.index:
            out.append(GroupValue(g.label, None, 0, False))
            continue
        v, n = scores.group_values.at[idx, key], int(scores.group_counts.at[idx, key])
        shown = n >= cat.rules.min_respondents and pd.notna(v)
        out.append(GroupValue(g.label, float(v) if shown else None, n, shown))
    return out


def _item(cat: Catalogue, scores: Scores, region: str, positions: dict[str, Position],
          key: str, name: str, label: str, description: str = "") -> Item:
    questions = [q.id for q in cat.questions if q.indicator == key]
    return Item(key, name, label, description, positions[key].value,
                int(scores.counts.at[region, key]), positions[key],
                _groups(cat, scores, region, key), questions)


def _gap(items: list[Item]) -> narrative.GroupGap | None:
    """Find the widest gap between shown groups over a dimension's indicators."""
    best: narrative.GroupGap | None = None
    for item in items:
        shown = [g for g in item.groups if g.shown and g.value is not None]
        if len(shown) < 2:
            continue
        hi = max(shown, key=lambda g: g.value or 0.0)
        lo = min(shown, key=lambda g: g.value or 0.0)
        gap = narrative.GroupGap(item.name, hi.label, hi.value or 0.0, lo.label, lo.value or 0.0)
        if best is None or gap.high - gap.low > best.high - best.low:
            best = gap
    return best


def _dimension(cat: Catalogue, dim: Dimension, number: str, scores: Scores, region: str,
               name: str, positions: dict[str, Position], cases: list[Case],
               values: pd.DataFrame, names: dict[str, str], charts: dict[str, Chart | None]
               ) -> DimensionView:
    composite = _item(cat, scores, region, positions, dim.id, dim.name, dim.label)
    indicators = [_item(cat, scores, region, positions, i.id, i.name, i.label, i.description)
                  for i in dim.indicators]
    d, floor = cat.score.decimals, cat.rules.min_respondents
    excluded = [(g.label, int(scores.respondents.at[region, g.id])) for g in cat.groups
                if 0 < scores.respondents.at[region, g.id] < floor]
    perspective = [
        *narrative.position_sentences(name, composite.position, composite.n, d),
        *narrative.indicator_sentences(
            [narrative.Named(i.name, i.position) for i in indicators], d),
        *narrative.group_sentences(_gap(indicators), cat.score.span / 4, d),
        *narrative.excluded_sentences(excluded, floor),
    ]
    case = select_case(cases, dim.id, region, values[dim.id])
    case_view = (CaseView(case, names.get(case.region, case.region),
                          float(values.at[case.region, dim.id]))
                 if case else None)
    return DimensionView(
        dim.id, number, dim.name, dim.determinants, dim.rationale, dim.leverage, composite,
        indicators, charts[f"box:{dim.id}"], charts[f"groups:{dim.id}"],  # type: ignore[arg-type]
        perspective, case_view)


def build_context(cat: Catalogue, scores: Scores, region: str, values: pd.DataFrame,
                  names: dict[str, str], positions: dict[str, Position], cases: list[Case],
                  charts: dict[str, Chart | None], *, synthetic: bool, survey_file: str,
                  generator: str, today: dt.date) -> Report:
    """Assemble the report context for `region`; `values` holds every portfolio region."""
    name = names.get(region, region)
    others = sorted(names.get(r, r) for r in values.index if r != region)
    # Numbered chapters, then the annex as "A".
    chapters = [Chapter(cid, str(i) if cid != "annex" else "A", title, tpl)
                for i, (cid, title, tpl) in enumerate(CHAPTERS, start=1)]
    results_no = next(c.number for c in chapters if c.id == "results")
    dims = [_dimension(cat, dim, f"{results_no}.{k}", scores, region, name, positions, cases,
                       values, names, charts)
            for k, dim in enumerate(cat.dimensions, start=1)]
    floor = cat.rules.min_respondents
    groups = [GroupView(g.id, g.label, g.description, int(scores.respondents.at[region, g.id]),
                        int(scores.respondents.at[region, g.id]) >= floor) for g in cat.groups]
    ind_items = [i for d in dims for i in d.indicators]
    strong, weak = strengths_and_weaknesses(positions, [i.id for i in ind_items])
    by_id = {i.id: i for i in ind_items}
    composites = [narrative.Named(d.name, d.composite.position) for d in dims]
    return Report(
        title="StressTest-Report", region=region, region_name=name, date=today,
        synthetic=synthetic, generator=generator, catalogue=cat, survey_file=survey_file,
        groups=groups, respondents=sum(g.n for g in groups), portfolio=others,
        chapters=chapters, dimensions=dims,
        composites_chart=charts["composites"], radar=charts["radar"],  # type: ignore[arg-type]
        summary=narrative.summary_sentences(name, composites, cat.score.decimals),
        strengths=[by_id[p.key] for p in strong], weaknesses=[by_id[p.key] for p in weak])

"""Build the template context (reportgen.report.views) from scores, positions and settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd
from markupsafe import Markup

from reportgen.benchmark.cases import Case, further_cases, leaders, pinned_case, select_case
from reportgen.benchmark.compare import Position, strengths_and_weaknesses
from reportgen.catalogue.schema import Catalogue, Dimension
from reportgen.inputs.worksheet import AgreedAction
from reportgen.report import change, narrative
from reportgen.report.answers import question_answers
from reportgen.report.figures import Charts
from reportgen.report.followup import follow_up
from reportgen.report.glance import glance, widest_gaps
from reportgen.report.i18n import Lang
from reportgen.report.knowledge import KnowledgeView
from reportgen.report.method import method_view
from reportgen.report.robustness import CertaintyView, certainty_view, sensitivity_sentence
from reportgen.report.settings import CHAPTERS, ReportSettings
from reportgen.report.views import (
    CaseView,
    Chapter,
    DimensionView,
    GroupValue,
    GroupView,
    Item,
    MemberView,
    Report,
)
from reportgen.scoring.aggregate import Scores
from reportgen.scoring.disclosure import minimum
from reportgen.scoring.records import Member, WaveValues, label_order
from reportgen.uncertainty.assess import Certainty


@dataclass(frozen=True)
class Facts:
    """What the context is built from (one bundle instead of a dozen parameters)."""

    cat: Catalogue
    scores: Scores
    region: str
    values: pd.DataFrame
    names: dict[str, str]
    positions: dict[str, Position]
    cases: list[Case]
    charts: Charts
    wave: str | None = None
    history: list[WaveValues] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)
    pins: dict[str, str] = field(default_factory=dict)
    commentary: dict[str, Markup] = field(default_factory=dict)
    t: Lang = field(default_factory=Lang)
    knowledge: KnowledgeView | None = None
    actions: list[AgreedAction] = field(default_factory=list)
    answer_counts: pd.DataFrame | None = None
    invited: dict[str, int] = field(default_factory=dict)  # group id -> people invited
    certainty: Certainty | None = None  # bootstrap and sensitivity, unless switched off
    # Bootstrap margins of changes since the previous wave, where small groups call for them.
    margins: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Return the region's display name."""
        return self.names.get(self.region, self.region)


def _groups(f: Facts, key: str) -> list[GroupValue]:
    """Show each group's published value; `f.scores` went through disclosure.disclose."""
    out, asked = [], f.cat.asked(key)
    complement = f.scores.complement
    for g in f.cat.groups:
        idx = (f.region, g.id)
        if idx not in f.scores.group_values.index:
            out.append(GroupValue(g.label, None, 0, False, g.id in asked, named=g.in_text))
            continue
        v, n = f.scores.group_values.at[idx, key], int(f.scores.group_counts.at[idx, key])
        withheld = complement is not None and bool(complement.at[idx, key])
        blank = f.scores.hidden is not None and bool(f.scores.hidden.at[idx, key])
        out.append(GroupValue(g.label, None if pd.isna(v) else float(v), n, pd.notna(v),
                              g.id in asked, withheld, blank, g.in_text))
    return out


def _merged(f: Facts, key: str) -> GroupValue | None:
    """Pool the groups below the minimum; its value is published only if the pool is large."""
    table, counts = f.scores.merged_values, f.scores.merged_counts
    if key not in counts or f.region not in counts.index:
        return None
    n = int(counts.at[f.region, key])
    if n == 0:
        return None
    v = table.at[f.region, key]
    return GroupValue(f.t._("Smaller groups, merged"), None if pd.isna(v) else float(v), n,
                      pd.notna(v))


def _item(f: Facts, key: str, name: str, description: str = "") -> Item:
    questions = [q.id for q in f.cat.questions if q.indicator == key]
    value = f.positions[key].value
    se = f.scores.errors.at[f.region, key] if key in f.scores.errors else None
    se = None if se is None or pd.isna(se) else float(se)
    return Item(key, name, description, value, int(f.scores.counts.at[f.region, key]),
                f.positions[key], _groups(f, key), questions,
                change.change(key, value, se, f.history, f.cat.score.decimals,
                              f.cat.rules.margin_z, f.margins.get(key)),
                change.trend(key, value, f.wave, f.history), _merged(f, key))


def _gap(items: list[Item], t: Lang) -> narrative.GroupGap | None:
    """Find the widest gap between shown groups over a dimension's indicators."""
    ranked = widest_gaps(items)
    if not ranked:
        return None
    item, lo, hi = ranked[0]

    def printed(low: GroupValue, high: GroupValue) -> float:
        return t.shown_difference(low.value or 0.0, high.value or 0.0)

    widest = printed(lo, hi)
    tied = tuple(other.name for other, low, high in ranked[1:]
                 if widest > 0 and printed(low, high) == widest)
    return narrative.GroupGap(item.name, hi.in_text, hi.value or 0.0, lo.in_text,
                              lo.value or 0.0, tied)


def _dimension(f: Facts, dim: Dimension, number: str, robust: CertaintyView | None = None
               ) -> DimensionView:
    composite = _item(f, dim.id, dim.name)
    indicators = [_item(f, i.id, i.name, i.description) for i in dim.indicators]
    t, rules, resp = f.t, f.cat.rules, f.scores.respondents
    floor = minimum(f.cat)
    excluded = [(g.in_text or g.label, int(resp.at[f.region, g.id])) for g in f.cat.groups
                if 0 < resp.at[f.region, g.id] < floor]
    perspective = [
        *narrative.position_sentences(t, f.name, composite.position, composite.n,
                                      (rules.close_distance, rules.far_distance)),
        *sensitivity_sentence(t, robust, dim.id),
        *narrative.change_sentences(t, composite.change),
        *narrative.indicator_sentences(
            t, [narrative.Named(i.name, i.position) for i in indicators]),
        *narrative.group_sentences(t, _gap(indicators, t),
                                   f.cat.score.span * rules.group_gap_share),
        *narrative.excluded_sentences(t, excluded, floor),
    ]
    case = (pinned_case(f.cases, dim.id, f.region, f.pins[dim.id], set(f.values.index))
            if dim.id in f.pins
            else select_case(f.cases, dim.id, f.region, f.values[dim.id]))
    case_view = _case_view(f, case, dim.id, composite.value) if case is not None else None
    # Where the region lies below the median, every further practice of a region ahead of it.
    weak = composite.position.above_median is False
    more = (further_cases(f.cases, dim.id, f.region, f.values[dim.id], case) if weak else [])
    return DimensionView(
        dim.id, number, dim.name, dim.determinants, dim.rationale, dim.leverage, composite,
        indicators, f.charts.boxplots[dim.id], f.charts.groups[dim.id],
        perspective, case_view, f.commentary.get(dim.id),
        [_case_view(f, c, dim.id, composite.value) for c in more],
        [(f.names.get(r, r), v, _rank_band(f, r, dim.id))
         for r, v in leaders(f.values[dim.id], f.region)],
        question_answers(f.answer_counts, f.cat, indicators, floor, t))


def _rank_band(f: Facts, region: str, key: str) -> tuple[int, int] | None:
    """Return another portfolio region's rank band, where the bootstrap ran."""
    if f.certainty is None:
        return None
    b = f.certainty.bands
    low, high = b.rank_low.at[region, key], b.rank_high.at[region, key]
    return None if pd.isna(low) else (int(low), int(high))


def _case_view(f: Facts, case: Case, dimension: str, ours: float | None) -> CaseView:
    theirs = float(f.values.at[case.region, dimension])
    return CaseView(case, f.names.get(case.region, case.region), theirs,
                    ours is not None and theirs < ours)


def _movers(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Return every supported improvement and decline, largest first."""
    moved = [(i.change.delta, i) for i in items if i.change is not None and i.change.supported]
    up = [i for delta, i in sorted((m for m in moved if m[0] > 0), key=lambda m: -m[0])]
    down = [i for delta, i in sorted((m for m in moved if m[0] < 0), key=lambda m: m[0])]
    return up, down


def _other_versions(f: Facts) -> list[tuple[str, str, str]]:
    """List the waves whose values stem from another catalogue version than the report's."""
    version = f.cat.version
    own = [(f.name, h.label, h.catalogue_version) for h in f.history
           if h.catalogue_version and h.catalogue_version != version]
    others = [(f.names.get(r, r), m.wave or "", m.catalogue_version)
              for r, m in sorted(f.members.items())
              if m.catalogue_version and m.catalogue_version != version and r != f.region]
    return [*own, *others]


def chapters(t: Lang, skip: tuple[str, ...] = (), titles: dict[str, str] | None = None
             ) -> list[Chapter]:
    """Number the chapters that are not skipped (checked in settings).

    The overview before the contents has no number; the annex is "A". `titles` replaces the
    packaged titles of some chapters (the catalogue's own name of its approach).
    """
    kept = [c for c in CHAPTERS if c[0] not in skip]
    numbers = iter(range(1, len(kept) + 1))
    own = titles or {}
    return [Chapter(cid, "" if cid == "glance" else "A" if cid == "annex" else str(next(numbers)),
                    own.get(cid) or t._(title), tpl) for cid, title, tpl in kept]


def build_context(f: Facts, settings: ReportSettings, t: Lang, *, synthetic: bool,
                  survey_file: str, generator: str, today: dt.date) -> Report:
    """Assemble the report context; `f.values` holds every portfolio region."""
    f = replace(f, t=t)
    # Members are the regions with at least one value; an all-"don't know" region is none.
    members = f.values.drop(index=f.region, errors="ignore").dropna(how="all").index
    others = sorted(f.names.get(r, r) for r in members)
    listed = sorted((MemberView(str(r), f.names.get(r, r), m.wave if m else None,
                                m.country if m else "", m.respondents if m else None)
                     for r in members for m in [f.members.get(r)]), key=lambda m: m.name)
    waves = sorted({m.wave for m in listed if m.wave} | ({f.wave} if f.wave else set()),
                   key=label_order)
    # The knowledge chapter needs stored activity counts of the region.
    # The chapter on S3 and clusters belongs to catalogues that say it does.
    framing = f.cat.report
    skip = (settings.skip_chapters + (() if f.knowledge else ("knowledge",))
            + (() if framing.context else ("context",)))
    numbered = chapters(t, skip, {"approach": framing.approach or ""})
    results_no = next((c.number for c in numbered if c.id == "results"), "")
    robust = certainty_view(f.certainty, f.cat, f.region, t)
    dims = [_dimension(f, dim, f"{results_no}.{k}", robust)
            for k, dim in enumerate(f.cat.dimensions, start=1)]
    floor, resp = minimum(f.cat), f.scores.respondents
    groups = [GroupView(g.id, g.label, g.description, int(resp.at[f.region, g.id]),
                        int(resp.at[f.region, g.id]) >= floor, f.invited.get(g.id), g.in_text)
              for g in f.cat.groups]
    ind_items = [i for d in dims for i in d.indicators]
    strong, weak = strengths_and_weaknesses(f.positions, [i.id for i in ind_items],
                                            f.cat.rules.strengths)
    by_id = {i.id: i for i in ind_items}
    composites = [narrative.Named(d.name, d.composite.position) for d in dims]
    improved, declined = _movers([*[d.composite for d in dims], *ind_items])
    top = f.cat.rules.strengths
    return Report(
        title=settings.title or framing.name or t._("Survey report"), region=f.region,
        region_name=f.name,
        date=today,
        synthetic=synthetic, generator=generator, method=method_view(f.cat),
        survey_file=survey_file,
        groups=groups, respondents=sum(g.n for g in groups),
        answering_groups=sum(1 for g in groups if g.n > 0), portfolio=others,
        chapters=numbered, dimensions=dims,
        composites_chart=f.charts.composites, radar=f.charts.radar,
        glance_radar=f.charts.glance_radar,
        summary=narrative.summary_sentences(t, f.name, composites),
        strengths=[by_id[p.key] for p in strong], weaknesses=[by_id[p.key] for p in weak],
        wave=f.wave, previous_wave=f.history[-1].label if f.history else None,
        # A composite counts everyone who answered any of its questions: the largest is the
        # wave's number of respondents behind the values (those of shown groups).
        previous_respondents=max(
            (f.history[-1].counts.get(d.id, 0) for d in f.cat.dimensions), default=0)
        if f.history else None,
        waves_chart=f.charts.waves, improved=improved[:top], declined=declined[:top],
        moved=(len(improved), len(declined)),
        organisation=settings.organisation, logo=settings.logo_uri(), style=settings.css(),
        summary_commentary=f.commentary.get("summary"),
        debug_templates=settings.debug_templates, members=listed, member_waves=waves,
        other_versions=_other_versions(f), knowledge=f.knowledge,
        glance=glance(dims, [by_id[p.key] for p in weak], f.cat.rules.strengths),
        actions=follow_up(f.actions, dims, framing.levels), certainty=robust,
        margins_by=_margins_by([*[d.composite for d in dims], *ind_items]),
        bootstrap_below=f.cat.rules.uncertainty.bootstrap_changes_below)


def _margins_by(items: list[Item]) -> tuple[int, int]:
    """Count the changes with a bootstrap margin and those with a normal one."""
    methods = [i.change.method for i in items if i.change and i.change.margin is not None]
    return methods.count("bootstrap"), methods.count("normal")

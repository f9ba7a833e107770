"""Describe the catalogue's method as the report shows it: scale, rules, groups, questions."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.catalogue.schema import Catalogue, Framing
from reportgen.report.i18n import collation_key


@dataclass(frozen=True)
class StakeholderGroup:
    """A group the questionnaire addresses, and the weight of its mean."""

    id: str
    label: str
    weight: float


@dataclass(frozen=True)
class QuestionView:
    """A question as the annex lists it: its wording for the first group asked, its scale."""

    id: str
    wording: str
    options: list[str]
    asked_of: list[str]


@dataclass(frozen=True)
class TickRule:
    """How questions with several options to tick score: the number ticked sets the score."""

    questions: list[str]
    steps: list[tuple[int, float]]  # (at least this many options ticked, score), ascending


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str


@dataclass(frozen=True)
class Method:
    """What the templates may say about the catalogue and its rules; nothing to compute."""

    title: str
    id: str
    version: str
    language: str
    score_min: float
    score_max: float
    min_respondents: int
    min_items_percent: int
    composite_min_percent: int
    margin_z: float
    spread_floor: float  # the smallest box length distances are measured in (score points)
    groups: list[StakeholderGroup]
    equal_weights: bool
    question_count: int
    indicator_count: int
    questions: dict[str, list[QuestionView]]  # by indicator id, in catalogue order
    glossary: list[GlossaryEntry]
    ticks: list[TickRule]  # one per multi-select scale the questions use
    framing: Framing  # how the catalogue presents its survey (cover line, introduction)

    def position(self, value: float | None) -> float:
        """Place a value on the score scale as a percentage (a missing value at 0)."""
        low = self.score_min if value is None else value
        return (low - self.score_min) / (self.score_max - self.score_min) * 100


def method_view(cat: Catalogue) -> Method:
    """Describe `cat` (already in the report's language) for the templates."""
    labels = {g.id: g.label for g in cat.groups}
    questions: dict[str, list[QuestionView]] = {}
    for q in cat.questions:
        asked = [g.id for g in cat.groups if g.id in q.texts]
        questions.setdefault(q.indicator, []).append(QuestionView(
            q.id, q.texts[asked[0]], [o.label for o in cat.scales[q.scale].options],
            [labels[g] for g in asked]))
    rules = cat.rules
    return Method(
        title=cat.title, id=cat.id, version=cat.version, language=cat.language,
        framing=cat.report,
        score_min=cat.score.min, score_max=cat.score.max,
        min_respondents=rules.min_respondents,
        min_items_percent=round(rules.min_items_share * 100),
        composite_min_percent=round(rules.composite_min_share * 100),
        margin_z=rules.margin_z,
        spread_floor=cat.score.span * rules.spread_floor_share,
        groups=[StakeholderGroup(g.id, g.label, g.weight) for g in cat.groups],
        equal_weights=len({g.weight for g in cat.groups}) == 1,
        question_count=len(cat.questions),
        indicator_count=sum(len(d.indicators) for d in cat.dimensions),
        questions=questions,
        glossary=sorted((GlossaryEntry(e.term, e.definition) for e in cat.glossary),
                        key=lambda e: collation_key(e.term, cat.language)),
        ticks=[TickRule([q.id for q in cat.questions if q.scale == name],
                        sorted((t.min_count, t.score) for t in scale.thresholds))
               for name, scale in cat.scales.items() if scale.type == "multi"
               and any(q.scale == name for q in cat.questions)])

"""The typed template context: what a template may show, as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup

from reportgen.benchmark.cases import Case
from reportgen.benchmark.compare import Position
from reportgen.inputs.worksheet import AgreedAction
from reportgen.report.change import Change
from reportgen.report.figures import Chart
from reportgen.report.knowledge import KnowledgeView
from reportgen.report.method import Method
from reportgen.report.robustness import CertaintyView


@dataclass(frozen=True)
class Chapter:
    id: str
    number: str
    title: str
    template: str


class InSentence:
    """A group's name as a sentence writes it: the catalogue's in_text, else its label."""

    label: str
    named: str | None

    @property
    def in_text(self) -> str:
        """Return the group's name as a sentence writes it."""
        return self.named or self.label


@dataclass(frozen=True)
class GroupValue(InSentence):
    label: str
    value: float | None
    n: int
    shown: bool
    asked: bool = True
    # Enough respondents, but shown it would reveal a hidden indicator value by arithmetic.
    withheld: bool = False
    # Blank by the disclosure rule ("n < 3"), not for want of answers or indicators ("–").
    hidden: bool = False
    named: str | None = None  # the catalogue's in-sentence name, if it has one


@dataclass(frozen=True)
class Item:
    """An indicator or composite of the region, with its benchmark position."""

    id: str
    name: str
    description: str
    value: float | None
    n: int
    position: Position
    groups: list[GroupValue]
    questions: list[str] = field(default_factory=list)
    change: Change | None = None
    trend: list[tuple[str, float | None]] = field(default_factory=list)
    # Groups too small to show alone, pooled; None when every answering group is shown.
    merged: GroupValue | None = None


@dataclass(frozen=True)
class CaseView:
    case: Case
    region_name: str
    composite: float
    # The rule picks the best other region with a case; it may still score below the report's.
    below_region: bool = False


@dataclass(frozen=True)
class Segment:
    label: str  # the item score, as printed
    count: int
    share: float  # per cent of the bar
    colour: str = "#1f4e79"  # light for low scores, dark for high ones


@dataclass(frozen=True)
class AnswerBar:
    group: str
    n: int
    segments: list[Segment]
    src: str = ""  # the bar as an SVG data URI, each segment labelled with its count


@dataclass(frozen=True)
class QuestionAnswers:
    """One question's answers by group, for the stacked bars of its dimension."""

    id: str
    indicator: str
    text: str
    bars: list[AnswerBar]


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
    commentary: Markup | None = None
    # Below the median: the other documented practices of regions ahead, best first.
    more_cases: list[CaseView] = field(default_factory=list)
    # The best other regions: name, composite and, when resampled, the band of their rank.
    leaders: list[tuple[str, float, tuple[int, int] | None]] = field(default_factory=list)
    answers: list[QuestionAnswers] = field(default_factory=list)


@dataclass(frozen=True)
class Lesson:
    """A weak indicator and the dimension whose good-practice case answers it."""

    item: Item
    dimension: DimensionView
    # False when an earlier weakness of the same dimension already points to its case.
    first_of_dimension: bool = True


@dataclass(frozen=True)
class Disagreement:
    """The widest gap between two stakeholder groups' shown values of one indicator."""

    item: Item
    dimension: DimensionView
    low: GroupValue
    high: GroupValue


@dataclass(frozen=True)
class Glance:
    lessons: list[Lesson]
    disagreements: list[Disagreement]


@dataclass(frozen=True)
class ActionView:
    """A field of action agreed after an earlier wave, with its indicator then and now."""

    action: AgreedAction
    name: str  # the indicator's name in this report
    then: float | None
    now: float | None
    level: str = ""  # the level agreed, in the report's language

    @property
    def previous(self) -> float | None:
        """The value then, under the name the `difference` filter reads."""
        return self.then

    @property
    def value(self) -> float | None:
        """The value now, under the name the `difference` filter reads."""
        return self.now


@dataclass(frozen=True)
class GroupView(InSentence):
    id: str
    label: str
    description: str
    n: int
    included: bool
    invited: int | None = None  # from the invitation list, when the build was given one
    named: str | None = None  # the catalogue's in-sentence name, if it has one

    @property
    def rate(self) -> float | None:
        """Return the share of the invited who answered, when the invited are known."""
        return self.n / self.invited if self.invited else None


@dataclass(frozen=True)
class MemberView:
    """A portfolio region in the annex list."""

    code: str
    name: str
    wave: str | None
    country: str
    respondents: int | None


@dataclass(frozen=True)
class Report:
    """The whole template context."""

    title: str
    region: str
    region_name: str
    date: dt.date
    synthetic: bool
    generator: str
    method: Method
    survey_file: str
    groups: list[GroupView]
    respondents: int
    answering_groups: int
    portfolio: list[str]
    chapters: list[Chapter]
    dimensions: list[DimensionView]
    composites_chart: Chart
    radar: Chart
    glance_radar: Chart  # short names, drawn for the narrow column of "At a glance"
    summary: list[str]
    strengths: list[Item]
    weaknesses: list[Item]
    wave: str | None = None
    previous_wave: str | None = None
    previous_respondents: int | None = None  # behind the previous wave's values
    waves_chart: Chart | None = None
    improved: list[Item] = field(default_factory=list)  # the largest few
    declined: list[Item] = field(default_factory=list)
    moved: tuple[int, int] = (0, 0)  # how many rose and fell beyond their margin in all
    organisation: str | None = None
    logo: str | None = None
    style: str = ""
    summary_commentary: Markup | None = None
    debug_templates: bool = False
    members: list[MemberView] = field(default_factory=list)
    # Distinct survey waves of the region and its portfolio; more than one: they mix years.
    member_waves: list[str] = field(default_factory=list)
    # Waves whose values could not be rescored under this catalogue version:
    # (region name, wave label, catalogue version), own earlier waves and portfolio alike.
    other_versions: list[tuple[str, str, str]] = field(default_factory=list)
    knowledge: KnowledgeView | None = None  # with stored activity counts of the region
    glance: Glance | None = None  # the one-page overview's selections
    handout: bool = False  # render the overview alone, as a stand-alone handout
    actions: list[ActionView] = field(default_factory=list)  # agreed after an earlier wave
    certainty: CertaintyView | None = None  # intervals and sensitivity, unless switched off
    # Changes whose margin comes from the bootstrap, and from the normal approximation.
    margins_by: tuple[int, int] = (0, 0)
    bootstrap_below: int = 0  # group size under which changes get bootstrap margins

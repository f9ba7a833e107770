"""Schema of an indicator catalogue: one typed model per YAML mapping."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator


def _as_code(value: object) -> object:
    """Turn YAML numbers into the text an export cell would hold (1 and 1.0 -> "1")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value


# Weights are relative: a million to one is far beyond any real design, and 1e308 overflowed.
MAX_WEIGHT = 1e6
# Bounds of counts and scores: far beyond any survey, and within what numpy's integers and
# the report's decimal rounding carry (min_items 2**63 crashed the scoring).
MAX_COUNT = 100_000
MAX_SCORE = 1e9
MAX_RESAMPLES = 100_000
Code = Annotated[str, BeforeValidator(_as_code)]
Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-\[\]]+$")]


class _Model(BaseModel):
    # No infinite or NaN number anywhere: ".inf" passes "gt=0" and breaks every sum after.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Option(_Model):
    code: Code = Field(description="Value stored in the export for this answer")
    label: Text = Field(description="Answer text as shown to respondents")
    score: float | None = Field(None, description="Score of a choice option")


class Threshold(_Model):
    min_count: int = Field(ge=0, le=MAX_COUNT, description="Least number of selected options")
    score: float = Field(description="Score given from that count on")


class Scale(_Model):
    type: Literal["ordered", "choice", "multi"] = Field(description="How answers become scores")
    options: list[Option] = Field(min_length=1, description="Substantive answers, worst first")
    missing: list[Option] = Field(default=[], description="Answers that count as missing")
    separator: str = Field("|", min_length=1, description="Joins selections of a multi scale")
    thresholds: list[Threshold] = Field(default=[], description="Count-to-score steps (multi)")

    @model_validator(mode="after")
    def _check_type(self) -> Scale:
        if self.type == "ordered" and len(self.options) < 2:
            raise ValueError("an ordered scale needs at least 2 options")
        if self.type == "choice" and any(o.score is None for o in self.options):
            raise ValueError("every option of a choice scale needs a score")
        if self.type == "multi" and not self.thresholds:
            raise ValueError("a multi scale needs thresholds")
        return self


class Group(_Model):
    id: Id = Field(description="Value of the export's group column")
    label: Text = Field(description="Name shown in reports")
    in_text: str | None = Field(None, description="Its name inside a sentence where that "
                                "differs from the label (lower case: 'policy level')")
    description: str = Field("", description="Who belongs to the group")
    aliases: list[Code] = Field(default=[], description="Other spellings accepted in exports")
    weight: float = Field(1.0, gt=0, le=MAX_WEIGHT, allow_inf_nan=False, description=
                          "Weight in the region's mean")


class Indicator(_Model):
    id: Id = Field(description="Stable machine id")
    name: Text = Field(description="Full name shown in reports")
    short_name: str | None = Field(None, description="Short form; reports show the name")
    determinant: str | None = Field(None, description="Determinant of the dimension it measures")
    description: str = Field("", description="What the indicator measures")
    weight: float = Field(1.0, gt=0, le=MAX_WEIGHT, allow_inf_nan=False, description=
                          "Weight within its dimension")
    min_items: int | None = Field(None, ge=1, le=MAX_COUNT,
                                  description="Answered items a respondent needs")


class Dimension(_Model):
    id: Id = Field(description="Stable machine id")
    name: Text = Field(description="Full name shown in reports")
    short_name: str | None = Field(None, description="Short form for the small spider chart "
                                   "of 'At a glance'; everywhere else reports show the name")
    determinants: list[str] = Field(default=[], description="What drives the dimension")
    rationale: str = Field("", description="Why the dimension matters")
    leverage: str = Field("", description="How clusters give leverage in it")
    weight: float = Field(1.0, gt=0, le=MAX_WEIGHT, allow_inf_nan=False, description=
                          "Reserved for an overall index")
    indicators: list[Indicator] = Field(min_length=1, description="Its specific indicators")


class Question(_Model):
    id: Id = Field(description="Column name of the question in the export")
    indicator: Id = Field(description="Indicator the answers feed")
    scale: Id = Field(description="Answer scale id")
    texts: dict[str, Text] = Field(min_length=1, description="Wording per group asked")


class Framing(_Model):
    """How a report presents its survey; left out, the report speaks of the survey generally."""

    name: str | None = Field(None, description="Default report title (StressTest-Report)")
    kicker: str | None = Field(None, description="Line above the title on the cover")
    subject: str | None = Field(None, description="What the report is about (PDF metadata)")
    keywords: list[str] = Field(default=[], description="Keywords of the PDF metadata")
    purpose: str | None = Field(None, description="Opening sentence of the introduction; "
                                "{region} stands for the region's name")
    aim: str | None = Field(None, description="What the results are for (introduction)")
    approach: str | None = Field(None, description="Title of the approach chapter")
    leverage: str | None = Field(None, description="Heading of each dimension's leverage text")
    context: bool = Field(False, description="Include the packaged chapter on the interplay "
                          "of Smart Specialisation and clusters")
    file: str = Field("report", max_length=40, description="Last part of the report's file "
                      "name (<region>-<wave>-<file>.pdf), lower-case letters, digits and "
                      "hyphens")
    questionnaire: str | None = Field(None, description="Title of the printed questionnaire")
    workshop: str | None = Field(None, description="Name of the workshop that discusses the "
                                 "results (slides, worksheet)")
    welcome: str | None = Field(None, description="Opening text of the questionnaire")
    levels: dict[Id, str] = Field(default={}, description="Who can act on a finding, by id: "
                                  "the choices of the workshop worksheet's Level column "
                                  "(none: the column takes any text)")

    @field_validator("file")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        # A file name part every system and shell takes as it is.
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise ValueError("expected a plain file name of lower-case letters, digits and "
                             "single hyphens, e.g. 'dih-check'")
        return value


class FramingText(_Model):
    name: str | None = None
    kicker: str | None = None
    subject: str | None = None
    keywords: list[str] | None = None
    purpose: str | None = None
    aim: str | None = None
    approach: str | None = None
    leverage: str | None = None
    questionnaire: str | None = None
    workshop: str | None = None
    welcome: str | None = None
    levels: dict[str, str] | None = None


class GlossaryEntry(_Model):
    term: Text
    definition: Text


class ScoreRange(_Model):
    min: float = Field(0.0, ge=-MAX_SCORE, le=MAX_SCORE, description="Worst score")
    max: float = Field(4.0, ge=-MAX_SCORE, le=MAX_SCORE, description="Best score")
    decimals: int = Field(1, ge=0, le=3, description="Decimals shown in reports")

    @model_validator(mode="after")
    def _check_order(self) -> ScoreRange:
        if self.max <= self.min:
            raise ValueError(f"max must be greater than min, got min={self.min}, max={self.max}")
        return self

    @property
    def span(self) -> float:
        """Return the width of the range."""
        return self.max - self.min


Alternative = Literal["equal_weights", "respondent_weights", "geometric",
                      "min_respondents_minus_1", "min_respondents_plus_1"]
ALTERNATIVES: tuple[Alternative, ...] = get_args(Alternative)


class Uncertainty(_Model):
    """How sure the report is: bootstrap intervals, rank bands and the sensitivity analysis."""

    resamples: int = Field(1000, ge=0, le=MAX_RESAMPLES, description="Bootstrap resamples of the "
                           "respondents; 0 leaves out intervals, rank bands and sensitivity")
    seed: int = Field(2015, ge=0, le=2**32 - 1, description="Seed of the resampling: the "
                      "same seed and answers give the same intervals")
    level: float = Field(0.9, ge=0.5, lt=1, description="Coverage of intervals and rank bands")
    # Not by default: a lower minimum ranks the region among other regions' values resting
    # on groups below the publication minimum, which tells their order.
    alternatives: list[Alternative] = Field(
        default=[a for a in ALTERNATIVES if a != "min_respondents_minus_1"],
        description="Scoring rules the portfolio is re-scored under in the sensitivity "
        "analysis (min_respondents_minus_1 only on request: its ranks rest on small groups "
        "of other regions)")
    geometric_offset_share: float = Field(
        0.25, gt=0, le=1, description="Shift (share of the scale) added before a geometric "
        "mean, so that one indicator at the scale's minimum does not zero the composite")
    bootstrap_changes_below: int = Field(
        30, ge=0, le=MAX_COUNT, description="A change between waves gets a bootstrap margin "
        "when a group entering either wave has fewer respondents than this (else the normal "
        "approximation)")


class Rules(_Model):
    min_items_share: float = Field(0.5, gt=0, le=1, description="Share of items answered")
    min_respondents: int = Field(3, ge=1, le=MAX_COUNT, description="Respondents a group needs")
    composite_min_share: float = Field(0.5, gt=0, le=1, description="Indicators a composite needs")
    # How the report words and judges positions; today's values are the defaults.
    margin_z: float = Field(1.96, gt=0, le=10, description="z of the margin of error of a change")
    spread_floor_share: float = Field(
        0.125, gt=0, le=1, description="Smallest spread (share of the scale) distances are "
        "measured in, so that a near-flat portfolio cannot inflate them")
    group_gap_share: float = Field(0.25, gt=0, le=1, description="Group difference (share of "
                                   "the scale) from which it is called worth discussing")
    close_distance: float = Field(0.25, gt=0, le=100, description="Distance from the median (in "
                                  "spreads) within which a value is 'close to' it")
    far_distance: float = Field(1.0, gt=0, le=100, description="Distance from the median "
                                "(in spreads) from which a value is 'well above' or 'well "
                                "below' it")
    strengths: int = Field(3, ge=1, le=100,
                           description="Strengths and weaknesses named in the summary")
    uncertainty: Uncertainty = Field(default_factory=lambda: Uncertainty(),
                                     description="Intervals, rank bands and sensitivity")


class GroupText(_Model):
    label: str | None = None
    in_text: str | None = None
    description: str | None = None


class IndicatorText(_Model):
    name: str | None = None
    short_name: str | None = None
    determinant: str | None = None
    description: str | None = None


class DimensionText(_Model):
    name: str | None = None
    short_name: str | None = None
    determinants: list[str] | None = None
    rationale: str | None = None
    leverage: str | None = None
    indicators: dict[str, IndicatorText] = Field(default_factory=dict)


class GlossaryText(_Model):
    term: str
    definition: str


class Translation(_Model):
    """One language's texts; anything left out stays in the catalogue's own language."""

    title: str | None = None
    report: FramingText | None = None
    groups: dict[str, GroupText] = Field(default_factory=dict)
    dimensions: dict[str, DimensionText] = Field(default_factory=dict)
    glossary: list[GlossaryText] | None = None
    # scale id -> answer code -> label; question id -> group id -> wording
    scales: dict[str, dict[Code, str]] = Field(default_factory=dict)
    questions: dict[str, dict[str, str]] = Field(default_factory=dict)


class Catalogue(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: Id = Field(description="Machine id of the catalogue")
    version: Code = Field(description="Catalogue version")
    title: Text = Field(description="Name cited in every report")
    language: str = Field("en", description="Language of the texts")
    score: ScoreRange = Field(default_factory=lambda: ScoreRange(), description="Score range")
    rules: Rules = Field(default_factory=lambda: Rules(), description="Scoring thresholds")
    groups: list[Group] = Field(min_length=1, description="Stakeholder groups")
    scales: dict[str, Scale] = Field(min_length=1, description="Answer scales by id")
    dimensions: list[Dimension] = Field(min_length=1, description="Dimensions and indicators")
    questions: list[Question] = Field(min_length=1, description="Questions of the survey")
    glossary: list[GlossaryEntry] = Field(default=[], description="Terms explained in the annex")
    report: Framing = Field(default_factory=lambda: Framing(), description="How the report "
                            "presents the survey: name, cover line, introduction")
    translations: dict[str, Translation] = Field(default={}, description="Texts by language")

    @cached_property
    def indicators(self) -> list[Indicator]:
        """Return every indicator in catalogue order."""
        return [ind for dim in self.dimensions for ind in dim.indicators]

    @cached_property
    def group_keys(self) -> dict[str, str]:
        """Map every accepted spelling of a group (lower case) to the group id."""
        keys: dict[str, str] = {}
        for group in self.groups:
            for key in (group.id, group.label, *group.aliases):
                keys[key.strip().casefold()] = group.id
        return keys


    def asked(self, key: str) -> set[str]:
        """Return the groups asked about an indicator (or any indicator of a dimension)."""
        dims = {d.id: d for d in self.dimensions}
        keys = {i.id for i in dims[key].indicators} if key in dims else {key}
        return {g for q in self.questions if q.indicator in keys for g in q.texts}

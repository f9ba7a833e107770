"""Mapping files: how a real survey export's columns and codes become catalogue questions."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reportgen.catalogue.schema import Catalogue
from reportgen.errors import InputError
from reportgen.yamlio import read_model


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExportColumns(_Model):
    id: str = Field(description="Export column with the respondent id")
    region: str | None = Field(None, description="Export column with the region code")
    group: str | None = Field(None, description="Export column with the stakeholder group")
    completion: str | None = Field(None, description="Export column that is empty for "
                                   "responses never submitted (default: found by name)")
    region_name: str | None = Field(None, description="Export column with the region's name")


class MultiColumns(_Model):
    """A multi-select question exported as one column per option (LimeSurvey, Qualtrics)."""

    columns: dict[str, str] = Field(min_length=1, description="Export column -> option code")
    selected: list[str] = Field(default=["Y", "1", "Yes", "True"],
                                description="Cell values that mean 'selected' (any case)")
    unselected: list[str] = Field(default=["", "N", "0", "No", "False"],
                                  description="Cell values that mean 'not selected' (any "
                                  "case); any other value is an error")


class ByGroup(_Model):
    """A question worded for each group, each wording its own export question (LimeSurvey)."""

    by_group: dict[str, str | MultiColumns] = Field(
        min_length=1, description="Group id -> export column(s) of that group's wording")


Spec = str | MultiColumns | ByGroup


def parts_of(spec: Spec) -> list[str | MultiColumns]:
    """Return a question's column specs: one per group for a question worded per group."""
    return list(spec.by_group.values()) if isinstance(spec, ByGroup) else [spec]


def columns_of(spec: Spec) -> list[str]:
    """Return the export columns a question's spec reads."""
    return [c for part in parts_of(spec)
            for c in (list(part.columns) if isinstance(part, MultiColumns) else [part])]


class Mapping(_Model):
    """How to read one export format into the catalogue's questions."""

    format: Literal["wide", "limesurvey", "qualtrics", "spss"] = Field(
        "wide", description="Layout of the export file")
    columns: ExportColumns = Field(description="Where id, region and group are")
    region: str | None = Field(None, description="Region code for a single-region export")
    region_name: str | None = Field(None, description="Region name for a single-region export")
    group: str | None = Field(None, description="Group id for an export of a single group")
    groups: dict[str, str] = Field(default={}, description="Export group code -> group id")
    questions: dict[str, Spec] = Field(
        min_length=1, description="Catalogue question id -> export column(s)")
    answers: dict[str, dict[str, str]] = Field(
        default={}, description="Per catalogue scale: export answer code -> catalogue code")
    include_incomplete: bool = Field(False, description="Keep responses not submitted")


def load_mapping(path: Path, cat: Catalogue) -> Mapping:
    """Read and validate a mapping file against the catalogue."""
    doc, mapping = read_model(path, Mapping)
    questions = {q.id: q for q in cat.questions}
    group_ids = {g.id for g in cat.groups}
    found: list[tuple[tuple[str, ...], str]] = [
        (("questions", qid), f"unknown question {qid!r} of catalogue {cat.id!r}")
        for qid in mapping.questions if qid not in questions]
    for qid, spec in mapping.questions.items():
        if qid not in questions:
            continue
        parts: list[tuple[str | None, str | MultiColumns]] = (
            list(spec.by_group.items()) if isinstance(spec, ByGroup) else [(None, spec)])
        for gid, part in parts:
            where = ("questions", qid) if gid is None else ("questions", qid, "by_group", gid)
            if gid is not None and gid not in group_ids:
                found.append((where, f"unknown group {gid!r}; expected one of "
                              f"{sorted(group_ids)}"))
            if isinstance(part, MultiColumns) and \
                    cat.scales[questions[qid].scale].type != "multi":
                found.append((where, f"question {qid!r} is not a multi-select question; map "
                              "it to one column"))
    found += [(("answers", scale), f"unknown scale {scale!r}; expected one of "
               f"{sorted(cat.scales)}") for scale in mapping.answers if scale not in cat.scales]
    found += [(("groups", code), f"unknown group {gid!r}; expected one of {sorted(group_ids)}")
              for code, gid in mapping.groups.items() if gid not in group_ids]
    if mapping.columns.region is None and mapping.region is None:
        found.append((("columns", "region"), "name the region column, or give `region:` for "
                      "an export of a single region"))
    if mapping.columns.group is None and mapping.group is None:
        found.append((("columns", "group"), "name the group column, or give `group:` for an "
                      "export of a single stakeholder group"))
    if mapping.group is not None and mapping.group not in group_ids:
        found.append((("group",), f"unknown group {mapping.group!r}; expected one of "
                      f"{sorted(group_ids)}"))
    if found:
        raise InputError([doc.problem(loc, msg) for loc, msg in found])
    return mapping

"""Good-practice cases: load the case library and pick one per dimension."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from reportgen.catalogue.schema import Catalogue
from reportgen.errors import InputError, UsageError
from reportgen.yamlio import read_model


class Case(BaseModel):
    """One documented practice of a portfolio region."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Stable slug")
    region: str = Field(min_length=1, description="Region code as in the survey export")
    dimension: str = Field(min_length=1, description="Dimension id of the catalogue")
    title: str = Field(min_length=1, description="Short title")
    summary: str = Field(min_length=1, description="What the region did")
    success_factors: list[str] = Field(default=[], description="What made it work")
    contact: str = Field("", description="Who to ask about the practice")
    source: str = Field("", description="Where the description comes from")


class CaseText(BaseModel):
    """One case's texts in another language; what is left out is missing there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, description="Short title")
    summary: str = Field(min_length=1, description="What the region did")
    success_factors: list[str] = Field(default=[], description="What made it work")
    source: str = Field("", description="Where the description comes from")


class CaseLibrary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = Field("en", description="Language of the cases' texts")
    cases: list[Case] = Field(default=[], description="The cases")


class CaseTranslation(BaseModel):
    """A `cases.<lang>.yaml` file beside the library: texts by case id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: dict[str, CaseText] = Field(default={}, description="Texts by case id")


@dataclass(frozen=True)
class Cases:
    """A validated case library with its translations."""

    items: list[Case]
    language: str = "en"
    texts: dict[str, dict[str, CaseText]] = field(default_factory=dict)  # lang -> id -> text
    files: dict[str, str] = field(default_factory=dict)  # lang -> file, for messages

    def missing(self, lang: str) -> list[str]:
        """List the cases (as `cases.<id>`) that have no text in `lang`."""
        if lang == self.language:
            return []
        return [f"cases.{c.id}" for c in self.items if c.id not in self.texts.get(lang, {})]

    def localised(self, lang: str, mark: Callable[[str], str] | None = None) -> list[Case]:
        """Return the cases in `lang`; untranslated ones pass through `mark` when given."""
        if lang == self.language:
            return self.items
        texts = self.texts.get(lang, {})
        keep = mark or (lambda text: text)
        out = []
        for c in self.items:
            t = texts.get(c.id)
            out.append(c.model_copy(update=t.model_dump()) if t else c.model_copy(update={
                "title": keep(c.title), "summary": keep(c.summary),
                "success_factors": [keep(f) for f in c.success_factors],
                "source": keep(c.source) if c.source else c.source}))
        return out


def load_cases(path: str | Path, cat: Catalogue) -> Cases:
    """Read and validate a case library and its `<stem>.<lang>.yaml` translations."""
    doc, library = read_model(path, CaseLibrary)
    dims = {d.id for d in cat.dimensions}
    problems = [doc.problem(("cases", i, "dimension"),
                            f"unknown dimension {c.dimension!r}; expected one of {sorted(dims)}")
                for i, c in enumerate(library.cases) if c.dimension not in dims]
    if problems:
        raise InputError(problems)
    ids = {c.id for c in library.cases}
    texts: dict[str, dict[str, CaseText]] = {}
    files: dict[str, str] = {}
    path = Path(path)
    for file in sorted(path.parent.glob(f"{path.stem}.*{path.suffix}")):
        lang = file.name[len(path.stem) + 1: -len(path.suffix)]
        if not lang.isalpha() or lang == library.language:
            continue
        tdoc, translation = read_model(file, CaseTranslation)
        problems = [tdoc.problem(("cases", cid), f"unknown case {cid!r}; expected one of the "
                                 f"ids in {path.name}") for cid in translation.cases
                    if cid not in ids]
        if problems:
            raise InputError(problems)
        texts[lang], files[lang] = translation.cases, str(file)
    return Cases(library.cases, library.language, texts, files)


def select_case(cases: list[Case], dimension: str, region: str,
                composites: pd.Series) -> Case | None:
    """Pick the case of the best-scoring other region that documents this dimension."""
    candidates = [c for c in cases if c.dimension == dimension and c.region != region
                  and c.region in composites.index and pd.notna(composites[c.region])]
    if not candidates:
        return None
    # max() keeps the first of equals: sorting first makes ties go to the lowest region code.
    candidates.sort(key=lambda c: (c.region, c.id))
    return max(candidates, key=lambda c: float(composites[c.region]))


def pinned_case(cases: list[Case], dimension: str, region: str, case_id: str,
                portfolio: Collection[str] = ()) -> Case:
    """Return the case pinned for a region and dimension, checking that it fits."""
    where = f"config key pins.{region}.{dimension}"
    found = next((c for c in cases if c.id == case_id), None)
    if found is None:
        raise UsageError(f"{where}: no case {case_id!r} in the case library")
    if found.dimension != dimension:
        raise UsageError(f"{where}: case {case_id!r} documents {found.dimension!r}, not "
                         f"{dimension!r}")
    if found.region == region:
        raise UsageError(f"{where}: case {case_id!r} is the region's own; a good-practice case "
                         "comes from another region")
    if portfolio and found.region not in portfolio:
        raise UsageError(f"{where}: case {case_id!r} comes from region {found.region!r}, "
                         "which is not in this report's portfolio")
    return found


def further_cases(cases: list[Case], dimension: str, region: str, composites: pd.Series,
                  shown: Case | None) -> list[Case]:
    """Return every other documented practice of regions ahead of `region` in `dimension`.

    Best-scoring region first; the case already shown is left out. A region without a value
    of its own in the dimension leaves nothing to be ahead of: then every region with a value
    counts.
    """
    ours = composites.get(region)
    floor = float(ours) if ours is not None and pd.notna(ours) else float("-inf")
    ahead = [c for c in cases if c.dimension == dimension and c.region != region
             and c != shown and c.region in composites.index
             and pd.notna(composites[c.region]) and float(composites[c.region]) > floor]
    return sorted(ahead, key=lambda c: (-float(composites[c.region]), c.region, c.id))


def leaders(composites: pd.Series, region: str, top: int = 3) -> list[tuple[str, float]]:
    """Return the `top` other regions with the highest values (ties by region code)."""
    others = composites.drop(index=region, errors="ignore").dropna()
    ranked = sorted(others.items(), key=lambda kv: (-float(kv[1]), str(kv[0])))
    return [(str(r), float(v)) for r, v in ranked[:top]]

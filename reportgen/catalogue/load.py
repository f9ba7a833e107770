"""Load a catalogue from YAML, reporting every problem with its YAML path and line."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from reportgen.catalogue.schema import Catalogue, Scale, Translation
from reportgen.catalogue.translate import check
from reportgen.errors import InputError
from reportgen.yamlio import read_model


def load_catalogue(path: str | Path) -> Catalogue:
    """Read, validate and cross-check the catalogue at `path`, with its translation files."""
    doc, catalogue = read_model(path, Catalogue)
    problems = [doc.problem(loc, msg) for loc, msg in cross_check(catalogue)]
    if problems:
        raise InputError(problems)
    extra = sibling_translations(Path(path), catalogue)
    if extra:
        catalogue = catalogue.model_copy(
            update={"translations": {**catalogue.translations, **extra}})
    return catalogue


def sibling_translations(path: Path, cat: Catalogue) -> dict[str, Translation]:
    """Load `<stem>.<lang>.yaml` files beside the catalogue, e.g. stresstest_v1.de.yaml."""
    found: dict[str, Translation] = {}
    for file in sorted(path.parent.glob(f"{path.stem}.*.yaml")):
        lang = file.name[len(path.stem) + 1: -len(".yaml")]
        if not lang.isalpha():
            continue
        doc, translation = read_model(file, Translation)
        if lang in cat.translations:
            raise InputError.single(str(file), f"language {lang!r} is also translated inside "
                                    f"{path.name}; keep one of the two")
        problems = [doc.problem(loc[2:], msg) for loc, msg in check(cat, lang, translation)]
        if problems:
            raise InputError(problems)
        found[lang] = translation
    return found


def cross_check(cat: Catalogue) -> list[tuple[tuple[Any, ...], str]]:
    """Check references between sections; return (YAML path, message) pairs."""
    found: list[tuple[tuple[Any, ...], str]] = []
    _unique(found, [("groups", i, "id") for i in range(len(cat.groups))],
            [g.id for g in cat.groups])
    _unique(found, [("dimensions", i, "id") for i in range(len(cat.dimensions))],
            [d.id for d in cat.dimensions])
    ind_paths = [("dimensions", di, "indicators", ii, "id")
                 for di, d in enumerate(cat.dimensions) for ii in range(len(d.indicators))]
    _unique(found, ind_paths, [i.id for i in cat.indicators])
    _unique(found, [("questions", i, "id") for i in range(len(cat.questions))],
            [q.id for q in cat.questions])
    owners: dict[str, set[str]] = {}
    for group in cat.groups:
        for spelling in (group.id, group.label, *group.aliases):
            owners.setdefault(spelling.strip().casefold(), set()).add(group.id)
    clash = sorted(s for s, ids in owners.items() if len(ids) > 1)
    if clash:
        found.append((("groups",), f"spellings used by more than one group: {clash}"))
    lo, hi = cat.score.min, cat.score.max
    for name, scale in cat.scales.items():
        for i, opt in enumerate(scale.options):
            if opt.score is not None and not lo <= opt.score <= hi:
                found.append((("scales", name, "options", i, "score"),
                               f"expected a score within {lo:g}..{hi:g}, got {opt.score:g}"))
        for i, step in enumerate(scale.thresholds):
            if not lo <= step.score <= hi:
                found.append((("scales", name, "thresholds", i, "score"),
                               f"expected a score within {lo:g}..{hi:g}, got {step.score:g}"))
        codes = [o.code.casefold() for o in (*scale.options, *scale.missing)]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            found.append((("scales", name), f"answer codes used twice: {dupes}"))
        found += scale_problems(name, scale)
    indicator_ids = {i.id for i in cat.indicators}
    group_ids = {g.id for g in cat.groups}
    for qi, q in enumerate(cat.questions):
        if q.indicator not in indicator_ids:
            found.append((("questions", qi, "indicator"),
                           f"unknown indicator {q.indicator!r}; expected one of the "
                           f"dimensions' indicator ids"))
        if q.scale not in cat.scales:
            found.append((("questions", qi, "scale"),
                           f"unknown scale {q.scale!r}; expected one of {sorted(cat.scales)}"))
        for gid in q.texts:
            if gid not in group_ids:
                found.append((("questions", qi, "texts", gid),
                               f"unknown group {gid!r}; expected one of {sorted(group_ids)}"))
    asked = {q.indicator for q in cat.questions}
    for path, ind in zip(ind_paths, cat.indicators, strict=True):
        if ind.id not in asked:
            found.append((path, f"indicator {ind.id!r} has no question"))
        most = max((sum(1 for q in cat.questions if q.indicator == ind.id and g.id in q.texts)
                    for g in cat.groups), default=0)
        if ind.min_items is not None and 0 < most < ind.min_items:
            found.append(((*path[:-1], "min_items"), f"expected at most {most} (the most "
                          f"questions any group is asked on it), got {ind.min_items}"))
    terms = [e.term.strip().casefold() for e in cat.glossary]
    found += [(("glossary", i, "term"), f"term {e.term!r} is explained twice")
              for i, e in enumerate(cat.glossary) if terms.index(terms[i]) < i]
    for di, dim in enumerate(cat.dimensions):
        for ii, ind in enumerate(dim.indicators):
            if ind.determinant and dim.determinants and ind.determinant not in dim.determinants:
                found.append((("dimensions", di, "indicators", ii, "determinant"),
                               f"expected one of the dimension's determinants, "
                               f"got {ind.determinant!r}"))
    for lang, translation in cat.translations.items():
        found += check(cat, lang, translation)
    if not math.isfinite(cat.score.span):
        found.append((("score",), "expected finite min and max"))
    return found


def scale_problems(name: str, scale: Scale) -> list[tuple[tuple[Any, ...], str]]:
    """Check a scale's answers for what would score or read them wrongly."""
    found: list[tuple[tuple[Any, ...], str]] = []
    answers = [*scale.options, *scale.missing]
    labels = [o.label.strip().casefold() for o in answers]
    if twice := sorted({lab for lab in labels if labels.count(lab) > 1}):
        found.append((("scales", name), f"answer labels used twice: {twice} (respondents and "
                      "exports that hold labels could not tell them apart)"))
    for i, o in enumerate(answers):
        other = [a.code for a in answers if a is not o and a.code.casefold() == labels[i]]
        if other:
            kind, k = ("options", i) if i < len(scale.options) else \
                ("missing", i - len(scale.options))
            found.append((("scales", name, kind, k, "label"), f"label {o.label!r} is the code "
                          "of another answer: an export holding labels would be ambiguous"))
    numbers = [o.code.strip().lstrip("+-").isdigit() for o in scale.options]
    if scale.type == "ordered" and len(scale.options) > 2 and all(numbers):
        values = [int(o.code) for o in scale.options]
        steps = {b - a for a, b in zip(values, values[1:], strict=False)}
        if steps not in ({1}, {-1}):
            found.append((("scales", name, "options"), f"codes {values} are not consecutive "
                          "whole numbers in order, yet an ordered scale scores its options "
                          "evenly by position: list every answer worst first, or use type: "
                          "choice with a score per option"))
    for i, step in enumerate(scale.thresholds):
        if step.min_count > len(scale.options):
            found.append((("scales", name, "thresholds", i, "min_count"), f"expected at most "
                          f"{len(scale.options)} (the options there are to tick), got "
                          f"{step.min_count}"))
    return found


def _unique(found: list[tuple[tuple[Any, ...], str]], paths: list[tuple[Any, ...]],
            ids: list[str]) -> None:
    seen: set[str] = set()
    for path, ident in zip(paths, ids, strict=True):
        if ident in seen:
            found.append((path, f"duplicate id {ident!r}"))
        seen.add(ident)

"""Translations of a catalogue's report texts, and a catalogue localised to one language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from reportgen.catalogue.schema import (
    Catalogue,
    Dimension,
    DimensionText,
    Framing,
    FramingText,
    Group,
    GroupText,
    Indicator,
    IndicatorText,
    Option,
    Scale,
    Translation,
)


def check(cat: Catalogue, lang: str, t: Translation) -> list[tuple[tuple[Any, ...], str]]:
    """Return (YAML path, message) for ids in the translation that the catalogue lacks."""
    base: tuple[Any, ...] = ("translations", lang)
    found = [((*base, "groups", g), f"unknown group {g!r}") for g in t.groups
             if g not in {x.id for x in cat.groups}]
    dims = {d.id: d for d in cat.dimensions}
    for did, dt in t.dimensions.items():
        if did not in dims:
            found.append(((*base, "dimensions", did), f"unknown dimension {did!r}"))
            continue
        ids = {i.id for i in dims[did].indicators}
        found += [((*base, "dimensions", did, "indicators", i), f"unknown indicator {i!r}")
                  for i in dt.indicators if i not in ids]
        if dt.determinants is not None and len(dt.determinants) != len(dims[did].determinants):
            found.append(((*base, "dimensions", did, "determinants"),
                          f"expected {len(dims[did].determinants)} determinants, got "
                          f"{len(dt.determinants)}"))
    if t.report is not None and t.report.levels is not None:
        found += [((*base, "report", "levels", k), f"unknown level {k!r}; expected one of "
                   f"{sorted(cat.report.levels)}") for k in t.report.levels
                  if k not in cat.report.levels]
        found += [((*base, "report", "levels"), f"level {k!r} is not translated")
                  for k in cat.report.levels if k not in t.report.levels]
    found += _check_survey(cat, base, t)
    if t.glossary is not None and len(t.glossary) != len(cat.glossary):
        found.append(((*base, "glossary"), f"expected {len(cat.glossary)} entries, got "
                      f"{len(t.glossary)}"))
    return found


def _check_survey(cat: Catalogue, base: tuple[Any, ...], t: Translation
                  ) -> list[tuple[tuple[Any, ...], str]]:
    """Check the translated answer labels and question wordings against the catalogue."""
    found: list[tuple[tuple[Any, ...], str]] = []
    for sid, labels in t.scales.items():
        if sid not in cat.scales:
            found.append(((*base, "scales", sid), f"unknown scale {sid!r}"))
            continue
        codes = {o.code for o in (*cat.scales[sid].options, *cat.scales[sid].missing)}
        found += [((*base, "scales", sid, code), f"unknown answer code {code!r} of scale "
                   f"{sid!r}; expected one of {sorted(codes)}") for code in labels
                  if code not in codes]
    questions = {q.id: q for q in cat.questions}
    for qid, texts in t.questions.items():
        if qid not in questions:
            found.append(((*base, "questions", qid), f"unknown question {qid!r}"))
            continue
        found += [((*base, "questions", qid, gid), f"question {qid!r} is not asked of group "
                   f"{gid!r}; expected one of {sorted(questions[qid].texts)}")
                  for gid in texts if gid not in questions[qid].texts]
    return found


Mark = Callable[[str], str]


def _set(model: BaseModel, texts: BaseModel | None, mark: Mark | None, **extra: Any) -> Any:
    """Copy `model` with the non-empty fields of `texts` (and `extra`) replaced.

    With `mark`, every text field the translation leaves out is passed through it, so that
    the report can tag the passage with the language it stays in.
    """
    given = {k: v for k, v in (texts.model_dump(exclude={"indicators"}) if texts else {}
                               ).items() if v is not None}
    update = dict(given)
    if mark is not None:
        for name in _text_fields(model):
            value = getattr(model, name)
            if name not in given and value:
                update[name] = ([mark(v) for v in value] if isinstance(value, list) else
                                {k: mark(v) for k, v in value.items()}
                                if isinstance(value, dict) else mark(value))
    return model.model_copy(update={**update, **extra})


def _text_fields(model: BaseModel) -> list[str]:
    """Name the translatable fields a catalogue object has (those of its *Text model)."""
    kinds: dict[type, type[BaseModel]] = {Group: GroupText, Dimension: DimensionText,
                                          Indicator: IndicatorText, Framing: FramingText}
    texts = kinds.get(type(model))
    return [f for f in texts.model_fields if f != "indicators"] if texts else []


def localise(cat: Catalogue, lang: str, translations: dict[str, Translation],
             mark: Mark | None = None) -> Catalogue:
    """Return the catalogue with its report texts in `lang` (unchanged if not translated).

    `mark` is applied to every text left in the catalogue's own language.
    """
    if lang == cat.language:
        return cat
    if lang not in translations and mark is None:
        return cat
    t = translations.get(lang, Translation())
    keep: Mark = mark or (lambda text: text)
    groups = [_set(g, t.groups.get(g.id), mark) for g in cat.groups]
    dims = []
    for d in cat.dimensions:
        dt = t.dimensions.get(d.id)
        inds = [_set(i, dt.indicators.get(i.id) if dt else None, mark) for i in d.indicators]
        dims.append(_set(d, dt, mark, indicators=inds))
    glossary = ([g.model_copy(update=x.model_dump()) for g, x in zip(cat.glossary, t.glossary,
                                                                       strict=True)]
                if t.glossary is not None else
                [g.model_copy(update={"term": keep(g.term), "definition": keep(g.definition)})
                 for g in cat.glossary])
    scales = {sid: _relabel(scale, t.scales.get(sid, {}), keep)
              for sid, scale in cat.scales.items()}
    questions = [q.model_copy(update={"texts": {
        gid: t.questions.get(q.id, {}).get(gid) or keep(text) for gid, text in q.texts.items()}})
        for q in cat.questions]
    # A fresh object (not model_copy) so that cached lookups are rebuilt for the new texts.
    data = {**dict(cat), "title": t.title or keep(cat.title), "language": lang,
            "report": _set(cat.report, t.report, mark),
            "groups": groups, "dimensions": dims, "glossary": glossary, "scales": scales,
            "questions": questions}
    return Catalogue.model_construct(**data)


def _relabel(scale: Scale, labels: dict[str, str], keep: Mark) -> Scale:
    """Return the scale with the translated labels of the answer codes given."""

    def options(opts: list[Option]) -> list[Option]:
        return [o.model_copy(update={"label": labels.get(o.code) or keep(o.label)})
                for o in opts]

    return scale.model_copy(update={"options": options(scale.options),
                                    "missing": options(scale.missing)})


def missing_texts(cat: Catalogue, lang: str) -> list[str]:
    """List the keys of every catalogue text `lang` does not translate (report and survey)."""
    if lang == cat.language:
        return []
    t = cat.translations.get(lang, Translation())
    gaps = [] if t.title or not cat.title else ["title"]
    gaps += _gaps(cat.report, t.report, "report")
    for g in cat.groups:
        gaps += _gaps(g, t.groups.get(g.id), f"groups.{g.id}")
    for d in cat.dimensions:
        dt = t.dimensions.get(d.id)
        gaps += _gaps(d, dt, f"dimensions.{d.id}")
        for i in d.indicators:
            gaps += _gaps(i, dt.indicators.get(i.id) if dt else None,
                          f"dimensions.{d.id}.indicators.{i.id}")
    if cat.glossary and t.glossary is None:
        gaps.append("glossary")
    gaps += [f"scales.{sid}.{o.code}" for sid, scale in cat.scales.items()
             for o in (*scale.options, *scale.missing) if o.code not in t.scales.get(sid, {})]
    gaps += [f"questions.{q.id}.{gid}" for q in cat.questions for gid in q.texts
             if gid not in t.questions.get(q.id, {})]
    return gaps


def _gaps(model: BaseModel, texts: BaseModel | None, key: str) -> list[str]:
    """List the text fields `model` has that `texts` leaves out."""
    return [f"{key}.{name}" for name in _text_fields(model)
            if getattr(model, name) and getattr(texts, name, None) is None]

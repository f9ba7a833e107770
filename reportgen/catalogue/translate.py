"""Translations of a catalogue's report texts, and a catalogue localised to one language."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from reportgen.catalogue.schema import Catalogue, Option, Scale, Translation


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


def _set(model: BaseModel, texts: BaseModel | None, **extra: Any) -> Any:
    """Copy `model` with the non-empty fields of `texts` (and `extra`) replaced."""
    update = {k: v for k, v in (texts.model_dump(exclude={"indicators"}) if texts else {}
                                ).items() if v is not None}
    return model.model_copy(update={**update, **extra})


def localise(cat: Catalogue, lang: str, translations: dict[str, Translation]) -> Catalogue:
    """Return the catalogue with its report texts in `lang` (unchanged if not translated)."""
    if lang == cat.language or lang not in translations:
        return cat
    t = translations[lang]
    groups = [_set(g, t.groups.get(g.id)) for g in cat.groups]
    dims = []
    for d in cat.dimensions:
        dt = t.dimensions.get(d.id)
        inds = [_set(i, dt.indicators.get(i.id) if dt else None) for i in d.indicators]
        dims.append(_set(d, dt, indicators=inds))
    glossary = ([g.model_copy(update=x.model_dump()) for g, x in zip(cat.glossary, t.glossary,
                                                                       strict=True)]
                if t.glossary is not None else cat.glossary)
    scales = {sid: _relabel(scale, t.scales.get(sid, {})) for sid, scale in cat.scales.items()}
    questions = [q.model_copy(update={"texts": {**q.texts, **t.questions.get(q.id, {})}})
                 for q in cat.questions]
    # A fresh object (not model_copy) so that cached lookups are rebuilt for the new texts.
    data = {**dict(cat), "title": t.title or cat.title, "language": lang, "groups": groups,
            "dimensions": dims, "glossary": glossary, "scales": scales,
            "questions": questions}
    return Catalogue.model_construct(**data)


def _relabel(scale: Scale, labels: dict[str, str]) -> Scale:
    """Return the scale with the translated labels of the answer codes given."""
    if not labels:
        return scale

    def options(opts: list[Option]) -> list[Option]:
        return [o.model_copy(update={"label": labels.get(o.code, o.label)}) for o in opts]

    return scale.model_copy(update={"options": options(scale.options),
                                    "missing": options(scale.missing)})


def missing_texts(cat: Catalogue, lang: str) -> list[str]:
    """List the survey texts (question wordings, answer labels) `lang` does not translate."""
    if lang == cat.language:
        return []
    t = cat.translations.get(lang, Translation())
    gaps = [f"scales.{sid}.{o.code}" for sid, scale in cat.scales.items()
            for o in (*scale.options, *scale.missing) if o.code not in t.scales.get(sid, {})]
    gaps += [f"questions.{q.id}.{gid}" for q in cat.questions for gid in q.texts
             if gid not in t.questions.get(q.id, {})]
    return gaps

"""Translations of a catalogue's report texts, and a catalogue localised to one language."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from reportgen.catalogue.schema import Catalogue, Translation


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
    if t.glossary is not None and len(t.glossary) != len(cat.glossary):
        found.append(((*base, "glossary"), f"expected {len(cat.glossary)} entries, got "
                      f"{len(t.glossary)}"))
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
    # A fresh object (not model_copy) so that cached lookups are rebuilt for the new texts.
    data = {**dict(cat), "title": t.title or cat.title, "language": lang, "groups": groups,
            "dimensions": dims, "glossary": glossary}
    return Catalogue.model_construct(**data)

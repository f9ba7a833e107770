"""The questionnaire from the catalogue: survey-tool imports, the matching mapping, print."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from reportgen.catalogue.schema import Catalogue
from reportgen.catalogue.translate import localise, missing_texts
from reportgen.errors import InputError, Problem
from reportgen.output import staged_folder
from reportgen.questionnaire.lss import mapping, write_lss
from reportgen.questionnaire.plan import Plan, plan
from reportgen.questionnaire.printed import printed
from reportgen.questionnaire.tsv import write_tsv
from reportgen.report.html import render_document
from reportgen.report.i18n import Lang, check_language
from reportgen.report.pdf import write_pdf
from reportgen.safenames import safe_name

__all__ = ["FORMATS", "survey_languages", "write_questionnaire"]

FORMATS = ("lss", "txt", "html", "pdf")


def _survey_gaps(cat: Catalogue, lang: str) -> list[str]:
    """List the catalogue texts a questionnaire in `lang` lacks (the report's framing aside)."""
    return [key for key in missing_texts(cat, lang) if not key.startswith("report.")]


def survey_languages(cat: Catalogue, asked: Sequence[str] = ()) -> list[str]:
    """Return the survey's languages: those asked, or every complete one (own first)."""
    if not asked:
        return [cat.language, *(lang for lang in sorted(cat.translations)
                                if lang != cat.language and not _survey_gaps(cat, lang))]
    for lang in asked:
        check_language(lang)  # the questionnaire's own texts are the package's
        gaps = _survey_gaps(cat, lang)
        if gaps:
            where = f"catalogue {cat.id!r}, language {lang!r}"
            raise InputError([Problem(where, f"no text for translations.{lang}.{key}")
                              for key in gaps])
    return list(dict.fromkeys(asked))


def write_questionnaire(cat: Catalogue, out_dir: Path, *, languages: Sequence[str] = (),
                        region: str | None = None, formats: Sequence[str] = FORMATS,
                        templates: Sequence[Path] = (), force: bool = False,
                        log: Callable[[str], None] = lambda _m: None) -> tuple[Path, list[str]]:
    """Write the questionnaire files into a new folder in `out_dir`; return it and its files."""
    langs = survey_languages(cat, languages)
    cats = {lang: localise(cat, lang, cat.translations) for lang in langs}
    survey = plan(cats, region)
    # A failed run removes the folder it made: nothing half-written stays behind.
    with staged_folder(Path(out_dir) / f"{safe_name(cat.id)}-questionnaire",
                       force) as (folder, stage):
        names = _write(stage, survey, cats, formats, list(templates), log)
    return folder, names


def _write(stage: Callable[[str], Path], survey: Plan, cats: dict[str, Catalogue],
           formats: Sequence[str], templates: list[Path], log: Callable[[str], None]
           ) -> list[str]:
    from reportgen import __version__

    cat = survey.catalogue
    stem, names = safe_name(cat.id), []
    if "lss" in formats:
        stage(f"{stem}.lss").write_bytes(write_lss(survey))
        names.append(f"{stem}.lss")
    if "txt" in formats:
        stage(f"{stem}.txt").write_bytes(write_tsv(survey))
        names.append(f"{stem}.txt")
    header = (f"# Reads the LimeSurvey export of {stem}.lss (catalogue {cat.id}, version "
              f"{cat.version}).\n# Export the responses as CSV with question codes as headings "
              "and answer codes as answers.\n")
    stage(f"{stem}-mapping.yaml").write_text(
        header + yaml.safe_dump(mapping(survey), sort_keys=False, allow_unicode=True),
        encoding="utf-8")
    names.append(f"{stem}-mapping.yaml")
    if not {"html", "pdf"} & set(formats):
        return names  # no print asked for: nothing to lay out
    for lang, localised in cats.items():
        glossary = [(e.term, e.definition) for e in localised.glossary]
        for group in cat.groups:
            doc = printed(survey, lang, group.id, glossary, f"reportgen {__version__}")
            if not doc.sections:
                continue
            html = render_document(Lang(lang), templates, "questionnaire.html", q=doc)
            name = f"questionnaire-{safe_name(group.id)}-{lang}"
            if "html" in formats:
                stage(f"{name}.html").write_text(html, encoding="utf-8")
                names.append(f"{name}.html")
            if "pdf" in formats:
                write_pdf(html, stage(f"{name}.pdf"), templates)
                names.append(f"{name}.pdf")
            log(f"  {name}: {sum(len(s['questions']) for s in doc.sections)} questions")
    return names

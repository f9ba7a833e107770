"""Plan a survey from the catalogue: survey-tool codes for every question, group and answer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from reportgen.catalogue.schema import Catalogue, Framing, Scale
from reportgen.report.i18n import Lang

# LimeSurvey's limits: question codes start with a letter, letters and digits only, at most
# 20 characters; answer codes at most 5 characters.
_QCODE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,19}$")
_ACODE = re.compile(r"^[A-Za-z0-9]{1,5}$")
GROUP_CODE, REGION_CODE = "GROUP", "REGION"


@dataclass(frozen=True)
class Answer:
    code: str  # the survey tool's code
    catalogue: str  # the catalogue's code it stands for
    labels: dict[str, str]  # language -> label
    missing: bool = False  # "don't know", "not applicable"


@dataclass(frozen=True)
class Item:
    """One question as the survey tool holds it: one catalogue question in one group's words."""

    code: str
    question: str  # catalogue question id
    group: str  # catalogue group id whose wording this is
    multi: bool
    texts: dict[str, str]  # language -> wording
    help: dict[str, str]  # language -> glossary entries for terms the wording uses
    answers: list[Answer]


@dataclass(frozen=True)
class Section:
    id: str
    titles: dict[str, str]
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    languages: list[str]
    title: dict[str, str]
    groups: list[Answer]  # the stakeholder-group question's answers
    region: str | None  # a fixed region code, or None to ask for it
    sections: list[Section]
    texts: dict[str, dict[str, str]]  # language -> the fixed texts (intro, group question)
    catalogue: Catalogue  # in its own language



def lime_html(text: str) -> str:
    """Return a text as LimeSurvey should show it: escaped HTML, inert braces, kept breaks."""
    # LimeSurvey renders question, help and answer texts as HTML and runs {…} as its
    # expression language: catalogue text "<script>" or "{if(…)}" would run in respondents'
    # browsers. Entities show the characters and give neither a meaning.
    escaped = html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\r", "").replace("\n", "<br />")

def _answer_codes(scale: Scale) -> dict[str, str]:
    """Map catalogue codes to survey-tool codes: kept when valid, else A1, A2, …"""
    codes = [o.code for o in (*scale.options, *scale.missing)]
    if all(_ACODE.match(c) for c in codes) and len({c.casefold() for c in codes}) == len(codes):
        return {c: c for c in codes}
    return {c: f"A{k}" for k, c in enumerate(codes, start=1)}


def _terms(text: str, glossary: list[tuple[str, str]]) -> str:
    """Return the glossary entries whose term the text uses, one per line."""
    used = []
    for term, definition in glossary:
        # "S3 (Smart Specialisation Strategy)": the short form before the brackets counts too.
        forms = {term, term.split(" (")[0]}
        # Whole words, with a plural ending: "n" must not match "needed".
        if any(re.search(rf"(?<!\w){re.escape(f)}(?:s|es|n|en)?(?!\w)", text, re.IGNORECASE)
               for f in forms):
            used.append(f"{term}: {definition}")
    return "\n".join(used)


def plan(cats: dict[str, Catalogue], region: str | None = None) -> Plan:
    """Plan the survey in every language of `cats` (language -> localised catalogue)."""
    langs = list(cats)
    base = cats[langs[0]]
    texts = {lang: _fixed(Lang(lang), c.report) for lang, c in cats.items()}
    # The survey tool shows one title: the questionnaire's name, else the catalogue's.
    for lang, c in cats.items():
        texts[lang]["survey"] = c.report.questionnaire or c.title
    groups = [Answer(f"G{k}", g.id, {lang: c.groups[k - 1].label for lang, c in cats.items()})
              for k, g in enumerate(base.groups, start=1)]
    used = {GROUP_CODE.casefold(), REGION_CODE.casefold()}
    # Always first: the region and the stakeholder group (see lss.write_lss).
    sections = [Section("about", {lang: texts[lang]["about"] for lang in langs})]
    by_indicator = {i.id: d.id for d in base.dimensions for i in d.indicators}
    for dk, dim in enumerate(base.dimensions):
        section = Section(dim.id, {lang: c.dimensions[dk].name for lang, c in cats.items()})
        sections.append(section)
        for qk, q in enumerate(base.questions):
            if by_indicator[q.indicator] != dim.id:
                continue
            scale = base.scales[q.scale]
            codes = _answer_codes(scale)
            answers = [Answer(codes[o.code], o.code,
                              {lang: _option(c.scales[q.scale], o.code) for lang, c in
                               cats.items()}, o in scale.missing)
                       for o in (*scale.options, *scale.missing)]
            for gk, group in enumerate(base.groups, start=1):
                if group.id not in q.texts:
                    continue
                code = _code(q.id, gk, qk, used)
                wording = {lang: c.questions[qk].texts[group.id] for lang, c in cats.items()}
                helps = {lang: _terms(wording[lang], [(e.term, e.definition)
                                                      for e in c.glossary])
                         for lang, c in cats.items()}
                section.items.append(Item(code, q.id, group.id, scale.type == "multi",
                                          wording, helps, answers))
    title = {lang: c.title for lang, c in cats.items()}
    return Plan(langs, title, groups, region, sections, texts, base)


def _option(scale: Scale, code: str) -> str:
    return next(o.label for o in (*scale.options, *scale.missing) if o.code == code)


def _code(qid: str, group: int, index: int, used: set[str]) -> str:
    """Make a unique LimeSurvey question code for a question in one group's wording."""
    clean = re.sub(r"[^A-Za-z0-9]", "", qid)
    code = f"{clean}G{group}"
    if not _QCODE.match(code) or code.casefold() in used:
        code = f"Q{index + 1:03d}G{group}"
    used.add(code.casefold())
    return code


def _fixed(t: Lang, framing: Framing) -> dict[str, str]:
    """Return the questionnaire's own texts in one language; the catalogue's framing first."""
    return {
        "heading": framing.questionnaire or t._("Questionnaire"),
        "about": t._("About you"),
        "group": t._("Which of these best describes the organisation you answer for?"),
        "region": t._("Which region do you answer for? Please give its name or code."),
        "welcome": framing.welcome or t._("Please answer from the point of view of your "
                                          "organisation, and do not guess where you cannot "
                                          "judge a statement."),
        "end": t._("Thank you for taking part. Your answers feed the region's report, which "
                   "shows values only for groups with enough respondents."),
        "multi": t._("Select all that apply."),
    }

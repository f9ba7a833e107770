"""Lay out the questionnaire of one stakeholder group for print (HTML, then tagged PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.questionnaire.plan import Plan


@dataclass(frozen=True)
class Printed:
    """The template context of one group's questionnaire in one language."""

    language: str
    title: str
    heading: str  # the questionnaire's name, before the group's
    group: str
    welcome: str
    end: str
    multi: str
    sections: list[dict[str, Any]]
    glossary: list[tuple[str, str]]
    generator: str


def printed(plan: Plan, lang: str, group: str, glossary: list[tuple[str, str]],
            generator: str) -> Printed:
    """Return the questions `group` is asked, numbered, with their options, in `lang`."""
    words = plan.texts[lang]
    label = next(a.labels[lang] for a in plan.groups if a.catalogue == group)
    sections, number = [], 0
    for section in plan.sections:
        questions = []
        for item in section.items:
            if item.group != group:
                continue
            number += 1
            questions.append({
                "number": number, "code": item.code, "text": item.texts[lang],
                "multi": item.multi,
                "options": [{"label": a.labels[lang], "missing": a.missing}
                            for a in item.answers]})
        if questions:
            sections.append({"title": section.titles[lang], "questions": questions})
    return Printed(lang, plan.title[lang], words["heading"], label, words["welcome"], words["end"],
                   words["multi"], sections, glossary, generator)


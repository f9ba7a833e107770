"""Write the survey plan in LimeSurvey's tab-separated survey structure format (.txt)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from reportgen.questionnaire.lss import subquestion_code
from reportgen.questionnaire.plan import GROUP_CODE, REGION_CODE, Answer, Item, Plan, lime_html

# The documented columns of "Tab Separated Value Import and Export of Survey Structure",
# as LimeSurvey 3 to 6 export them, plus the one question attribute the survey uses.
COLUMNS = ("id", "related_id", "class", "type/scale", "name", "relevance", "text", "help",
           "language", "validation", "mandatory", "encrypted", "other", "default",
           "same_default", "exclude_all_others")
_SETTINGS = {"format": "G", "anonymized": "N", "datestamp": "Y", "allowprev": "Y",
             "shownoanswer": "N", "showprogress": "Y", "showwelcome": "Y"}

Row = dict[str, str]


def write_tsv(plan: Plan) -> bytes:
    """Return the survey as LimeSurvey's .txt structure: the same survey as the .lss."""
    langs = plan.languages
    rows: list[Row] = [_row("S", name="language", text=langs[0]),
                       _row("S", name="additional_languages", text=" ".join(langs[1:]))]
    rows += [_row("S", name=key, text=value) for key, value in _SETTINGS.items()]
    for lang in langs:
        words = plan.texts[lang]
        rows += [_row("SL", name=key, text=value, language=lang) for key, value in (
            ("surveyls_title", plan.texts[lang]["survey"]),
            ("surveyls_welcometext", lime_html(words["welcome"])),
            ("surveyls_endtext", lime_html(words["end"])),
            ("surveyls_numberformat", "0" if lang == "en" else "1"))]
    number = 0
    for order, section in enumerate(plan.sections):
        rows += [_row("G", **{"type/scale": str(order)}, name=section.titles[lang],
                      relevance="1", language=lang) for lang in langs]
        if order == 0:  # the plan's first section is always "About you"
            if plan.region is None:
                number += 1
                rows += _question(plan, number, "S", REGION_CODE,
                                  {lang: plan.texts[lang]["region"] for lang in langs})
            number += 1
            rows += _question(plan, number, "L", GROUP_CODE,
                              {lang: plan.texts[lang]["group"] for lang in langs},
                              answers=plan.groups)
        for item in section.items:
            number += 1
            rows += _item(plan, number, item)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _row(kind: str, **fields: str) -> Row:
    # One logical line per row: line breaks in texts become HTML breaks, as LimeSurvey shows them.
    return {"class": kind, **{k: v.replace("\r", "").replace("\n", "<br />")
                             for k, v in fields.items()}}


def _question(plan: Plan, number: int, kind: str, code: str, texts: dict[str, str], *,
              helps: dict[str, str] | None = None, relevance: str = "1",
              answers: Sequence[Answer] = (), subquestions: Sequence[Answer] = (),
              exclusive: str = "") -> list[Row]:
    """Return the rows of one question: per language the question, its options and answers."""
    rows: list[Row] = []
    for lang in plan.languages:
        rows.append(_row("Q", id=str(number), **{"type/scale": kind}, name=code,
                         relevance=relevance, text=lime_html(texts[lang]),
                         help=lime_html((helps or {}).get(lang, "")), language=lang,
                         mandatory="Y" if code in (GROUP_CODE, REGION_CODE) else "N",
                         encrypted="N", other="N", same_default="0",
                         exclude_all_others=exclusive))
        rows += [_row("SQ", **{"type/scale": "0"}, name=subquestion_code(a.code, k),
                      text=lime_html(a.labels[lang]), language=lang)
                 for k, a in enumerate(subquestions, start=1)]
        rows += [_row("A", **{"type/scale": "0"}, name=a.code, text=lime_html(a.labels[lang]),
                      language=lang) for a in answers]
    return rows


def _item(plan: Plan, number: int, item: Item) -> list[Row]:
    group = next(a.code for a in plan.groups if a.catalogue == item.group)
    # Only the respondents of this wording's group see it (as in the .lss).
    relevance = f'((GROUP.NAOK == "{group}"))'
    if not item.multi:
        return _question(plan, number, "L", item.code, item.texts, helps=item.help,
                         relevance=relevance, answers=item.answers)
    helps = {lang: "\n".join(x for x in (plan.texts[lang]["multi"], item.help[lang]) if x)
             for lang in plan.languages}
    exclusive = ";".join(subquestion_code(a.code, k)
                         for k, a in enumerate(item.answers, start=1) if a.missing)
    return _question(plan, number, "M", item.code, item.texts, helps=helps,
                     relevance=relevance, subquestions=item.answers, exclusive=exclusive)

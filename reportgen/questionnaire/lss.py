"""Write the survey plan as a LimeSurvey survey structure file (.lss) and its mapping."""

from __future__ import annotations

import hashlib
from typing import Any
from xml.etree import ElementTree as ET

from reportgen.questionnaire.plan import GROUP_CODE, REGION_CODE, Item, Plan, lime_html

# The structure LimeSurvey 5 writes (question, group and answer texts in *_l10ns tables);
# LimeSurvey 6 imports it and upgrades it to its own database version.
DB_VERSION = "477"
_Q_FIELDS = ("qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory",
             "encrypted", "question_order", "scale_id", "same_default", "relevance",
             "question_theme_name", "modulename")
_SURVEY = {"gsid": "1", "admin": "", "adminemail": "", "anonymized": "N", "format": "G",
           "template": "inherit", "datestamp": "Y", "usecookie": "N", "allowregister": "N",
           "allowsave": "Y", "autoredirect": "N", "allowprev": "Y", "printanswers": "N",
           "ipaddr": "N", "refurl": "N", "showsurveypolicynotice": "0", "publicstatistics": "N",
           "publicgraphs": "N", "listpublic": "N", "htmlemail": "Y", "sendconfirmation": "N",
           "tokenanswerspersistence": "N", "assessments": "N", "usecaptcha": "N",
           "usetokens": "N", "showxquestions": "N", "showgroupinfo": "B",
           # The catalogue's own "don't know" options stand in for LimeSurvey's "No answer".
           "shownoanswer": "N", "showqnumcode": "X", "showwelcome": "Y", "showprogress": "Y",
           "questionindex": "0", "navigationdelay": "0", "nokeyboard": "N",
           "alloweditaftercompletion": "N"}


def survey_id(plan: Plan) -> int:
    """Return a stable six-digit survey id (LimeSurvey assigns another if it is taken)."""
    key = f"{plan.catalogue.id}/{plan.catalogue.version}".encode()
    return 100000 + int(hashlib.sha256(key).hexdigest(), 16) % 900000


class _Tables:
    """Collect rows per table, then write each as LimeSurvey does: fields, then rows."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.fields: dict[str, tuple[str, ...]] = {}

    def add(self, table: str, fields: tuple[str, ...], **row: Any) -> None:
        self.fields.setdefault(table, fields)
        self.rows.setdefault(table, []).append(row)

    def write(self, doc: ET.Element, order: list[str]) -> None:
        for table in order:
            if table not in self.rows:
                continue
            section = ET.SubElement(doc, table)
            names = ET.SubElement(section, "fields")
            for name in self.fields[table]:
                ET.SubElement(names, "fieldname").text = name
            rows = ET.SubElement(section, "rows")
            for row in self.rows[table]:
                element = ET.SubElement(rows, "row")
                for name in self.fields[table]:
                    if name in row and row[name] is not None:
                        ET.SubElement(element, name).text = str(row[name])


class _Ids:
    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def next(self, kind: str) -> int:
        self.last[kind] = self.last.get(kind, 0) + 1
        return self.last[kind]


def write_lss(plan: Plan) -> bytes:
    """Return the .lss document of the plan: every language, every group's wording."""
    sid, ids, t = survey_id(plan), _Ids(), _Tables()
    langs = plan.languages
    for order, section in enumerate(plan.sections, start=1):
        gid = ids.next("gid")
        t.add("groups", ("gid", "sid", "group_order", "randomization_group", "grelevance"),
              gid=gid, sid=sid, group_order=order, randomization_group="", grelevance="1")
        for lang in langs:
            t.add("group_l10ns", ("id", "gid", "group_name", "description", "language"),
                  id=ids.next("gl"), gid=gid, group_name=section.titles[lang], description="",
                  language=lang)
        if order == 1:  # the plan's first section is always "About you"
            _about(plan, t, ids, sid, gid)
        for position, item in enumerate(section.items, start=1):
            _item(plan, t, ids, sid, gid, position, item)
    doc = ET.Element("document")
    ET.SubElement(doc, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(doc, "DBVersion").text = DB_VERSION
    languages = ET.SubElement(doc, "languages")
    for lang in langs:
        ET.SubElement(languages, "language").text = lang
    t.add("surveys", ("sid", "language", "additional_languages", *_SURVEY), sid=sid,
          language=langs[0], additional_languages=" ".join(langs[1:]), **_SURVEY)
    for lang in langs:
        words = plan.texts[lang]
        t.add("surveys_languagesettings",
              ("surveyls_survey_id", "surveyls_language", "surveyls_title",
               "surveyls_description", "surveyls_welcometext", "surveyls_endtext",
               "surveyls_dateformat", "surveyls_numberformat"),
              surveyls_survey_id=sid, surveyls_language=lang,
              surveyls_title=plan.texts[lang]["survey"], surveyls_description="",
              surveyls_welcometext=lime_html(words["welcome"]),
              surveyls_endtext=lime_html(words["end"]),
              surveyls_dateformat="1", surveyls_numberformat="0" if lang == "en" else "1")
    t.write(doc, ["answers", "answer_l10ns", "groups", "group_l10ns", "questions",
                  "subquestions", "question_l10ns", "question_attributes", "surveys",
                  "surveys_languagesettings"])
    ET.indent(doc, " ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(doc, encoding="utf-8")


def _question(t: _Tables, ids: _Ids, sid: int, gid: int, order: int, kind: str, code: str,
              texts: dict[str, str], helps: dict[str, str] | None = None, *,
              parent: int = 0, mandatory: str = "N", relevance: str = "1",
              theme: str = "") -> int:
    qid = ids.next("qid")
    t.add("subquestions" if parent else "questions", _Q_FIELDS, qid=qid, parent_qid=parent,
          sid=sid, gid=gid, type=kind, title=code, preg="", other="N", mandatory=mandatory,
          encrypted="N", question_order=order, scale_id=0, same_default=0,
          relevance=relevance, question_theme_name=theme, modulename="")
    for lang, text in texts.items():
        t.add("question_l10ns", ("id", "qid", "question", "help", "script", "language"),
              id=ids.next("ql"), qid=qid, question=lime_html(text),
              help=lime_html((helps or {}).get(lang, "")), script="", language=lang)
    return qid


def _answers(t: _Tables, ids: _Ids, qid: int, answers: list[Any]) -> None:
    for order, answer in enumerate(answers):
        aid = ids.next("aid")
        t.add("answers", ("aid", "qid", "code", "sortorder", "assessment_value", "scale_id"),
              aid=aid, qid=qid, code=answer.code, sortorder=order, assessment_value=0,
              scale_id=0)
        for lang, label in answer.labels.items():
            t.add("answer_l10ns", ("id", "aid", "answer", "language"), id=ids.next("al"),
                  aid=aid, answer=lime_html(label), language=lang)


def _about(plan: Plan, t: _Tables, ids: _Ids, sid: int, gid: int) -> None:
    """Ask for the region (unless the survey is for one) and the stakeholder group."""
    order = 1
    if plan.region is None:
        _question(t, ids, sid, gid, order, "S", REGION_CODE,
                  {lang: plan.texts[lang]["region"] for lang in plan.languages},
                  mandatory="Y", theme="shortfreetext")
        order += 1
    qid = _question(t, ids, sid, gid, order, "L", GROUP_CODE,
                    {lang: plan.texts[lang]["group"] for lang in plan.languages},
                    mandatory="Y", theme="listradio")
    _answers(t, ids, qid, plan.groups)


def _item(plan: Plan, t: _Tables, ids: _Ids, sid: int, gid: int, order: int,
          item: Item) -> None:
    group = next(a.code for a in plan.groups if a.catalogue == item.group)
    # Only the respondents of this wording's group see it.
    relevance = f'((GROUP.NAOK == "{group}"))'
    if not item.multi:
        qid = _question(t, ids, sid, gid, order, "L", item.code, item.texts, item.help,
                        relevance=relevance, theme="listradio")
        _answers(t, ids, qid, item.answers)
        return
    helps = {lang: "\n".join(x for x in (plan.texts[lang]["multi"], item.help[lang]) if x)
             for lang in plan.languages}
    qid = _question(t, ids, sid, gid, order, "M", item.code, item.texts, helps,
                    relevance=relevance, theme="multiplechoice")
    for k, answer in enumerate(item.answers, start=1):
        _question(t, ids, sid, gid, k, "T", subquestion_code(answer.code, k),
                  answer.labels, parent=qid)
    # A "don't know" tick clears and blocks the substantive options.
    exclusive = [subquestion_code(a.code, k) for k, a in enumerate(item.answers, start=1)
                 if a.missing]
    if exclusive:
        t.add("question_attributes", ("qid", "attribute", "value", "language"), qid=qid,
              attribute="exclude_all_others", value=";".join(exclusive), language="")


def subquestion_code(code: str, k: int) -> str:
    """Return the subquestion code of a multi-select option (letters and digits only)."""
    return f"SQ{code}" if code.isalnum() and len(code) <= 10 else f"SQ{k:03d}"


def mapping(plan: Plan) -> dict[str, Any]:
    """Return the mapping that reads this survey's LimeSurvey export (codes as headings)."""
    columns: dict[str, str] = {"id": "id", "group": GROUP_CODE, "completion": "submitdate"}
    if plan.region is None:
        columns["region"] = REGION_CODE
    questions: dict[str, Any] = {}
    recoded: dict[str, dict[str, str]] = {}
    scales = {q.id: q.scale for q in plan.catalogue.questions}
    for section in plan.sections:
        for item in section.items:
            if item.multi:
                spec: Any = {"columns": {
                    f"{item.code}[{subquestion_code(a.code, k)}]": a.catalogue
                    for k, a in enumerate(item.answers, start=1)}, "selected": ["Y"]}
            else:
                spec = item.code
                if any(a.code != a.catalogue for a in item.answers):
                    recoded[scales[item.question]] = {a.code: a.catalogue for a in item.answers}
            questions.setdefault(item.question, {"by_group": {}})["by_group"][item.group] = spec
    doc: dict[str, Any] = {"format": "limesurvey", "columns": columns}
    if plan.region is not None:
        doc["region"] = plan.region
    doc["groups"] = {a.code: a.catalogue for a in plan.groups}
    doc["questions"] = questions
    if recoded:
        doc["answers"] = recoded
    return doc

"""The questionnaire from the catalogue: the .lss, its mapping, a round trip, the print."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
import tinyhtml5

from reportgen.catalogue import load_catalogue
from reportgen.cli import main
from reportgen.resources import default_catalogue
from tests.conftest import DATA

NS = "{http://www.w3.org/1999/xhtml}"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("q")
    code, said, err = run("questionnaire", "--out", str(out), "--format", "lss", "txt", "html")
    assert code == 0, err
    folder = out / "reportgen-stresstest-questionnaire"
    assert f"questionnaire: {folder}" in said
    return folder


def table(doc: ElementTree.Element, name: str) -> list[dict[str, str]]:
    """Return a table section of an .lss as rows of field -> text."""
    section = doc.find(name)
    assert section is not None, name
    return [{f.tag: f.text or "" for f in row} for row in section.find("rows")]


def test_the_lss_has_the_structure_limesurvey_writes(generated):
    doc = ElementTree.parse(generated / "reportgen-stresstest.lss").getroot()
    assert doc.findtext("LimeSurveyDocType") == "Survey" and doc.findtext("DBVersion") == "477"
    assert [e.text for e in doc.find("languages")] == ["en", "de", "fr", "it", "sl"]
    for name in ("answers", "answer_l10ns", "groups", "group_l10ns", "questions",
                 "subquestions", "question_l10ns", "question_attributes", "surveys",
                 "surveys_languagesettings"):
        fields = [f.text for f in doc.find(name).find("fields")]
        assert fields and all(set(row) <= set(fields) for row in table(doc, name)), name
    cat = load_catalogue(default_catalogue())
    groups = table(doc, "groups")
    assert len(groups) == 1 + len(cat.dimensions)
    # The survey's title is the questionnaire's name (`report: questionnaire:`) per language.
    titles = {r["surveyls_language"]: r["surveyls_title"]
              for r in table(doc, "surveys_languagesettings")}
    assert (titles["en"], titles["de"]) == ("StressTest questionnaire", "StressTest-Fragebogen")
    # Every group, question and answer has its text in every survey language.
    for name, key in (("group_l10ns", "gid"), ("question_l10ns", "qid"), ("answer_l10ns", "aid")):
        langs: dict[str, set[str]] = {}
        for row in table(doc, name):
            langs.setdefault(row[key], set()).add(row["language"])
        everyone = frozenset({"en", "de", "fr", "it", "sl"})
        assert set(map(frozenset, langs.values())) == {everyone}, name
    questions = table(doc, "questions")
    asked = sum(len(q.texts) for q in cat.questions)
    assert len(questions) == asked + 2  # + region and stakeholder group
    relevances = {q["title"]: q["relevance"] for q in questions}
    assert relevances["Q01G1"] == '((GROUP.NAOK == "G1"))' and relevances["GROUP"] == "1"
    # Answer codes are the catalogue's; "don't know" is an option of its own.
    q01 = next(q["qid"] for q in questions if q["title"] == "Q01G1")
    assert [a["code"] for a in table(doc, "answers") if a["qid"] == q01] == \
        ["1", "2", "3", "4", "5", "9", "8"]
    german = {r["question"] for r in table(doc, "question_l10ns") if r["language"] == "de"}
    assert any(text.startswith("Ihre Clusterorganisation") for text in german)
    helps = [r["help"] for r in table(doc, "question_l10ns") if r["language"] == "en"]
    lines = [line for h in helps for line in h.split("<br />")]  # LimeSurvey shows HTML
    assert any(line.startswith("Cluster organisation: ") for line in lines)
    assert not any(line.startswith("n: ") for line in lines)  # "n" is not in "needed"


def _lss_questions(doc: ElementTree.Element) -> dict[str, dict]:
    """Read back what a respondent can answer: per question code its type and codes."""
    answers: dict[str, list[str]] = {}
    for a in sorted(table(doc, "answers"), key=lambda a: int(a["sortorder"])):
        answers.setdefault(a["qid"], []).append(a["code"])
    subs: dict[str, list[str]] = {}
    for s in sorted(table(doc, "subquestions"), key=lambda s: int(s["question_order"])):
        subs.setdefault(s["parent_qid"], []).append(s["title"])
    return {q["title"]: {"type": q["type"], "relevance": q["relevance"],
                         "answers": answers.get(q["qid"], []), "subs": subs.get(q["qid"], [])}
            for q in table(doc, "questions")}


def write_exports(generated: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Answer the generated survey at random: as LimeSurvey exports it, and in wide form."""
    doc = ElementTree.parse(generated / "reportgen-stresstest.lss").getroot()
    found = _lss_questions(doc)
    cat = load_catalogue(default_catalogue())
    scale_codes = {q.id: [o.code for o in (*cat.scales[q.scale].options,
                                           *cat.scales[q.scale].missing)]
                   for q in cat.questions}
    group_codes = found["GROUP"]["answers"]
    rng = random.Random(13)
    ls_header = ["id", "submitdate", "lastpage", "startlanguage", "REGION", "GROUP"]
    for code, q in found.items():
        if code in ("REGION", "GROUP"):
            continue
        ls_header += [f"{code}[{s}]" for s in q["subs"]] if q["type"] == "M" else [code]
    wide_header = ["respondent_id", "region", "group", *(q.id for q in cat.questions)]
    ls_rows, wide_rows, n = [], [], 0
    for region in ("R1", "R2", "R3"):
        for k, gcode in enumerate(group_codes):
            for _ in range(4 + k):
                n += 1
                ls = dict.fromkeys(ls_header, "")
                ls.update(id=str(n), submitdate="2026-05-04 10:00:00", lastpage="7",
                          startlanguage="en", REGION=region, GROUP=gcode)
                wide = dict.fromkeys(wide_header, "")
                wide.update(respondent_id=str(n), region=region,
                            group=cat.groups[k].id)
                for q in cat.questions:
                    code = f"{q.id}G{k + 1}"
                    if code not in found:
                        continue  # not asked of this group: the export leaves it empty
                    spec = found[code]
                    assert spec["relevance"] == f'((GROUP.NAOK == "{gcode}"))'
                    if spec["type"] == "M":
                        ticked = [s for s in spec["subs"] if rng.random() < 0.4]
                        for s in ticked:
                            ls[f"{code}[{s}]"] = "Y"
                        wide[q.id] = "|".join(s.removeprefix("SQ") for s in ticked)
                    elif rng.random() > 0.1:  # sometimes skipped
                        pick = rng.randrange(len(spec["answers"]))
                        ls[code] = spec["answers"][pick]
                        wide[q.id] = scale_codes[q.id][pick]
                ls_rows.append(ls)
                wide_rows.append(wide)
    # A response never submitted is in the export but not in the scores.
    ls_rows.append({**ls_rows[0], "id": "999", "submitdate": "", "Q01G1": "1"})
    export, own = tmp_path / "results-survey.csv", tmp_path / "wide.csv"
    for path, header, rows in ((export, ls_header, ls_rows), (own, wide_header, wide_rows)):
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, header, quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(rows)
    return export, own



def test_the_tab_separated_structure_is_the_same_survey_as_the_lss(generated):
    doc = ElementTree.parse(generated / "reportgen-stresstest.lss").getroot()
    with (generated / "reportgen-stresstest.txt").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert list(rows[0])[:9] == ["id", "related_id", "class", "type/scale", "name",
                                 "relevance", "text", "help", "language"]
    settings = {r["name"]: r["text"] for r in rows if r["class"] == "S"}
    assert (settings["language"], settings["additional_languages"]) == ("en", "de fr it sl")
    codes = {q["qid"]: q for q in (*table(doc, "questions"), *table(doc, "subquestions"))}
    top = {q["qid"]: q["title"] for q in table(doc, "questions")}
    # every question text of every language, with its relevance
    lss = {(codes[r["qid"]]["title"], r["language"], r["question"].replace("\n", "<br />"),
            codes[r["qid"]]["relevance"] or "1")
           for r in table(doc, "question_l10ns") if r["qid"] in top}
    txt = {(r["name"], r["language"], r["text"], r["relevance"]) for r in rows
           if r["class"] == "Q"}
    assert txt == lss
    # the answers: which question they belong to, their code and label, per language
    answer_of = {a["aid"]: a for a in table(doc, "answers")}
    lss_answers = {(top[answer_of[r["aid"]]["qid"]], answer_of[r["aid"]]["code"], r["answer"],
                    r["language"]) for r in table(doc, "answer_l10ns")}
    txt_answers, current = set(), ""
    for r in rows:
        if r["class"] == "Q":
            current = r["name"]
        elif r["class"] == "A":
            txt_answers.add((current, r["name"], r["text"], r["language"]))
    assert txt_answers == lss_answers
    subquestions = {(r["name"], r["language"]) for r in rows if r["class"] == "SQ"}
    lss_subs = {(codes[r["qid"]]["title"], r["language"]) for r in table(doc, "question_l10ns")
                if r["qid"] not in top}
    assert subquestions == lss_subs and subquestions


def test_an_export_of_the_generated_survey_scores_like_the_same_answers_in_wide_form(
        generated, tmp_path):
    export, own = write_exports(generated, tmp_path)
    mapping = generated / "reportgen-stresstest-mapping.yaml"
    code, said, err = run("validate", "--survey", str(export), "--mapping", str(mapping))
    assert code == 0, err
    assert "incomplete response" in said
    scored = []
    for survey, extra in ((export, ["--mapping", str(mapping)]), (own, [])):
        target = tmp_path / f"{survey.stem}-scores.csv"
        code, _, err = run("score", "--survey", str(survey), *extra, "--out", str(target))
        assert code == 0, err
        scored.append(pd.read_csv(target).sort_values(["region", "level", "kind", "id"],
                                                       ignore_index=True))
    assert len(scored[0]) > 50
    pd.testing.assert_frame_equal(scored[0], scored[1])


def test_a_survey_for_one_region_asks_no_region(tmp_path):
    code, _, err = run("questionnaire", "--out", str(tmp_path), "--region", "R07",
                       "--format", "lss", "--languages", "en")
    assert code == 0, err
    folder = tmp_path / "reportgen-stresstest-questionnaire"
    doc = ElementTree.parse(folder / "reportgen-stresstest.lss").getroot()
    assert "REGION" not in {q["title"] for q in table(doc, "questions")}
    assert [e.text for e in doc.find("languages")] == ["en"]
    assert "region: R07" in (folder / "reportgen-stresstest-mapping.yaml").read_text()


def test_a_language_with_missing_survey_texts_fails_naming_them(tmp_path, catalogue_variant):
    def partial(doc: dict) -> None:
        doc["translations"] = {"de": {"questions": {"q1": {"pol": "Frage eins"}}}}

    out = tmp_path / "out"
    code, _, err = run("questionnaire", "--out", str(out), "--definitions",
                       str(catalogue_variant(partial)), "--languages", "en", "de")
    assert code == 2
    lines = err.splitlines()
    head = "reportgen: catalogue 'tiny', language 'de': error: no text for "
    # 30 survey texts (16 answer labels, 14 wordings) and 19 report texts (the title, 3 group
    # texts, 14 dimension and indicator texts, the glossary)
    assert len(lines) == 49 and all(line.startswith(head) for line in lines)
    assert any(line.endswith("translations.de.title") for line in lines)
    assert any(line.endswith("translations.de.scales.agree.1") for line in lines)
    assert any(line.endswith("translations.de.questions.q2.pol") for line in lines)
    assert not any(line.endswith("questions.q1.pol") for line in lines)
    assert not out.exists()


def test_the_printed_questionnaire_lists_each_groups_questions(generated):
    import tinyhtml5

    cat = load_catalogue(default_catalogue())
    html = (generated / "questionnaire-operational-de.html").read_text(encoding="utf-8")
    root = tinyhtml5.parse(html)
    ns = "{http://www.w3.org/1999/xhtml}"
    # Soft hyphens at compound joints (Cluster\u00adorganisation) show only at a line's end.
    texts = [" ".join("".join(p.itertext()).replace("\u00ad", "").split())
             for p in root.iter(f"{ns}p") if "text" in (p.get("class") or "")]
    assert len(texts) == sum("operational" in q.texts for q in cat.questions)
    assert texts[0].startswith("1. Ihre Clusterorganisation")
    assert root.get("lang") == "de"
    assert "Glossar" in html and "Weiß nicht" in html
    # Title and welcome are the catalogue's framing, in the catalogue's translation.
    heading = " ".join("".join(next(root.iter(f"{ns}h1")).itertext()).split())
    assert heading == "StressTest-Fragebogen: Clustermanagement"
    assert "Strategie für intelligente Spezialisierung (S3) Ihrer Region" in html


def test_the_tiny_catalogue_makes_a_survey_too(tmp_path):
    code, _, err = run("questionnaire", "--out", str(tmp_path), "--definitions",
                       str(DATA / "tiny_catalogue.yaml"), "--format", "lss")
    assert code == 0, err


def test_the_printable_questionnaire_is_a_tagged_accessible_pdf(tmp_path):
    import page
    from pypdf import PdfReader

    code, _, err = run("questionnaire", "--out", str(tmp_path), "--format", "pdf",
                       "--languages", "de")
    assert code == 0, err
    folder = tmp_path / "reportgen-stresstest-questionnaire"
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert pdfs == ["questionnaire-intermediate-de.pdf", "questionnaire-operational-de.pdf",
                    "questionnaire-policy-de.pdf"]
    reader = PdfReader(folder / "questionnaire-policy-de.pdf")
    assert reader.metadata.title == "StressTest-Fragebogen: Politik und Verwaltung"
    top, sections = reader.outline[0], reader.outline[1]
    assert top.title == "StressTest-Fragebogen: Politik und Verwaltung"
    assert sections[0].title == "Regionales Clusterportfolio" and sections[-1].title == "Glossar"
    checked = page.validate_pdf(str(folder / "questionnaire-policy-de.pdf"), profile="ua1")
    assert checked.is_compliant, [str(f) for f in checked.failures]


def test_survey_status_counts_responses_and_names_the_groups_to_remind(generated, tmp_path):
    export, own = write_exports(generated, tmp_path)
    targets = tmp_path / "invited.csv"
    targets.write_text("region,group,invited\nR1,policy,8\nR1,operational,10\n"
                       "R2,Policy level,4\n", encoding="utf-8")
    table = tmp_path / "status.csv"
    mapping = generated / "reportgen-stresstest-mapping.yaml"
    code, said, err = run("survey", "status", "--survey", str(export), "--mapping",
                          str(mapping), "--targets", str(targets), "--min-respondents", "5",
                          "--out", str(table))
    assert code == 0, err
    assert ",8,0.5," in table.read_text(encoding="utf-8")  # whole people, not 8.0
    status = pd.read_csv(table).set_index(["region", "group"])
    wide = pd.read_csv(own).groupby(["region", "group"]).size()
    assert status["complete"].to_dict() == wide.to_dict()
    # The one response never submitted: R1's first policy respondent again.
    assert status.loc[("R1", "policy"), "incomplete"] == 1
    assert status["incomplete"].sum() == 1
    assert status.loc[("R1", "policy"), "response_rate"] == 0.5  # 4 of 8
    assert status.loc[("R2", "policy"), "response_rate"] == 1.0
    assert pd.isna(status.loc[("R3", "policy"), "invited"])
    assert status["reaches_minimum"].tolist() == (status["complete"] >= 5).tolist()
    assert "no: remind (5 needed)" in said and "R1" in said and "50%" in said
    assert "3 of 9 region/group cells below the minimum of 5" in said
    # Run again: the first table stays, the second gets a free name; never the export.
    code, said, _ = run("survey", "status", "--survey", str(export), "--mapping", str(mapping),
                        "--out", str(table))
    assert code == 0 and f"status table: {tmp_path / 'status-2.csv'}" in said
    assert pd.read_csv(table).equals(status.reset_index())
    code, _, err = run("survey", "status", "--survey", str(export), "--mapping", str(mapping),
                       "--out", str(export), "--force")
    assert code == 2 and "is the --survey input" in err


def test_a_bad_targets_file_is_reported_with_row_and_column(generated, tmp_path):
    export, _ = write_exports(generated, tmp_path)
    targets = tmp_path / "invited.csv"
    targets.write_text("region,group,invited\nR1,policy,eight\nR1,ministers,3\nR2,policy,3\n",
                       encoding="utf-8")
    code, _, err = run("survey", "status", "--survey", str(export), "--mapping",
                       str(generated / "reportgen-stresstest-mapping.yaml"),
                       "--targets", str(targets))
    assert code == 2
    assert "invited.csv, row 2, column 'invited': error: expected a whole number" in err
    assert "invited.csv, row 3, column 'group': error: unknown group 'ministers'" in err
    # R2's policy level has 4 complete responses: 3 invited would be a rate of 133 %.
    assert ("invited.csv, row 4, column 'invited': error: 3 invited in R2/policy, but the "
            "survey holds 4 complete responses there") in err


def test_a_dimension_called_about_gets_no_second_region_question(tmp_path, catalogue_variant):
    def rename(doc: dict) -> None:
        doc["dimensions"][0]["id"] = "about"

    code, _, err = run("questionnaire", "--out", str(tmp_path / "out"), "--definitions",
                       str(catalogue_variant(rename)), "--format", "lss")
    assert code == 0, err
    lss = next((tmp_path / "out").glob("*/*.lss"))
    titles = [q["title"] for q in table(ElementTree.parse(lss).getroot(), "questions")]
    assert titles.count("GROUP") == 1 and titles.count("REGION") == 1


def test_the_approach_chapter_states_each_groups_response_rate_when_targets_are_known(
        tmp_path):
    from reportgen.build import report_html
    from reportgen.report.settings import ReportSettings

    targets = tmp_path / "invited.csv"
    targets.write_text("region,group,invited\nX,pol,4\nX,ops,10\nX,mid,3\nY,pol,5\n",
                       encoding="utf-8")
    html = report_html("X", survey=DATA / "tiny_survey.csv",
                       definitions=DATA / "tiny_catalogue.yaml",
                       settings=ReportSettings(targets=targets))
    table = next(t for t in tinyhtml5.parse(html).iter(f"{NS}table")
                 if "respondents" in (t.get("class") or ""))
    rows = [[" ".join("".join(c.itertext()).split()) for c in row]
            for row in table.iter(f"{NS}tr")]
    assert rows[0][2:5] == ["Respondents", "Invited", "Response rate"]
    # X answered with 2 of 4 policy makers, 3 of 10 operational, 1 of 3 intermediate
    assert [r[2:5] for r in rows[1:4]] == [["2", "4", "50%"], ["3", "10", "30%"],
                                            ["1", "3", "33%"]]
    assert rows[-1][2:5] == ["6", "17", "35%"]  # the totals add up: 6 of 17
    plain = report_html("X", survey=DATA / "tiny_survey.csv",
                        definitions=DATA / "tiny_catalogue.yaml")
    assert "Response rate" not in plain


def test_catalogue_text_is_inert_in_limesurvey(tmp_path, catalogue_variant):
    import xml.etree.ElementTree as ET

    from reportgen.catalogue import load_catalogue
    from reportgen.questionnaire import write_questionnaire

    hostile = "P1 <script>alert(1)</script> {INSERTANS:1} {if(1,2,3)} & more"

    def edit(doc):
        doc["questions"][0]["texts"]["pol"] = hostile

    folder, files = write_questionnaire(load_catalogue(catalogue_variant(edit)), tmp_path / "q")
    lss = next(folder / f for f in files if f.endswith(".lss"))
    texts = [e.text or "" for e in ET.parse(lss).iter("question")]
    shown = ("P1 &lt;script&gt;alert(1)&lt;/script&gt; &#123;INSERTANS:1&#125; "
             "&#123;if(1,2,3)&#125; &amp; more")
    assert shown in texts and not any("<script" in t or "{" in t for t in texts)
    txt = next(folder / f for f in files if f.endswith(".txt")).read_text(encoding="utf-8")
    assert shown in txt and "<script" not in txt and "{INSERTANS" not in txt

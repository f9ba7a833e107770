"""Any catalogue, really: 2 groups, 8 dimensions, a 0-10 scale; the prose follows the data."""

from __future__ import annotations

import csv
import random
import re

import pytest
import tinyhtml5
import yaml

from reportgen.build import report_html
from reportgen.report.charts import marker_style
from reportgen.report.settings import ReportSettings

DIMS = 8
GROUPS = [("firms", "Firms"), ("agencies", "Agencies")]


@pytest.fixture(scope="module")
def eight(tmp_path_factory):
    """A catalogue of 8 dimensions with 2 indicators each, and a 4-region survey."""
    folder = tmp_path_factory.mktemp("eight")
    dims, questions = [], []
    for d in range(1, DIMS + 1):
        inds = [{"id": f"d{d}i{k}", "name": f"Measure {d}.{k}"} for k in (1, 2)]
        dims.append({"id": f"dim{d}", "name": f"Theme number {d}", "indicators": inds})
        questions += [{"id": f"q{d}{k}", "indicator": f"d{d}i{k}", "scale": "ten",
                       "texts": {"firms": f"Firm question {d}.{k}",
                                 "agencies": f"Agency question {d}.{k}"}} for k in (1, 2)]
    catalogue = {
        "id": "eight", "version": "1", "title": "Eight themes",
        "score": {"min": 0, "max": 10, "decimals": 1},
        "rules": {"min_respondents": 2},
        "groups": [{"id": g, "label": label} for g, label in GROUPS],
        "scales": {"ten": {"type": "ordered",
                           "options": [{"code": c, "label": f"Level {c}"} for c in range(11)]}},
        "dimensions": dims, "questions": questions,
    }
    cat_path = folder / "eight.yaml"
    cat_path.write_text(yaml.safe_dump(catalogue, sort_keys=False), encoding="utf-8")
    rng = random.Random(8)
    rows = []
    for region in ("AA", "BB", "CC", "DD"):
        for g, _ in GROUPS:
            for k in range(3):
                row = {"respondent_id": f"{region}-{g}-{k}", "region": region,
                       "region_name": f"Region {region}", "group": g}
                row.update({q["id"]: str(rng.randint(0, 10)) for q in questions})
                rows.append(row)
    survey = folder / "survey.csv"
    with survey.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return cat_path, survey


def prose(html: str) -> str:
    return " ".join("".join(tinyhtml5.parse(html).itertext()).split())


def test_the_prose_counts_and_names_what_the_catalogue_declares(eight):
    cat_path, survey = eight
    said = prose(report_html("AA", survey=survey, definitions=cat_path))
    assert ("catalogue Eight themes: 16 questions, 16 specific indicators and 8 key dimensions, "
            "each dimension with its composite indicator.") in said
    assert "6 people gave their view (Firms, Agencies)" in said
    assert "6 (2 stakeholder groups)" in said
    assert "from 0 (weakest) to 10 (strongest)" in said
    assert "three" not in said.lower().split()
    assert "scores above the portfolio median in" in said and "of 8 dimensions" in said
    # the group-gap grade scales with the range: large from a quarter of 0-10 (2.5 points)
    import re

    graded = re.findall(r"(?:A gap of|At) (\d+\.\d) points,? (?:is )?(large|noticeable|the groups)",
                        said)
    assert graded
    for gap, grade in graded:
        expected = "large" if float(gap) >= 2.5 else "noticeable" if float(gap) >= 1.25 \
            else "the groups"
        assert grade == expected, (gap, grade)
    for d in range(1, DIMS + 1):
        assert f"Theme number {d}" in said


def test_a_catalogue_without_the_stresstest_framing_reads_as_its_own_survey(eight):
    cat_path, survey = eight
    html = report_html("AA", survey=survey, definitions=cat_path)
    root = tinyhtml5.parse(html)
    ns = "{http://www.w3.org/1999/xhtml}"
    for style in root.iter(f"{ns}style"):
        style.text = ""  # the stylesheet's comments are no report text
    said = " ".join(" ".join(root.itertext()).split())
    assert not re.findall(r"StressTest|Smart Specialisation|\bS3\b|[Cc]luster", said)
    assert "Survey report: " in said and "2 The approach" in said
    assert [h.get("id") for h in root.iter(f"{ns}section") if h.get("id") == "ch-context"] == []
    meta = {m.get("name"): m.get("content") for m in root.iter(f"{ns}meta")}
    assert meta["keywords"] == "benchmarking" and "clusters" not in meta["description"]
    # The framing is the catalogue's to give: name, cover line, opening, headings, chapter.
    doc = yaml.safe_load(cat_path.read_text(encoding="utf-8"))
    doc["report"] = {"name": "Ecosystem Check", "kicker": "Innovation ecosystems compared",
                     "purpose": "This check looks at {region}.", "leverage": "Levers"}
    doc["dimensions"][0]["leverage"] = "What helps theme 1."
    framed = cat_path.with_name("framed.yaml")
    framed.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    said = prose(report_html("AA", survey=survey, definitions=framed))
    assert "Ecosystem Check: " in said and "Innovation ecosystems compared" in said
    assert "This check looks at Region AA." in said
    assert re.search(r"Levers ?What helps theme 1\.", said)


def test_skipping_a_chapter_leaves_no_dangling_reference(eight):
    cat_path, survey = eight
    settings = ReportSettings(skip_chapters=("approach",))
    said = prose(report_html("AA", survey=survey, definitions=cat_path, settings=settings))
    assert "chapter 3" not in said.lower() and "explains how answers become scores" not in said


def test_charts_tell_apart_more_than_six_series():
    styles = [marker_style(k) for k in range(36)]
    assert len(set(styles)) == 36


def test_the_workshop_pack_follows_another_catalogue(eight, tmp_path):
    import io

    from pptx import Presentation

    from reportgen.cli import main

    cat_path, survey = eight
    out = io.StringIO()
    code = main(["workshop", "--region", "AA", "--survey", str(survey), "--definitions",
                 str(cat_path), "--out", str(tmp_path)], stdout=out, stderr=io.StringIO())
    assert code == 0
    folder = tmp_path / "AA-workshop"
    titles = [s.shapes.title.text for s in Presentation(str(folder / "workshop-deck.pptx")).slides]
    # Chapter 3: a catalogue that does not ask for the chapter on S3 and clusters has none.
    assert [t for t in titles if t.split(" ")[0].startswith("3.")] == [
        title for d in range(1, DIMS + 1)
        for title in (f"3.{d} Theme number {d}", f"3.{d} Theme number {d} – by stakeholder group")]
    assert "of 10" in " ".join(
        sh.text_frame.text for sh in Presentation(str(folder / "workshop-deck.pptx")).slides[3]
        .shapes if sh.has_text_frame)
    # Who acts is the catalogue's to say: without `report: levels:` no policy/cluster choice,
    # and the Level column takes what the workshop writes.
    deck = Presentation(str(folder / "workshop-deck.pptx"))
    said = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes
                    if sh.has_text_frame)
    assert not re.findall(r"StressTest|[Pp]olicy level|[Cc]luster", said)
    assert "who should act?" in said and "next survey wave" in said
    from openpyxl import load_workbook

    from reportgen.catalogue import load_catalogue
    from reportgen.inputs.worksheet import read_worksheet

    path = folder / "priority-worksheet.xlsx"
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rules = {str(v.sqref)[0]: v for v in sheet.data_validations.dataValidation}
    level = rules[chr(ord("A") + header.index("Level"))]
    assert level.type is None and level.prompt == "The level at which it is taken up."
    assert rules[chr(ord("A") + header.index("Priority"))].type == "list"
    sheet.cell(row=2, column=header.index("Field of action") + 1, value="Shared lab")
    sheet.cell(row=2, column=header.index("Level") + 1, value="Mayor's office")
    book.save(path)
    _, actions = read_worksheet(path, load_catalogue(cat_path))
    assert [(a.field, a.level) for a in actions] == [("Shared lab", "Mayor's office")]


def test_the_questionnaire_speaks_of_the_catalogues_own_survey(eight, tmp_path):
    import io

    from reportgen.cli import main

    cat_path, _ = eight
    code = main(["questionnaire", "--definitions", str(cat_path), "--out", str(tmp_path),
                 "--format", "html", "lss"], stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    folder = next(tmp_path.iterdir())
    page = (folder / "questionnaire-firms-en.html").read_text(encoding="utf-8")
    said = prose(page)
    assert said.startswith("Questionnaire: Firms") and "Questionnaire: Firms Eight themes" in said
    assert not re.findall(r"StressTest|Smart Specialisation|\bS3\b|[Cc]luster", said)
    survey = (folder / next(p.name for p in folder.iterdir() if p.suffix == ".lss")
              ).read_text(encoding="utf-8")
    assert "Please answer from the point of view of your organisation" in survey
    assert not re.findall(r"StressTest|Smart Specialisation|[Cc]luster", survey)

"""The Policy Learning Workshop pack: deck, worksheet, charts and numbers, from the CLI."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from reportgen.cli import main
from tests.conftest import DATA

TINY = DATA / "tiny_catalogue.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def pack(tmp_path, write_survey, tiny_rows):
    # A hostile region name: it must stay text in the slides and the worksheet.
    for row in tiny_rows:
        if row["region"] == "X":
            row["region_name"] = "=HYPERLINK(\"http://x\")\x1b[2J"
    survey = write_survey(tiny_rows)
    code, out, err = run("workshop", "--region", "X", "--survey", str(survey),
                         "--definitions", str(TINY), "--cases", str(DATA / "tiny_cases.yaml"),
                         "--out", str(tmp_path / "ws"))
    assert code == 0, err
    folder = tmp_path / "ws" / "X-workshop"
    assert f"workshop pack: {folder}" in out
    return folder


def test_the_deck_follows_the_workshop_agenda(pack):
    from pptx import Presentation

    deck = Presentation(str(pack / "workshop-deck.pptx"))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[:3] == ["StressTest-Report: =HYPERLINK(\"http://x\")\\x1b[2J",
                          "The StressTest approach", "At a glance"]
    assert titles[3:6] == ["4.1 Alpha dimension", "4.2 Beta dimension", "4.3 Gamma dimension"]
    assert titles[6] == "Strengths and weaknesses" and titles[-1] == "Fields of action"
    assert all(t.startswith("Good practice: ") for t in titles[7:-1]) and titles[7:-1]
    assert deck.slide_width * 9 == deck.slide_height * 16
    pictures = [sh for s in deck.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 4  # the radar and one boxplot per dimension
    assert all(len(p._element.nvPicPr.cNvPr.get("descr", "")) > 40 for p in pictures)
    alpha = deck.slides[3]
    said = " ".join(sh.text_frame.text for sh in alpha.shapes if sh.has_text_frame)
    assert "Composite 1.88 of 4" in said and "For discussion:" in said
    assert "Indicator one: 1.75 (n = 4)" in alpha.notes_slide.notes_text_frame.text


def test_the_numbers_are_those_the_report_shows(pack):
    from reportgen.build import report_html

    numbers = pd.read_csv(pack / "numbers.csv")
    one = numbers[(numbers["id"] == "i1") & (numbers["kind"] == "indicator")].iloc[0]
    assert (one["value"], one["n"]) == (1.75, 4)
    # Groups below the minimum never appear: the report prints no value for them either.
    shown = numbers[numbers["kind"].str.endswith("by group")]
    assert (shown["n"] >= 2).all() and "Intermediate level" not in set(shown["group"])
    html = report_html("X", survey=pack.parent.parent / "survey.csv", definitions=TINY)
    for value in shown["value"]:
        assert f"{value:.2f}" in html


def test_the_worksheet_lists_the_weak_indicators_with_drop_downs(pack):
    from openpyxl import load_workbook

    numbers = pd.read_csv(pack / "numbers.csv")
    own = numbers[numbers["kind"] == "indicator"]
    behind = own[own["value"] < own["median"]].sort_values("value")
    sheet = load_workbook(pack / "priority-worksheet.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("Dimension", "Indicator") and "Field of action" in header
    assert sorted(r[1] for r in rows[1:]) == sorted(behind["name"])
    gaps = [r[header.index("Behind the median")] for r in rows[1:]]
    assert gaps == sorted(gaps, reverse=True) and all(g > 0 for g in gaps)
    lists = {str(v.sqref).split(":")[0][0]: v.formula1
             for v in sheet.data_validations.dataValidation}
    level = chr(ord("A") + header.index("Level"))
    assert lists[level] == '"policy,cluster,both"'


def test_every_chart_comes_as_svg_and_png(pack):
    svgs = sorted(p.stem for p in pack.glob("chart-*.svg"))
    assert svgs == sorted(p.stem for p in pack.glob("chart-*.png"))
    assert "chart-radar" in svgs and "chart-4.1-alpha" in svgs
    assert all((pack / f"{s}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for s in svgs)


def test_a_second_pack_never_overwrites_the_first(pack, tmp_path):
    first = (pack / "workshop-deck.pptx").read_bytes()
    code, out, _ = run("workshop", "--region", "X", "--survey", str(tmp_path / "survey.csv"),
                       "--definitions", str(TINY), "--out", str(tmp_path / "ws"))
    assert code == 0 and "X-workshop-2" in out
    assert (pack / "workshop-deck.pptx").read_bytes() == first

"""The Policy Learning Workshop pack: deck, worksheet, charts and numbers, from the CLI."""

from __future__ import annotations

import io
import re

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
    assert titles[:3] == ["Policy Learning Workshop: =HYPERLINK(\"http://x\")\\x1b[2J",
                          "The StressTest approach", "At a glance"]
    # Two slides a dimension: where the region stands, then how its groups see it.
    dims = ["4.1 Alpha dimension", "4.2 Beta dimension", "4.3 Gamma dimension"]
    assert titles[3:9] == [t for d in dims for t in (d, f"{d} – by stakeholder group")]
    assert titles[9] == "Strengths and weaknesses" and titles[-1] == "Fields of action"
    assert all(t.startswith("Good practice: ") for t in titles[10:-1]) and titles[10:-1]
    assert len(set(titles)) == len(titles)  # a screen reader tells slides by their titles
    assert deck.slide_width * 9 == deck.slide_height * 16
    for s in deck.slides:  # every shape has a height and lies on the slide
        for shape in s.shapes:
            assert shape.height > 0 and shape.top >= 0 and shape.left >= 0
            assert shape.top + shape.height <= deck.slide_height
            assert shape.left + shape.width <= deck.slide_width
    props = deck.core_properties
    assert props.title.startswith("Policy Learning Workshop: =HYPERLINK")
    assert (props.author, props.language) == ("reportgen", "en-GB") and props.created
    runs = [r for s in deck.slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs and {r._r.rPr.get("lang") for r in runs} == {"en-GB"}
    defaults = [e.get("lang") for part in (deck.part, deck.slide_master.part)
                for e in part._element.iter() if e.get("lang")]
    assert defaults and set(defaults) == {"en-GB"}  # what is typed in later, too
    pictures = {k: sh for k, s in enumerate(deck.slides) for sh in s.shapes
                if sh.shape_type == 13}
    # The radar, and per dimension its boxplot and its groups chart; Gamma's groups chart is
    # left out (no group of the region reaches the minimum there), its slide keeps the text.
    assert sorted(pictures) == [2, 3, 4, 5, 6, 7]
    assert all(len(p._element.nvPicPr.cNvPr.get("descr", "")) > 40 for p in pictures.values())
    for k in range(3, 8):  # projected, a dimension's chart shows its 7 pt labels at 11 pt
        pic = pictures[k]
        drawn = pic.image.size[0] / pic.image.dpi[0]  # inches, as charts.py drew it
        assert pic.width / 914400 >= 1.55 * drawn, (k, pic.width / 914400, drawn)
        texts = [sh for sh in deck.slides[k].shapes if sh.has_text_frame
                 and sh != deck.slides[k].shapes.title]
        assert all(t.top >= pic.top + pic.height for t in texts)  # the text below the chart
    alpha, views = deck.slides[3], deck.slides[4]
    said = " ".join(sh.text_frame.text for sh in alpha.shapes if sh.has_text_frame)
    assert "Composite 1.88 of 4 · " in said and "n\u00a0=\u00a0" in said
    said = " ".join(sh.text_frame.text for sh in views.shapes if sh.has_text_frame)
    assert "For discussion:" in said
    # A dimension ahead of the portfolio is discussed as one to keep, the others as to repair.
    composites = pd.read_csv(pack / "numbers.csv").query("kind == 'composite'")
    for k, row in enumerate(composites.itertuples()):
        slide = " ".join(sh.text_frame.text for sh in deck.slides[4 + 2 * k].shapes
                         if sh.has_text_frame)
        keep = "What makes this value strong" in slide
        assert keep == (row.value > row.median) and keep != ("pull this value down" in slide)
    # The groups' slide tells the moderator every group value the report shows.
    from reportgen.report.i18n import half_up

    shown = pd.read_csv(pack / "numbers.csv").query("kind == 'indicator by group'")
    notes = views.notes_slide.notes_text_frame.text
    for row in shown[shown["dimension"] == "alpha"].itertuples():
        assert f"{row.group} {half_up(row.value, 2):.2f} (n = {row.n})" in notes
    assert "Indicator one: 1.75 (n = 4)" in alpha.notes_slide.notes_text_frame.text
    # The same slides as a 16:9 PDF through the report's HTML path.
    from pypdf import PdfReader

    pdf = PdfReader(pack / "workshop-deck.pdf")
    assert len(pdf.pages) == len(titles)
    box = pdf.pages[0].mediabox
    assert float(box.width) * 9 == pytest.approx(float(box.height) * 16, rel=1e-3)
    assert "4.1\u00a0Alpha dimension" in pdf.pages[3].extract_text()
    import page

    checked = page.validate_pdf(str(pack / "workshop-deck.pdf"), profile="ua1")
    assert checked.is_compliant, [str(f) for f in checked.failures]


def test_the_numbers_are_those_the_report_shows(pack):
    from reportgen.build import report_html

    numbers = pd.read_csv(pack / "numbers.csv")
    one = numbers[(numbers["id"] == "i1") & (numbers["kind"] == "indicator")].iloc[0]
    assert (one["value"], one["n"]) == (1.75, 4)
    # The band as a code, and as the report words it (here both English).
    banded = numbers[numbers["band"].notna() & (numbers["band"] != "")]
    assert len(banded) and (banded["band_shown"] == banded["band"]).all()
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
    assert header[:3] == ("id", "Dimension", "Indicator") and "Field of action" in header
    assert sorted(r[2] for r in rows[1:]) == sorted(behind["name"])
    assert sorted(r[0] for r in rows[1:]) == sorted(behind["id"])
    gaps = [r[header.index("Behind the median")] for r in rows[1:]]
    assert gaps == sorted(gaps, reverse=True) and all(g > 0 for g in gaps)
    lists = {str(v.sqref).split(":")[0][0]: v.formula1
             for v in sheet.data_validations.dataValidation}
    level = chr(ord("A") + header.index("Level"))
    assert lists[level] == '"policy,cluster,both"'
    # Columns as wide as their longest entry, up to a cap; the file names its maker.
    names = chr(ord("A") + header.index("Indicator"))
    longest = max(len(str(r[2])) for r in rows)
    assert sheet.column_dimensions[names].width == min(50, max(12, longest + 2))
    book = load_workbook(pack / "priority-worksheet.xlsx")
    assert (book.properties.creator, book.properties.language) == ("reportgen", "en")
    assert book.properties.title.startswith("Priorities: =HYPERLINK")
    # Numbers as the report prints them (2.00, not 2), the header bold for eye and ear.
    for name in ("Value", "Portfolio median", "Behind the median"):
        column = header.index(name) + 1
        assert {sheet.cell(row=r, column=column).number_format
                for r in range(2, len(rows) + 1)} == {"0.00"}
    assert all(cell.font.b for cell in sheet[1])
    # Every column to fill in tells what it wants when selected; fixed ones check the entry.
    rules = {str(v.sqref).split(":")[0][0]: v for v in sheet.data_validations.dataValidation}
    for name in ("Field of action", "Level", "Who to involve", "Owner", "Priority", "Due date"):
        rule = rules[chr(ord("A") + header.index(name))]
        assert rule.showInputMessage and rule.promptTitle == name and len(rule.prompt) > 20
    assert "policy / cluster / both" in rules[level].prompt and rules[level].error
    due = rules[chr(ord("A") + header.index("Due date"))]
    assert (due.type, due.showErrorMessage) == ("date", True) and "30 June 2027" in due.prompt



def test_the_worksheet_prints_on_a3_with_the_same_rows(pack):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    rows = list(load_workbook(pack / "priority-worksheet.xlsx").active.iter_rows(values_only=True))
    pdf = PdfReader(pack / "priority-worksheet.pdf")
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)  # A3 landscape
    said = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for column in ("Field of action", "Who to involve", "Due date"):
        assert column in said
    for row in rows[1:]:
        assert " ".join(str(row[2]).split()) in said
        assert row[0] not in said  # machine ids stay in the spreadsheet
    # Level and priority are tick boxes, one set per row and per empty row.
    assert said.count("☐ medium") == len(rows) - 1 + 3
    # Built from an export, without a wave: the lead gives the date alone.
    assert "As of " in said and "Wave –" not in said
    assert pdf.metadata.title.startswith("Priority worksheet: ")
    import page

    checked = page.validate_pdf(str(pack / "priority-worksheet.pdf"), profile="ua1")
    assert checked.is_compliant, [str(f) for f in checked.failures]


def test_every_chart_comes_as_svg_and_png(pack):
    svgs = sorted(p.stem for p in pack.glob("chart-*.svg"))
    assert svgs == sorted(p.stem for p in pack.glob("chart-*.png"))
    assert "chart-radar" in svgs and "chart-4.1-alpha" in svgs
    assert all((pack / f"{s}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for s in svgs)
    # Opened alone, each SVG names itself and states its values, as the report's alt text.
    import xml.etree.ElementTree as ET

    svg = "{http://www.w3.org/2000/svg}"
    for stem in svgs:
        root = ET.parse(pack / f"{stem}.svg").getroot()
        assert root.get("role") == "img"
        title, desc = root.find(f"{svg}title"), root.find(f"{svg}desc")
        assert title is not None and desc is not None and desc.text.startswith(title.text)
        assert re.search(r"\d\.\d", desc.text), stem
    alpha = ET.parse(pack / "chart-4.1-alpha.svg").getroot().find(f"{svg}desc").text
    assert "Composite Alpha dimension: =HYPERLINK" in alpha  # hostile name kept as text


def test_a_second_pack_never_overwrites_the_first(pack, tmp_path):
    first = (pack / "workshop-deck.pptx").read_bytes()
    code, out, _ = run("workshop", "--region", "X", "--survey", str(tmp_path / "survey.csv"),
                       "--definitions", str(TINY), "--out", str(tmp_path / "ws"))
    assert code == 0 and "X-workshop-2" in out
    assert (pack / "workshop-deck.pptx").read_bytes() == first


def fill(sheet_path, rows: dict[str, dict[str, object]]):
    """Fill the worksheet's rows by indicator id, as a workshop would (headers by name)."""
    from openpyxl import load_workbook

    book = load_workbook(sheet_path)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for column, value in rows.get(row[0].value, {}).items():
            row[header.index(column)].value = value
    book.save(sheet_path)


def test_agreed_fields_of_action_are_followed_up_in_the_next_report(tmp_path, tiny_survey,
                                                                    write_survey, tiny_rows):
    import datetime as dt
    import sqlite3

    import tinyhtml5

    from reportgen.build import report_html

    db = str(tmp_path / "p.db")
    assert run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
               "--definitions", str(TINY), "--db", db)[0] == 0
    code, out, err = run("workshop", "--region", "X", "--db", db, "--definitions", str(TINY),
                         "--out", str(tmp_path / "ws"))
    assert code == 0, err
    sheet = tmp_path / "ws" / "X-w1-workshop" / "priority-worksheet.xlsx"
    numbers = pd.read_csv(sheet.parent / "numbers.csv")
    weak = numbers[(numbers["kind"] == "indicator") & (numbers["value"] < numbers["median"])]
    target = weak["id"].iloc[0]
    before = weak["value"].iloc[0]
    # A bad level and a bad date: every problem named with sheet, row and column.
    fill(sheet, {target: {"Field of action": "Joint roadmap", "Level": "urgent",
                          "Due date": "soon"}})
    code, _, err = run("workshop", "record", "--region", "X", "--wave", "w1", "--worksheet",
                       str(sheet), "--definitions", str(TINY), "--db", db)
    assert code == 2
    import re

    assert re.search(r"sheet 'Priorities', row \d, column 'Level': error: 'urgent' is not "
                     r"one of both, cluster, policy", err)
    assert re.search(r"row \d, column 'Due date': error: 'soon' is not a date", err)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM actions").fetchone() == (0,)
    fill(sheet, {target: {"Level": "Policy", "Owner": "Agency", "Priority": "high",
                          "Due date": dt.datetime(2027, 3, 1)}})
    wrong = run("workshop", "record", "--region", "X", "--wave", "w9", "--worksheet",
                str(sheet), "--definitions", str(TINY), "--db", db)
    assert wrong[0] == 2 and "was written for wave 'w1', not 'w9'" in wrong[2]
    code, out, err = run("workshop", "record", "--region", "X", "--wave", "w1", "--worksheet",
                         str(sheet), "--definitions", str(TINY), "--db", db)
    assert code == 0, err
    assert "recorded 1 field(s) of action for X, wave w1" in out
    again = run("workshop", "record", "--region", "X", "--wave", "w1", "--worksheet",
                str(sheet), "--definitions", str(TINY), "--db", db)
    assert again[0] == 2 and "--replace" in again[2]
    # The next wave's report follows the action up.
    rows = [dict(r, respondent_id=r["respondent_id"] + "-2") for r in tiny_rows]
    assert run("portfolio", "import", "--survey", str(write_survey(rows, name="w2.csv")),
               "--wave", "w2", "--definitions", str(TINY), "--db", db)[0] == 0
    html = report_html("X", db=tmp_path / "p.db", definitions=TINY)
    ns = "{http://www.w3.org/1999/xhtml}"
    table = next(t for t in tinyhtml5.parse(html).iter(f"{ns}table")
                 if "actions" in (t.get("class") or ""))
    cells = [" ".join("".join(c.itertext()).split())
             for c in table.find(f"{ns}tbody").find(f"{ns}tr")]
    assert cells[0] == "Joint roadmap" and cells[2:5] == ["policy", "Agency", "2027-03-01"]
    assert cells[5] == f"{before:.2f}" == cells[6] and cells[7] == "unchanged"
    assert "Fields of action agreed in\u00a0w1" in html


def test_a_region_behind_on_nothing_gets_an_empty_worksheet_with_its_header(tmp_path):
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from reportgen.catalogue.schema import Framing
    from reportgen.report.i18n import Lang
    from reportgen.workshop.sheet import KEYS, write_worksheet

    class Nothing:  # a report without dimensions: nothing lies behind the median
        dimensions: list = []
        region, region_name, wave = "X", "Region X", "w1"
        method = SimpleNamespace(framing=Framing())

    target = tmp_path / "w.xlsx"
    assert write_worksheet(Nothing(), Lang(), target) == 0  # type: ignore[arg-type]
    book = load_workbook(target)
    assert len([c.value for c in book.worksheets[0][1]]) == len(KEYS)


def test_the_worksheet_rounds_once_as_the_report_prints():
    from types import SimpleNamespace as NS

    from reportgen.report.i18n import Lang
    from reportgen.workshop.sheet import printed, weak_rows

    # 1.849 prints as 1.8 in the report; rounding to 1.85 first would print 1.9.
    stats = NS(median=2.25)
    item = NS(id="a1", name="A one", value=1.849, groups=[],
              position=NS(above_median=False, stats=stats, rank=3, of=5))
    report = NS(dimensions=[NS(name="A", indicators=[item])])
    t = Lang()
    table = weak_rows(report, t)  # type: ignore[arg-type]
    row = printed(table, t, {}).rows[0]
    assert row[2:5] == ["1.8", "2.3", "0.5"]  # 1.8 + 0.5 = 2.3, as printed
    assert t.num(item.value) == row[2] and t.num(stats.median) == row[3]
    # Two gaps that print alike (3.333 below 3.375 and 3.667 below 3.75: 0.1 each) are
    # ordered by their computed size, the larger first.
    near = [NS(id=key, name=key, value=v, groups=[],
               position=NS(above_median=False, stats=NS(median=m), rank=2, of=5))
            for key, v, m in (("fit", 3.333, 3.375), ("uptake", 3.667, 3.75))]
    order = weak_rows(NS(dimensions=[NS(name="B", indicators=near)]), t)  # type: ignore[arg-type]
    assert list(order["id"]) == ["uptake", "fit"]
    assert list(order["Behind the median"]) == [0.1, 0.1]


def test_numbers_give_changes_at_full_precision_beside_the_printed_ones(tmp_path, tiny_survey,
                                                                       write_survey, tiny_rows):
    db = str(tmp_path / "p.db")
    assert run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
               "--definitions", str(TINY), "--db", db)[0] == 0
    # The resurvey: X's policy and operational level now agree more on q1.
    later = [dict(r, respondent_id=r["respondent_id"] + "-2",
                  q1="5" if r["region"] == "X" and r["q1"] else r["q1"]) for r in tiny_rows]
    assert run("portfolio", "import", "--survey", str(write_survey(later)), "--wave", "w2",
               "--definitions", str(TINY), "--db", db)[0] == 0
    code, _, err = run("workshop", "--region", "X", "--db", db, "--definitions", str(TINY),
                       "--out", str(tmp_path / "ws"), "--resamples", "0")
    assert code == 0, err
    numbers = pd.read_csv(tmp_path / "ws" / "X-w2-workshop" / "numbers.csv")
    moved = numbers[numbers["change"].notna() & (numbers["group"].isna())]
    assert len(moved) > 0
    from reportgen.catalogue import load_catalogue
    from reportgen.report.i18n import half_up

    places = load_catalogue(TINY).score.decimals
    for row in moved.itertuples():
        assert row.change == pytest.approx(row.value - row.previous, abs=1e-12)
        shown = half_up(row.value, places) - half_up(row.previous, places)
        assert row.change_shown == pytest.approx(shown, abs=1e-9)
    # The deck marks each change as the report does: ▲/▼ beyond its margin, ● within it.
    from pptx import Presentation

    deck = Presentation(str(tmp_path / "ws" / "X-w2-workshop" / "workshop-deck.pptx"))
    # The facts line of each dimension's first slide: "Composite … · ▲ Since w1: … · n = …".
    since = [fact for s in deck.slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for fact in p.text.split(" · ")
             if "Since w1:" in fact]
    composites = numbers[(numbers["kind"] == "composite") & numbers["change"].notna()]
    assert len(since) == len(composites) > 0
    for line, row in zip(since, composites.itertuples(), strict=True):
        mark = ("▲" if row.change > 0 else "▼") if row.beyond_margin is True else "●"
        assert line.startswith(f"{mark} Since w1:"), line
        if pd.notna(row.margin):
            beyond = abs(row.change) > row.margin and row.change_shown != 0
            assert bool(row.beyond_margin) == beyond


def test_a_worksheet_that_unpacks_to_gigabytes_is_refused_before_it_is_read(tmp_path):
    import zipfile

    from reportgen.catalogue import load_catalogue
    from reportgen.errors import InputError
    from reportgen.inputs.raw import input_limits
    from reportgen.inputs.worksheet import read_worksheet

    bomb = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 4_000_000 + b">")
    assert bomb.stat().st_size < 100_000
    with input_limits(1), pytest.raises(InputError, match="the workbook unpacks to more than"):
        read_worksheet(bomb, load_catalogue(TINY))


def test_a_region_code_with_a_control_character_gets_a_pack_and_is_recorded(
        tmp_path, write_survey, tiny_rows):
    rows = [dict(r, region="X\x1b[2J") if r["region"] == "X" else r for r in tiny_rows]
    db = str(tmp_path / "p.db")
    assert run("portfolio", "import", "--survey", str(write_survey(rows)), "--wave", "w1",
               "--definitions", str(TINY), "--db", db)[0] == 0
    code, out, err = run("workshop", "--region", "X\x1b[2J", "--db", db, "--definitions",
                         str(TINY), "--out", str(tmp_path / "ws"))
    assert code == 0, err
    sheet = next((tmp_path / "ws").glob("*-workshop")) / "priority-worksheet.xlsx"
    code, said, err = run("workshop", "record", "--region", "X\x1b[2J", "--wave", "w1",
                          "--worksheet", str(sheet), "--definitions", str(TINY), "--db", db)
    assert code == 0, err
    assert "\x1b" not in said


def test_the_printed_worksheet_makes_room_for_long_choices_from_the_field_of_action():
    from reportgen.workshop.sheet import Printed

    given = ["Dimension", "Indicator", "Value", "Median", "Behind", "Rank", "Gap"]
    to_fill = ["Field", "Level", "Involve", "Owner", "Priority", "Due"]
    short = Printed(given, [], to_fill, {"Level": ["policy", "cluster", "both"]}, 3).widths
    long = Printed(given, [], to_fill, {"Level": ["raven politike", "obe ravni"]}, 3).widths
    assert sum(short) == pytest.approx(100) and sum(long) == pytest.approx(100)
    # "raven politike": 14 characters and the tick box
    assert short[8] == 7 and long[8] == pytest.approx(14 / 2.2 + 2, abs=0.01)
    assert long[7] == pytest.approx(short[7] - (long[8] - 7), abs=0.01)  # from the field

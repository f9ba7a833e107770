"""The one disclosure rule, in every file a build, `score` or `portfolio export` writes.

The tiny survey's region X has a policy group of two (p1, p2), an operational group of three
and an intermediate group of one (m1). With a minimum of 3 respondents the groups of one and
two must leave no trace: swapping answers between p1 and m1 changes both groups' own values
but neither the region's values nor the pool of small groups, so every published file must
stay the same.
"""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile

import pandas as pd
import pytest
import tinyhtml5
from openpyxl import load_workbook
from pypdf import PdfReader

from reportgen.build import build_report, load_survey, report_html
from reportgen.cli import main
from reportgen.inputs.validate import Columns
from reportgen.report.settings import ReportSettings
from reportgen.scoring.aggregate import score
from reportgen.scoring.disclosure import disclose, publish_table
from reportgen.scoring.tables import tidy
from tests.conftest import DATA, read_rows

TINY = DATA / "tiny_catalogue.yaml"
SHARED = ("q1", "q2", "q3")  # asked of every group


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def swapped(tmp_path):
    """Two exports of the same name that differ only in p1's and m1's shared answers."""
    rows = read_rows(DATA / "tiny_survey.csv")
    by_id = {r["respondent_id"]: r for r in rows}
    p1, m1 = by_id["p1"], by_id["m1"]
    for q in SHARED:
        p1[q], m1[q] = m1[q], p1[q]
    paths = []
    for variant, data in (("a", read_rows(DATA / "tiny_survey.csv")), ("b", rows)):
        folder = tmp_path / variant
        folder.mkdir()
        path = folder / "survey.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows(data)
        paths.append(path)
    return paths


def internal(path):
    cat, responses = load_survey(path, TINY, Columns(), min_respondents=3)
    return cat, score(responses, cat)


def test_the_swap_changes_the_small_groups_but_not_the_region(swapped):
    (_, a), (_, b) = internal(swapped[0]), internal(swapped[1])
    # hand-computed: p1's i1 is (4 + 2) / 2 = 3, m1's is 4; swapped, pol = (4 + 3) / 2
    assert a.group_values.at[("X", "pol"), "i1"] == 3.0
    assert b.group_values.at[("X", "pol"), "i1"] == 3.5
    assert a.group_values.at[("X", "mid"), "i1"] == 4.0
    assert b.group_values.at[("X", "mid"), "i1"] == 3.0
    pd.testing.assert_frame_equal(a.values, b.values)


def test_disclose_blanks_small_groups_and_complementary_composites():
    cat, responses = load_survey(DATA / "tiny_survey.csv", TINY, Columns())  # minimum 2
    published = disclose(score(responses, cat), cat)
    gv = published.group_values
    assert pd.isna(gv.at[("X", "mid"), "i1"])  # one respondent
    assert pd.isna(gv.at[("X", "pol"), "i5"])  # one of the two answered
    # pol's beta composite (2.125, n=2) = mean of i3 (3.25, shown) and i5 (hidden):
    # shown, it would give i5 = 2 * 2.125 - 3.25 away.
    assert pd.isna(gv.at[("X", "pol"), "beta"])
    assert published.complement.at[("X", "pol"), "beta"]
    assert gv.at[("X", "pol"), "i3"] == 3.25 and gv.at[("X", "pol"), "alpha"] == 2.5
    table = tidy(published, cat, ["X"])
    row = table[(table.level == "pol") & (table.id == "beta")].iloc[0]
    assert pd.isna(row.value) and "would reveal" in row.note


def test_the_report_html_marks_withheld_composites():
    html = report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY)
    root = tinyhtml5.parse(html)
    ns = "{http://www.w3.org/1999/xhtml}"
    cells = ["".join(td.itertext()).strip() for td in root.iter(f"{ns}td")]
    assert "withheld" in cells


def test_score_and_build_files_do_not_depend_on_small_groups(swapped, tmp_path):
    outputs = []
    for path in swapped:
        out = path.parent / "out"
        code, _, err = run("score", "--survey", str(path), *("--definitions", str(TINY)),
                           "--min-respondents", "3", "--out", str(out / "scores.csv"))
        assert code == 0, err
        settings = ReportSettings(min_respondents=3)
        outputs.append(((out / "scores.csv").read_text(encoding="utf-8"),
                        report_html("X", survey=path, definitions=TINY, settings=settings)))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1] == outputs[1][1]
    rows = list(csv.DictReader(io.StringIO(outputs[0][0])))
    small = [r for r in rows if r["region"] == "X" and r["level"] in ("pol", "mid")]
    assert small and all(r["value"] == "" for r in small)


def test_include_small_groups_writes_the_internal_table_and_says_so(tiny_survey, tmp_path):
    target = tmp_path / "internal.csv"
    code, out, _ = run("score", "--survey", str(tiny_survey), "--definitions", str(TINY),
                       "--include-small-groups", "--out", str(target))
    assert code == 0 and "do not publish" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    mid = next(r for r in rows if (r["region"], r["level"], r["id"]) == ("X", "mid", "i1"))
    assert mid["value"] == "4.0" and mid["note"].startswith("INTERNAL")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_portfolio_export_suppresses_by_default(tmp_path, tiny_survey, suffix):
    db = tmp_path / "p.db"
    assert run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
               "--definitions", str(TINY), "--db", str(db))[0] == 0
    target = tmp_path / f"all.{suffix}"
    code, _, err = run("portfolio", "export", "--out", str(target), "--db", str(db),
                       "--min-respondents", "3", "--definitions", str(TINY))
    assert code == 0, err
    if suffix == "csv":
        table = pd.read_csv(target, keep_default_na=False, na_values={"value": [""]})
    else:
        table = pd.read_excel(target)
    small = table[(table.region == "X") & table.level.isin(["pol", "mid"])]
    assert len(small) and small.value.isna().all()
    # Region values are those of the same answers scored under the minimum of 3 (stored ones
    # held groups of 2, which the shown group values then gave away by subtraction).
    cat, responses = load_survey(DATA / "tiny_survey.csv", TINY, Columns(), 3)
    expected = tidy(score(responses, cat), cat)
    regional = table[table.level == "region"].set_index(["region", "id"])["value"]
    reference = expected[expected.level == "region"].set_index(["region", "id"])["value"]
    pd.testing.assert_series_equal(regional.sort_index(), reference.sort_index(),
                                   check_names=False, check_dtype=False)
    assert len(reference) == 2 * 9  # both regions, every indicator and composite


def test_publish_table_hides_complementary_composites_in_stored_tables():
    cat, responses = load_survey(DATA / "tiny_survey.csv", TINY, Columns())
    table = publish_table(tidy(score(responses, cat), cat), 2)
    pol = table[(table.region == "X") & (table.level == "pol")].set_index("id")
    assert pd.isna(pol.at["i5", "value"]) and pd.isna(pol.at["beta", "value"])
    assert pol.at["i3", "value"] == 3.25


@pytest.mark.pdf
def test_every_file_of_a_build_is_free_of_small_groups(swapped, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seen = []
    for path in swapped:
        result = build_report("X", path.parent / "out", survey=path, definitions=TINY,
                              html=True, settings=ReportSettings(min_respondents=3),
                              parallel=False)
        reader = PdfReader(result.pdf)
        attached = {name: data[0] for name, data in reader.attachments.items()
                    if name != "provenance.json"}  # holds the input's hash
        text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        seen.append((text, attached, result.scores_csv.read_bytes(),
                     result.html.read_text(encoding="utf-8") if result.html else ""))
    assert seen[0][0] == seen[1][0]
    assert seen[0][1] == seen[1][1]
    assert seen[0][2] == seen[1][2]
    assert seen[0][3] == seen[1][3]
    assert seen[0][1]["X-scores.csv"] == seen[0][2]


HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)"]


def test_xlsx_export_stores_hostile_names_as_text(tmp_path, write_survey, tiny_rows):
    rows = [dict(r, region_name=HOSTILE[0] if r["region"] == "X" else HOSTILE[1])
            for r in tiny_rows]
    db = tmp_path / "p.db"
    assert run("portfolio", "import", "--survey", str(write_survey(rows)), "--wave", "w1",
               "--definitions", str(TINY), "--db", str(db))[0] == 0
    target = tmp_path / "all.xlsx"
    assert run("portfolio", "export", "--out", str(target), "--db", str(db),
               "--definitions", str(TINY))[0] == 0
    with zipfile.ZipFile(target) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(target).active
    names = {c.value for c in sheet["B"][1:]}
    assert names == {HOSTILE[0], HOSTILE[1]}
    assert all(c.data_type == "s" for c in sheet["B"][1:])


def test_xlsx_cells_hold_control_characters_as_visible_escapes(tmp_path):
    import pandas as pd

    from reportgen.spreadsheet import write_xlsx

    target = tmp_path / "t.xlsx"
    # openpyxl refuses control characters; a class named "\x1b[2J" once ended in a traceback.
    write_xlsx(pd.DataFrame({"name": ["\x1b[2Jclear", "tab\tand\nnewline", HOSTILE[0]],
                             "value": [1.0, 2.0, None]}), target)
    sheet = load_workbook(target).active
    assert [c.value for c in sheet["A"][1:]] == ["\\x1b[2Jclear", "tab\tand\nnewline",
                                                 HOSTILE[0]]
    assert all(c.data_type == "s" for c in sheet["A"][1:])


def test_csv_outputs_defuse_formulas_and_benchmarks_read_them_back(tmp_path, write_survey,
                                                                  tiny_rows):
    from reportgen.catalogue import load_catalogue
    from reportgen.scoring.tables import read_benchmark

    rows = [dict(r, region_name=HOSTILE[0] if r["region"] == "X" else HOSTILE[2])
            for r in tiny_rows]
    target = tmp_path / "scores.csv"
    assert run("score", "--survey", str(write_survey(rows)), "--definitions", str(TINY),
               "--out", str(target))[0] == 0
    names = {r["region"]: r["region_name"] for r in read_rows(target)}
    # A spreadsheet shows an apostrophe-led cell as text; numbers keep their sign.
    assert names == {"X": "'" + HOSTILE[0], "Y": "'" + HOSTILE[2]}
    _, read = read_benchmark(target, load_catalogue(TINY))
    assert read == {"X": HOSTILE[0], "Y": HOSTILE[2]}

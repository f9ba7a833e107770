"""Real exports through a mapping file: LimeSurvey, Qualtrics and SPSS give the same scores."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.inputs.validate import DEFAULT_COLUMNS
from reportgen.scoring.aggregate import score
from reportgen.sources import load_survey
from tests.conftest import DATA

TINY = DATA / "tiny_catalogue.yaml"
AGREE = {"1": "A1", "2": "A2", "3": "A3", "4": "A4", "5": "A5", "9": "A9"}
GROUP_CODES = {"pol": "G1", "ops": "G2", "mid": "G3"}
SINGLE = ["q1", "q2", "q3", "q4", "q6", "q7"]


@pytest.fixture
def reference(tiny_survey):
    cat, responses = load_survey(tiny_survey, TINY, DEFAULT_COLUMNS)
    return score(responses, cat).values


def write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def limesurvey_mapping(path):
    path.write_text(
        "format: limesurvey\n"
        "columns: {id: id, region: REG, region_name: REGNAME, group: G00Q01}\n"
        "groups: {G1: pol, G2: ops, G3: mid}\n"
        "questions:\n"
        + "".join(f"  {q}: G01Q0{q[1]}\n" for q in SINGLE)
        + "  q5:\n    columns: {'G02Q05[SQ001]': '1', 'G02Q05[SQ002]': '2', "
          "'G02Q05[SQ003]': '3', 'G02Q05[SQ004]': '4'}\n"
        "answers:\n  agree: {A1: '1', A2: '2', A3: '3', A4: '4', A5: '5', A9: '9'}\n",
        encoding="utf-8")
    return path


def limesurvey_rows(tiny_rows):
    header = ["id", "submitdate", "lastpage", "startlanguage", "REG", "REGNAME", "G00Q01",
              *[f"G01Q0{q[1]}" for q in SINGLE], *[f"G02Q05[SQ00{k}]" for k in range(1, 5)]]
    rows = []
    for r in tiny_rows:
        chosen = r["q5"].split("|") if r["q5"] and r["q5"] != "9" else []
        rows.append([r["respondent_id"], "2026-03-01 10:00:00", "3", "en", r["region"],
                     r["region_name"], GROUP_CODES[r["group"]],
                     *[AGREE.get(r[q], r[q]) if q in ("q1", "q2", "q6", "q7") else r[q]
                       for q in SINGLE],
                     *["Y" if str(k) in chosen else "" for k in range(1, 5)]])
    # Two responses that were never submitted, with answers that would not validate.
    rows.append(["zz1", "", "1", "en", "X", "Xland", "G9", *["bad"] * 6, "", "", "", ""])
    rows.append(["zz2", "", "2", "en", "X", "Xland", "G1", *["A7"] * 6, "", "", "", ""])
    return header, rows


def test_limesurvey_export_gives_the_same_scores(tmp_path, tiny_rows, reference):
    header, rows = limesurvey_rows(tiny_rows)
    # q5 "9" (don't know) has no LimeSurvey column: selecting nothing is missing as well.
    export = write(tmp_path / "results-survey123.csv", header, rows)
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    cat, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    assert [why for _, why in responses.dropped] == ["incomplete response (no submitdate)"] * 2
    values = score(responses, cat).values
    pd.testing.assert_frame_equal(values, reference)


def test_a_mapped_heading_written_twice_is_refused_not_read_from_its_first_copy(
        tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    header[2] = "G01Q01"  # "lastpage" renamed: the first G01Q01 is no answer column
    export = write(tmp_path / "results.csv", header, rows)
    out, err = io.StringIO(), io.StringIO()
    code = main(["score", "--survey", str(export), "--definitions", str(TINY), "--mapping",
                 str(limesurvey_mapping(tmp_path / "m.yaml")), "--out",
                 str(tmp_path / "s.csv")], stdout=out, stderr=err)
    assert code == 2 and not (tmp_path / "s.csv").exists()
    assert ("results.csv, row 1, column 'G01Q01': error: column 'G01Q01', named in the "
            "mapping at questions.q1, appears 2 times in the export") in err.getvalue()


def test_validate_summarises_dropped_rows(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    export = write(tmp_path / "results.csv", header, rows)
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", "--survey", str(export), "--definitions", str(TINY), "--mapping",
                 str(limesurvey_mapping(tmp_path / "m.yaml"))], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "OK, 12 respondents in 2 regions" in text
    assert "left out: 2 of 14 rows (completion 86%)" in text
    assert "2 × incomplete response (no submitdate): rows 14, 15" in text


def test_mapped_export_errors_name_the_export_column(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    rows[0][7] = "A8"  # G01Q01 of p1: not a code of the agree scale
    export = write(tmp_path / "results.csv", header, rows)
    with pytest.raises(InputError) as info:
        load_survey(export, TINY, DEFAULT_COLUMNS,
                    mapping=limesurvey_mapping(tmp_path / "m.yaml"))
    assert info.value.lines == [f"{export}, row 2, column 'G01Q01': error: answer 'A8' is not "
                                "on scale 'agree' (codes 1, 2, 3, 4, 5, 9, or their labels)"]


def test_mapping_errors_are_located(tmp_path, tiny_survey):
    bad = tmp_path / "m.yaml"
    bad.write_text("format: limesurvey\ncolumns: {id: id, group: G}\nquestions: {q99: X, "
                   "q5: {columns: {A: '1'}}, q1: G01Q01}\nanswers: {nope: {}}\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_survey(tiny_survey, TINY, DEFAULT_COLUMNS, mapping=bad)
    text = "\n".join(info.value.lines)
    assert "line 3: error: questions.q99: unknown question 'q99' of catalogue 'tiny'" in text
    assert "line 4: error: answers.nope: unknown scale 'nope'" in text
    assert "columns.region: name the region column, or give `region:`" in text


def test_a_column_missing_from_the_export_is_named(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    export = write(tmp_path / "results.csv", [h.replace("G01Q03", "G01Q3") for h in header],
                   rows)
    with pytest.raises(InputError) as info:
        load_survey(export, TINY, DEFAULT_COLUMNS,
                    mapping=limesurvey_mapping(tmp_path / "m.yaml"))
    assert info.value.lines == [f"{export}, row 1: error: column 'G01Q03', named in the mapping "
                                "at questions.q3, is not in the export"]


def test_qualtrics_export_drops_previews_and_header_rows(tmp_path, tiny_rows, reference):
    header = ["ResponseId", "Status", "Finished", "Region", "Role", *SINGLE, "q5_1", "q5_2",
              "q5_3", "q5_4"]
    texts = ["Response ID", "Response Type", "Finished", "Region", "Your role",
             *[f"Question {q}" for q in SINGLE], *["Instruments - option"] * 4]
    ids = ['{"ImportId":"_recordId"}', '{"ImportId":"status"}', '{"ImportId":"finished"}',
           '{"ImportId":"QID90"}', '{"ImportId":"QID91"}',
           *[f'{{"ImportId":"QID{k}"}}' for k in range(1, 7)],
           *[f'{{"ImportId":"QID5_{k}"}}' for k in range(1, 5)]]
    rows = [texts, ids]
    for r in tiny_rows:
        chosen = r["q5"].split("|") if r["q5"] and r["q5"] != "9" else []
        rows.append([r["respondent_id"], "IP Address", "True", r["region"], r["group"],
                     *[r[q] for q in SINGLE], *["1" if str(k) in chosen else "" for k in
                                                range(1, 5)]])
    rows.append(["R_preview", "Survey Preview", "True", "X", "ministers", *["x"] * 6, "", "",
                 "", ""])
    export = write(tmp_path / "qualtrics.csv", header, rows)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("format: qualtrics\ncolumns: {id: ResponseId, region: Region, group: "
                       "Role}\nquestions:\n" + "".join(f"  {q}: {q}\n" for q in SINGLE)
                       + "  q5: {columns: {q5_1: '1', q5_2: '2', q5_3: '3', q5_4: '4'}}\n",
                       encoding="utf-8")
    cat, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    assert responses.dropped == [(16, "not a real response (Status Survey Preview)")]
    values = score(responses, cat).values
    pd.testing.assert_frame_equal(values, reference)


def test_spss_value_labels_are_read(tmp_path, tiny_rows, reference):
    pyreadstat = pytest.importorskip("pyreadstat")
    agree_labels = {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neutral", 4.0: "Agree",
                    5.0: "Strongly agree", 9.0: "Don't know"}
    frame = pd.DataFrame({
        "rid": [r["respondent_id"] for r in tiny_rows],
        "region": [r["region"] for r in tiny_rows],
        "role": [{"pol": 1.0, "ops": 2.0, "mid": 3.0}[r["group"]] for r in tiny_rows],
        **{q: [float(r[q]) if r[q] else None for r in tiny_rows] for q in ("q1", "q2", "q6",
                                                                            "q7")},
        "q3": [{"1": 1.0, "0": 0.0}.get(r["q3"]) for r in tiny_rows],
        "q4": [r["q4"] for r in tiny_rows],
    })
    path = tmp_path / "export.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        "role": {1.0: "Policy level", 2.0: "Operational level", 3.0: "Intermediate level"},
        **{q: agree_labels for q in ("q1", "q2", "q6", "q7")},
        "q3": {0.0: "No", 1.0: "Yes"}})
    mapping = tmp_path / "m.yaml"
    mapping.write_text("format: spss\ncolumns: {id: rid, region: region, group: role}\n"
                       "questions: {q1: q1, q2: q2, q3: q3, q4: q4, q6: q6, q7: q7}\n",
                       encoding="utf-8")
    cat, responses = load_survey(path, TINY, DEFAULT_COLUMNS, mapping=mapping)
    values = score(responses, cat).values
    keep = ["i1", "i2", "i3", "i5", "i6", "alpha", "gamma"]
    pd.testing.assert_frame_equal(values[keep], reference[keep])


def _texted(header: list[str], style: str) -> list[str]:
    """Turn LimeSurvey code headings into its other two heading styles."""
    texts = {"id": "Response ID", "submitdate": "Date submitted", "lastpage": "Last page",
             "startlanguage": "Start language"}
    out = []
    for h in header:
        text = texts.get(h, f"Question text of {h}")
        out.append(f"{h}. {text}" if style == "code-text" else text)
    return out


def test_limesurvey_code_and_text_headings_give_the_same_scores(tmp_path, tiny_rows,
                                                                reference):
    header, rows = limesurvey_rows(tiny_rows)
    export = write(tmp_path / "results.csv", _texted(header, "code-text"), rows)
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    cat, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    assert [why for _, why in responses.dropped] == ["incomplete response (no submitdate)"] * 2
    pd.testing.assert_frame_equal(score(responses, cat).values, reference)


def test_limesurvey_full_text_headings_still_leave_out_unsubmitted_rows(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    export = write(tmp_path / "results.csv", _texted(header, "text"), rows)
    names = dict(zip(header, _texted(header, "text"), strict=True))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "format: limesurvey\n"
        f"columns: {{id: '{names['id']}', region: '{names['REG']}', group: "
        f"'{names['G00Q01']}'}}\n"
        "groups: {G1: pol, G2: ops, G3: mid}\n"
        "questions:\n" + "".join(f"  {q}: '{names[f'G01Q0{q[1]}']}'\n" for q in SINGLE)
        + "answers:\n  agree: {A1: '1', A2: '2', A3: '3', A4: '4', A5: '5', A9: '9'}\n",
        encoding="utf-8")
    cat, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    assert len(responses.dropped) == 2 and len(responses.meta) == 12


def test_the_mapping_may_name_the_completion_column(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    header = ["done_at" if h == "submitdate" else h for h in header]
    export = write(tmp_path / "results.csv", header, rows)
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(
        "group: G00Q01}", "group: G00Q01, completion: done_at}"), encoding="utf-8")
    _, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    assert [why for _, why in responses.dropped] == ["incomplete response (no done_at)"] * 2


def test_an_export_with_nothing_left_says_why(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    export = write(tmp_path / "results.csv", header, [r[:1] + [""] + r[2:] for r in rows])
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    with pytest.raises(InputError, match=r"no response is left to score: all 14 rows were "
                       r"left out \(14 × incomplete response \(no submitdate\)\)"):
        load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)


def test_a_mapping_can_fix_the_group_of_a_one_group_survey(tmp_path, tiny_rows):
    header, rows = limesurvey_rows(tiny_rows)
    pol = [r for r, t in zip(rows, tiny_rows + [None, None], strict=True)
           if t is not None and t["group"] == "pol"]
    export = write(tmp_path / "results.csv", header, pol)
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(
        ", group: G00Q01}", "}\ngroup: pol"), encoding="utf-8")
    _, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    assert set(responses.meta["group"]) == {"pol"} and len(responses.meta) == 4


def test_qualtrics_sav_multi_select_columns_count(tmp_path, tiny_rows, reference):
    pyreadstat = pytest.importorskip("pyreadstat")
    options = {1: "Vouchers", 2: "Grants", 3: "Loans", 4: "Advice"}
    frame = pd.DataFrame({
        "rid": [r["respondent_id"] for r in tiny_rows],
        "region": [r["region"] for r in tiny_rows],
        "role": [r["group"] for r in tiny_rows],
        **{f"q5_{k}": [1.0 if str(k) in r["q5"].split("|") else None for r in tiny_rows]
           for k in options},
    })
    path = tmp_path / "qualtrics.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        f"q5_{k}": {1.0: text} for k, text in options.items()})
    mapping = tmp_path / "m.yaml"
    mapping.write_text("format: spss\ncolumns: {id: rid, region: region, group: role}\n"
                       "questions:\n  q5: {columns: {q5_1: '1', q5_2: '2', q5_3: '3', "
                       "q5_4: '4'}}\n", encoding="utf-8")
    cat, responses = load_survey(path, TINY, DEFAULT_COLUMNS, mapping=mapping)
    values = score(responses, cat).values
    pd.testing.assert_series_equal(values["i4"], reference["i4"])


@pytest.mark.pdf
def test_build_and_import_say_which_rows_they_left_out(tmp_path, tiny_rows):
    import io

    from reportgen.cli import main

    header, rows = limesurvey_rows(tiny_rows)
    export = write(tmp_path / "results.csv", header, rows)
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    for argv in (["build", "--region", "X", "--out", str(tmp_path / "out"), "--html"],
                 ["portfolio", "import", "--wave", "w1", "--db", str(tmp_path / "p.db")]):
        out = io.StringIO()
        code = main([*argv, "--survey", str(export), "--mapping", str(mapping),
                     "--definitions", str(TINY)], stdout=out, stderr=io.StringIO())
        assert code == 0
        assert "left out: 2 of 14 rows" in out.getvalue(), argv
        assert "2 × incomplete response (no submitdate): rows 14, 15" in out.getvalue()


def test_multi_select_cells_are_ticked_unticked_or_refused(tmp_path, tiny_rows, reference):
    header, rows = limesurvey_rows(tiny_rows)
    first = header.index("G02Q05[SQ001]")
    ticked = [r for r in rows if r[first] == "Y"]
    for r in ticked:
        r[first] = "yes"  # another case of a default 'selected' value: still ticked
    for r in rows:
        r[first + 1] = r[first + 1] or "N"
    mapping = limesurvey_mapping(tmp_path / "mapping.yaml")
    export = write(tmp_path / "ok.csv", header, rows)
    cat, responses = load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    pd.testing.assert_frame_equal(score(responses, cat).values, reference)
    # A value the mapping does not know is neither read as a tick nor dropped silently.
    ticked[0][first] = "x"
    export = write(tmp_path / "bad.csv", header, rows)
    with pytest.raises(InputError) as info:
        load_survey(export, TINY, DEFAULT_COLUMNS, mapping=mapping)
    row = rows.index(ticked[0]) + 2
    assert info.value.lines == [
        f"{export}, row {row}, column 'G02Q05[SQ001]': error: 'x' in a multi-select column "
        "means neither selected (Y, 1, Yes, True) nor not selected; add it to "
        "questions.q5.selected or .unselected of the mapping"]

"""Reading exports in every supported shape, and every validation problem at once."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from reportgen.build import load_survey
from reportgen.errors import InputError
from reportgen.inputs.validate import DEFAULT_COLUMNS, Columns
from reportgen.scoring.aggregate import score


def region_values(path, catalogue, columns=DEFAULT_COLUMNS):
    cat, responses = load_survey(path, catalogue, columns)
    return score(responses, cat).values


@pytest.fixture
def reference(tiny_survey, tiny_catalogue):
    return region_values(tiny_survey, tiny_catalogue)


@pytest.mark.parametrize("delimiter,encoding", [(",", "utf-8"), (";", "utf-8"),
                                                (";", "utf-8-sig"), (",", "cp1252"),
                                                ("\t", "utf-8"), ("\t", "utf-16")])
def test_csv_dialects_give_the_same_scores(write_survey, tiny_rows, tiny_catalogue, reference,
                                           delimiter, encoding):
    tiny_rows[0]["region_name"] = "Xländ"  # a character that differs between encodings
    path = write_survey(tiny_rows, delimiter=delimiter, encoding=encoding)
    cat, responses = load_survey(path, tiny_catalogue, Columns())
    assert responses.region_names["X"] == "Xländ"
    pd.testing.assert_frame_equal(score(responses, cat).values, reference)
    # Only a reader can tell Windows-1252 from another 8-bit code page: a warning names the
    # words to check (and their row), as Windows-1250 "Središče" would read "Središèe".
    legacy = [str(w) for w in responses.warnings if "not UTF-8" in w.message]
    assert legacy == ([f"{path}, row 2: warning: not UTF-8, read as Windows-1252: check that "
                       "'Xländ' read as meant, or save the export as UTF-8"]
                      if encoding == "cp1252" else [])


def test_xlsx_gives_the_same_scores(tmp_path, tiny_rows, tiny_catalogue, reference):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(tiny_rows[0]))
    for row in tiny_rows:
        # Spreadsheets store codes as numbers: 5 arrives as 5 (int) or 5.0 (float).
        sheet.append([float(v) if v.isdigit() else v for v in row.values()])
    path = tmp_path / "survey.xlsx"
    book.save(path)
    pd.testing.assert_frame_equal(region_values(path, tiny_catalogue), reference)


def test_utf16_needs_its_byte_order_mark(tiny_survey, tiny_catalogue, reference, tmp_path):
    text = tiny_survey.read_text(encoding="utf-8")
    big_endian = tmp_path / "be.csv"
    big_endian.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    pd.testing.assert_frame_equal(region_values(big_endian, tiny_catalogue), reference)
    bare = tmp_path / "bare.csv"
    bare.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(InputError, match="bare.csv: error: looks like UTF-16 text without a "
                                         "byte order mark; save it as UTF-8"):
        load_survey(bare, tiny_catalogue, Columns())


def _book(tiny_rows, path, far_cell):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(tiny_rows[0]))
    for row in tiny_rows:
        sheet.append(list(row.values()))
    row, column = far_cell
    sheet.cell(row=row, column=column, value="stray")
    book.save(path)
    return path


def test_a_stray_cell_in_the_sheets_last_row_is_read_quickly(tmp_path, tiny_rows,
                                                             tiny_catalogue):
    import time

    # Excel's last row: openpyxl used to pad a million rows to 2,000 columns (two minutes).
    path = _book(tiny_rows, tmp_path / "stray.xlsx", (1_048_576, 1))
    start = time.perf_counter()
    with pytest.raises(InputError) as refused:
        load_survey(path, tiny_catalogue, Columns())
    assert time.perf_counter() - start < 20
    assert [(p.row, p.column) for p in refused.value.problems][:2] == [
        (1_048_576, "region"), (1_048_576, "group")]


def test_an_xlsx_value_beyond_the_column_limit_is_refused_not_dropped(tmp_path, tiny_rows,
                                                                    tiny_catalogue):
    from reportgen.inputs.raw import MAX_COLUMNS

    path = _book(tiny_rows, tmp_path / "wide.xlsx", (3, MAX_COLUMNS + 1))
    with pytest.raises(InputError, match="row 3: error: a value beyond column 2,000"):
        load_survey(path, tiny_catalogue, Columns())


def _with_formula(tiny_rows, path, cached):
    """Write the tiny export with its first q1 answer as a formula, stored result or none."""
    import re
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = list(tiny_rows[0])
    sheet.append(header)
    for row in tiny_rows:
        sheet.append(list(row.values()))
    sheet.cell(row=2, column=header.index("q1") + 1, value=f"={tiny_rows[0]['q1']}*1")
    book.save(path)
    if cached:  # what a spreadsheet program stores after calculating
        with zipfile.ZipFile(path) as archive:
            parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        parts["xl/worksheets/sheet1.xml"] = re.sub(
            r"(<f>[^<]*</f>)<v\s*/?>(</v>)?", rf"\1<v>{tiny_rows[0]['q1']}</v>", xml).encode()
        with zipfile.ZipFile(path, "w") as archive:
            for filename, data in parts.items():
                archive.writestr(filename, data)
    return path


def test_a_calculated_formula_is_read_as_its_value(tmp_path, tiny_rows, tiny_catalogue,
                                                   reference):
    path = _with_formula(tiny_rows, tmp_path / "calculated.xlsx", cached=True)
    pd.testing.assert_frame_equal(region_values(path, tiny_catalogue), reference)


def test_a_formula_never_calculated_is_refused_not_read_as_blank(tmp_path, tiny_rows,
                                                                 tiny_catalogue):
    from openpyxl.utils import get_column_letter

    path = _with_formula(tiny_rows, tmp_path / "uncalculated.xlsx", cached=False)
    with pytest.raises(InputError, match="a formula without a calculated value") as refused:
        load_survey(path, tiny_catalogue, Columns())
    letter = get_column_letter(list(tiny_rows[0]).index("q1") + 1)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, letter)]


def test_labels_are_accepted_instead_of_codes(write_survey, tiny_rows, tiny_catalogue,
                                              reference):
    labels = {"1": "Strongly disagree", "2": "disagree", "3": " NEUTRAL ", "4": "Agree",
              "5": "Strongly agree", "9": "Don't know"}
    for row in tiny_rows:
        row["q1"] = labels.get(row["q1"], row["q1"])
        row["q4"] = {"a": "Not involved", "b": "Consulted", "c": "Co-designed"}.get(row["q4"], "")
        row["q5"] = row["q5"].replace("1", "Vouchers").replace("2", "Grants")
        row["group"] = {"pol": "Policy level", "ops": "cluster managers"}.get(row["group"],
                                                                              row["group"])
    path = write_survey(tiny_rows)
    pd.testing.assert_frame_equal(region_values(path, tiny_catalogue), reference)


def test_column_names_are_configurable(write_survey, tiny_rows, tiny_catalogue, reference):
    renamed = [{("ID" if k == "respondent_id" else "Stakeholder" if k == "group" else
                 "Region code" if k == "region" else k): v for k, v in row.items()}
               for row in tiny_rows]
    for row in renamed:
        row["submitted"] = "2026-01-01"
    path = write_survey(renamed)
    columns = Columns(id="ID", region="Region code", group="Stakeholder",
                      ignore=("submitted",))
    pd.testing.assert_frame_equal(region_values(path, tiny_catalogue, columns), reference)


def test_every_problem_is_reported_with_row_and_column(write_survey, tiny_rows,
                                                       tiny_catalogue):
    for row in tiny_rows:
        row["comment"] = ""
    tiny_rows[1]["group"] = "ministers"
    tiny_rows[2]["q1"] = "7"
    tiny_rows[4]["respondent_id"] = "p1"
    tiny_rows[5]["q5"] = "1|8"
    tiny_rows[3]["q5"] = "1, 2"
    path = write_survey(tiny_rows)
    with pytest.raises(InputError) as info:
        load_survey(path, tiny_catalogue, Columns())
    assert info.value.lines == [
        f"{path}, row 1, column 'comment': error: unknown question column: not a question of "
        "catalogue 'tiny' (use --ignore-column to skip it)",
        f"{path}, row 6, column 'respondent_id': error: duplicate respondent id 'p1' (first in "
        "row 2)",
        f"{path}, row 3, column 'group': error: unknown stakeholder group 'ministers'; expected "
        "one of: pol, ops, mid",
        f"{path}, row 4, column 'q1': error: answer '7' is not on scale 'agree' (codes 1, 2, 3, "
        "4, 5, 9, or their labels)",
        f"{path}, row 5, column 'q5': error: answer '1, 2' is not on scale 'multi' (codes 1, "
        "2, 3, 4, 9, or their labels; join several options with '|')",
        f"{path}, row 7, column 'q5': error: answer '1|8' is not on scale 'multi' (codes 1, 2, "
        "3, 4, 9, or their labels)",
    ]


def test_missing_required_column(write_survey, tiny_rows, tiny_catalogue):
    for row in tiny_rows:
        del row["group"]
    path = write_survey(tiny_rows)
    with pytest.raises(InputError) as info:
        load_survey(path, tiny_catalogue, Columns())
    assert info.value.lines == [f"{path}, row 1: error: required column 'group' is missing; "
                                "name it with the matching --*-column option"]


def test_ragged_row_names_its_line(tmp_path, tiny_survey, tiny_catalogue):
    lines = tiny_survey.read_text(encoding="utf-8").splitlines()
    lines[3] += ",surplus"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_survey(path, tiny_catalogue, Columns())
    assert info.value.lines == [f"{path}, row 4: error: expected 11 fields as in the header, "
                                "got 12"]


@pytest.mark.parametrize("content,message", [
    (b"", "file is empty"),
    (b"respondent_id,region,group\n", "row 2: error: the file has a header but no respondents"),
    (b"id\x81\x8d", "text is neither UTF-8 nor Windows-1252"),
    # UTF-8 with one Latin-1 byte pasted in (line 2): refused, not read as Windows-1252.
    ("respondent_id,region_name\nr1,Bourgogne-Franche-Comt\u00e9\nr2,Z\u00fcrich\n".encode()
     .replace(b"Z\xc3\xbc", b"Z\xfc"),
     "row 3: error: text is UTF-8 but byte 0xfc at offset 58 is not"),
    (b"\xff\xfe\x00\xd8a\x00", "broken UTF-16 text"),  # a lone surrogate
])
def test_empty_or_unreadable_files(tmp_path, tiny_catalogue, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_survey(path, tiny_catalogue, Columns())
    assert message in info.value.lines[0] and str(path) in info.value.lines[0]


def refusal(path, catalogue) -> list[str]:
    """Return the error lines of loading `path`, which must be refused."""
    with pytest.raises(InputError) as info:
        load_survey(path, catalogue, Columns())
    return info.value.lines


def as_workbook(survey, path, before: str | None = None):
    """Save the survey's rows as a workbook at `path`, after an empty sheet if `before`."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if before is not None:
        sheet.title = before
        sheet = book.create_sheet("Responses")
    for row in csv.reader(survey.read_text(encoding="utf-8").splitlines()):
        sheet.append(row)
    book.save(path)
    return path


def test_not_a_workbook(tmp_path, tiny_catalogue):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 but no archive follows")
    assert "not a readable XLSX workbook" in refusal(path, tiny_catalogue)[0]
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert refusal(path, tiny_catalogue) == [f"{path}: error: an Excel 97-2003 workbook (.xls) "
                                             "or an encrypted (password-protected) workbook; "
                                             "save it as .xlsx without a password, or as CSV"]


def _ods(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def _zipped_csv(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/responses.csv", "region,group\nX,pol\n")


@pytest.mark.parametrize("name, make, said", [
    ("answers.csv.gz", lambda p: p.write_bytes(b"\x1f\x8b\x08\x00" + bytes(40)),
     "a gzip-compressed file; unpack it first"),
    ("answers.xls", lambda p: p.write_bytes(b"<html><body><table><tr><td>region</td></tr>"),
     "an HTML or XML page"),
    ("answers.xls", lambda p: p.write_bytes(b'\xef\xbb\xbf  <?xml version="1.0"?>\n<?mso-'
                                            b'application progid="Excel.Sheet"?><Workbook>'),
     "an HTML or XML page"),
    ("answers.ods", _ods, "an OpenDocument spreadsheet (.ods); save it as .xlsx or as CSV"),
    ("answers.xlsx", _zipped_csv, "a ZIP archive (export/responses.csv), not an XLSX workbook"),
    ("answers.csv", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3"), "a PDF document"),
    ("answers.csv", lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(100)),
     "an SQLite database"),
    ("answers.sav", lambda p: p.write_bytes(b"$FL2@(#) IBM SPSS" + bytes(100)),
     "an SPSS data file (.sav); read it with --mapping"),
])
def test_files_of_another_kind_are_named_as_what_they_are(tmp_path, tiny_catalogue, name,
                                                          make, said):
    path = tmp_path / name
    make(path)
    [line] = refusal(path, tiny_catalogue)
    assert line.startswith(f"{path}: error: {said}")


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be", "utf-16-be"])
def test_text_with_a_unicode_byte_order_mark_is_read_in_its_encoding(tmp_path, tiny_survey,
                                                                     tiny_catalogue, codec):
    text = tiny_survey.read_text(encoding="utf-8").replace("Xland", "Xländ")
    path = tmp_path / f"{codec}.csv"
    bom = "" if codec == "utf-32" else "\ufeff"  # Python's "utf-32" writes its own mark
    path.write_bytes((bom + text).encode(codec))
    (tmp_path / "plain.csv").write_text(text, encoding="utf-8")
    _, plain = load_survey(tmp_path / "plain.csv", tiny_catalogue, Columns())
    _, read = load_survey(path, tiny_catalogue, Columns())
    assert read.region_names["X"] == "Xländ"
    pd.testing.assert_frame_equal(read.items, plain.items)


def test_the_content_decides_csv_or_workbook_not_the_name(tmp_path, tiny_survey,
                                                          tiny_catalogue):
    as_workbook(tiny_survey, tmp_path / "saved-as.csv")  # a workbook under a CSV name
    (tmp_path / "named.xlsx").write_bytes(tiny_survey.read_bytes())  # CSV under an XLSX name
    _, plain = load_survey(tiny_survey, tiny_catalogue, Columns())
    for name in ("saved-as.csv", "named.xlsx"):
        _, read = load_survey(tmp_path / name, tiny_catalogue, Columns())
        pd.testing.assert_frame_equal(read.items, plain.items)


def test_answers_from_groups_not_asked_are_ignored_with_a_warning(write_survey, tiny_rows,
                                                                  tiny_catalogue):
    tiny_rows[0]["q7"] = "5"  # q7 is asked of the intermediate level only
    cat, responses = load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    assert pd.isna(responses.items.at["p1", "q7"])
    assert any("groups not asked this question are ignored" in str(w)
               for w in responses.warnings)


def test_row_numbers_count_records_not_lines(tmp_path):
    from reportgen.inputs.survey import read_survey

    path = tmp_path / "multi.csv"
    path.write_text('respondent_id,note,q1\np1,"two\nlines",1\np2,"three\nmore\nlines",2\n'
                    "p3,plain,3\n", encoding="utf-8")
    raw = read_survey(path)
    assert raw.row_numbers == [2, 3, 4]


def test_input_limits_are_configurable(tmp_path, tiny_survey):
    from reportgen.cli import main

    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.write(tiny_survey.read_bytes())
        f.write(b"\n" * 1_500_000)  # blank lines: a valid export of 1.5 MB
    args = ["validate", "--survey", str(big), "--definitions",
            str(tiny_survey.parent / "tiny_catalogue.yaml")]
    out, err = io.StringIO(), io.StringIO()
    assert main([*args, "--max-input-mb", "1"], stdout=out, stderr=err) == 2
    assert "larger than the limit of 1,000,000 bytes (raise it with --max-input-mb)" in \
        err.getvalue()
    assert main([*args, "--max-input-mb", "2"], stdout=out, stderr=err) == 0
    assert main(args, stdout=out, stderr=err) == 0  # the default admits it


def test_one_region_written_two_ways_is_refused(write_survey, tiny_rows, tiny_catalogue):
    # A free-text region question: "X", "x" and its name "Xland" are one region.
    tiny_rows[1]["region"] = "x"
    tiny_rows[2].update(region="Xland", region_name="")
    with pytest.raises(InputError) as refused:
        load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    said = [(p.row, p.column, p.message) for p in refused.value.problems]
    assert (3, "region", "region code 'x' differs from 'X' only in how it is written (case, "
            "width, accents, invisible characters or letters of another script); write one "
            "region one way") in said
    assert (4, "region", "region 'Xland' is the name of region 'X'; give its code") in said


def test_look_alike_region_codes_are_refused(write_survey, tiny_rows, tiny_catalogue):
    # Fullwidth letters and a zero-width space read as "X" but would be other regions.
    tiny_rows[1]["region"] = "\uff38"
    tiny_rows[3]["region"] = "X\u200b"
    with pytest.raises(InputError) as refused:
        load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    said = [(p.row, p.message) for p in refused.value.problems]
    assert (3, "region code '\\uff38' differs from 'X' only in how it is written (case, "
            "width, accents, invisible characters or letters of another script); write one "
            "region one way") in said
    assert (5, "region code 'X\\u200b' holds an invisible character (U+200B); write the code "
            "plainly") in said


@pytest.mark.parametrize("code, other", [("\u0425", "X"), ("\u03a7", "X")])
def test_codes_in_letters_of_another_script_that_look_latin_are_refused(
        write_survey, tiny_rows, tiny_catalogue, code, other):
    # A Cyrillic or Greek "X" typed on another keyboard layout reads as the Latin one.
    tiny_rows[1]["region"] = code
    with pytest.raises(InputError) as refused:
        load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    said = [p.message for p in refused.value.problems if p.row == 3]
    assert said and said[0].startswith(f"region code {ascii(code)} differs from {other!r}")


@pytest.mark.parametrize("code", ["X\ufe0f", "X\u034f", "X\u3164", "X\u2800", "\u202eX"])
def test_codes_with_characters_that_draw_nothing_are_refused(write_survey, tiny_rows,
                                                             tiny_catalogue, code):
    tiny_rows[1]["region"] = code
    with pytest.raises(InputError) as refused:
        load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    said = [p.message for p in refused.value.problems if p.row == 3]
    assert said and said[0].startswith("region code ") and "invisible character" in said[0]


def test_accents_written_two_ways_are_one_code(write_survey, tiny_rows, tiny_catalogue):
    for row in tiny_rows:
        row["region"] = {"X": "\u00c91", "Y": "E\u03011"}[row["region"]]  # É1 both times
    with pytest.raises(InputError) as refused:
        load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    assert any("'E\\u03011' differs from '\\xc91'" in p.message
               for p in refused.value.problems)


def test_excel_habits_are_read_as_meant(tmp_path, tiny_survey, tiny_catalogue):
    # Excel's "sep=;" first line, trailing delimiters (nameless empty columns) and codes
    # written with a decimal comma.
    lines = tiny_survey.read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",", ";") + ";;" for line in lines]
    lines[1] = lines[1].replace("p1;X;Xland;pol;5;", "p1;X;Xland;pol;5,0;")
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\r\n" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    _, plain = load_survey(tiny_survey, tiny_catalogue, Columns())
    cat, read = load_survey(path, tiny_catalogue, Columns())
    pd.testing.assert_frame_equal(read.items, plain.items)
    # Rows keep the numbers a spreadsheet shows: the sep line is row 1.
    lines[2] = lines[2].replace("p2;X;Xland;pol;4;", "p2;X;Xland;pol;zz;")
    path.write_text("sep=;\r\n" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert refusal(path, tiny_catalogue)[0].startswith(f"{path}, row 4, column 'q1': ")
    # A column without a name that holds answers is refused, not dropped.
    lines[3] += "x"
    path.write_text("\r\n".join(lines[:1] + lines[3:]) + "\r\n", encoding="utf-8")
    assert refusal(path, tiny_catalogue) == [f"{path}, row 1: error: column 13 (M) holds "
                                             "answers but has no name in the header row"]


@pytest.mark.parametrize("line", ['"sep=;"', " sep=; ", '"sep=;";;;', "sep=;\t"])
def test_a_quoted_or_padded_sep_line_names_the_delimiter_too(tmp_path, tiny_survey,
                                                            tiny_catalogue, line):
    lines = [x.replace(",", ";") for x in tiny_survey.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "excel.csv"
    path.write_text(line + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    _, plain = load_survey(tiny_survey, tiny_catalogue, Columns())
    _, read = load_survey(path, tiny_catalogue, Columns())
    pd.testing.assert_frame_equal(read.items, plain.items)


def test_a_workbook_with_its_data_on_a_later_sheet_says_where(tmp_path, tiny_survey,
                                                              tiny_catalogue):
    path = as_workbook(tiny_survey, tmp_path / "two-sheets.xlsx", before="Notes")
    assert refusal(path, tiny_catalogue) == [f"{path}: error: the first sheet is empty; the data "
                                             "seems to be on sheet 'Responses': move it first"]


def test_codes_in_a_zero_padding_format_read_as_the_sheet_shows_them(tmp_path, tiny_survey,
                                                                     tiny_catalogue):
    from openpyxl import load_workbook

    from reportgen.inputs.survey import read_survey

    # Typed as 1 and shown as "01" (format "00"): a CSV export of the sheet holds "01", and
    # the two must not become two regions.
    path = as_workbook(tiny_survey, tmp_path / "padded.xlsx")
    book = load_workbook(path)
    sheet = book.active
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, 2)  # the region column
        cell.value, cell.number_format = {"X": 1, "Y": 2}[cell.value], "00"
    book.save(path)
    raw = read_survey(path)
    assert set(raw.cells[1]) == {"01", "02"}
    cat, responses = load_survey(path, tiny_catalogue, Columns())
    assert set(responses.meta["region"]) == {"01", "02"}


def test_a_cover_sheet_before_the_data_names_the_other_sheets(tmp_path, tiny_survey,
                                                             tiny_catalogue):
    from openpyxl import load_workbook

    hint = ("(the first sheet was read; the workbook also has sheet(s) 'Responses': move the "
            "data sheet first)")
    path = as_workbook(tiny_survey, tmp_path / "cover.xlsx", before="Cover")
    book = load_workbook(path)
    book["Cover"]["A1"] = "StressTest survey, export of 3 March"
    book.save(path)
    assert refusal(path, tiny_catalogue) == [f"{path}, row 2: error: the file has a header "
                                             f"but no respondents {hint}"]
    book["Cover"]["A3"] = "Contact: the cluster agency"
    book.save(path)
    lines = refusal(path, tiny_catalogue)
    assert len(lines) == 3 and all(line.endswith(f"option {hint}") for line in lines)


def test_a_region_with_several_names_says_which_it_uses(write_survey, tiny_rows,
                                                        tiny_catalogue):
    tiny_rows[1]["region_name"] = "Alpha-X"  # the second of X's rows: "Xland" comes first
    _, responses = load_survey(write_survey(tiny_rows), tiny_catalogue, Columns())
    assert responses.region_names["X"] == "Xland"
    assert [w.message for w in responses.warnings] == [
        "region 'X' has several names ['Xland', 'Alpha-X']; using 'Xland', the first in the "
        "file"]


def test_a_runaway_quote_is_refused_not_allowed_to_swallow_respondents(tmp_path, tiny_survey,
                                                                       tiny_catalogue):
    lines = tiny_survey.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("p2,X,Xland", 'p2,X,"Xland')  # the quote never closes
    lines[4] = lines[4].replace("o2,X,Xland", 'o2,X,Xland"')  # ... until here
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refusal(path, tiny_catalogue) == [
        f"{path}, row 3, column 'region_name': error: a quoted cell runs on over 2 more "
        "line(s), 1 of them shaped like whole records: an opening quote without its closing "
        "one?"]


def test_workbook_error_cells_and_hidden_sheets(tmp_path, tiny_survey, tiny_catalogue):
    from openpyxl import load_workbook

    path = as_workbook(tiny_survey, tmp_path / "errors.xlsx")
    book = load_workbook(path)
    book.active["B7"] = "#N/A"  # what a failed lookup leaves, saved by a spreadsheet
    book.save(path)
    assert refusal(path, tiny_catalogue) == [
        f"{path}, row 7, column 'B': error: the cell holds the spreadsheet error #N/A, not a "
        "value; fix the formula or export CSV"]
    # A hidden sheet first (an old copy) is not what the user sees: the visible one is read.
    book = load_workbook(as_workbook(tiny_survey, tmp_path / "hidden.xlsx"))
    old = book.create_sheet("Old", 0)
    old.append(["respondent_id", "region", "group"])
    old.append(["z1", "Z", "pol"])
    old.sheet_state = "hidden"
    book.save(tmp_path / "hidden.xlsx")
    _, read = load_survey(tmp_path / "hidden.xlsx", tiny_catalogue, Columns())
    assert len(read.meta) == 12


def test_a_blank_line_above_the_header_does_not_pick_the_delimiter(tmp_path, tiny_survey,
                                                                    tiny_catalogue):
    path = tmp_path / "blank-first.csv"
    path.write_text("\n" + tiny_survey.read_text(encoding="utf-8").replace(",", ";"),
                    encoding="utf-8")
    _, read = load_survey(path, tiny_catalogue, Columns())
    assert len(read.meta) == 12


def test_names_with_line_breaks_or_bidi_controls_stay_one_plain_line():
    from reportgen.errors import Problem
    from reportgen.terminal import printable

    assert str(Problem("bad\nname.csv", "file not found")) == (
        "bad\\nname.csv: error: file not found")
    assert printable("\u202ecsv.exe") == "\\u202ecsv.exe"

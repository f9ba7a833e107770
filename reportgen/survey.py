"""Read a wide survey export (CSV or XLSX) into rows of text cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import InputError, Problem

MAX_SURVEY_BYTES = 50_000_000
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class RawSurvey:
    """An export as read: header, cell texts and each row's number in the file."""

    file: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]


def read_survey(path: str | Path) -> RawSurvey:
    """Read a CSV or XLSX export; raise InputError naming file and row on malformed input."""
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError.single(name, "file not found")
    size = p.stat().st_size
    if size > MAX_SURVEY_BYTES:
        raise InputError.single(name, f"file is larger than the limit of {MAX_SURVEY_BYTES:,} "
                                "bytes")
    if size == 0:
        raise InputError.single(name, "file is empty")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        survey = _read_xlsx(p, name)
    else:
        survey = _read_csv(p.read_bytes(), name)
    if not survey.rows:
        raise InputError.single(name, "the export has a header but no respondents", row=2)
    return survey


def _decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252 as Excel writes it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"text is neither UTF-8 nor Windows-1252 (byte offset "
                                f"{exc.start})") from None


def _sniff_delimiter(first_line: str) -> str:
    """Pick the delimiter that splits the header line into the most fields."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def _read_csv(raw: bytes, name: str) -> RawSurvey:
    text = _decode(raw, name)
    if "\x00" in text:
        raise InputError.single(name, "file contains NUL bytes; is it a binary file?")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line),
                        strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if len(record) != len(header):
                problems.append(Problem(name, f"expected {len(header)} fields as in the "
                                        f"header, got {len(record)}", row=line))
                continue
            rows.append(record)
            numbers.append(line)
    except csv.Error as exc:
        raise InputError.single(name, f"malformed CSV: {exc}", row=reader.line_num) from None
    if header is None:
        raise InputError.single(name, "file has no header row")
    if problems:
        raise InputError(problems)
    return RawSurvey(name, header, rows, numbers)


def _cell_text(value: object) -> str:
    """Write a spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, name: str) -> RawSurvey:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError.single(name, f"not a readable XLSX workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        rows: list[list[str]] = []
        numbers: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                while cells and not cells[-1].strip():
                    cells.pop()
                header = [c.strip() for c in cells]
                continue
            cells = (cells + [""] * len(header))[: max(len(header), len(cells))]
            if any(c.strip() for c in cells[len(header):]):
                raise InputError.single(name, "row has values beyond the last header column",
                                        row=number)
            rows.append(cells[: len(header)])
            numbers.append(number)
    finally:
        book.close()
    if header is None:
        raise InputError.single(name, "the first sheet is empty")
    return RawSurvey(name, header, rows, numbers)

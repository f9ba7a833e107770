"""Read a survey export saved as an XLSX workbook: the first visible sheet, cell by cell."""

from __future__ import annotations

import io
import re
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.inputs.raw import LIMITS, MAX_COLUMNS, RawSurvey


def _cell_text(value: object) -> str:
    """Write a spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_unpacked_size(path: Path, name: str) -> None:
    """Refuse workbooks whose compressed parts unpack to more than the size limit."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError.single(name, f"not a readable XLSX workbook ({exc})") from None
    if unpacked > LIMITS.get().unpacked_bytes:
        raise InputError.single(name, f"the workbook unpacks to more than "
                                f"{LIMITS.get().unpacked_bytes:,} bytes; export fewer columns, use "
                                "CSV or raise --max-input-mb")


def read_xlsx(path: Path, name: str) -> RawSurvey:
    """Read the first visible sheet of a workbook as an export, refusing what would misread."""
    from openpyxl import load_workbook

    check_unpacked_size(path, name)
    try:
        # From the bytes: openpyxl refuses a workbook by its file name (one saved as .csv).
        data = path.read_bytes()
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # A second view of the same sheet shows the formulas: a formula never calculated
        # (written by a script, not saved by a spreadsheet program) has no stored result and
        # would read as a silent blank answer.
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways, all the same to us
        raise InputError.single(name, f"not a readable XLSX workbook ({exc})") from None
    try:
        # Closed explicitly: a generator left suspended by an error keeps its sheet open.
        with closing(_first_sheet_rows(book, as_shown=True)) as values, \
                closing(_first_sheet_rows(formulas)) as shown:
            survey = _sheet_rows(_capped(_calculated(values, shown, name), name), name)
        visible = [s.title for s in book.worksheets
                   if getattr(s, "sheet_state", "visible") == "visible"]
        return replace(survey, other_sheets=tuple(visible[1:]))
    except InputError as exc:
        others = [s.title for s in book.worksheets[1:] if s.max_row and s.max_row > 1]
        if exc.problems[0].message.startswith("the first sheet is empty") and others:
            # An export saved with a cover or notes sheet first: say where the data is.
            raise InputError.single(name, f"the first sheet is empty; the data seems to be on "
                                    f"sheet {others[0]!r}: move it first") from None
        raise
    except Exception as exc:  # noqa: BLE001 - damaged sheet XML or compressed data
        raise InputError.single(name, f"not a readable XLSX workbook ({exc})") from None
    finally:
        book.close()
        formulas.close()


def _first_sheet_rows(book: Any, as_shown: bool = False
                      ) -> Generator[tuple[object, ...], None, None]:
    """Yield the cell values of a workbook's first visible sheet, measured afresh.

    `as_shown` applies zero-padding formats: a code 1 formatted "00" is the "01" a reader
    sees, and the "01" a CSV export of the same sheet holds.
    """
    # A hidden sheet first (an older copy, a lookup list) is not what the user sees.
    shown = [s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
    sheet = (shown or book.worksheets)[0]
    # The stored <dimension> may understate the data (rows silently lost) or overstate it
    # (every row padded to thousands of columns): measure the sheet instead. Without a
    # max_col openpyxl fills gaps between rows with empty tuples, so a stray cell in the
    # sheet's last row costs a million cheap steps, not a million padded rows (minutes).
    sheet.reset_dimensions()
    if not as_shown:
        with closing(sheet.iter_rows(values_only=True)) as rows:
            yield from rows
        return
    with closing(sheet.iter_rows()) as cells:
        for row in cells:
            yield tuple(_padded(cell) for cell in row)


_ZEROS = re.compile("0+")


def _padded(cell: Any) -> object:
    """Return a cell's value, a whole number in a zero-padding format ("000") as its text."""
    value = cell.value
    if (isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            and float(value).is_integer() and _ZEROS.fullmatch(cell.number_format or "")):
        return f"{int(value):0{len(cell.number_format)}d}"
    return value


def _calculated(values: Iterable[tuple[object, ...]], formulas: Iterable[tuple[object, ...]],
                name: str) -> Iterator[tuple[object, ...]]:
    """Yield the value rows, refusing a formula cell that has no stored result."""
    from openpyxl.utils import get_column_letter

    for number, (row, shown) in enumerate(zip(values, formulas, strict=True), start=1):
        for index, value in enumerate(row):
            if value is None and index < len(shown) and _is_formula(shown[index]):
                raise InputError.single(
                    name, "a formula without a calculated value (the file was written by a "
                    "program that does not calculate); open and save it in a spreadsheet "
                    "program, or export CSV", row=number, column=get_column_letter(index + 1))
            if isinstance(value, str) and value in EXCEL_ERRORS:
                # A failed formula (#N/A of a lookup) would read as a region or an answer.
                raise InputError.single(
                    name, f"the cell holds the spreadsheet error {value}, not a value; fix the "
                    "formula or export CSV", row=number, column=get_column_letter(index + 1))
        yield row


EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})


def _is_formula(value: object) -> bool:
    """Tell whether a cell read without calculation holds a formula."""
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in (
        "ArrayFormula", "DataTableFormula")


def _capped(rows: Iterable[tuple[object, ...]], name: str) -> Iterator[tuple[object, ...]]:
    """Yield rows cut to MAX_COLUMNS, refusing a value beyond it (it would be lost)."""
    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS:
            if any(v not in (None, "") for v in row[MAX_COLUMNS:]):
                raise InputError.single(name, f"a value beyond column {MAX_COLUMNS:,}; a survey "
                                        "export has fewer columns", row=number)
            row = row[:MAX_COLUMNS]
        yield row


def _sheet_rows(values: Iterable[tuple[object, ...]], name: str) -> RawSurvey:
    """Turn spreadsheet rows into a RawSurvey, skipping blank rows."""
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(values, start=1):
        if number > LIMITS.get().rows:
            raise InputError.single(name, f"more than {LIMITS.get().rows:,} rows (raise the "
                                    "limit with --max-input-mb)", row=number)
        cells = [_cell_text(v) for v in row]
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            while cells and not cells[-1].strip():
                cells.pop()
            header = [c.strip() for c in cells]
            continue
        if any(c.strip() for c in cells[len(header):]):
            raise InputError.single(name, "row has values beyond the last header column",
                                    row=number)
        rows.append((cells + [""] * len(header))[: len(header)])
        numbers.append(number)
    if header is None:
        raise InputError.single(name, "the first sheet is empty")
    return RawSurvey.from_rows(name, header, rows, numbers)

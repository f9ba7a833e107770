"""Write tables as XLSX whose cells are values: text from data never becomes a formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from reportgen.terminal import printable


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "scores") -> None:
    """Write `frame` to one sheet; every text cell is stored as a string, never a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    fill(book.active, frame, sheet)
    book.save(path)


def fill(ws: Any, frame: pd.DataFrame, title: str) -> None:
    """Write `frame` with its header into the empty worksheet `ws`, cells as plain values."""
    ws.title = title
    ws.append([str(c) for c in frame.columns])
    for record in frame.itertuples(index=False):
        ws.append([None if _missing(v) else _plain(v) for v in record])
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            # openpyxl reads a leading "=" as a formula; a region named "=HYPERLINK(…)" must
            # stay the text it is.
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    """Turn numpy scalars into Python numbers, and text into text a worksheet can hold.

    XLSX has no place for control characters (openpyxl refuses them); they are written as
    the same visible escapes the terminal shows, such as \\x1b.
    """
    if isinstance(value, str):
        return printable(value)
    item = getattr(value, "item", None)
    return item() if callable(item) else value


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix an apostrophe to every text cell a spreadsheet would run as a formula, and show
    control characters as escapes (\\x1b).

    A number stays as it is ("-0.3"); a region named '=HYPERLINK(…)' is written
    "'=HYPERLINK(…)", which spreadsheets show as text. read_benchmark drops the mark.
    """
    text = [c for c in frame.columns
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    return frame.assign(**{str(c): frame[c].map(_defused) for c in text})


def _defused(value: Any) -> Any:
    if isinstance(value, str):
        value = printable(value)  # ESC in a region code would reach whoever cats the file
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def csv_unmarked(value: Any) -> Any:
    """Undo csv_safe's apostrophe on a text cell read back from one of our CSV files."""
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value

"""Read activity counts by region and class (patents, jobs, publications): knowledge space."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from reportgen.errors import InputError, Problem
from reportgen.inputs.codes import CONTROL, code_problems
from reportgen.inputs.raw import RawSurvey
from reportgen.inputs.survey import read_survey

REQUIRED = ("region", "technology", "count")
OPTIONAL = ("period",)


def read_counts(path: Path, period: str | None = None) -> pd.DataFrame:
    """Read a tidy counts table (CSV or XLSX); return region, technology, period, count.

    `period` labels rows of a file without a period column (and must not be given when the
    file has one). Every problem is reported at once with its row and column.
    """
    raw = read_survey(path, "counts")  # the same reader, limits and rows as survey exports
    name = str(path)
    header = [h.casefold() for h in raw.header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError.single(name, f"missing column(s) {', '.join(missing)}; a counts table "
                                "has region, technology, count and optionally period"
                                f"{raw.sheet_hint()}", row=1)
    unknown = [h for h in raw.header if h.casefold() not in (*REQUIRED, *OPTIONAL)]
    if unknown:
        raise InputError.single(name, f"unknown column(s) {', '.join(map(repr, unknown))}",
                                row=1)
    if "period" in header and period is not None:
        raise InputError.single(name, "the file has a period column; do not pass --period",
                                row=1)
    if period is not None and (bad := code_problems(name, "--period", [(None, period)],
                                                     "period")):
        raise InputError(bad)
    cells = raw.cells.set_axis(header, axis=1)
    problems: list[Problem] = []
    rows: list[tuple[str, str, str, float]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, record in zip(raw.row_numbers, cells.itertuples(index=False), strict=True):
        cell = dict(zip(header, (str(v).strip() for v in record), strict=True))
        when = cell.get("period") or period or ""
        if not when:
            problems.append(Problem(name, "no period: give one in a period column or with "
                                    "--period", row=number, column="period"))
            continue
        for col in ("region", "technology"):
            if not cell[col]:
                problems.append(Problem(name, f"{col} is empty", row=number, column=col))
        value = _count(cell["count"])
        if value is None:
            problems.append(Problem(name, f"count {cell['count']!r} is not a non-negative "
                                    "number", row=number, column="count"))
        key = (cell["region"], cell["technology"], when)
        if key in seen:
            problems.append(Problem(name, f"{key[0]} × {key[1]} in period {when} appears "
                                    f"twice (first in row {seen[key]})", row=number))
        seen.setdefault(key, number)
        if value is not None and cell["region"] and cell["technology"]:
            rows.append((*key, value))
    # Codes are compared as a reader sees them: "R07", "r07" and "R0\u200b7" are one region.
    for col, what in (("region", "region"), ("technology", "class"), ("period", "period")):
        problems += code_problems(name, col, _spelled(raw, cells, col), what)
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))
    return pd.DataFrame(rows, columns=["region", "technology", "period", "count"])


def _spelled(raw: RawSurvey, cells: pd.DataFrame, column: str) -> list[tuple[int, str]]:
    """Return (row, code) of a column's cells, if the file has the column."""
    if column not in cells.columns:
        return []
    return [(n, str(v).strip()) for n, v in zip(raw.row_numbers, cells[column], strict=True)
            if str(v).strip()]


# Digits as written in a data file: float() also reads "1_000" and Arabic-Indic digits.
_NUMBER = re.compile(r"\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def _count(text: str) -> float | None:
    """Read a count: a finite, non-negative number (fractional counts are allowed)."""
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def read_labels(path: Path) -> dict[str, str]:
    """Read a label table for the classes: technology, label (CSV or XLSX)."""
    raw = read_survey(path, "labels")
    name = str(path)
    header = [h.casefold() for h in raw.header]
    if sorted(header) != ["label", "technology"]:
        raise InputError.single(name, "a label table has exactly the columns technology and "
                                f"label; found {', '.join(raw.header)}", row=1)
    cells = raw.cells.set_axis(header, axis=1)
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    for number, code, label in zip(raw.row_numbers, cells["technology"], cells["label"],
                                   strict=True):
        code, label = str(code).strip(), str(label).strip()
        if CONTROL.search(label):
            problems.append(Problem(name, f"label {ascii(label)} holds a control character",
                                    row=number, column="label"))
        if not code or not label:
            problems.append(Problem(name, "technology and label must both be given",
                                    row=number, column="technology" if not code else "label"))
        elif code in labels:
            problems.append(Problem(name, f"class {code!r} is labelled twice", row=number,
                                    column="technology"))
        else:
            labels[code] = label
    problems += code_problems(name, "technology", _spelled(raw, cells, "technology"), "class")
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))
    return labels

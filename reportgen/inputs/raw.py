"""An export as read, before any checking: its cells as text, and the limits on reading."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from reportgen.errors import Problem

# Defaults that admit a Europe-wide export (a million respondents are about 115 MB of CSV)
# while refusing files that would exhaust memory; `--max-input-mb` changes them.
MAX_SURVEY_BYTES = 300_000_000
MAX_COLUMNS = 2_000


@dataclass(frozen=True)
class Limits:
    """How large an export may be: its bytes, what an XLSX unpacks to, and its rows."""

    survey_bytes: int = MAX_SURVEY_BYTES
    rows: int = 3_000_000

    @property
    def unpacked_bytes(self) -> int:
        """Limit what an XLSX (zipped XML) unpacks to: a few times its own limit."""
        return 3 * self.survey_bytes


DEFAULT_LIMITS = Limits()
LIMITS: ContextVar[Limits] = ContextVar("reportgen_input_limits", default=DEFAULT_LIMITS)


@contextmanager
def input_limits(megabytes: int | None) -> Iterator[Limits]:
    """Apply `--max-input-mb` (None: the defaults) to every export read inside the block."""
    limits = Limits() if megabytes is None else Limits(
        megabytes * 1_000_000, max(1, megabytes * 10_000))
    token = LIMITS.set(limits)
    try:
        yield limits
    finally:
        LIMITS.reset(token)


@dataclass(frozen=True)
class RawSurvey:
    """An export as read: header, cell texts (one column per header position) and row numbers.

    `dropped` lists rows left out on purpose (row number, reason), e.g. incomplete responses;
    `labels` names, for a mapped export, the original column behind each canonical column.
    """

    file: str
    header: list[str]
    cells: pd.DataFrame
    row_numbers: list[int]
    dropped: list[tuple[int, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # read, but worth a look
    other_sheets: tuple[str, ...] = ()  # a workbook's visible sheets besides the one read

    @classmethod
    def from_rows(cls, file: str, header: list[str], rows: Sequence[Sequence[str]],
                  row_numbers: list[int], dropped: list[tuple[int, str]] | None = None,
                  labels: dict[str, str] | None = None) -> RawSurvey:
        """Build from rows of cell texts, each as long as the header."""
        cells = pd.DataFrame(list(rows), columns=range(len(header)), dtype=object)
        return cls(file, header, cells, row_numbers, dropped or [], labels or {})

    @cached_property
    def rows(self) -> list[list[str]]:
        """Return the cells row by row (for the small exports that are filtered in Python)."""
        return self.cells.to_numpy(dtype=object).tolist()

    def label(self, column: str) -> str:
        """Name a column as the export's author knows it."""
        return self.labels.get(column, column)

    def sheet_hint(self) -> str:
        """Say which other sheets a workbook has, for a header that lacks what we need."""
        # A cover or notes sheet first reads as a header without the expected columns.
        if not self.other_sheets:
            return ""
        names = ", ".join(repr(s) for s in self.other_sheets[:5])
        return (f" (the first sheet was read; the workbook also has sheet(s) {names}: move "
                "the data sheet first)")


def distinct_texts(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return each cell's code and the distinct texts: a column of a million answers holds a
    handful, so work done per text instead of per cell is cheap."""
    codes, distinct = pd.factorize(cells.to_numpy(dtype=object))
    return codes, np.asarray(distinct, dtype=object)

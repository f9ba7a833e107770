"""Read a filled priority worksheet back: the fields of action a workshop agreed on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.catalogue import Catalogue
from reportgen.errors import InputError, Problem, regular_file
from reportgen.inputs.workbook import check_unpacked_size


@dataclass(frozen=True)
class AgreedAction:
    """A field of action a Policy Learning Workshop agreed on, for one indicator."""

    indicator: str  # the catalogue's indicator (or dimension) id
    field: str
    level: str = ""  # policy, cluster or both
    involve: str = ""
    owner: str = ""
    priority: str = ""  # high, medium or low
    due: str = ""  # ISO date
    wave: str = ""  # the wave whose workshop agreed it


FILLED = ("field", "level", "involve", "owner", "priority", "due")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _meta(book: Any, name: str) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """Return the hidden sheet's facts, column headers by key and choices by key."""
    if "reportgen" not in book.sheetnames:
        raise InputError.single(name, "not a priority worksheet written by 'reportgen "
                                "workshop' (its hidden sheet 'reportgen' is missing)")
    facts: dict[str, str] = {}
    headers: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for row in book["reportgen"].iter_rows(values_only=True):
        cells = [_text(c) for c in row]
        if cells[0] in ("region", "wave"):
            facts[cells[0]] = cells[1]
        elif cells[0] == "column":
            headers[cells[1]] = cells[2]
        elif cells[0] == "choice":
            choices.setdefault(cells[1], {})[cells[2].casefold()] = cells[3]
            choices[cells[1]][cells[3].casefold()] = cells[3]
    return facts, headers, choices


def read_worksheet(path: Path, cat: Catalogue) -> tuple[dict[str, str], list[AgreedAction]]:
    """Read the agreed fields of action; return the sheet's region and wave, and the actions.

    Rows without a field of action were not agreed and are skipped. Every problem is reported
    at once with its sheet, row and column.
    """
    from openpyxl import load_workbook

    name = str(path)
    regular_file(path)
    # A small file may unpack to gigabytes: the same bound as for survey workbooks.
    check_unpacked_size(Path(path), name)
    try:
        book = load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise InputError.single(name, f"cannot read the worksheet ({exc})") from None
    facts, headers, choices = _meta(book, name)
    sheet = book.worksheets[0]
    where = f"{name}, sheet {sheet.title!r}"
    top = [_text(c) for c in next(sheet.iter_rows(max_row=1, values_only=True), ())]
    missing = [h for k, h in headers.items() if k in ("id", *FILLED) and h not in top]
    if missing:
        raise InputError.single(where, f"missing column(s) {', '.join(missing)}", row=1)
    column = {k: top.index(h) for k, h in headers.items() if h in top}
    known = {i.id for d in cat.dimensions for i in d.indicators} | {d.id for d in cat.dimensions}
    problems: list[Problem] = []
    actions: list[AgreedAction] = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cell = {k: row[i] if i < len(row) else None for k, i in column.items()}
        if not _text(cell["field"]):
            continue  # not agreed
        key = _text(cell["id"])
        if key not in known:
            problems.append(Problem(where, f"unknown indicator id {key!r}", row=number,
                                    column=headers["id"]))
        picked = {}
        for k in ("level", "priority"):
            given = _text(cell[k])
            if k not in choices:  # a catalogue without levels: any text
                picked[k] = given
                continue
            picked[k] = choices[k].get(given.casefold(), "") if given else ""
            if given and not picked[k]:
                allowed = sorted({v for v in choices.get(k, {}).values()})
                problems.append(Problem(where, f"{given!r} is not one of {', '.join(allowed)}",
                                        row=number, column=headers[k]))
        due = cell["due"]
        if isinstance(due, dt.datetime):
            due = due.date()
        if due not in (None, "") and not isinstance(due, dt.date):
            try:
                due = dt.date.fromisoformat(_text(due))
            except ValueError:
                problems.append(Problem(where, f"{_text(due)!r} is not a date (YYYY-MM-DD)",
                                        row=number, column=headers["due"]))
                due = None
        actions.append(AgreedAction(key, _text(cell["field"]), picked["level"],
                                    _text(cell["involve"]), _text(cell["owner"]),
                                    picked["priority"], due.isoformat() if due else ""))
    if problems:
        raise InputError(problems)
    return facts, actions

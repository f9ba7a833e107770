"""Write the priority worksheet: the weak indicators, and columns the workshop fills in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reportgen.marks import N_
from reportgen.report.glance import widest_gaps
from reportgen.report.i18n import Lang, half_up
from reportgen.report.views import Report
from reportgen.spreadsheet import fill
from reportgen.terminal import printable

PRIORITIES = (N_("high"), N_("medium"), N_("low"))


def weak_rows(report: Report, t: Lang) -> pd.DataFrame:
    """Return the indicators below the portfolio median, furthest behind first."""
    rows, d = [], t.decimals
    for dim in report.dimensions:
        gaps = {item.id: (lo, hi) for item, lo, hi in widest_gaps(dim.indicators)}
        for item in dim.indicators:
            p = item.position
            if p.above_median is not False or p.stats is None or item.value is None:
                continue
            lo, hi = gaps.get(item.id, (None, None))
            # A gap that rounds to nothing is no gap ("1.4 / 1.4").
            split = (f"{hi.label} {t.num(hi.value)} / {lo.label} {t.num(lo.value)}"
                     if lo is not None and hi is not None and t.num(hi.value) != t.num(lo.value)
                     else "")
            rows.append({
                "id": item.id, t._("Dimension"): dim.name, t._("Indicator"): item.name,
                # Rounded once, as the report prints them, so that value + behind = median
                # here and in the report alike.
                t._("Value"): half_up(item.value, d), t._("Portfolio median"):
                half_up(p.stats.median, d), t._("Behind the median"):
                t.shown_difference(item.value, p.stats.median),
                t._("Rank"): f"{p.rank}/{p.of}" if p.rank else "",
                t._("Widest group gap"): split, "_exact": p.stats.median - item.value})
    given = ["id", t._("Dimension"), t._("Indicator"), t._("Value"), t._("Portfolio median"),
             t._("Behind the median"), t._("Rank"), t._("Widest group gap")]
    # Furthest behind first as printed; where the printed gaps tie, as computed.
    exact = {row["id"]: row.pop("_exact") for row in rows}
    rows.sort(key=lambda row: (row[given[5]], exact[row["id"]]), reverse=True)
    # The same header when nothing lies behind: the workshop may still add rows.
    table = pd.DataFrame(rows, columns=given)
    for column in (t._("Field of action"), t._("Level"), t._("Who to involve"), t._("Owner"),
                   t._("Priority"), t._("Due date")):
        table[column] = None
    return table


@dataclass(frozen=True)
class Printed:
    """The worksheet as the A3 print shows it: given columns filled, the rest to write in."""

    given: list[str]
    rows: list[list[str]]
    to_fill: list[str]
    choices: dict[str, list[str]]  # column -> the options printed as tick boxes
    blank_rows: int

    @property
    def widths(self) -> list[float]:
        """Return each column's share of the A3 line in per cent, the tick boxes' as needed.

        The numbers narrow, the field of action widest (the workshop writes most there); a
        column of tick boxes as wide as its longest choice ("☐ raven politike") at 9 pt,
        about 2.2 characters a per cent, the room taken from the field of action.
        """
        widths = [9, 13, 5, 5.5, 5.5, 5.5, 9.5, 12.5, 7, 8.5, 7, 6, 6]
        widths += [5.0] * (len(self.given) + len(self.to_fill) - len(widths))
        for k, column in enumerate(self.given + self.to_fill):
            if column in self.choices:
                need = max(len(c) for c in self.choices[column]) / 2.2 + 2
                grow = min(max(need - widths[k], 0), 5.0)
                widths[k], widths[7] = widths[k] + grow, widths[7] - grow
        return [round(w, 2) for w in widths]


def printed(table: pd.DataFrame, t: Lang, levels: dict[str, str], blank_rows: int = 3
            ) -> Printed:
    """Format the worksheet for print: numbers as the report writes them, no machine ids."""
    columns = list(table.columns)
    given, to_fill = columns[1:8], columns[8:]
    rows = [[t.num(v) if isinstance(v, float) else str(v) for v in row]
            for row in table[given].itertuples(index=False)]
    headers = {"level": t._("Level"), "priority": t._("Priority")}
    choices = {headers[k]: list(shown.values()) for k, shown in _choices(levels, t).items()}
    return Printed(given, rows, to_fill, choices, blank_rows)


def _choices(levels: dict[str, str], t: Lang) -> dict[str, dict[str, str]]:
    """Map each column with fixed choices to its choices, stored value -> shown text.

    Levels come from the catalogue (`report: levels:`); without them the column is free text.
    """
    fixed = {"priority": {c: t._(c) for c in PRIORITIES}}
    return {"level": dict(levels), **fixed} if levels else fixed


def write_worksheet(report: Report, t: Lang, path: Path) -> int:
    """Write the worksheet with drop-down lists for level and priority; return its rows."""
    from openpyxl import Workbook

    table = weak_rows(report, t)
    book = Workbook()
    ws = book.active
    fill(ws, table, t._("Priorities")[:31])
    _keys(book, list(table.columns), report, t)
    last = len(table) + 1
    columns = list(table.columns)
    _guide(ws, columns, _choices(report.method.framing.levels, t), t, max(last, 2) + 20)
    _widths(ws, table)
    _formats(ws, columns, [t._("Value"), t._("Portfolio median"), t._("Behind the median")],
             t._("Due date"), t.decimals, last)
    ws.freeze_panes = "D2"
    book.properties.creator, book.properties.language = "reportgen", t.code
    book.properties.title = f"{t._('Priorities')}: {printable(report.region_name)}"
    book.save(path)
    return len(table)


# What each column to fill in asks for, shown when its cell is selected.
PROMPTS = {N_("Field of action"): N_("The field of action agreed for this indicator."),
           N_("Level"): N_("The level at which it is taken up: {choices}."),
           N_("Who to involve"): N_("The organisations or groups that must take part."),
           N_("Owner"): N_("The person or organisation that takes the lead."),
           N_("Priority"): N_("The priority: {choices}."),
           N_("Due date"): N_("A date after 1 January 2000, e.g. {example}.")}


def _guide(ws: Any, columns: list[str], choices: dict[str, dict[str, str]], t: Lang,
           rows: int) -> None:
    """Give each column to fill in its input message, and drop-downs and checks where fixed."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    for cell in ws[1]:  # the header, marked as such for the eye and for screen readers
        cell.font = Font(bold=True)
    keyed = {"Level": choices.get("level"), "Priority": choices.get("priority")}
    for header, prompt in PROMPTS.items():
        letter = ws.cell(row=1, column=columns.index(t._(header)) + 1).column_letter
        fixed = keyed.get(header)
        listed = _listed(list(fixed.values())) if fixed else None
        rule = DataValidation(allow_blank=True, showInputMessage=True,
                              promptTitle=t._(header)[:32])
        if listed is not None:  # else free text: `workshop record` still checks the choices
            rule.type, rule.formula1, rule.showErrorMessage = "list", listed, True
            rule.error = t._("Choose one of the entries of the list.")
        elif header == "Due date":
            rule.type, rule.operator, rule.formula1 = "date", "greaterThan", "36526"
            rule.showErrorMessage, rule.error = True, t._("Enter a date after 1 January 2000.")
        if fixed is None and "{choices}" in prompt:  # a catalogue without levels
            prompt = N_("The level at which it is taken up.")
        rule.prompt = t._(prompt).format(choices=" / ".join(fixed.values()) if fixed else "",
                                         example=t.date(dt.date(2027, 6, 30)))[:255]
        ws.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{rows}")


def _formats(ws: Any, columns: list[str], numbers: list[str], due: str, decimals: int,
             last: int) -> None:
    """Show the numbers with the report's decimals (1.0, not 1), and due dates as dates."""
    shown = "0." + "0" * decimals if decimals else "0"
    for row in range(2, last + 1):
        for header in numbers:
            ws.cell(row=row, column=columns.index(header) + 1).number_format = shown
        # Excel's short date (format 14) follows the reader's locale; rows added below get
        # a date format from Excel itself as a date is typed.
        ws.cell(row=row, column=columns.index(due) + 1).number_format = "mm-dd-yy"


def _listed(choices: list[str]) -> str | None:
    """Return the choices as a drop-down list formula, or None where Excel cannot hold them.

    The formula separates choices by commas and may hold 255 characters.
    """
    if any("," in c or '"' in c for c in choices):
        return None
    listed = '"' + ",".join(choices) + '"'
    return listed if len(listed) <= 255 else None


def _widths(ws: Any, table: pd.DataFrame) -> None:
    """Size each column to its longest entry (capped) and wrap the long texts."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for k, column in enumerate(table.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in table[column] if v is not None])
        ws.column_dimensions[ws.cell(row=1, column=k).column_letter].width = min(50, max(
            12, longest + 2))
        if longest > 50:
            for row in range(1, len(table) + 2):
                ws.cell(row=row, column=k).alignment = wrap


# Machine keys of the columns, in order; the reader finds each column by its header text, so
# that a workshop may move or add columns and write in the report's language.
KEYS = ("id", "dimension", "indicator", "value", "median", "behind", "rank", "group_gap",
        "field", "level", "involve", "owner", "priority", "due")


def _keys(book: Any, headers: list[str], report: Report, t: Lang) -> None:
    """Add the hidden sheet that tells `workshop record` what each column and choice means."""
    meta = book.create_sheet("reportgen")
    meta.sheet_state = "hidden"
    # A worksheet cannot hold control characters: a hostile code is kept escaped.
    meta.append(["region", printable(report.region)])
    meta.append(["wave", printable(report.wave or "")])
    for key, header in zip(KEYS, headers, strict=True):
        meta.append(["column", key, header])
    for key, choices in _choices(report.method.framing.levels, t).items():
        for stored, shown in choices.items():
            meta.append(["choice", key, shown, stored])
    for row in meta.iter_rows():
        for cell in row:
            cell.data_type = "s"

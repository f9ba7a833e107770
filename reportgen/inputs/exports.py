"""Read real survey exports (LimeSurvey, Qualtrics, SPSS) through a mapping file."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from reportgen.catalogue.schema import Catalogue
from reportgen.errors import InputError, Problem
from reportgen.inputs.mapping import (
    ByGroup,
    Mapping,
    MultiColumns,
    columns_of,
    load_mapping,
    parts_of,
)
from reportgen.inputs.raw import RawSurvey
from reportgen.inputs.survey import read_survey
from reportgen.inputs.validate import DEFAULT_COLUMNS

# Qualtrics response statuses that are real answers; previews, tests and spam are not.
QUALTRICS_KEEP = {"IP Address", "0", "Imported", "4", "Offline", "16"}
TRUE = {"true", "1", "yes", "y"}
# LimeSurvey's completion column under its three heading styles: code, "code. text", text.
SUBMITDATE = ("submitdate", "date submitted")


def _code(heading: str) -> str:
    """Return the question code of a LimeSurvey heading "G01Q01. What is …" (or itself)."""
    head, dot, _ = heading.partition(". ")
    return head.strip() if dot and head.strip() and " " not in head.strip() else heading.strip()


def _find(header: list[str], name: str) -> int | None:
    """Find a column by its exact heading, by its code, or by its text (any case)."""
    wanted = name.strip().casefold()
    for how in (str.strip, _code, lambda h: h.partition(". ")[2].strip()):
        for k, heading in enumerate(header):
            if how(heading).casefold() == wanted:
                return k
    return None


def _read_sav(path: Path, mapping: Mapping, cat: Catalogue) -> RawSurvey:
    """Read an SPSS file; codes become their value labels where no answer mapping exists."""
    try:
        import pyreadstat
    except ImportError:
        raise InputError.single(str(path), "reading SPSS files needs pyreadstat: "
                                "pip install 'reportgen[spss]'") from None
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises its own, varied errors
        raise InputError.single(str(path), f"not a readable SPSS file ({exc})") from None
    labels = meta.variable_value_labels
    # export column -> scale id, for the columns of single-answer questions
    parts = {q.id: parts_of(spec) for q in cat.questions
             if (spec := mapping.questions.get(q.id)) is not None}
    by_column = {part: q.scale for q in cat.questions for part in parts.get(q.id, [])
                 if isinstance(part, str)}
    header = [str(c) for c in frame.columns]
    # Multi-select options exported one column each (Qualtrics: 1 = ticked, value-labelled
    # with the option's text) are compared with `selected` as codes, never as labels.
    ticks = {name for found in parts.values() for part in found
             if isinstance(part, MultiColumns) for name in part.columns}
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(header, record, strict=True):
            text = _text(value)
            keep_code = by_column.get(column) in mapping.answers or column in ticks or (
                column == mapping.columns.group and mapping.groups)
            if text and not keep_code and value in labels.get(column, {}):
                text = str(labels[column][value])
            cells.append(text)
        rows.append(cells)
    return RawSurvey.from_rows(str(path), header, rows, list(range(2, len(rows) + 2)))


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _drop(raw: RawSurvey, keep: list[bool], reasons: list[str]) -> RawSurvey:
    dropped = [(n, why) for n, ok, why in zip(raw.row_numbers, keep, reasons, strict=True)
               if not ok]
    rows = [r for r, ok in zip(raw.rows, keep, strict=True) if ok]
    numbers = [n for n, ok in zip(raw.row_numbers, keep, strict=True) if ok]
    return RawSurvey.from_rows(raw.file, raw.header, rows, numbers, [*raw.dropped, *dropped])


def _filter(raw: RawSurvey, mapping: Mapping) -> RawSurvey:
    """Leave out previews and, unless asked to keep them, incomplete responses."""
    status, finished = _find(raw.header, "Status"), _find(raw.header, "Finished")
    named = mapping.columns.completion
    submitted = (_find(raw.header, named) if named is not None else
                 next((k for n in SUBMITDATE if (k := _find(raw.header, n)) is not None), None))
    if named is not None and submitted is None:
        raise InputError.single(raw.file, f"column {named!r}, named in the mapping at "
                                "columns.completion, is not in the export", row=1)
    label = named or "submitdate"
    keep, reasons = [True] * len(raw.rows), [""] * len(raw.rows)
    for k, row in enumerate(raw.rows):
        if status is not None and row[status] not in QUALTRICS_KEEP:
            keep[k], reasons[k] = False, f"not a real response (Status {row[status]})"
        elif mapping.include_incomplete:
            continue
        elif submitted is not None and not row[submitted].strip():
            keep[k], reasons[k] = False, f"incomplete response (no {label})"
        elif finished is not None and row[finished].strip().lower() not in TRUE:
            keep[k], reasons[k] = False, "incomplete response (Finished is false)"
    kept = _drop(raw, keep, reasons)
    if raw.rows and not kept.rows:
        listed = "; ".join(f"{n} × {why}" for why, n in Counter(reasons).items())
        raise InputError.single(raw.file, f"no response is left to score: all {len(raw.rows)} "
                                f"rows were left out ({listed})")
    return kept


def _qualtrics_body(raw: RawSurvey) -> RawSurvey:
    """Drop the extra header rows of a Qualtrics CSV: question texts, then import ids."""
    skip = next((k + 1 for k, row in enumerate(raw.rows[:2])
                 if any("ImportId" in cell for cell in row)), 1)
    return RawSurvey.from_rows(raw.file, raw.header, raw.rows[skip:], raw.row_numbers[skip:])


def read_export(path: Path, mapping: Mapping, cat: Catalogue) -> RawSurvey:
    """Read an export in the mapping's format and return it in reportgen's wide layout."""
    return select(read_tool_file(path, mapping, cat), mapping, cat)


def read_tool_file(path: Path, mapping: Mapping, cat: Catalogue) -> RawSurvey:
    """Read a survey tool's file as it is: every response, the tool's own columns."""
    if mapping.format == "spss":
        return _read_sav(Path(path), mapping, cat)
    raw = read_survey(path)
    return _qualtrics_body(raw) if mapping.format == "qualtrics" else raw


def select(raw: RawSurvey, mapping: Mapping, cat: Catalogue) -> RawSurvey:
    """Keep the responses the mapping counts and bring them into reportgen's layout."""
    return apply_mapping(_filter(raw, mapping), mapping, cat)


def apply_mapping(raw: RawSurvey, mapping: Mapping, cat: Catalogue) -> RawSurvey:
    """Rename columns and translate codes as the mapping says."""
    needed = [("columns.id", mapping.columns.id)]
    if mapping.columns.group:
        needed.append(("columns.group", mapping.columns.group))
    needed += [(f"columns.{k}", v) for k, v in (("region", mapping.columns.region),
                                                ("region_name", mapping.columns.region_name))
               if v]
    for qid, spec in mapping.questions.items():
        needed += [(f"questions.{qid}", name) for name in columns_of(spec)]
    col = {name: k for _, name in needed if (k := _find(raw.header, name)) is not None}
    missing = [Problem(raw.file, f"column {name!r}, named in the mapping at {key}, is not in "
                       "the export", row=1) for key, name in needed if name not in col]
    # A heading written twice: taking the first would read another question's answers.
    missing += [Problem(raw.file, f"column {name!r}, named in the mapping at {key}, appears "
                        f"{twice} times in the export; rename all but one", row=1, column=name)
                for key, name in needed if name in col
                and (twice := sum(h.strip() == raw.header[col[name]].strip()
                                  for h in raw.header)) > 1]
    if missing:
        raise InputError(missing)
    scale_of = {q.id: cat.scales[q.scale] for q in cat.questions}
    codes_of = {q.id: mapping.answers.get(q.scale, {}) for q in cat.questions}
    c = DEFAULT_COLUMNS
    header = [c.id, c.region, c.region_name, c.group, *mapping.questions]
    rows, problems = [], []
    for k, row in enumerate(raw.rows):
        bad = _unclear_ticks(row, col, mapping)
        problems += [Problem(raw.file, f"{row[col[name]]!r} in a multi-select column means "
                             f"neither selected ({', '.join(spec.selected)}) nor not selected; "
                             f"add it to questions.{qid}.selected or .unselected of the "
                             "mapping", row=raw.row_numbers[k], column=name)
                     for qid, spec, name in bad]
        region = row[col[mapping.columns.region]] if mapping.columns.region else mapping.region
        name = (row[col[mapping.columns.region_name]] if mapping.columns.region_name
                else mapping.region_name or region)
        group = row[col[mapping.columns.group]] if mapping.columns.group else mapping.group
        out = [row[col[mapping.columns.id]], region or "", name or "",
               mapping.groups.get(group or "", group or "")]
        gid = cat.group_keys.get(out[3].strip().casefold(), out[3])
        for qid, spec in mapping.questions.items():
            if isinstance(spec, ByGroup):
                # Each group answered its own wording; the others' columns are not theirs.
                part = spec.by_group.get(gid)
                out.append("" if part is None else
                           _answer(row, col, part, codes_of[qid], scale_of[qid].separator))
            else:
                out.append(_answer(row, col, spec, codes_of[qid], scale_of[qid].separator))
        rows.append(out)
    if problems:
        raise InputError(problems)
    labels = {c.id: mapping.columns.id, c.group: mapping.columns.group or "group",
              c.region: mapping.columns.region or "region", **{
                  qid: columns_of(spec)[0] for qid, spec in mapping.questions.items()}}
    mapped = RawSurvey.from_rows(raw.file, header, rows, raw.row_numbers, raw.dropped, labels)
    mapped.warnings.extend(raw.warnings)
    return mapped


def _unclear_ticks(row: list[str], col: dict[str, int], mapping: Mapping
                   ) -> list[tuple[str, MultiColumns, str]]:
    """List (question, spec, column) of option cells that are neither ticked nor unticked."""
    found = []
    for qid, spec in mapping.questions.items():
        for part in parts_of(spec):
            if isinstance(part, MultiColumns):
                known = {v.casefold() for v in (*part.selected, *part.unselected)}
                found += [(qid, part, name) for name in part.columns
                          if row[col[name]].strip().casefold() not in known]
    return found


def _answer(row: list[str], col: dict[str, int], spec: str | MultiColumns,
            codes: dict[str, str], separator: str) -> str:
    """Return one answer in reportgen's layout: a code, or selected codes joined."""
    if isinstance(spec, MultiColumns):
        ticked = {v.casefold() for v in spec.selected}
        return separator.join(code for name, code in spec.columns.items()
                              if row[col[name]].strip().casefold() in ticked)
    cell = row[col[spec]]
    return codes.get(cell, cell)


def read_input(survey: Path, cat: Catalogue, mapping: Path | None = None) -> RawSurvey:
    """Read an export: reportgen's own layout, or a survey tool's through a mapping file."""
    if mapping is None:
        return read_survey(survey)
    return read_export(survey, load_mapping(mapping, cat), cat)

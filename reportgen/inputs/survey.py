"""Read a wide survey export (CSV or XLSX) into rows of text cells."""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import replace
from pathlib import Path

from reportgen.errors import InputError, Problem, regular_file
from reportgen.inputs.csvfast import read_fast
from reportgen.inputs.formats import refuse_other_formats
from reportgen.inputs.raw import LIMITS, RawSurvey
from reportgen.inputs.workbook import read_xlsx

DELIMITERS = (",", ";", "\t")


def read_survey(path: str | Path, rows_are: str = "respondents") -> RawSurvey:
    """Read a CSV or XLSX export; raise InputError naming file and row on malformed input.

    `rows_are` names what a row holds, for a file with a header and nothing below it.
    """
    name = str(path)
    p = regular_file(path)  # a folder, device or pipe is named as such, not "not found"
    size, limits = p.stat().st_size, LIMITS.get()
    if size > limits.survey_bytes:
        raise InputError.single(name, f"file is larger than the limit of "
                                f"{limits.survey_bytes:,} bytes (raise it with --max-input-mb)")
    if size == 0:
        raise InputError.single(name, "file is empty")
    # The content decides, not the name: a workbook saved as .csv, or CSV text named .xlsx,
    # is read as what it is.
    with p.open("rb") as f:
        magic = f.read(1024)
    refuse_other_formats(p, magic, name)
    if magic.startswith(b"PK\x03\x04") or (p.suffix.lower() in (".xlsx", ".xlsm")
                                             and magic.startswith(b"PK")):
        survey = read_xlsx(p, name)
    else:
        survey = _read_csv(p.read_bytes(), name)
    if survey.cells.empty:
        raise InputError.single(name, f"the file has a header but no {rows_are}"
                                f"{survey.sheet_hint()}", row=2)
    return _without_blank_columns(survey)


def _without_blank_columns(survey: RawSurvey) -> RawSurvey:
    """Drop columns without a name or a single answer (trailing delimiters, as Excel adds).

    A nameless column that holds data is an error: its answers would belong to no question.
    """
    unnamed = [k for k, h in enumerate(survey.header) if not h.strip()]
    if not unnamed:
        return survey
    from openpyxl.utils import get_column_letter

    filled = [k for k in unnamed if survey.cells[k].astype(str).str.strip().ne("").any()]
    if filled:
        raise InputError([Problem(survey.file, f"column {k + 1} ({get_column_letter(k + 1)}) "
                                  "holds answers but has no name in the header row", row=1)
                          for k in filled])
    keep = [k for k in range(len(survey.header)) if k not in unnamed]
    cells = survey.cells[keep].set_axis(range(len(keep)), axis=1)
    return replace(survey, header=[survey.header[k] for k in keep], cells=cells)


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252 as Excel writes it."""
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        bad = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        # Real UTF-8 letters elsewhere: one stray byte must not turn every "é" into "Ã©".
        if re.search("[^\x00-\x7f\ufffd]", raw.decode("utf-8", "replace")):
            raise InputError.single(name, f"text is UTF-8 but byte {raw[bad]:#04x} at offset "
                                    f"{bad} is not (another encoding pasted in?); save the "
                                    "export as UTF-8", row=raw.count(b"\n", 0, bad) + 1
                                    ) from None
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"text is neither UTF-8 nor Windows-1252 (byte offset "
                                f"{exc.start})") from None


def _sniff_delimiter(first_line: str) -> str:
    """Pick the delimiter that splits the header line into the most fields."""
    counts = {}
    for d in DELIMITERS:
        try:
            counts[d] = len(next(csv.reader([first_line], delimiter=d), []))
        except csv.Error:  # a stray quote or control character: the parser will say where
            counts[d] = 0
    return max(DELIMITERS, key=lambda d: counts[d])


def _utf16_to_utf8(raw: bytes, name: str) -> bytes:
    """Re-encode UTF-16 or UTF-32 text that starts with a byte order mark; other bytes stay.

    Excel's "Unicode text" export and some survey tools write UTF-16 (tab-separated).
    """
    # UTF-32's little-endian mark begins with UTF-16's: ask for the longer one first.
    codec = ("utf-32" if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else
             "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else None)
    if codec is None:
        return raw
    try:
        return raw.decode(codec).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"broken {codec.upper()} text (byte offset "
                                f"{exc.start})") from None


def _read_csv(raw: bytes, name: str) -> RawSurvey:
    raw = _utf16_to_utf8(raw, name)
    text, encoding = _decode(raw, name)
    if "\x00" in text:
        head = raw[:200]
        if head and (head[1::2].count(0) > len(head) // 4 or head[::2].count(0) > len(head) // 4):
            raise InputError.single(name, "looks like UTF-16 text without a byte order mark; "
                                    "save it as UTF-8 (CSV UTF-8 in Excel)")
        raise InputError.single(name, "file contains NUL bytes; is it a binary file?")
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    if hint := re.fullmatch(r'[ \t]*"?sep=([^"])"?(?:\1|[ \t])*', first_line):
        # Excel's "sep=;" line names the delimiter. Blanked to spaces (blank lines are
        # skipped), the rows below keep their numbers as a spreadsheet shows them.
        delimiter = hint.group(1)
        start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        width = len(first_line.encode(encoding.removesuffix("-sig")))
        raw = raw[:start] + b" " * width + raw[start + width:]
        text = " " * len(first_line) + text[len(first_line):]
    else:
        # The header is the first line with text: a blank line above it must not pick the
        # delimiter (searched, not split: the file may hold a million lines).
        header = re.search(r"[^\r\n]*\S[^\r\n]*", text)
        delimiter = _sniff_delimiter(header.group() if header else "")
    fast = read_fast(raw, encoding, delimiter)
    survey = RawSurvey(name, *fast) if fast is not None else strict_csv(text, delimiter, name)
    if encoding == "cp1252" and (guess := _legacy_words(text, name)):
        survey.warnings.append(guess)
    # Records spanning lines are rare in exports: look for a runaway quote only then.
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    if survey.row_numbers and lines > survey.row_numbers[-1]:
        _refuse_runaway_quotes(survey, delimiter)
    return survey


def _legacy_words(text: str, name: str) -> Problem | None:
    """Name the first words a Windows-1252 reading gives accents, for the user to check.

    Text that is not UTF-8 may be Windows-1252 or another 8-bit code page (1250 for
    Slovenian, say); both decode, only a reader can tell "Središče" from "Središèe".
    """
    found = re.finditer(r"\w*[^\x00-\x7f]\w*", text)
    words = list(dict.fromkeys(m.group() for m in itertools.islice(found, 50)))[:3]
    if not words:
        return None
    first = text.count("\n", 0, text.find(words[0])) + 1
    listed = ", ".join(map(repr, words))
    return Problem(name, f"not UTF-8, read as Windows-1252: check that {listed} read as "
                   "meant, or save the export as UTF-8", row=first, fatal=False)


def _refuse_runaway_quotes(survey: RawSurvey, delimiter: str) -> None:
    """Refuse a quoted cell whose later lines look like whole records.

    An opening quote without its closing one swallows the records below it into one cell:
    read on, the file would silently lose those respondents or mix two of them.
    """
    width = len(survey.header)
    problems = []
    for k in survey.cells.columns:
        column = survey.cells[k].astype(str)
        spans = column[column.str.contains("[\r\n]", regex=True)]
        for i, cell in spans.items():
            later = re.split(r"\r\n|\r|\n", cell)[1:]
            swallowed = sum(1 for line in later if line.count(delimiter) >= width - 1)
            if swallowed:
                problems.append(Problem(
                    survey.file, f"a quoted cell runs on over {len(later)} more line(s), "
                    f"{swallowed} of them shaped like whole records: an opening quote without "
                    "its closing one?", row=survey.row_numbers[int(str(i))],
                    column=survey.header[int(str(k))] or None))
    if problems:
        raise InputError(problems)


def strict_csv(text: str, delimiter: str, name: str) -> RawSurvey:
    """Read CSV text record by record, naming the row of every malformed one."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    line = 0
    try:
        for record in reader:
            # Rows are counted as a spreadsheet shows them: one per record, even when a
            # quoted cell spans several lines of the file (reader.line_num counts lines).
            line += 1
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
        raise InputError.single(name, f"malformed CSV: {exc}", row=line + 1) from None
    if header is None:
        raise InputError.single(name, "file has no header row")
    if problems:
        raise InputError(problems)
    return RawSurvey.from_rows(name, header, rows, numbers)

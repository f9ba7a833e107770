"""Import survey exports as waves, replace and remove them: each change one transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.digest import sha256_file
from reportgen.errors import InputError, Problem, ReportgenError
from reportgen.inputs.codes import region_key
from reportgen.inputs.exports import read_input
from reportgen.inputs.raw import distinct_texts
from reportgen.inputs.survey import read_survey
from reportgen.inputs.validate import DEFAULT_COLUMNS, Columns, code_survey, left_out
from reportgen.scoring.aggregate import rules_fingerprint, score
from reportgen.scoring.tables import tidy
from reportgen.terminal import printable

REGION_COLUMNS = ("code", "name", "country", "nuts")


@dataclass(frozen=True)
class Imported:
    """What an import did: the waves it added (or the waves that already held the file)."""

    new: list[tuple[str, str]]
    replaced: list[tuple[str, str]]
    already: list[tuple[str, str]]
    respondents: int
    left_out: list[str] = field(default_factory=list)  # rows the import did not keep, and why
    cautions: list[str] = field(default_factory=list)  # replaced waves too close to the new
    warnings: list[str] = field(default_factory=list)  # what validation noted in the file


def now() -> str:
    """Return the current UTC time, to the second, as ISO text."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def import_survey(conn: sqlite3.Connection, survey: Path, cat: Catalogue, columns: Columns,
                  label: str, replace: bool = False, mapping: Path | None = None,
                  region_table: Path | None = None, synthetic: bool = False) -> Imported:
    """Validate `survey` and store one new wave per region in a single transaction.

    `synthetic` marks the waves as example data: every report they enter says so.
    The optional region table (country and NUTS codes) is validated first and written in
    the same transaction.
    """
    raw = read_input(survey, cat, mapping)
    # A mapping names the export's columns itself; raises before anything is written.
    responses = code_survey(raw, cat, columns if mapping is None else DEFAULT_COLUMNS)
    digest = sha256_file(survey)
    places = read_region_table(region_table) if region_table else None
    regions = sorted(responses.region_names)
    scores = score(responses, cat)
    table = tidy(scores, cat)
    frame = raw.cells.set_axis(raw.header, axis=1)
    stamp = now()
    # The checks run inside the write transaction: a second import waits for the first and
    # then sees its waves, so two imports of one label can never both succeed.
    conn.execute("BEGIN IMMEDIATE")
    try:
        held = conn.execute("SELECT region, label FROM waves WHERE source_hash = ? AND status "
                            "= 'active' AND catalogue_id = ? AND catalogue_version = ?",
                            (digest, cat.id, cat.version)).fetchall()
        if held:
            conn.execute("ROLLBACK")
            return Imported([], [], sorted(held), 0)
        clashes = [r for r in regions if _active_wave(conn, r, label) is not None]
        if clashes and not replace:
            raise ReportgenError(f"wave {label!r} already exists for {', '.join(clashes)}; "
                                 "import under another --wave label, or pass --replace (the "
                                 "replaced wave is kept and can be restored)")
        refuse_aliases(conn, regions, str(survey))
        wave_of: dict[str, int] = {}
        before: dict[str, int] = {}
        for region in regions:
            # An export without names (the name is the code) keeps the stored name: a
            # LimeSurvey wave would otherwise rename the region on every report.
            conn.execute("INSERT INTO regions (code, name) VALUES (?, ?) ON CONFLICT(code) DO "
                         "UPDATE SET name = CASE WHEN excluded.name = excluded.code THEN "
                         "regions.name ELSE excluded.name END",
                         (region, responses.region_names[region]))
            old = _active_wave(conn, region, label)
            if old is not None:
                before[region] = old
                conn.execute("UPDATE waves SET status = 'replaced', retired_at = ? WHERE id = ?",
                             (stamp, old))
            wave_of[region] = int(conn.execute(
                "INSERT INTO waves (region, label, source_name, source_hash, catalogue_id, "
                "catalogue_version, imported_at, rules, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                (region, label, printable(Path(survey).name), digest, cat.id, cat.version, stamp,
                 rules_fingerprint(cat), int(synthetic)),
            ).lastrowid or 0)
        _store_rows(conn, wave_of, responses.meta, frame, cat, table)
        cautions = [line for region, old in before.items()
                    for line in _too_close(conn, region, label, old, wave_of[region],
                                           cat.rules.min_respondents)]
        if places is not None:
            _place_regions(conn, places, str(region_table))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    replaced = [(r, label) for r in clashes]
    new = [(r, label) for r in regions]
    return Imported(new, replaced, [], len(responses.meta),
                    left_out(responses.dropped, len(responses.meta)), cautions,
                    [str(w) for w in responses.warnings])


def _too_close(conn: sqlite3.Connection, region: str, label: str, old: int, new: int,
               floor: int) -> list[str]:
    """Warn where a replacing wave differs from the replaced one by too few respondents.

    Published side by side, two reports whose groups differ by one late response give that
    response away by subtraction; the minimum guards each report, not their difference.
    """
    found = []
    only = ("SELECT * FROM (SELECT respondent, grp FROM respondents WHERE wave_id = ? EXCEPT "
            "SELECT respondent, grp FROM respondents WHERE wave_id = ?)")
    rows = conn.execute(f"SELECT grp, COUNT(*) FROM ({only} UNION ALL {only}) GROUP BY grp "
                        "ORDER BY grp", (old, new, new, old)).fetchall()
    for group, count in rows:
        if 0 < count < floor:
            found.append(f"wave {label!r} of {region}: group {group!r} differs from the "
                         f"replaced wave by {count} respondent{'' if count == 1 else 's'}, "
                         f"fewer than the minimum of {floor}; publish reports of only one of "
                         "the two, or side by side they reveal those answers")
    return found


def refuse_aliases(conn: sqlite3.Connection, regions: list[str], name: str) -> None:
    """Refuse a new region code that is a stored region's code spelled otherwise, or its name."""
    stored = conn.execute("SELECT code, name FROM regions").fetchall()
    known = {code for code, _ in stored}
    spelling = {region_key(str(code)): code for code, _ in stored}
    spelling.update({region_key(str(title)): code for code, title in stored if title != code})
    clashes = [f"{r!r} is stored region {spelling[region_key(r)]!r}" for r in regions
               if r not in known and region_key(r) in spelling]
    if clashes:
        raise InputError.single(name, f"region {'; '.join(clashes)} (its other spelling or "
                                "name); give the stored code so that its waves stay one region",
                                column="region")


def _active_wave(conn: sqlite3.Connection, region: str, label: str) -> int | None:
    row = conn.execute("SELECT id FROM waves WHERE region = ? AND label = ? AND status = "
                       "'active'", (region, label)).fetchone()
    return None if row is None else int(row[0])


def _store_rows(conn: sqlite3.Connection, wave_of: dict[str, int], meta: pd.DataFrame,
               frame: pd.DataFrame, cat: Catalogue, table: pd.DataFrame) -> None:
    """Write every region's respondents with their raw answers, and the scores.

    One pass over all rows: filtering the frame once per region made an import of a
    thousand regions quadratic.
    """
    waves = meta["region"].map(wave_of).to_numpy()
    questions = [q.id for q in cat.questions if q.id in frame.columns]
    # One JSON object per respondent, assembled from each column's distinct answers (a few
    # per question), each stripped and encoded once.
    pairs = [_json_pairs(q, frame[q]) for q in questions]
    records = ["{" + ",".join(filter(None, row)) + "}" for row in zip(*pairs, strict=True)] \
        if pairs else ["{}"] * len(meta)
    conn.executemany("INSERT INTO respondents (wave_id, respondent, grp, answers) VALUES "
                     "(?, ?, ?, ?)", zip(waves.tolist(), meta.index.tolist(),
                                         meta["group"].tolist(), records, strict=True))
    conn.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", zip(
        table["region"].map(wave_of).tolist(), table["level"].tolist(), table["kind"].tolist(),
        table["dimension"].tolist(), table["id"].tolist(), _reals(table["value"]),
        table["n"].astype(int).tolist(), _reals(table["se"]), strict=True))


def _json_pairs(question: str, cells: pd.Series) -> np.ndarray:
    """Encode each answer as a JSON member '"question": "answer"' ("" if blank), once per text."""
    codes, distinct = distinct_texts(cells)
    key = json.dumps(question, ensure_ascii=False)
    encoded = [f"{key}:{json.dumps(text, ensure_ascii=False)}" if (text := str(cell).strip())
               else "" for cell in distinct]
    return np.array(encoded, dtype=object)[codes]


def _reals(values: pd.Series) -> list[float | None]:
    """Return floats, with None for missing values (NULL in SQL)."""
    return [None if pd.isna(v) else float(v) for v in values.tolist()]


def set_status(conn: sqlite3.Connection, wave_ids: list[int], status: str) -> None:
    """Mark waves as removed (or active again) in one transaction."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE waves SET status = ?, retired_at = ? WHERE id = ?",
                         [(status, now() if status != "active" else None, w) for w in wave_ids])


def read_region_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV with code[,name,country,nuts]; return (row, record) pairs or raise."""
    raw = read_survey(path)
    name = str(path)
    if "code" not in raw.header:
        raise InputError.single(name, f"missing column 'code'; found {raw.header}", row=1)
    unknown = [c for c in raw.header if c not in REGION_COLUMNS]
    if unknown:
        raise InputError.single(name, f"unknown columns {unknown}; expected "
                                f"{', '.join(REGION_COLUMNS)}", row=1, column=unknown[0])
    records = [(n, dict(zip(raw.header, (c.strip() for c in row), strict=True)))
               for n, row in zip(raw.row_numbers, raw.rows, strict=True)]
    empty = [Problem(name, "empty region code", row=n, column="code")
             for n, r in records if not r["code"]]
    if empty:
        raise InputError(empty)
    return records


def _place_regions(conn: sqlite3.Connection, records: list[tuple[int, dict[str, str]]],
                   name: str) -> None:
    """Set country and NUTS code of regions the database knows; refuse unknown codes."""
    known = {r[0] for r in conn.execute("SELECT code FROM regions")}
    strangers = [Problem(name, f"region {r['code']!r} is not in the database", row=n,
                         column="code") for n, r in records if r["code"] not in known]
    if strangers:
        raise InputError(strangers)
    conn.executemany(
        "UPDATE regions SET country = NULLIF(?, ''), nuts = NULLIF(?, '') WHERE code = ?",
        [(r.get("country", ""), r.get("nuts", ""), r["code"]) for _, r in records])


def update_regions(conn: sqlite3.Connection, path: Path) -> int:
    """Fill country and NUTS code of known regions from a CSV with code,name,country,nuts."""
    records = read_region_table(path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        _place_regions(conn, records, str(path))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(records)


def restore(conn: sqlite3.Connection, current: list[int], retired: int) -> None:
    """Make a retired wave active again and retire the one in its place, in one step."""
    stamp = now()
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE waves SET status = 'replaced', retired_at = ? WHERE id = ?",
                         [(stamp, w) for w in current])
        conn.execute("UPDATE waves SET status = 'active', retired_at = NULL WHERE id = ?",
                     (retired,))

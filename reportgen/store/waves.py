"""Import survey exports as waves, replace and remove them: each change one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reportgen.definitions.schema import Catalogue
from reportgen.errors import ReportgenError
from reportgen.scoretable import tidy
from reportgen.scoring import score
from reportgen.survey import read_survey
from reportgen.validate import DEFAULT_COLUMNS, Columns, code_survey


@dataclass(frozen=True)
class Imported:
    """What an import did: the waves it added (or the waves that already held the file)."""

    new: list[tuple[str, str]]
    replaced: list[tuple[str, str]]
    already: list[tuple[str, str]]
    respondents: int


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def now() -> str:
    """Return the current UTC time, to the second, as ISO text."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def import_survey(conn: sqlite3.Connection, survey: Path, cat: Catalogue, columns: Columns,
                  label: str, replace: bool = False, mapping: Path | None = None) -> Imported:
    """Validate `survey` and store one new wave per region in a single transaction."""
    if mapping is not None:
        from reportgen.exports import read_export
        from reportgen.mapping import load_mapping

        raw, columns = read_export(survey, load_mapping(mapping, cat), cat), DEFAULT_COLUMNS
    else:
        raw = read_survey(survey)
    responses = code_survey(raw, cat, columns)  # raises before anything is written
    digest = file_hash(survey)
    held = conn.execute("SELECT region, label FROM waves WHERE source_hash = ? AND status = "
                        "'active' AND catalogue_id = ? AND catalogue_version = ?",
                        (digest, cat.id, cat.version)).fetchall()
    if held:
        return Imported([], [], sorted(held), 0)
    regions = sorted(responses.region_names)
    clashes = [r for r in regions if _active_wave(conn, r, label) is not None]
    if clashes and not replace:
        raise ReportgenError(f"wave {label!r} already exists for {', '.join(clashes)}; "
                             "import under another --wave label, or pass --replace (the "
                             "replaced wave is kept and can be restored)")
    scores = score(responses, cat)
    table = tidy(scores, cat)
    frame = pd.DataFrame(raw.rows, columns=raw.header).map(str.strip)
    stamp = now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for region in regions:
            conn.execute("INSERT INTO regions (code, name) VALUES (?, ?) ON CONFLICT(code) DO "
                         "UPDATE SET name = excluded.name",
                         (region, responses.region_names[region]))
            old = _active_wave(conn, region, label)
            if old is not None:
                conn.execute("UPDATE waves SET status = 'replaced', retired_at = ? WHERE id = ?",
                             (stamp, old))
            wave_id = conn.execute(
                "INSERT INTO waves (region, label, source_name, source_hash, catalogue_id, "
                "catalogue_version, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (region, label, Path(survey).name, digest, cat.id, cat.version, stamp),
            ).lastrowid
            _store_wave(conn, wave_id, region, responses.meta, frame, columns, cat,
                        table[table["region"] == region])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    replaced = [(r, label) for r in clashes]
    new = [(r, label) for r in regions]
    return Imported(new, replaced, [], len(responses.meta))


def _active_wave(conn: sqlite3.Connection, region: str, label: str) -> int | None:
    row = conn.execute("SELECT id FROM waves WHERE region = ? AND label = ? AND status = "
                       "'active'", (region, label)).fetchone()
    return None if row is None else int(row[0])


def _store_wave(conn: sqlite3.Connection, wave_id: int | None, region: str, meta: pd.DataFrame,
                frame: pd.DataFrame, columns: Columns, cat: Catalogue,
                table: pd.DataFrame) -> None:
    """Write one region's respondents, raw answers and scores."""
    mine = meta[meta["region"] == region]
    conn.executemany("INSERT INTO respondents VALUES (?, ?, ?)",
                     [(wave_id, rid, grp) for rid, grp in mine["group"].items()])
    rows = frame[frame[columns.region] == region]
    questions = [q.id for q in cat.questions if q.id in rows.columns]
    answers = [(wave_id, rid, q, cell)
               for rid, cells in zip(rows[columns.id], rows[questions].itertuples(index=False),
                                     strict=True)
               for q, cell in zip(questions, cells, strict=True) if cell != ""]
    conn.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)", answers)
    conn.executemany(
        "INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(wave_id, r.level, r.kind, r.dimension, r.id, _real(r.value), int(r.n), _real(r.se))
         for r in table.itertuples(index=False)])


def _real(value: object) -> float | None:
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def set_status(conn: sqlite3.Connection, wave_ids: list[int], status: str) -> None:
    """Mark waves as removed (or active again) in one transaction."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE waves SET status = ?, retired_at = ? WHERE id = ?",
                         [(status, now() if status != "active" else None, w) for w in wave_ids])


def update_regions(conn: sqlite3.Connection, path: Path) -> int:
    """Fill country and NUTS code of known regions from a CSV with code,name,country,nuts."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        cursor = conn.executemany(
            "UPDATE regions SET country = NULLIF(?, ''), nuts = NULLIF(?, '') WHERE code = ?",
            [(r.get("country", ""), r.get("nuts", ""), r["code"]) for r in
             table.to_dict("records")])
    return cursor.rowcount

"""Read waves back: a wave's answers as a survey, the portfolio's values, a region's history."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.errors import ReportgenError
from reportgen.inputs.raw import RawSurvey
from reportgen.inputs.validate import DEFAULT_COLUMNS
from reportgen.scoring.records import Member, WaveValues, label_order


@dataclass(frozen=True)
class Wave:
    """One stored survey wave of one region."""

    id: int
    region: str
    label: str
    status: str
    source_name: str
    catalogue_id: str
    catalogue_version: str
    imported_at: str
    source_hash: str = ""
    rules: str | None = None  # fingerprint of the scoring rules of its stored scores
    synthetic: bool = False  # imported as synthetic example data


def _wave(row: tuple[Any, ...]) -> Wave:
    """Build a Wave from a row of the columns `waves` selects (SQLite stores flags as 0/1)."""
    *head, synthetic = row
    return replace(Wave(*head), synthetic=bool(synthetic))


def waves(conn: sqlite3.Connection, region: str | None = None,
          statuses: tuple[str, ...] = ("active",)) -> list[Wave]:
    """List waves (of one region, or all), oldest label first."""
    marks = ",".join("?" * len(statuses))
    sql = (f"SELECT id, region, label, status, source_name, catalogue_id, catalogue_version, "
           f"imported_at, source_hash, rules, synthetic FROM waves WHERE status IN ({marks})")
    params: list[object] = list(statuses)
    if region is not None:
        sql += " AND region = ?"
        params.append(region)
    rows = [_wave(row) for row in conn.execute(sql, params)]
    return sorted(rows, key=lambda w: (w.region, label_order(w.label), w.id))


def select_wave(conn: sqlite3.Connection, region: str, label: str | None) -> Wave:
    """Return the region's wave `label`, or its latest active wave."""
    mine = waves(conn, region)
    if not mine:
        known = sorted({w.region for w in waves(conn)})
        raise ReportgenError(f"region {region!r} has no wave in the database; regions there: "
                             f"{', '.join(known) or 'none'}")
    if label is None:
        return mine[-1]
    for wave in mine:
        if wave.label == label:
            return wave
    raise ReportgenError(f"region {region!r} has no wave {label!r}; its waves: "
                         f"{', '.join(w.label for w in mine)}")


def check_catalogue(wave: Wave, cat: Catalogue) -> None:
    """Refuse to score a wave with another catalogue than the one it was imported with."""
    if (wave.catalogue_id, wave.catalogue_version) != (cat.id, cat.version):
        raise ReportgenError(f"wave {wave.label!r} of {wave.region} was imported with catalogue "
                             f"{wave.catalogue_id} {wave.catalogue_version}, not {cat.id} "
                             f"{cat.version}; pass the matching --definitions")


def waves_answers(conn: sqlite3.Connection, chosen: list[Wave], questions: list[str],
                  source: str, key: Callable[[Wave], str] = lambda w: w.region) -> RawSurvey:
    """Return the raw answers of several waves as one table, as an export would hold them.

    `key` names each wave's region. The caller validates the table like any export, so that
    stored answers are scored under the rules of the day.
    """
    c = DEFAULT_COLUMNS
    header = [c.id, c.region, c.region_name, c.group, *questions]
    names = dict(conn.execute("SELECT code, name FROM regions").fetchall())
    rows: list[list[str]] = []
    for wave in chosen:
        people = conn.execute("SELECT respondent, grp, answers FROM respondents WHERE "
                              "wave_id = ? ORDER BY rowid", (wave.id,)).fetchall()
        # Respondent ids are unique within a wave only; the wave id keeps them apart.
        rid = (lambda r: r) if len(chosen) == 1 else (lambda r, w=wave: f"{w.id}:{r}")
        for r, grp, text in people:
            given = json.loads(text)
            rows.append([rid(r), key(wave), names.get(wave.region, wave.region), grp,
                         *(str(given.get(q) or "") for q in questions)])
    return RawSurvey.from_rows(source, header, rows, list(range(2, len(rows) + 2)))


def stored_values(conn: sqlite3.Connection, wave_ids: list[int]) -> pd.DataFrame:
    """Return stored region-level scores of the waves: one row per wave and key."""
    if not wave_ids:
        return pd.DataFrame(columns=["wave_id", "key", "value", "n", "se"])
    marks = ",".join("?" * len(wave_ids))
    return pd.read_sql_query(f"SELECT wave_id, key, value, n, se FROM scores WHERE level = "
                             f"'region' AND wave_id IN ({marks})", conn, params=wave_ids)


def latest_waves(conn: sqlite3.Connection, cat: Catalogue, region: str,
                 same_version: bool = True, until: str | None = None) -> dict[str, Wave]:
    """Latest active wave of every other region, for the same catalogue (and version).

    With `until` (a wave label) only waves labelled no later count: the portfolio as it
    stood at that wave, so that rebuilding an earlier report gives the earlier comparison.
    """
    latest: dict[str, Wave] = {}
    for wave in waves(conn):
        if wave.region == region or wave.catalogue_id != cat.id:
            continue
        if same_version and wave.catalogue_version != cat.version:
            continue
        if until is not None and label_order(wave.label) > label_order(until):
            continue
        latest[wave.region] = wave  # waves() sorts by label, so the last one wins
    return latest


def portfolio(conn: sqlite3.Connection, latest: dict[str, Wave]
              ) -> tuple[pd.DataFrame, dict[str, str], dict[str, Member]]:
    """Stored values, names and annex facts of the portfolio's waves (see latest_waves)."""
    table = stored_values(conn, [w.id for w in latest.values()])
    by_wave = {w.id: r for r, w in latest.items()}
    table["region"] = table["wave_id"].map(by_wave)
    values = table.pivot_table(index="region", columns="key", values="value", aggfunc="first",
                               dropna=False)
    names = dict(conn.execute("SELECT code, name FROM regions").fetchall())
    countries = dict(conn.execute("SELECT code, COALESCE(country, '') FROM regions").fetchall())
    counts = dict(conn.execute("SELECT wave_id, COUNT(*) FROM respondents GROUP BY wave_id"))
    members = {r: Member(r, w.label, countries.get(r, ""), counts.get(w.id, 0),
                         w.catalogue_version) for r, w in latest.items()}
    return values.astype(float), names, members


def earlier_waves(conn: sqlite3.Connection, wave: Wave) -> list[Wave]:
    """Earlier active waves of the same region and catalogue id, oldest first."""
    return [w for w in waves(conn, wave.region)
            if label_order(w.label) < label_order(wave.label)
            and w.catalogue_id == wave.catalogue_id]


def history(conn: sqlite3.Connection, earlier: list[Wave]) -> list[WaveValues]:
    """Stored values of the region's earlier waves (see earlier_waves), oldest first."""
    table = stored_values(conn, [w.id for w in earlier])
    out = []
    for w in earlier:
        rows = table[table["wave_id"] == w.id]
        out.append(WaveValues(
            w.label,
            {k: None if pd.isna(v) else float(v) for k, v in zip(rows["key"], rows["value"],
                                                                 strict=True)},
            {k: int(n) for k, n in zip(rows["key"], rows["n"], strict=True)},
            {k: None if pd.isna(v) else float(v) for k, v in zip(rows["key"], rows["se"],
                                                                 strict=True)}))
    return out

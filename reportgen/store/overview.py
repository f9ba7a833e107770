"""Summaries of the store for people: regions and waves, one region in detail, all scores."""

from __future__ import annotations

import sqlite3

import pandas as pd

from reportgen.store.read import waves


def regions_table(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per region: name, country, NUTS code, its active waves and latest respondents."""
    frame = pd.read_sql_query(
        "SELECT r.code AS region, r.name, COALESCE(r.country, '') AS country, "
        "COALESCE(r.nuts, '') AS nuts FROM regions r ORDER BY r.code", conn)
    labels: dict[str, list[str]] = {}
    latest: dict[str, int] = {}
    for wave in waves(conn):
        labels.setdefault(wave.region, []).append(wave.label)
        latest[wave.region] = wave.id
    counts = dict(conn.execute("SELECT wave_id, COUNT(*) FROM respondents GROUP BY wave_id"))
    frame["waves"] = frame["region"].map(lambda r: ", ".join(labels.get(r, [])) or "none")
    frame["respondents"] = frame["region"].map(
        lambda r: counts.get(latest[r], 0) if r in latest else 0)
    return frame


def waves_table(conn: sqlite3.Connection, region: str) -> pd.DataFrame:
    """Every wave of a region, including replaced and removed ones, with respondents by group."""
    rows = []
    for w in waves(conn, region, ("active", "replaced", "removed")):
        groups = dict(conn.execute("SELECT grp, COUNT(*) FROM respondents WHERE wave_id = ? "
                                   "GROUP BY grp", (w.id,)).fetchall())
        rows.append({"id": w.id, "wave": w.label, "status": w.status, "source": w.source_name,
                     "catalogue": f"{w.catalogue_id} {w.catalogue_version}",
                     "imported": w.imported_at,
                     "respondents": ", ".join(f"{g} {n}" for g, n in sorted(groups.items()))})
    return pd.DataFrame(rows)


def composites_table(conn: sqlite3.Connection, region: str) -> pd.DataFrame:
    """Composite values of the region's active waves: one row per dimension, a column a wave."""
    mine = waves(conn, region)
    frame = pd.read_sql_query(
        "SELECT w.label AS wave, s.key AS dimension, s.value, s.n FROM scores s JOIN waves w "
        "ON w.id = s.wave_id WHERE w.region = ? AND w.status = 'active' AND s.level = 'region' "
        "AND s.kind = 'composite'", conn, params=(region,))
    if frame.empty:
        return frame
    table = frame.pivot_table(index="dimension", columns="wave", values="value", sort=False)
    return table[[w.label for w in mine if w.label in table.columns]].round(2)


def all_scores(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every stored score of every active wave, tidy, for export."""
    return pd.read_sql_query(
        "SELECT w.region, r.name AS region_name, COALESCE(r.country, '') AS country, "
        "w.label AS wave, w.catalogue_id AS catalogue, w.catalogue_version, s.level, s.kind, "
        "s.dimension, s.key AS id, s.value, s.n, s.se FROM scores s "
        "JOIN waves w ON w.id = s.wave_id JOIN regions r ON r.code = w.region "
        "WHERE w.status = 'active' ORDER BY w.region, w.label, s.rowid", conn)

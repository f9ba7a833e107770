"""Keep activity counts for the knowledge space: one transaction per import, periods kept apart."""

from __future__ import annotations

import sqlite3

import pandas as pd

from reportgen.errors import ReportgenError
from reportgen.store.waves import refuse_aliases


def periods(conn: sqlite3.Connection) -> list[str]:
    """List the periods with stored counts, in order."""
    return [r[0] for r in conn.execute("SELECT DISTINCT period FROM knowledge_counts "
                                       "ORDER BY period")]


def import_counts(conn: sqlite3.Connection, counts: pd.DataFrame, replace: bool = False,
                  labels: dict[str, str] | None = None, source: str = "counts"
                  ) -> tuple[list[str], list[str]]:
    """Store a validated counts table; return its periods and regions the portfolio lacks.

    A period already stored is refused unless `replace` is given (the caller backs the
    database up first); then that period's counts are replaced as a whole. Labels of classes
    are stored (or updated) in the same transaction.
    """
    new = sorted(counts["period"].unique())
    conn.execute("BEGIN IMMEDIATE")
    try:
        # "r07" beside stored "R07" would be a region without survey waves, silently.
        refuse_aliases(conn, sorted(set(counts["region"])), source)
        held = [p for p in new if conn.execute("SELECT 1 FROM knowledge_counts WHERE period = "
                                               "? LIMIT 1", (p,)).fetchone()]
        if held and not replace:
            raise ReportgenError(f"counts for period(s) {', '.join(held)} are already stored; "
                                 "pass --replace to replace them (a backup is made first)")
        conn.executemany("DELETE FROM knowledge_counts WHERE period = ?", [(p,) for p in held])
        conn.executemany("INSERT INTO knowledge_counts (region, technology, period, count) "
                         "VALUES (?, ?, ?, ?)", counts[["region", "technology", "period",
                                                        "count"]].itertuples(index=False))
        conn.executemany("INSERT INTO knowledge_labels VALUES (?, ?) ON CONFLICT(technology) "
                         "DO UPDATE SET label = excluded.label", (labels or {}).items())
        known = {r[0] for r in conn.execute("SELECT code FROM regions")}
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return new, sorted(set(counts["region"]) - known)


def stored_counts(conn: sqlite3.Connection, period: str | None = None) -> pd.DataFrame:
    """Return the stored counts (of one period, or all) as region, technology, period, count."""
    sql = "SELECT region, technology, period, count FROM knowledge_counts"
    params: tuple[str, ...] = ()
    if period is not None:
        sql, params = sql + " WHERE period = ?", (period,)
    return pd.read_sql_query(sql + " ORDER BY period, region, technology", conn, params=params)


def labels(conn: sqlite3.Connection) -> dict[str, str]:
    """Return the stored labels of classes."""
    return dict(conn.execute("SELECT technology, label FROM knowledge_labels").fetchall())

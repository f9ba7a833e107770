"""Store the fields of action agreed after a wave, and read them back for the next report."""

from __future__ import annotations

import datetime as dt
import sqlite3

from reportgen.errors import ReportgenError
from reportgen.inputs.worksheet import AgreedAction
from reportgen.store.read import Wave

FIELDS = "indicator, field, level, involve, owner, priority, due"


def recorded(conn: sqlite3.Connection, wave: Wave) -> int:
    """Return how many actions are stored for `wave`."""
    return int(conn.execute("SELECT COUNT(*) FROM actions WHERE wave_id = ?",
                            (wave.id,)).fetchone()[0])


def record_actions(conn: sqlite3.Connection, wave: Wave, actions: list[AgreedAction],
                   replace: bool = False) -> None:
    """Store `actions` for `wave` in one transaction; refuse to replace without `replace`."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if recorded(conn, wave) and not replace:
            raise ReportgenError(f"fields of action of {wave.region}, wave {wave.label} are "
                                 "already recorded; pass --replace to replace them (a backup "
                                 "is made first)")
        conn.execute("DELETE FROM actions WHERE wave_id = ?", (wave.id,))
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        conn.executemany(
            f"INSERT INTO actions (wave_id, position, {FIELDS}, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(wave.id, k, a.indicator, a.field, a.level, a.involve, a.owner, a.priority, a.due,
              now) for k, a in enumerate(actions)])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def latest_actions(conn: sqlite3.Connection, earlier: list[Wave]) -> list[AgreedAction]:
    """Return the actions of the latest of the `earlier` waves that has any."""
    for wave in reversed(earlier):
        rows = conn.execute(f"SELECT {FIELDS} FROM actions WHERE wave_id = ? ORDER BY position",
                            (wave.id,)).fetchall()
        if rows:
            return [AgreedAction(ind, field, level, involve, owner, priority, due, wave.label)
                    for ind, field, level, involve, owner, priority, due in rows]
    return []

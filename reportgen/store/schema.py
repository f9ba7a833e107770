"""Open the SQLite store and migrate it, one numbered step at a time, to the current schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.errors import ReportgenError

# Each entry migrates from version N to N + 1. Never edit a released step: add a new one.
MIGRATIONS: list[str] = [
    # 0 -> 1: regions, waves, respondents, raw answers, scores
    """
    CREATE TABLE regions (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        country TEXT,
        nuts TEXT
    );
    CREATE TABLE waves (
        id INTEGER PRIMARY KEY,
        region TEXT NOT NULL REFERENCES regions(code),
        label TEXT NOT NULL,
        source_name TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        catalogue_id TEXT NOT NULL,
        catalogue_version TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'replaced', 'removed'))
    );
    CREATE TABLE respondents (
        wave_id INTEGER NOT NULL REFERENCES waves(id),
        respondent TEXT NOT NULL,
        grp TEXT NOT NULL,
        PRIMARY KEY (wave_id, respondent)
    );
    CREATE TABLE answers (
        wave_id INTEGER NOT NULL REFERENCES waves(id),
        respondent TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        PRIMARY KEY (wave_id, respondent, question)
    );
    CREATE TABLE scores (
        wave_id INTEGER NOT NULL REFERENCES waves(id),
        level TEXT NOT NULL,
        kind TEXT NOT NULL,
        dimension TEXT NOT NULL,
        key TEXT NOT NULL,
        value REAL,
        n INTEGER NOT NULL,
        se REAL,
        PRIMARY KEY (wave_id, level, key)
    );
    """,
    # 1 -> 2: at most one active wave per region and label; when a wave stopped being active
    """
    CREATE UNIQUE INDEX one_active_wave ON waves(region, label) WHERE status = 'active';
    ALTER TABLE waves ADD COLUMN retired_at TEXT;
    """,
    # 2 -> 3: mark the file as reportgen's, so that no command touches another program's
    f"PRAGMA application_id = {0x52475031}",
    # 3 -> 4: the scoring rules each wave's stored scores were computed under (NULL: unknown)
    "ALTER TABLE waves ADD COLUMN rules TEXT",
    # 4 -> 5: each respondent's raw answers as one JSON object (question -> answer text) on
    # the respondent's row; one row per answer made a Europe-wide import write 30 million
    """
    ALTER TABLE respondents ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
    UPDATE respondents SET answers = coalesce((
        SELECT json_group_object(a.question, a.answer) FROM answers AS a
        WHERE a.wave_id = respondents.wave_id AND a.respondent = respondents.respondent),
        '{}');
    DROP TABLE answers
    """,
    # 5 -> 6: activity counts by region, class and period, for the knowledge space
    """
    CREATE TABLE knowledge_counts (
        region TEXT NOT NULL,
        technology TEXT NOT NULL,
        period TEXT NOT NULL,
        count REAL NOT NULL CHECK (count >= 0),
        PRIMARY KEY (period, region, technology)
    );
    CREATE TABLE knowledge_labels (
        technology TEXT PRIMARY KEY,
        label TEXT NOT NULL
    )
    """,
    # 6 -> 7: the fields of action a Policy Learning Workshop agreed on after a wave
    """
    CREATE TABLE actions (
        wave_id INTEGER NOT NULL REFERENCES waves(id),
        position INTEGER NOT NULL,
        indicator TEXT NOT NULL,
        field TEXT NOT NULL,
        level TEXT NOT NULL,
        involve TEXT NOT NULL,
        owner TEXT NOT NULL,
        priority TEXT NOT NULL,
        due TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (wave_id, position)
    )
    """,
    # 7 -> 8: waves of synthetic example data, so that every report built on them says so
    "ALTER TABLE waves ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0",
]
APPLICATION_ID = 0x52475031  # "RGP1"
OUR_TABLES = {"regions", "waves", "respondents", "answers", "scores"}
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migration steps up to `target`, each in its own transaction."""
    version = _user_version(conn)
    for step in range(version, target):
        # Take the write lock before looking again: another process opening a new database
        # at the same moment may have applied this step while we waited.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _user_version(conn) <= step:
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return max(version, target)


def _user_version(conn: sqlite3.Connection) -> int:
    """Read the schema version, refusing one newer than this reportgen knows."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise ReportgenError(f"the database has schema version {version}, newer than this "
                             f"reportgen understands ({SCHEMA_VERSION}); please upgrade")
    return version


def _check_owner(conn: sqlite3.Connection, path: Path, create: bool) -> None:
    """Refuse a file that another application owns, before anything is written to it."""
    # One read transaction, so that the three reads see one state of a file that another
    # process may be migrating at this moment.
    conn.execute("BEGIN")
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table'")}
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.execute("COMMIT")
    if app == APPLICATION_ID:
        return
    if app == 0 and version >= 1 and tables >= OUR_TABLES:
        return  # made by reportgen before files were marked; migration 3 marks it
    if app == 0 and not tables and create:
        return  # a new, empty database
    why = "an empty file" if not tables and app == 0 else "it belongs to another application"
    raise ReportgenError(f"{path}: not a reportgen portfolio database ({why}); left "
                         "untouched")


LOCK_WAIT = 30.0  # seconds to wait for another process's write transaction


def busy_text() -> str:
    """Say that another process holds the database, and what to do."""
    return (f"the database is busy: another process has been writing to it for {LOCK_WAIT:g} "
            "seconds (an import?); try again when it has finished. Nothing was changed")


def busy(exc: sqlite3.Error) -> bool:
    """Tell whether `exc` means another connection holds the lock (not a damaged file)."""
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED") or \
        "database is locked" in str(exc)


@contextmanager
def session(path: str | Path, create: bool = True) -> Iterator[sqlite3.Connection]:
    """Open the store for the length of a `with` block (see connect) and always close it.

    A database this session created is removed again when the block fails before anything
    was stored in it: a refused first import leaves no empty file behind.
    """
    fresh = create and not Path(path).exists()
    conn = connect(path, create)
    try:
        yield conn
    except BaseException:
        if fresh and _empty(conn):
            conn.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        conn.close()


def _empty(conn: sqlite3.Connection) -> bool:
    """Tell whether the store holds no region, wave or knowledge counts."""
    # Another process's import may have filled a database created a moment before.
    try:
        return not any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()  # noqa: S608
                       for table in ("regions", "waves", "knowledge_counts"))
    except sqlite3.Error:
        return False


def connect(path: str | Path, create: bool = True) -> sqlite3.Connection:
    """Open (or create) the store at `path`, migrated to the current schema.

    Waits up to 30 s for another process's write transaction (an import running at the
    same time) before giving up with a clear message.
    """
    path = Path(path)
    if not create and not path.exists():
        raise ReportgenError(f"no portfolio database at {path}; import a survey first with "
                             "'reportgen portfolio import'")
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves
        conn = sqlite3.connect(path, isolation_level=None, timeout=LOCK_WAIT)
    except sqlite3.Error as exc:
        raise ReportgenError(f"{path}: cannot open the database ({exc})") from None
    try:
        _check_owner(conn, path, create)
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if busy(exc):
            raise ReportgenError(f"{path}: {busy_text()}") from None
        raise ReportgenError(f"{path}: not a readable reportgen database ({exc})") from None
    except ReportgenError:
        conn.close()
        raise
    return conn

"""The portfolio store: regions, survey waves, raw answers and scores in one SQLite file."""

from reportgen.store.schema import SCHEMA_VERSION, connect, session

__all__ = ["SCHEMA_VERSION", "connect", "session"]

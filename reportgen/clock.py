"""The time a report states: now, unless SOURCE_DATE_EPOCH pins it for reproducible builds."""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """Return the build time in UTC, to the second; SOURCE_DATE_EPOCH pins it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def today() -> dt.date:
    """Return the report date (see now())."""
    return now().date()

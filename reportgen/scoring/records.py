"""Plain records the sources hand to the report stages: earlier waves' values, members."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class WaveValues:
    """A wave's region-level values, respondent counts and standard errors by indicator id."""

    label: str
    values: dict[str, float | None]
    counts: dict[str, int]
    errors: dict[str, float | None]
    # Set when the wave was scored under another catalogue version than the report's.
    catalogue_version: str | None = None


def label_order(label: str) -> tuple[object, ...]:
    """Sort wave labels naturally, so that '2024-9' comes before '2024-10'."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", label))


@dataclass(frozen=True)
class Member:
    """A portfolio region as the annex lists it: which wave, country and how many answered."""

    code: str
    wave: str | None
    country: str
    respondents: int | None
    catalogue_version: str | None = None


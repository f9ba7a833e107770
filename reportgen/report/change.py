"""Change since the previous wave, and whether the respondent numbers can support it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.report.i18n import shown_difference
from reportgen.scoring.records import WaveValues

# Two standard errors of the difference: a change smaller than this could be sampling noise.
Z = 1.96


@dataclass(frozen=True)
class Change:
    """A value against the same region's previous wave."""

    previous_label: str
    previous: float
    value: float
    delta: float
    margin: float | None
    decimals: int = 1
    # How the margin was found: "bootstrap" (resampled waves, for small groups) or "normal".
    method: str = "normal"

    @property
    def shown_delta(self) -> float:
        """Return the change between the values as printed, so that printed sums add up."""
        return shown_difference(self.previous, self.value, self.decimals)

    @property
    def supported(self) -> bool | None:
        """Tell whether the change exceeds its margin of error (None: cannot be judged).

        A change that vanishes in the printed values is never called a move.
        """
        if self.margin is None:
            return None
        return abs(self.delta) > self.margin and self.shown_delta != 0

    @property
    def direction(self) -> str:
        """Name the direction as 'up', 'down' or 'flat' (flat: not supported by the data)."""
        if not self.supported:
            return "flat"
        return "up" if self.delta > 0 else "down"


def change(key: str, value: float | None, se: float | None,
           history: list[WaveValues], decimals: int = 1, z: float = Z,
           bootstrap: float | None = None) -> Change | None:
    """Compare `value` with the previous wave's value for `key`, if both exist.

    `bootstrap` is the margin from resampling both waves, where the rules chose it.
    """
    if value is None or not history:
        return None
    last = history[-1]
    previous = last.values.get(key)
    if previous is None:
        return None
    if bootstrap is not None:
        return Change(last.label, previous, value, value - previous, bootstrap, decimals,
                      "bootstrap")
    old_se = last.errors.get(key)
    margin = None
    if se is not None and old_se is not None and math.isfinite(se) and math.isfinite(old_se):
        margin = z * math.hypot(se, old_se)
    return Change(last.label, previous, value, value - previous, margin, decimals)


def trend(key: str, value: float | None, label: str | None,
          history: list[WaveValues]) -> list[tuple[str, float | None]]:
    """Return (wave label, value) for every wave of the region, oldest first."""
    if label is None or not history:
        return []
    return [(w.label, w.values.get(key)) for w in history] + [(label, value)]

"""Say what an answer is worth on its question's scale: an item score, missing, or unknown."""

from __future__ import annotations

import re
from typing import Final

from reportgen.catalogue.schema import Scale

MISSING: Final = object()  # a non-substantive answer ("don't know"): missing, never a score
_TRAILING_ZEROS = re.compile(r"^(-?\d+)\.0+$")
# As German or French spreadsheets write it: "4,0" is the code 4 (not on multi-select
# scales, where "1,0" is more likely two options joined the wrong way).
_DECIMAL_COMMA = re.compile(r"^(-?\d+)[.,]0+$")


def normalise(text: str, comma: bool = True) -> str:
    """Fold an answer so that ' Agree', 'agree', '4.0', '4,0' and '4' compare equal."""
    folded = text.strip().casefold()
    match = (_DECIMAL_COMMA if comma else _TRAILING_ZEROS).match(folded)
    return match.group(1) if match else folded


class AnswerScale:
    """Read answers given on one scale, by code or label, into item scores from lo to hi."""

    def __init__(self, scale: Scale, lo: float, hi: float):
        self.scale = scale
        self.lookup: dict[str, object] = {}
        k = len(scale.options)
        for i, opt in enumerate(scale.options):
            if scale.type == "ordered":
                score: object = lo + i * (hi - lo) / (k - 1)
            elif scale.type == "choice":
                score = opt.score
            else:
                score = opt.code  # multi: the option itself; counted in read()
            self.lookup[normalise(opt.code)] = score
            self.lookup[normalise(opt.label)] = score
        for opt in scale.missing:
            self.lookup[normalise(opt.code)] = MISSING
            self.lookup[normalise(opt.label)] = MISSING

    def read(self, cell: str) -> object:
        """Return the score of a non-blank answer, MISSING, or None if the scale lacks it."""
        if self.scale.type != "multi":
            return self.lookup.get(normalise(cell))
        # A multi-select answer scores the number of distinct options chosen.
        parts = [normalise(p, comma=False) for p in cell.split(self.scale.separator)
                 if p.strip()]
        if not parts:
            return MISSING  # only separators ("|", " | "): as blank as an empty cell
        values = [self.lookup.get(p) for p in parts]
        if any(v is None for v in values):
            return None
        if values and all(v is MISSING for v in values):
            return MISSING
        count = len({v for v in values if v is not MISSING})
        steps = [t for t in self.scale.thresholds if t.min_count <= count]
        return max(steps, key=lambda t: t.min_count).score if steps else MISSING

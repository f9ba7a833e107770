"""Tell codes apart as a reader does: look-alike spellings, invisible and control characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reportgen.errors import Problem

# Characters that show nothing: format controls, and marks or letters that draw blank.
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")
# Control characters (tab aside): they break PDFs, XML and terminals, and no code needs one.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")

# Cyrillic and Greek letters drawn like Latin ones (after casefolding): "Х1" typed on a
# Cyrillic keyboard reads as "X1" but would be another region. Comparison only; no code is
# rewritten.
_LOOK_LATIN = str.maketrans(
    "\u0430\u0432\u0435\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445\u0456\u0458"
    "\u0455\u0501\u051b\u051d\u04af\u04bb\u04cf"  # а в е к м н о р с т у х і ј ѕ ԁ ԛ ԝ ү һ ӏ
    "\u03b1\u03b2\u03b5\u03b6\u03b7\u03b9\u03ba\u03bc\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7",
    "abekmhopctyxijsdqwyhl" "abezhikmnoptyx")  # α β ε ζ η ι κ μ ν ο ρ τ υ χ


def invisible(c: str) -> bool:
    """Tell whether a character shows nothing on screen (zero-width, selector, filler)."""
    return (unicodedata.category(c) in ("Cf", "Zl", "Zp") or c in _BLANK_LOOKING
            or "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef")


def region_key(code: str) -> str:
    """Return what a reader sees of a code: "Ｒ01", "r01", "R\u200b01" and Cyrillic "Р01" all
    read R01."""
    plain = unicodedata.normalize("NFKC", code)
    seen = " ".join("".join(c for c in plain if not invisible(c)).split()).casefold()
    return seen.translate(_LOOK_LATIN)


def code_problems(file: str, column: str, cells: Iterable[tuple[int | None, str]],
                  what: str = "code") -> list[Problem]:
    """Refuse codes of a column that hold control or invisible characters, or that read
    like an earlier code of the column; `cells` are (row or None, code) in file order."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    seen: set[str] = set()
    for row, code in cells:
        if code in seen:
            continue
        seen.add(code)
        bad = CONTROL.search(code) or next((c for c in code if invisible(c)), None)
        if bad is not None:
            char = bad if isinstance(bad, str) else bad.group()
            problems.append(Problem(file, f"{what} {ascii(code)} holds a character that does "
                                    f"not show (U+{ord(char):04X}); write it plainly", row=row,
                                    column=column))
            continue
        other = first.setdefault(region_key(code), code)
        if other != code:
            problems.append(Problem(file, f"{what} {ascii(code)} differs from {ascii(other)} "
                                    "only in how it is written (case, width or letters of "
                                    "another script); write it one way", row=row,
                                    column=column))
    return problems

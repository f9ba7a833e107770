"""Mark text for translation where it is defined, and text shown in a fallback language."""

from __future__ import annotations

import re
from collections.abc import Callable

# Private-use characters bracket a passage left in the fallback language. They survive
# formatting, joining and Markdown untouched; the HTML writer turns them into
# <span lang="…"> in text and drops them anywhere else (attributes, titles, charts).
OPEN, SEP, CLOSE = "\ue000", "\ue002", "\ue001"  # OPEN lang SEP text CLOSE
_PARAGRAPHS = re.compile(r"(\n\s*\n)")
_MARKS = re.compile(f"{OPEN}[a-z-]*{SEP}|{CLOSE}")


def N_(message: str) -> str:
    """Mark a message for extraction by pybabel (keyword N_) and return it unchanged."""
    return message


def fallback(text: str, lang: str = "en") -> str:
    """Bracket each paragraph of `text` as shown in the fallback language `lang`."""
    if not text.strip():
        return text
    parts = _PARAGRAPHS.split(text)
    return "".join(p if i % 2 or not p.strip() else f"{OPEN}{lang}{SEP}{p}{CLOSE}"
                   for i, p in enumerate(parts))


def unmarked(text: str) -> str:
    """Drop the fallback brackets from `text`."""
    return _MARKS.sub("", text)


def marked(lang: str) -> Callable[[str], str]:
    """Return a marker for text that stays in `lang`."""
    return lambda text: fallback(text, lang)

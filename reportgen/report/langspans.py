"""Turn fallback marks in finished HTML into <span lang> for screen readers."""

from __future__ import annotations

import re

from reportgen.marks import CLOSE, OPEN, SEP, unmarked

# Where a <span> may not go, the marks are dropped: the head (title, metadata) and SVG charts.
_NO_SPANS = re.compile(r"<head\b.*?</head>|<svg\b.*?</svg>", re.S | re.I)
# Autoescaping writes < and > inside attribute values as entities, so a tag ends at its first >.
_TAGS = re.compile(r"(<[^>]*>)")
_OPENING = re.compile(f"{OPEN}([a-z-]*){SEP}")


def lang_spans(html: str) -> str:
    """Wrap marked text in <span lang="…">; drop marks inside tags, the head and charts."""
    if OPEN not in html and CLOSE not in html:
        return html
    html = _NO_SPANS.sub(lambda m: unmarked(m.group(0)), html)
    parts = _TAGS.split(html)
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = unmarked(part)
        else:
            part = _OPENING.sub(lambda m: f'<span lang="{m.group(1)}">', part)
            parts[i] = part.replace(CLOSE, "</span>")
    return "".join(parts)

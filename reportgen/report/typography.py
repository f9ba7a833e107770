"""Space punctuation as the report's language sets it: French no-break spaces before : ; ! ?."""

from __future__ import annotations

import re

# Autoescaping writes < and > inside attribute values as entities, so a tag ends at its first >.
_TAGS = re.compile(r"(<[^>]*>)")
_SKIPPED = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
# Text a reader meets inside tags: alternative text of charts, tooltips, metadata (<meta>).
_READ_ATTRIBUTES = re.compile(r'(\s(?:alt|title|aria-label|content)=")([^"]*)(")')

# French sets a no-break space before the high marks and inside guillemets; the text comes
# from templates, translations, catalogues and data alike, so it is set once on the result.
# An entity (&amp;) is matched first so that its ";" is left alone; a mark not followed by a
# space (https://, 12:30, ?q=) is no punctuation of running text.
_FRENCH = re.compile(r"(&#?\w+;)|(?<=\S) ?([:;!?»])(?=[\s\u00a0]|$)|(«) ?(?=\S)")


def _french(text: str) -> str:
    """Put a no-break space before : ; ! ? » and after « in French running text."""
    def spaced(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        if m.group(2):
            return "\u00a0" + m.group(2)
        return "«\u00a0"

    return _FRENCH.sub(spaced, text)


_RULES = {"fr": _french}


def typeset(html: str, code: str) -> str:
    """Apply the language's punctuation spacing to the text and read attributes of `html`."""
    rule = _RULES.get(code.split("-")[0])
    if rule is None:
        return html
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    html = _SKIPPED.sub(keep, html)  # style sheets hold "a:hover" and "x;y"
    parts = _TAGS.split(html)
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = _READ_ATTRIBUTES.sub(lambda m: m.group(1) + rule(m.group(2)) + m.group(3),
                                            part)
        elif part:
            parts[i] = rule(part)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], "".join(parts))

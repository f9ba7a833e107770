"""Finish a document's text: the language's punctuation spacing, unbroken ranges, no controls."""

from __future__ import annotations

import re
from collections.abc import Callable

from reportgen.terminal import visible_controls

# Autoescaping writes < and > inside attribute values as entities, so a tag ends at its first >.
_TAGS = re.compile(r"(<[^>]*>)")
# Left as written: style sheets ("a:hover"), scripts, inline drawings, code and raw text.
_SKIPPED = re.compile(r"<(style|script|svg|pre|code|textarea)\b.*?</\1>", re.S | re.I)
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


# Slovenian (like Czech and Polish) keeps a one-letter word (v, z, s, k, o, a, i, u) on the
# line of the word it belongs to: a no-break space after it.
_ONE_LETTER = re.compile(r"(?<![\w&#;])([vVzZsSkKoOaAiIuU]) (?=\w)")


def _one_letter_words(text: str) -> str:
    """Bind a one-letter word to the next word with a no-break space."""
    return _ONE_LETTER.sub("\\1\u00a0", text)


# German writes a percentage inside a compound with hyphens on both sides: 90-%-Intervall.
_PERCENT_COMPOUND = re.compile(r"(\d)[ \u00a0\u202f]%-(?=\w)")


def _german(text: str) -> str:
    """Join a percentage to the compound it starts (90 %-Intervall becomes 90-%-Intervall)."""
    return _PERCENT_COMPOUND.sub("\\1-%-", text)


_RULES = {"fr": _french, "sl": _one_letter_words, "de": _german}

# German compounds: the hyphenation patterns split some at the wrong letter ("Zusammena-
# rbeit", "Monitorin-gergebnisse", "Politikin-strumenten"), mostly before a second word that
# starts with a vowel. A soft hyphen at that joint gives the compound its right break, and
# the renderer then breaks such a word nowhere else. Three letters of the first word at
# least ("Bearbeitung" is no compound); "ebene" is left out ("vorgegebene").
_JOINTS = re.compile(
    r"(?<=[a-zäöüß]{3})(?=(?:akteur|aktivität|anbieter|angebot|ansatz|anteil|arbeit|aufgabe|"
    r"ausrichtung|austausch|einbindung|einrichtung|entwicklung|ergebnis|evaluation|"
    r"evaluierung|initiative|innovation|instrument|integration|organisation|umsetzung|"
    r"unternehmen))")


def _compound_joints(text: str) -> str:
    """Put a soft hyphen at the joint of a German compound before a vowel-initial word."""
    return _JOINTS.sub("\u00ad", text)


# Rules for the running text only: not for attributes, titles or charts, which never break.
_BODY_RULES = {"de": _compound_joints}

# Every language: an apostrophe between letters is the typographic one (l’indicatore, the
# region’s); autoescaping writes the straight one as &#39;.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#39;|&#x27;)(?=[^\W\d_])")
# A span of years (2014-2018) takes the en dash of every other range.
_YEARS = re.compile(r"(?<![\w.\-/])((?:1[89]|2\d)\d\d)-((?:1[89]|2\d)\d\d)(?![\w\-/]|\.\w)")
# A number and the word or arrow after it stay on one line ("40 respondents", "3.2 → 2.7").
# A code such as "w1" or "K009" is no number.
# An ordinal ("2. četrtina", "24. mesto") is bound too where a lower-case word follows; a
# sentence's last number before a capital is left free.
_NUMBER_WORD = re.compile(r"(?<![\w.,])([−+]?\d+(?:[.,\u00a0\u202f]\d+)*) (?=[^\W\d_]|→)"
                          r"|(?<![\w.,])(\d+\.) (?=[^\W\d_A-ZÀ-ÖØ-Þ])|(→) (?=[−+]?\d)")
# A last word of one to three characters ("S3", "of 26") is bound to the word before it.
_SHORT_LAST = re.compile(r"(?<=[^\s>]) (?=[^\s<]{1,3}\s*$)")


def bind_last_word(text: str) -> str:
    """Keep a last word of at most three characters on the line of the word before it."""
    return _SHORT_LAST.sub("\u00a0", text)


def _common(text: str) -> str:
    """Apply the marks every language shares: typographic apostrophes, year spans."""
    return _YEARS.sub("\\1–\\2", _APOSTROPHE.sub("\u2019", text))


def _unbroken(text: str) -> str:
    """Bind what a line break would tear apart in body text (alternative text has no lines)."""
    return bind_last_word(_NUMBER_WORD.sub(
        lambda m: (m.group(1) or m.group(2) or m.group(3)) + "\u00a0", text))


# A range of numbers (2,9–3,5; rank 22–25) broken after its dash reads as two numbers.
_NUMBER = r"[−+]?\d+(?:[.,\u00a0\u202f]\d+)*"
# Ordinals keep their dots (14.–22.).
_RANGE = re.compile(rf"(?<![\w.,]){_NUMBER}\.?–{_NUMBER}\.?(?![\w])")


# The second half of a suspended compound ("Strategien und -dienstleistungen") broken after
# its hyphen leaves a lone dash at the end of a line.
_SUSPENDED = re.compile(r"(?<=\s)-[^\W\d_]+")


# A French question inverts verb and subject with hyphens ("comporte-t-il", "peut-on"); a
# line break there strands "t-il" at the start of the next line.
_INVERSION = re.compile(r"(?<![\w-])[^\W\d_]+(?:-t)?-(?:il|elle|on|ils|elles|ce)(?![\w-])")


def _whole_ranges(text: str) -> str:
    """Keep each numeric range, suspended compound and inverted question on one line."""
    for pattern in (_RANGE, _SUSPENDED, _INVERSION):
        text = pattern.sub(lambda m: f'<span class="range">{m.group()}</span>', text)
    return text


_WHOLE = re.compile(r'<span class="range">([^<]*)</span>')


def joined(html: str) -> str:
    """Turn each whole-range span into its text with word joiners at its dashes (for PDF).

    WeasyPrint breaks a line badly before an inline box at its end (Kozea/WeasyPrint#1614:
    "mediana" left alone on a line above the rest); joiners keep the range whole with no
    box at all, and the PDF's text reads the same.
    """
    def join(found: re.Match[str]) -> str:
        # Not before a dash that opens the span ("und -dienstleistungen" may still break
        # at its space: a joiner there would forbid it).
        return re.sub(r"(?<=\S)(?=[-–])|(?<=[-–])(?=\S)", "\u2060", found[1])

    return _WHOLE.sub(join, html)


def _marks(code: str) -> Callable[[str], str]:
    """Return the marks of language `code`: those every language shares, then its own."""
    own = _RULES.get(code.split("-")[0], lambda text: text)
    return lambda text: own(_common(text))


def plain(text: str, code: str) -> str:
    """Set the language's marks in plain text (a chart label), where no markup can go."""
    return _marks(code)(text)


def typeset(html: str, code: str) -> str:
    """Finish the text of `html`: the language's spacing, whole ranges, visible controls."""
    rule = _marks(code)
    body = _BODY_RULES.get(code.split("-")[0], lambda text: text)

    # A label, class code or commentary holding ESC reached the PDF's text raw; every text
    # source is covered once here.
    html = visible_controls(html)
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    html = _SKIPPED.sub(keep, html)
    parts = _TAGS.split(html)
    in_body = "<body" not in html  # a fragment is all body; the head's title takes no span
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = _READ_ATTRIBUTES.sub(lambda m: m.group(1) + rule(m.group(2)) + m.group(3),
                                            part)
            in_body = in_body or part.lower().startswith("<body")
        elif part:
            parts[i] = (_whole_ranges(_unbroken(body(rule(part)))) if in_body
                        else rule(part))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], "".join(parts))

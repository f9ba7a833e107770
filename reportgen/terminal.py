"""Keep the terminal safe: text from data never reaches it as control characters."""

from __future__ import annotations

import re
from typing import TextIO

# C0 controls except tab and newline, DEL, and the C1 range (ESC sequences, CSI 0x9b):
# a region named "\x1b]0;pwned\x07" must not retitle or clear the user's terminal.
# Lone surrogates too: a file name of bytes that are not UTF-8 arrives as \udce9 and would
# stop any encoder (terminal, PDF, database) with a traceback. And the bidirectional
# controls, which make a terminal show a name reversed (U+202E).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f"
                      "\u202a-\u202e\u2066-\u2069]")


def _escape(char: str) -> str:
    code = ord(char)
    # surrogateescape keeps an undecodable byte b as U+DC00 + b: show the byte itself.
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# In a document, line breaks of every kind are layout and the bidi isolates and marks are
# legitimate right-to-left typing; the overrides (U+202D, U+202E) and embeddings would show a
# name reversed.
_DOCUMENT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                               "\u202a-\u202e]")


def visible_controls(text: str) -> str:
    """Replace control characters in a document's text by visible escapes such as \\x1b."""
    return _DOCUMENT_CONTROL.sub(lambda m: _escape(m.group()), text)


def printable(text: str) -> str:
    """Replace control characters and undecodable bytes by visible escapes such as \\x1b."""
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def one_line(value: object) -> str:
    """Show a path or name on one line: its line breaks as visible \\n and \\r."""
    # "report: PATH" is one line a script may parse; a folder named "a\nb" must not split it.
    return str(value).replace("\r", "\\r").replace("\n", "\\n")


class SafeStream:
    """A text stream that escapes control characters in everything written through it."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text` with its control characters escaped."""
        return self._stream.write(printable(text))

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self._stream.flush()

    @property
    def raw(self) -> TextIO:
        """Return the wrapped stream, for writers that emit their own control sequences."""
        return self._stream

    def isatty(self) -> bool:
        """Tell whether the wrapped stream is a terminal."""
        return bool(getattr(self._stream, "isatty", lambda: False)())


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """Write a count with its noun in the right number: "1 text", "2 texts"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"

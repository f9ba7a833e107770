"""Translations of a user's own template texts, kept beside the templates, not in the package.

A folder of templates may hold `messages.<lang>.po` for the `{% trans %}` texts it adds: the
package's catalogues stay untouched, and an update of reportgen keeps the user's translations.
"""

from __future__ import annotations

import gettext
import io
import re
from functools import cache
from pathlib import Path

from reportgen.errors import InputError

MAX_PO_BYTES = 5_000_000


def po_file(folder: str | Path, code: str) -> Path:
    """Return where a template folder keeps its own texts in language `code`."""
    return Path(folder) / f"messages.{code}.po"


@cache
def own_messages(folders: tuple[str, ...], code: str
                 ) -> tuple[frozenset[str], gettext.NullTranslations]:
    """Read the folders' catalogues for `code`: (messages fully translated, translations).

    The first folder wins, as it does for the templates themselves.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    merged, done = Catalog(locale=code), set()
    for folder in reversed(folders):
        path = po_file(folder, code)
        if not path.is_file():
            continue
        if path.stat().st_size > MAX_PO_BYTES:
            raise InputError.single(str(path), f"larger than {MAX_PO_BYTES:,} bytes")
        try:
            with path.open("rb") as f:
                catalogue = read_po(f, locale=code, abort_invalid=True)
        except (PoFileError, ValueError, UnicodeDecodeError) as exc:
            # Babel's "on 0" is no line number a user could go to.
            said = re.sub(r" on \d+$", "", str(exc))
            raise InputError.single(str(path), f"not a readable .po file: {said}") from None
        for m in catalogue:
            texts = [m.string] if isinstance(m.string, str) else list(m.string or ())
            if m.id and all(texts) and "fuzzy" not in m.flags:
                merged[m.id] = m
                done.add(m.id if isinstance(m.id, str) else m.id[0])
    if not done:
        return frozenset(), gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return frozenset(done), gettext.GNUTranslations(buffer)

"""Report languages: gettext messages and locale-aware numbers and dates."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import ReportgenError, UsageError
from reportgen.marks import N_, fallback  # noqa: F401 - N_ is re-exported for the report modules

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"  # reportgen/locale


DOMAIN = "messages"


def half_up(value: float, places: int) -> float:
    """Round as a reader does: halves away from zero, on the number as written (3.25 → 3.3).

    Python's round() and format() round a half to the even digit (3.25 → 3.2), so a mean
    of 13/4 would print below the value a reader computes from the answers. Twelve
    significant digits first drop binary noise (2.9499999999999997 is 2.95).
    """
    if not math.isfinite(value):
        return value
    exact = Decimal(f"{value:.12g}")
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def shown_difference(old: float, new: float, places: int) -> float:
    """Return new - old as the values print at `places`, so that printed sums add up."""
    return half_up(half_up(new, places) - half_up(old, places), places)


def languages() -> list[str]:
    """List the report languages: English plus every language with a message catalogue."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted({"en", *found})


def known_locale(code: str) -> bool:
    """Tell whether Babel knows the language: its plural forms, numbers and dates."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def check_language(code: str, folders: Sequence[str | Path] = ()) -> None:
    """Refuse a language that neither the package nor a template folder translates.

    A template folder's messages.<code>.po may bring a language the package lacks.
    """
    from reportgen.report.own_messages import po_file

    if code in languages() or (known_locale(code)
                               and any(po_file(f, code).is_file() for f in folders)):
        return
    raise UsageError(f"language {code!r} is not available; choose one of "
                     f"{', '.join(languages())}, or translate the messages into it in "
                     f"messages.{code}.po in a template folder (docs/translating.md)")


@cache
def _catalog(code: str) -> Catalog:
    """Read the language's .po file once; both the messages and the gap listing use it.

    A language the package lacks has an empty catalogue: a template folder translates it.
    """
    from babel.messages.catalog import Catalog

    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        if not known_locale(code):
            check_language(code)  # says which languages there are
        return Catalog(locale=code)
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        return read_po(f, locale=code)


@cache
def translations(code: str) -> gettext.NullTranslations:
    """Compile the language's .po file in memory (no binary .mo files in the repository)."""
    if code == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _catalog(code))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translated(code: str) -> frozenset[str]:
    """Return the messages (singular ids) the language's .po file translates completely."""
    if code == "en":
        return frozenset()
    done = set()
    for m in _catalog(code):
        texts = [m.string] if isinstance(m.string, str) else list(m.string or ())
        if m.id and all(texts) and "fuzzy" not in m.flags:
            done.add(m.id if isinstance(m.id, str) else m.id[0])
    return frozenset(done)


@cache
def wanted() -> tuple[str, ...]:
    """Return every message (singular id) of the template, messages.pot."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as f:
        return tuple(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id)


def reload_catalogues() -> None:
    """Forget the read message catalogues (after LOCALE_DIR changed, as in tests)."""
    for cached in (_catalog, translations, translated, wanted):
        cached.cache_clear()


class Untranslated(ReportgenError):
    """A message to show has no translation in the report's language."""


SL_MONTHS = ("januarja", "februarja", "marca", "aprila", "maja", "junija", "julija", "avgusta",
             "septembra", "oktobra", "novembra", "decembra")


@dataclass(frozen=True)
class Lang:
    """One report language: translated messages and number and date formats.

    With `fallback`, a message the language lacks is returned in English, marked so that the
    HTML tags it with lang="en".
    """

    code: str = "en"
    decimals: int = 1
    fallback: bool = False
    own: tuple[str, ...] = ()  # template folders, whose messages.<code>.po come first

    def _catalogue(self, message: str) -> gettext.NullTranslations | None:
        """Return the catalogue that translates `message` completely, if any."""
        if self.code == "en":
            return translations("en")
        if self.own:
            from reportgen.report.own_messages import own_messages

            done, mine = own_messages(self.own, self.code)
            if message in done:
                return mine
        return translations(self.code) if message in translated(self.code) else None

    def _(self, message: str) -> str:
        """Translate a message."""
        if (catalogue := self._catalogue(message)) is None:
            return self._lacking(message, message)
        return catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message that depends on a count."""
        if (catalogue := self._catalogue(singular)) is None:
            return self._lacking(singular, singular if n == 1 else plural)
        return catalogue.ngettext(singular, plural, n)

    def _lacking(self, message: str, english: str) -> str:
        # The build checks the shipped messages first, so a message lacking here is a user
        # template's own text (or an edited one): shown in English only when allowed.
        if self.fallback:
            return fallback(english)
        raise Untranslated(f"no {self.code!r} translation of the message "
                           f"{' '.join(message.split())[:80]!r}: translate your template's own "
                           f"texts in messages.{self.code}.po beside it; or build with "
                           "--allow-fallback (docs/translating.md)")

    def num(self, value: float | None, decimals: int | None = None) -> str:
        """Format a number with the locale's decimal sign and a true minus; – when missing."""
        if value is None:
            return "–"
        places = self.decimals if decimals is None else decimals
        text = f"{half_up(value, places):.{places}f}"
        # A true minus, as in the changes; a value that rounds to zero has no sign at all.
        text = text.lstrip("-") if float(text) == 0 else text.replace("-", "\u2212")
        return text.replace(".", ",") if self.decimal_comma else text

    def integer(self, value: int) -> str:
        """Write a count with the locale's grouping: 2,386 / 2 386 / 2.386."""
        if self.code == "en":
            return f"{value:,}"
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.code)

    def signed(self, value: float, decimals: int | None = None) -> str:
        """Format a change with its sign and a true minus: +0.4, −1.2."""
        text = self.num(abs(value), decimals)
        return ("+" if value >= 0 else "\u2212") + text

    def difference(self, old: float, new: float) -> str:
        """Write new - old as the printed values give it: '+0.4', or 'unchanged' for zero."""
        delta = self.shown_difference(old, new)
        return self._("unchanged") if delta == 0 else self.signed(delta)

    def shown_difference(self, old: float, new: float) -> float:
        """Return new - old as the printed values give it, so that printed sums add up."""
        return shown_difference(old, new, self.decimals)

    def span(self, pair: tuple[float, float] | None, decimals: int | None = None) -> str:
        """Write an interval as '2.9–3.5' (ranks: pass integers and decimals=0)."""
        if pair is None:
            return "–"
        return f"{self.num(pair[0], decimals)}–{self.num(pair[1], decimals)}"

    def percent(self, share: float | None) -> str:
        """Write a share as a whole percentage in the locale's form: '45%', '45 %'."""
        if share is None:
            return "–"
        if self.code == "en":
            return f"{share:.0%}"
        from babel.numbers import format_percent

        return format_percent(share, locale=self.code)

    @property
    def colon(self) -> str:
        """Return the colon between a label and its text: French sets a no-break space first."""
        return "\u00a0: " if self.code == "fr" else ": "

    @property
    def decimal_comma(self) -> bool:
        """Tell whether the locale writes 0,5 rather than 0.5."""
        return _decimal_symbol(self.code) == ","

    def date(self, value: dt.date) -> str:
        """Write a date in the locale's long form: '22 November 2026', '22. November 2026'."""
        if self.code == "en":
            return f"{value.day} {value:%B %Y}"
        if self.code == "sl":
            # After the day Slovenian takes the month in the genitive ("6. decembra 2026");
            # CLDR gives the nominative.
            return f"{value.day}. {SL_MONTHS[value.month - 1]} {value.year}"
        from babel.dates import format_date

        return format_date(value, "long", locale=self.code)


# Letters a language sorts as letters of their own, after their base letter.
_OWN_LETTERS = {"sl": "čšž", "hr": "čćđšž", "cs": "čřšž", "sk": "čšž", "pl": "ąćęłńóśźż",
                "sv": "åäö", "fi": "åäö", "da": "æøå", "nb": "æøå"}


def collation_key(text: str, code: str) -> tuple[str, str]:
    """Return a sort key that orders words as a dictionary of the language does.

    Accents do not count (é sorts with e), except for the letters a language treats as its
    own: Slovenian č, š, ž follow c, s, z. Not full Unicode collation, but right for titles.
    """
    import unicodedata

    own = _OWN_LETTERS.get(code.split("-")[0], "")
    out = []
    for ch in text.casefold():
        if ch in own:
            out.append(unicodedata.normalize("NFD", ch)[0] + "\U0010ffff")  # after the base
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch)
                               if not unicodedata.combining(c)))
    return "".join(out), text.casefold()


@cache
def _decimal_symbol(code: str) -> str:
    if code == "en":
        return "."
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(code)

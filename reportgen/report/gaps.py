"""Find every text a report language lacks: messages, catalogue, cases and commentary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.benchmark.cases import Cases
from reportgen.catalogue.schema import Catalogue
from reportgen.catalogue.translate import missing_texts
from reportgen.errors import InputError, Problem
from reportgen.report.commentary import missing_commentary
from reportgen.report.i18n import DOMAIN, LOCALE_DIR, translated, wanted
from reportgen.report.own_messages import own_messages, po_file
from reportgen.terminal import counted


@dataclass(frozen=True)
class Gap:
    """One missing text: the file it belongs in and its key there."""

    file: str
    key: str

    def problem(self, lang: str) -> Problem:
        """Say what is missing as an input problem."""
        return Problem(self.file, f"no {lang!r} text for {self.key}")


def message_gaps(lang: str, folders: Sequence[Path] = ()) -> list[Gap]:
    """List the report messages neither the language's .po file nor a template folder's
    messages.<lang>.po translates (the latter may bring a language the package lacks)."""
    if lang == "en":
        return []
    mine, _ = own_messages(tuple(str(f) for f in folders), lang)
    done = translated(lang) | mine
    shipped = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    file = str(shipped if shipped.is_file() or not folders else po_file(folders[0], lang))
    return [Gap(file, f"msgid {_short(m)!r}") for m in wanted() if m not in done]


def catalogue_gaps(cat: Catalogue, lang: str, path: Path | None) -> list[Gap]:
    """List the catalogue texts `lang` lacks, in the translation file they belong in."""
    name = (f"{path.parent / path.stem}.{lang}.yaml" if path is not None
            else f"<catalogue {cat.id}>.{lang}.yaml")
    return [Gap(name, key) for key in missing_texts(cat, lang)]


def case_gaps(cases: Cases | None, lang: str, path: Path | None) -> list[Gap]:
    """List the good-practice cases that have no text in `lang`."""
    if cases is None or path is None:
        return []
    name = cases.files.get(lang, str(path.parent / f"{path.stem}.{lang}{path.suffix}"))
    return [Gap(name, key) for key in cases.missing(lang)]


def commentary_gaps(folder: Path | None, region: str, keys: list[str], lang: str) -> list[Gap]:
    """List the analyst commentary files written for other languages but not for `lang`."""
    return [Gap(file, f"the commentary (found: {', '.join(found)})")
            for file, found in missing_commentary(folder, region, keys, lang)]


class MissingTexts(InputError):
    """A report language lacks texts; the build stops rather than mix in another language."""

    def __init__(self, gaps: list[Gap], lang: str):
        super().__init__([g.problem(lang) for g in gaps])
        self.gaps, self.lang = gaps, lang

    @property
    def lines(self) -> list[str]:
        """Return the hint first (the list can be long), then one line per missing text."""
        missing = counted(len(self.gaps), "text is", "texts are")
        hint = (f"{missing} missing in language {self.lang!r}: translate "
                "them (see 'reportgen translations check'), or build with --allow-fallback "
                "to show them in their own language, marked for screen readers")
        return [hint, *super().lines]


def _short(text: str, width: int = 70) -> str:
    """Shorten a long message id for a listing."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def template_gaps(folders: Sequence[Path], lang: str) -> list[Gap]:
    """List the messages of user templates (their own or edited texts) `lang` lacks."""
    from jinja2.ext import babel_extract

    if lang == "en":
        return []
    mine, _ = own_messages(tuple(str(f) for f in folders), lang)
    done, gaps = translated(lang) | mine, []
    # As the report's environment parses them, so that trimmed texts give the same ids.
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                with path.open("rb") as source:
                    found = list(babel_extract(source, ("_", "gettext", "ngettext"), [],
                                               options))
            except Exception:  # noqa: BLE001 - a broken template is reported when rendered
                continue
            for line, _func, message, _comments in found:
                first = message if isinstance(message, str) else (message or (None,))[0]
                if first and first not in done:
                    gaps.append(Gap(f"{path}, line {line}", f"msgid {_short(first)!r} (translate "
                                    f"it in {po_file(folder, lang)})"))
    return gaps


def report_gaps(lang: str, cat: Catalogue, cat_path: Path | None, cases: Cases | None,
                cases_path: Path | None, commentary: Path | None, region: str,
                templates: Sequence[Path] = ()) -> list[Gap]:
    """List everything a report in `lang` would have to show in another language."""
    keys = [d.id for d in cat.dimensions] + ["summary"]
    return (message_gaps(lang, templates) + catalogue_gaps(cat, lang, cat_path)
            + case_gaps(cases, lang, cases_path)
            + commentary_gaps(commentary, region, keys, lang)
            + template_gaps(templates, lang))

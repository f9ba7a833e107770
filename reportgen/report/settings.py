"""How a report looks and what it contains, beyond the data: title, branding, language, texts."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from reportgen.catalogue.schema import MAX_COUNT, MAX_RESAMPLES
from reportgen.errors import InputError, UsageError
from reportgen.options import default, spelled
from reportgen.report.i18n import N_
from reportgen.yamlio import format_path

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 25_000_000
LOGO_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/svg+xml": "SVG"}


def _looks_like(mime: str, data: bytes) -> bool:
    """Check the file's first bytes against its declared image type."""
    if mime == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    head = data[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    # An SVG file opens with its root element, possibly after an XML prolog or comments.
    return bool(re.match(r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
                         head, re.S))
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_KEYS = ("primary", "accent")
FONT = re.compile(r"^[A-Za-z0-9 _-]{1,60}$")


Found = list[tuple[tuple[Any, ...], str]]

# Chapter order and titles; `template` is looked up through the template search path.
CHAPTERS = [
    # Unnumbered, right after the cover: the results on one page for a reader in a hurry.
    ("glance", N_("At a glance"), "glance.html"),
    ("introduction", N_("Introduction"), "introduction.html"),
    ("context", N_("The context: interplay of S3 and clusters"), "context.html"),
    ("approach", N_("The approach"), "approach.html"),
    ("results", N_("Results for the key dimensions"), "results.html"),
    # Shown only when activity counts of the region are stored (reportgen knowledge import).
    ("knowledge", N_("Knowledge space and diversification"), "knowledge.html"),
    ("summary", N_("Summary"), "summary.html"),
    ("annex", N_("Annex"), "annex.html"),
]


def _colours(value: dict[str, str]) -> Found:
    found: Found = []
    for key, colour in value.items():
        if key not in COLOUR_KEYS:
            found.append(((key,), f"unknown colour; expected one of {', '.join(COLOUR_KEYS)}"))
        elif not COLOUR.match(colour):
            found.append(((key,), f"expected a colour as #rrggbb, got {colour!r}"))
    return found


def _font(value: str) -> Found:
    return [] if FONT.match(value) else [((), "expected a font family name (letters, digits, "
                                              f"spaces), got {value!r}")]


def _language(value: str) -> Found:
    from reportgen.report.i18n import known_locale, languages

    # A language the package lacks may come with a template folder (checked at the build).
    known = languages()
    return [] if value in known or known_locale(value) else [
        ((), f"language {value!r} is not available; choose one of {', '.join(known)}")]


def _chapters(value: list[str] | tuple[str, ...]) -> Found:
    known = [cid for cid, _, _ in CHAPTERS]
    return [((i,), f"unknown chapter {c!r}; expected one of {', '.join(known)}")
            for i, c in enumerate(value) if c not in known]


def _variant(value: str) -> Found:
    from reportgen.report.pdf import VARIANTS

    return [] if value in VARIANTS else [((), f"expected one of {', '.join(VARIANTS)}, got "
                                              f"{value!r}")]


def _between(low: int, high: int) -> Callable[[int], Found]:
    def check(value: int) -> Found:
        return [] if low <= value <= high else [((), f"expected a number from {low:,} to "
                                                     f"{high:,}, got {value}")]
    return check


# The catalogue's own bounds: a billion resamples ran for days, a huge minimum hid all.
_at_least_one = _between(1, MAX_COUNT)
_resamples = _between(0, MAX_RESAMPLES)
_seed = _between(0, 2**32 - 1)


def _folder(value: Path) -> Found:
    return [] if Path(value).is_dir() else [((), f"folder not found: {value}")]


def _folders(value: list[Path]) -> Found:
    return [((i,), f"folder not found: {v}") for i, v in enumerate(value) if not Path(v).is_dir()]


# Value checks shared by the config file (which reports them with file and line) and the
# command line; each returns (sub-path, message) pairs.
CHECKS: dict[str, Callable[[Any], Found]] = {
    "colours": _colours, "font": _font, "language": _language, "skip_chapters": _chapters,
    "pdf_variant": _variant, "min_respondents": _at_least_one, "region_texts": _folder,
    "templates": _folders, "resamples": _resamples, "seed": _seed,
    # A limit of 0 or less MB refused every export with a sentence about a negative size.
    "max_input_mb": _between(1, 1_000_000), "jobs": _between(1, 1_024),
}


def refuse_bad_values(values: dict[str, Any]) -> None:
    """Raise a UsageError naming the first option whose value is out of bounds."""
    found = check_values(values)
    if found:
        # From the command line or a config file: both spellings name the option.
        path, message = found[0]
        raise UsageError(f"{spelled(path[0], format_path(path))}: {message}")


def check_values(values: dict[str, Any]) -> Found:
    """Check option values; return (YAML-like path, message) for each problem."""
    return [((key, *sub), message) for key, check in CHECKS.items()
            if values.get(key) is not None for sub, message in check(values[key])]


@dataclass(frozen=True)
class ReportSettings:
    """Presentation settings of a report; the defaults give the standard StressTest-Report."""

    title: str | None = default("title")
    organisation: str | None = None
    logo: Path | None = None
    colours: dict[str, str] = field(default_factory=dict)
    font: str | None = None
    language: str = default("language")
    skip_chapters: tuple[str, ...] = ()
    region_texts: Path | None = None
    min_respondents: int | None = None
    pins: dict[str, dict[str, str]] = field(default_factory=dict)
    debug_templates: bool = False
    pdf_variant: str = default("pdf_variant")
    handout: bool = False  # also write the overview page as its own PDF
    allow_fallback: bool = False  # show texts a language lacks in their own (marked)
    targets: Path | None = None  # invitation list: response rates in the approach chapter
    resamples: int | None = None  # bootstrap resamples (0: none); None: the catalogue's rule
    seed: int | None = None  # seed of the resampling; None: the catalogue's rule

    def __post_init__(self) -> None:
        refuse_bad_values(vars(self))

    @classmethod
    def from_options(cls, values: dict[str, Any]) -> ReportSettings:
        """Build settings from option values (CLI and config merged)."""
        names = {f for f in cls.__dataclass_fields__}
        picked = {k: v for k, v in values.items() if k in names and v is not None}
        if "skip_chapters" in picked:
            picked["skip_chapters"] = tuple(picked["skip_chapters"])
        for key in ("logo", "region_texts", "targets"):
            if key in picked:
                picked[key] = Path(picked[key])
        return cls(**picked)

    def logo_uri(self) -> str | None:
        """Return the logo as a data URI (so no file is fetched while rendering)."""
        if self.logo is None:
            return None
        name = str(self.logo)
        if not self.logo.is_file():
            raise InputError.single(name, "logo file not found")
        if self.logo.stat().st_size > MAX_LOGO_BYTES:
            raise InputError.single(name, f"logo is larger than {MAX_LOGO_BYTES:,} bytes")
        mime = mimetypes.guess_type(self.logo.name)[0]
        if mime not in LOGO_TYPES:
            raise InputError.single(name, "logo must be a PNG, JPEG or SVG file")
        data = self.logo.read_bytes()
        if not _looks_like(mime, data):
            raise InputError.single(name, f"logo is not a {LOGO_TYPES[mime]} image (its "
                                    "content does not match its name)")
        if mime != "image/svg+xml" and (problem := _raster_problem(data)):
            raise InputError.single(name, problem)
        return f"data:{mime};base64," + base64.b64encode(data).decode()

    def css(self) -> Markup:
        """Return CSS custom properties for the configured colours and font.

        Safe to place unescaped in <style>: both were checked against strict patterns.
        """
        rules = [f"--{key}: {value};" for key, value in self.colours.items()]
        if self.font:
            rules.append(f'--font: "{self.font}";')
        return Markup(":root { " + " ".join(rules) + " }" if rules else "")  # noqa: S704


def _raster_problem(data: bytes) -> str | None:
    """Say why the renderer would drop a PNG or JPEG logo: too many pixels, or damaged.

    A 20,000 x 20,000 pixel PNG fits in 2 MB, yet the renderer refuses to decode it and the
    cover showed the word "Logo" without a warning.
    """
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                image.verify()
    except Image.DecompressionBombError:
        return f"logo has more than {MAX_LOGO_PIXELS:,} pixels"
    except Exception as exc:  # noqa: BLE001 - any decoding failure means a damaged file
        return f"logo image cannot be read ({type(exc).__name__}: {exc})"
    if width * height > MAX_LOGO_PIXELS:
        return (f"logo is {width:,} x {height:,} pixels; at most {MAX_LOGO_PIXELS:,} pixels "
                "(a cover logo needs about 1,000 pixels across)")
    return None

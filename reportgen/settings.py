"""How a report looks and what it contains, beyond the data: title, branding, language, texts."""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from reportgen.errors import InputError, UsageError

MAX_LOGO_BYTES = 2_000_000
LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_KEYS = ("primary", "accent")
FONT = re.compile(r"^[A-Za-z0-9 _-]{1,60}$")


@dataclass(frozen=True)
class ReportSettings:
    """Presentation settings of a report; the defaults give the standard StressTest-Report."""

    title: str = "StressTest-Report"
    organisation: str | None = None
    logo: Path | None = None
    colours: dict[str, str] = field(default_factory=dict)
    font: str | None = None
    language: str = "en"
    skip_chapters: tuple[str, ...] = ()
    region_texts: Path | None = None
    min_respondents: int | None = None
    pins: dict[str, dict[str, str]] = field(default_factory=dict)
    debug_templates: bool = False
    pdf_variant: str = "pdf/ua-1"

    def __post_init__(self) -> None:
        for key, value in self.colours.items():
            if key not in COLOUR_KEYS:
                raise UsageError(f"colours.{key}: unknown colour; expected one of "
                                 f"{', '.join(COLOUR_KEYS)}")
            if not COLOUR.match(value):
                raise UsageError(f"colours.{key}: expected a colour as #rrggbb, got {value!r}")
        if self.font is not None and not FONT.match(self.font):
            raise UsageError(f"font: expected a font family name (letters, digits, spaces), "
                             f"got {self.font!r}")
        from reportgen.pdf import VARIANTS

        if self.pdf_variant not in VARIANTS:
            raise UsageError(f"pdf_variant: expected one of {', '.join(VARIANTS)}, got "
                             f"{self.pdf_variant!r}")
        if self.min_respondents is not None and self.min_respondents < 1:
            raise UsageError(f"min_respondents: expected a number >= 1, got "
                             f"{self.min_respondents}")

    @classmethod
    def from_options(cls, values: dict[str, Any]) -> ReportSettings:
        """Build settings from option values (CLI and config merged)."""
        names = {f for f in cls.__dataclass_fields__}
        picked = {k: v for k, v in values.items() if k in names and v is not None}
        if "skip_chapters" in picked:
            picked["skip_chapters"] = tuple(picked["skip_chapters"])
        for key in ("logo", "region_texts"):
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
        return f"data:{mime};base64," + base64.b64encode(self.logo.read_bytes()).decode()

    def css(self) -> Markup:
        """Return CSS custom properties for the configured colours and font.

        Safe to place unescaped in <style>: both were checked against strict patterns.
        """
        rules = [f"--{key}: {value};" for key, value in self.colours.items()]
        if self.font:
            rules.append(f'--font: "{self.font}";')
        return Markup(":root { " + " ".join(rules) + " }" if rules else "")  # noqa: S704

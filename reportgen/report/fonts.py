"""Tell whether a font family the user named is installed where the PDF renderer finds it."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache


@cache
def installed_families() -> frozenset[str] | None:
    """Return the font families fontconfig knows (lower case), or None if it cannot be asked.

    WeasyPrint finds fonts through Pango and fontconfig; a family it does not find silently
    becomes the default, so the report looked unbranded without a word.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, "--format", "%{family}\\n"], capture_output=True,
                                text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    # One line per font file; a family may carry localised names, comma-separated.
    return frozenset(name.strip().casefold() for line in listed.splitlines()
                     for name in line.split(",") if name.strip())


def missing_font(family: str | None) -> bool:
    """Tell whether `family` is known not to be installed (unknown counts as present)."""
    families = installed_families()
    return family is not None and families is not None and family.casefold() not in families

"""Embed the images a template names by file, so the HTML and the PDF carry them along."""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from reportgen.errors import InputError

MAX_IMAGE_BYTES = 2_000_000
MAX_EMBEDDED_BYTES = 20_000_000  # all images of one document: a loop over one image adds up
# src="…" of an <img>; autoescaping and our templates write attributes in double quotes.
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")', re.I)


def find_asset(name: str, folders: list[Path]) -> Path | None:
    """Return the file a relative name points to in the first folder that has it (inside it)."""
    parts = urlsplit(name)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    for folder in folders:
        root = Path(folder).resolve()
        path = (root / unquote(parts.path)).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


def embed_images(html: str, folders: list[Path]) -> str:
    """Replace each relative image source found in `folders` by a data URI.

    A user's template writes <img src="logo.png"> beside itself; the renderer resolves names
    against the packaged templates, and a --html file copied elsewhere would lose it.
    """
    total = 0

    def embedded(m: re.Match[str]) -> str:
        nonlocal total
        path = find_asset(m.group(2), folders)
        mime = mimetypes.guess_type(path.name)[0] if path else None
        if path is None or not (mime or "").startswith("image/"):
            return m.group(0)
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise InputError.single(str(path), f"image is larger than {MAX_IMAGE_BYTES:,} bytes")
        total += size
        if total > MAX_EMBEDDED_BYTES:
            raise InputError.single(str(path), f"the templates' images add up to more than "
                                    f"{MAX_EMBEDDED_BYTES:,} bytes")
        data = base64.b64encode(path.read_bytes()).decode()
        return f"{m.group(1)}{escape(f'data:{mime};base64,{data}')}{m.group(3)}"

    return _IMG_SRC.sub(embedded, html)

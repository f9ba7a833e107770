"""Analyst commentary per region and dimension, written in Markdown and rendered safely."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from reportgen.errors import InputError

MAX_COMMENTARY_BYTES = 200_000


def markdown_to_html(text: str) -> Markup:
    """Render Markdown without raw HTML (it shows as text) and without images."""
    from markdown_it import MarkdownIt

    # html=False escapes any tag in the source; images are off so that no file or URL is
    # ever fetched from commentary; markdown-it refuses javascript:, file: and data: links.
    md = MarkdownIt("commonmark", {"html": False}).disable(["image", "html_inline",
                                                            "html_block"])
    return Markup(md.render(text))  # noqa: S704 - markdown-it escaped the source


def load_commentary(folder: Path | None, region: str, keys: list[str]) -> dict[str, Markup]:
    """Read `<folder>/<region>/<key>.md` for each key that has a file."""
    if folder is None:
        return {}
    base = Path(folder) / region
    out: dict[str, Markup] = {}
    for key in keys:
        path = base / f"{key}.md"
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if len(raw) > MAX_COMMENTARY_BYTES:
            raise InputError.single(str(path), f"commentary is larger than "
                                    f"{MAX_COMMENTARY_BYTES:,} bytes")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.single(str(path), f"not UTF-8 text (byte {exc.start})") from None
        out[key] = markdown_to_html(text)
    return out

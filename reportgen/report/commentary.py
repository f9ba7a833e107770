"""Analyst commentary per region and dimension, written in Markdown and rendered safely."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from reportgen.errors import InputError, Problem
from reportgen.safenames import safe_name

MAX_COMMENTARY_BYTES = 200_000
LINK_SCHEMES = ("http", "https", "mailto")


def markdown_to_html(text: str) -> Markup:
    """Render Markdown without raw HTML (it shows as text) and without images."""
    from markdown_it import MarkdownIt

    # html=False escapes any tag in the source; images are off so that no file or URL is
    # ever fetched from commentary. Links may only leave the PDF for the web or e-mail: a
    # relative or file: link would point into the machine that built it.
    md = MarkdownIt("commonmark", {"html": False}).disable(["image", "html_inline",
                                                            "html_block"])
    md.validateLink = _web_link  # type: ignore[method-assign]
    return Markup(md.render(text))  # noqa: S704 - markdown-it escaped the source


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def headings_from(html: Markup | str, top: int) -> Markup:
    """Move the commentary's Markdown headings down so that `#` becomes <h`top`>.

    A "# Heading" in commentary otherwise became an <h1> inside section 4.5: a chapter of
    its own in the PDF outline and a heading order a tagged PDF may not have.
    """
    def moved(m: re.Match[str]) -> str:
        return f"<{m.group(1)}h{min(6, int(m.group(2)) + top - 1)}>"

    return Markup(_HEADING_TAG.sub(moved, str(html)))  # noqa: S704 - tags of escaped HTML


def _web_link(url: str) -> bool:
    """Allow http, https and mailto links only."""
    return urlsplit(url.strip()).scheme.lower() in LINK_SCHEMES


def load_commentary(folder: Path | None, region: str, keys: list[str],
                    lang: str | None = None) -> dict[str, Markup]:
    """Read `<folder>/<region>/<key>.<lang>.md`, else `<key>.md`, for each key with a file."""
    if folder is None:
        return {}
    root = Path(folder).resolve()
    # The region code comes from an export: as a safe name it cannot climb out of `folder`,
    # and a symlink inside the folder may not lead out of it either.
    base = root / safe_name(region)
    if problems := _strays(root, base, keys):
        raise InputError(problems)
    out: dict[str, Markup] = {}
    for key in keys:
        path = base / f"{safe_name(key)}.{lang}.md"
        if lang is None or not path.is_file():
            path = base / f"{safe_name(key)}.md"
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(root):
            raise InputError.single(str(path), f"commentary links outside {folder}; "
                                    "refused")
        raw = path.read_bytes()
        if len(raw) > MAX_COMMENTARY_BYTES:
            raise InputError.single(str(path), f"commentary is larger than "
                                    f"{MAX_COMMENTARY_BYTES:,} bytes")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.single(str(path), f"not UTF-8 text (byte {exc.start})") from None
        html = markdown_to_html(text)
        if (depth := _depth(html)) > MAX_NESTING:
            # WeasyPrint lays nested boxes out recursively; hundreds of levels exhaust it.
            raise InputError.single(str(path), f"the Markdown nests {depth} levels deep "
                                    f"(emphasis, lists, quotes); at most {MAX_NESTING}")
        out[key] = html
    return out


MAX_NESTING = 40


def _strays(root: Path, base: Path, keys: list[str]) -> list[Problem]:
    """List commentary the build would skip: misnamed files, a folder spelled in other case.

    A file named after no dimension ("monitorng.md") was left out of the report without a
    word; the analyst who wrote it expects to see it.
    """
    if not base.is_dir():
        near = [p for p in root.iterdir() if p.is_dir() and p.name.casefold() ==
                base.name.casefold()] if root.is_dir() else []
        return [Problem(str(p), f"the folder of region {base.name} must be spelled "
                        f"{base.name!r}") for p in near]
    names = {safe_name(k): k for k in keys}
    problems = []
    for path in sorted(base.glob("*.md")):
        key = path.name.split(".")[0]
        if key not in names:
            close = difflib.get_close_matches(key, list(names), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(str(path), f"no dimension or chapter {key!r}; {hint}"
                                    f"commentary files are named {', '.join(names)} "
                                    "(.md or .LANG.md)"))
    return problems


def _depth(html: str) -> int:
    """Return how deeply the elements of `html` nest (markdown-it closes every tag)."""
    depth = deepest = 0
    for tag in re.finditer(r"<(/?)(\w+)[^>]*?(/?)>", html):
        if tag.group(1):
            depth -= 1
        elif not tag.group(3) and tag.group(2) not in ("br", "hr", "img"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def missing_commentary(folder: Path | None, region: str, keys: list[str],
                       lang: str) -> list[tuple[str, list[str]]]:
    """List commentary files written for other languages that `lang` has no version of.

    A plain `<key>.md` serves every language; `<key>.<lang>.md` files say the analyst writes
    that key per language, so a missing one is a gap. Each gap comes with the files found.
    """
    if folder is None:
        return []
    base = Path(folder).resolve() / safe_name(region)
    gaps = []
    for key in keys:
        name = safe_name(key)
        if (base / f"{name}.md").is_file() or (base / f"{name}.{lang}.md").is_file():
            continue
        if found := sorted(p.name for p in base.glob(f"{name}.*.md")):
            gaps.append((str(base / f"{name}.{lang}.md"), found))
    return gaps

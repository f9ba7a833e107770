"""Write HTML to PDF with WeasyPrint, letting it read nothing but allowed local files."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from reportgen.resources import templates_dir


def make_fetcher(allowed: list[Path]) -> Any:
    """Return a URL fetcher that serves data: URIs and files below `allowed` only."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [p.resolve() for p in allowed]

    class LocalOnlyFetcher(URLFetcher):
        """No network, no redirects, no file outside the allowed folders."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            raise ValueError(f"reportgen does not load {url[:80]!r}: only packaged assets")

    return LocalOnlyFetcher(allow_redirects=False, allowed_protocols=("data", "file"))


def write_pdf(html: str, target: Path, user_dirs: list[Path] | None = None) -> None:
    """Render `html` to the PDF file `target`."""
    import weasyprint

    assets = [templates_dir(), *(user_dirs or [])]
    document = weasyprint.HTML(string=html, base_url=str(templates_dir()) + "/",
                               url_fetcher=make_fetcher(assets))
    document.write_pdf(target, uncompressed_pdf=False)

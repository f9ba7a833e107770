"""Write HTML to PDF with WeasyPrint: tagged, evidence attached, no outside file read."""

from __future__ import annotations

import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.clock import now
from reportgen.errors import ReportgenError
from reportgen.report.embed import find_asset
from reportgen.report.finish import (
    describe_links,
    figure_boxes,
    link_texts,
    mark_margin_artifacts,
    scope_headers,
)
from reportgen.report.limits import LimitExceeded, bounded
from reportgen.report.seams import join_seams, traced
from reportgen.report.typography import joined
from reportgen.resources import templates_dir

# PDF/UA-1 (tagged, accessible) by default; PDF/A-3 keeps the attachments archivable.
VARIANTS = ("pdf/ua-1", "pdf/a-3u", "pdf/a-3a", "plain")


@dataclass(frozen=True)
class Attached:
    """A file embedded in the PDF."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"  # PDF/A-3 AFRelationship: how the file relates to the report


def make_fetcher(allowed: list[Path]) -> Any:
    """Return a URL fetcher that serves data: URIs and files below `allowed` only."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [p.resolve() for p in allowed]
    base = templates_dir().resolve()

    class LocalOnlyFetcher(URLFetcher):
        """No network, no redirects, no file outside the allowed folders."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(base) and not path.is_file():
                    # A relative name in a user's template or style sheet resolves against
                    # the packaged templates (the base URL): look in the user's folders.
                    path = find_asset(str(path.relative_to(base)), roots) or path
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            raise ValueError(f"reportgen does not load {url[:80]!r}: only packaged assets")

    return LocalOnlyFetcher(allow_redirects=False, allowed_protocols=("data", "file"))


PDF_SECONDS = 300.0
PDF_MEMORY = 6 * 1024**3


# A one-page part (the overview, alone in the handout or in the report) set smaller step by
# step until it fits: a longer language or a catalogue with more dimensions must not spill
# one line onto a second page.
FIT_SIZES_PT = (8.3, 7.8, 7.3, 6.8)


def _fits(rendered: Any, one_page: bool) -> bool:
    """Tell whether the document (`one_page`), else its `.fit-page` part, fills one page.

    The part is found by its markers, empty elements with the ids fit-page-start and
    fit-page-end; without them there is nothing to fit.
    """
    if one_page:
        return len(rendered.pages) <= 1
    where = {name: k for k, page in enumerate(rendered.pages) for name in page.anchors
             if name in ("fit-page-start", "fit-page-end")}
    return len(where) < 2 or where["fit-page-end"] == where["fit-page-start"]


def write_pdf(html: str, target: Path, user_dirs: list[Path] | None = None, *,
              variant: str = VARIANTS[0], attachments: list[Attached] | None = None,
              one_page: bool = False) -> None:
    """Render `html` to the PDF file `target`, tagged and with `attachments` embedded.

    The text of `.fit-page` is set smaller until it fits its page (with `one_page`, until
    the whole document fits one) or the smallest size is reached.
    """
    # Templates decide how much there is to lay out; a runaway one must not take the machine
    # (300,000 paragraphs took 4 GB and minutes). The demo needs seconds and a few hundred MB.
    try:
        with bounded(seconds=PDF_SECONDS, memory=PDF_MEMORY):
            _write(html, target, user_dirs or [], variant, attachments or [], one_page)
    except LimitExceeded as exc:
        raise ReportgenError(f"laying out the PDF {exc}: does a template repeat content "
                             "without end?") from None
    except RecursionError:
        raise ReportgenError("the document nests too deeply to lay out: does a template open "
                             "elements without closing them?") from None


def _write(html: str, target: Path, user_dirs: list[Path], variant: str,
           attachments: list[Attached], one_page: bool) -> None:
    import weasyprint

    fetcher = make_fetcher([*user_dirs, templates_dir()])  # a user's file comes first
    document = weasyprint.HTML(string=joined(html), base_url=str(templates_dir()) + "/",
                               url_fetcher=fetcher)
    # The build time, not the wall clock, so that SOURCE_DATE_EPOCH gives identical bytes.
    stamp = now()
    files = [weasyprint.Attachment(file_obj=io.BytesIO(a.data), name=a.name,
                                   description=a.description, relationship=a.relationship,
                                   url_fetcher=fetcher, created=stamp, modified=stamp)
             for a in attachments]
    options: dict[str, Any] = {"attachments": files, "pdf_tags": True}
    if variant != "plain":
        options["pdf_variant"] = variant
    rendered = document.render(**options)
    for size in FIT_SIZES_PT:
        if _fits(rendered, one_page):
            break
        smaller = weasyprint.CSS(string=f".fit-page {{ font-size: {size}pt !important; }}")
        rendered = document.render(stylesheets=[smaller], **options)
    # Bookmarks are never wrapped: the no-break spaces that keep "S3" on its line in a
    # heading would only make the outline's text differ from what a reader types.
    for page in rendered.pages:
        page.bookmarks = [(level, label.replace("\u00a0", " "), *rest)
                          for level, label, *rest in page.bookmarks]
    links = describe_links(link_texts(html))
    # The tags are built inside write_pdf: the trace covers that call and no more.
    with traced() as sources:

        def finish(doc: Any, pdf: Any) -> None:
            mark_margin_artifacts(doc, pdf)
            join_seams(pdf, sources)
            scope_headers(pdf)
            figure_boxes(pdf)
            links(doc, pdf)

        rendered.write_pdf(target, finisher=finish, **options)

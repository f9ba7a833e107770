"""Finish the tagged PDF: margins become artifacts, links say where they lead.

WeasyPrint tags the text of page-margin boxes like body text, then leaves its structure
elements out of the tree (PDF 1.7 has no artifact elements). A screen reader then finds
content that belongs to no element, which PDF/UA-1 forbids (7.1, 7.8): running headers
and footers must be artifacts. This finisher, run on WeasyPrint's in-memory PDF just
before it is written, turns exactly that marked content into /Artifact /Pagination and
drops the dangling elements. If the PDF does not look as expected it changes nothing.

WeasyPrint also gives every link annotation its target's anchor ("dim-portfolio") as the
text a screen reader announces; `describe_links` replaces it with the target's heading.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)

_PAGINATION = {"Type": "/Pagination"}


def number_of(reference: Any) -> int | None:
    """Return the object number of a pydyf reference (b'12 0 R'), else None."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def _reachable(pdf: Any, root: Any) -> set[int]:
    """Collect the numbers of every structure element reachable from `root`."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        kids = todo.pop().get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            number = number_of(kid)
            if number is not None and number not in seen:
                seen.add(number)
                todo.append(pdf.objects[number])
    return seen


def retag(stream: Any, mcids: set[int]) -> set[int]:
    """Turn the marked content with these MCIDs into artifacts; return those found."""
    found: set[int] = set()
    ops = stream.stream
    for k in range(2, len(ops)):
        props = ops[k - 1]
        if ops[k] == b"BDC" and isinstance(props, dict) and props.get("MCID") in mcids:
            found.add(props["MCID"])
            ops[k - 2] = "/Artifact"
            ops[k - 1] = type(props)(_PAGINATION)
    return found


def mark_margin_artifacts(document: Any, pdf: Any) -> None:
    """Finish a tagged PDF: margin-box text becomes pagination artifacts (see module)."""
    del document  # the finisher signature; only the PDF is needed
    tree_ref = number_of(pdf.catalog.get("StructTreeRoot"))
    if tree_ref is None:
        return  # an untagged variant: nothing to mend
    tree = pdf.objects[tree_ref]
    parent_tree = pdf.objects[number_of(tree["ParentTree"]) or 0]
    reachable = _reachable(pdf, tree)
    nums = parent_tree.get("Nums", [])
    pages = pdf.page_references
    for i in range(0, len(nums) - 1, 2):
        page_index, entries = nums[i], nums[i + 1]
        if not isinstance(entries, list) or not isinstance(page_index, int):
            continue  # an annotation's entry, not a page's MCID array
        orphans = {m: n for m, ref in enumerate(entries)
                   if (n := number_of(ref)) is not None and n not in reachable}
        if not orphans or page_index >= len(pages):
            continue
        page = pdf.objects[number_of(pages[page_index]) or 0]
        stream = pdf.objects[number_of(page.get("Contents")) or 0]
        if not hasattr(stream, "stream"):
            continue
        for mcid in retag(stream, set(orphans)):
            entries[mcid] = "null"
            # The dangling element and its dangling parents, now unused, are emptied.
            number: int | None = orphans[mcid]
            while number is not None and number not in reachable and pdf.objects[number]:
                element = pdf.objects[number]
                number = number_of(element.get("P"))
                element.clear()


def scope_headers(pdf: Any) -> None:
    """Give every table header cell a /Scope: Column in a head row, Row in the body.

    WeasyPrint writes TH cells with the Table attribute owner but without the scope a
    screen reader (and PDF/UA's Matterhorn check 15-003) needs to tie data cells to them.
    Our tables head their columns in <thead> and their rows in the body's first cell.
    """
    import pydyf

    tree_ref = number_of(pdf.catalog.get("StructTreeRoot"))
    if tree_ref is None:
        return
    todo: list[tuple[Any, str | None]] = [(pdf.objects[tree_ref], None)]
    while todo:
        node, parent = todo.pop()
        kids = node.get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            number = number_of(kid)
            if number is None or not isinstance(pdf.objects[number], dict):
                continue
            element = pdf.objects[number]
            if element.get("S") == "/TH":
                scope = "/Column" if parent == "/THead" else "/Row"
                owned = element.get("A")
                if isinstance(owned, dict) and owned.get("O") == "/Table":
                    owned["Scope"] = scope
                elif owned is None:
                    element["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})
            todo.append((element, node.get("S")))


def figure_boxes(pdf: Any) -> None:
    """Give each figure's /BBox in PDF points from the page's bottom (Layout attribute).

    WeasyPrint writes it in CSS pixels measured from the top, so a figure near the bottom
    of an A4 page had a box below the page: read-aloud highlighting and reflow tools use it.
    """
    import pydyf

    for obj in pdf.objects:
        if not (isinstance(obj, dict) and obj.get("S") == "/Figure"):
            continue
        layout, page = obj.get("A"), pdf.objects[number_of(obj.get("Pg")) or 0]
        if not isinstance(layout, dict) or not isinstance(page, dict):
            continue
        box, media = layout.get("BBox"), page.get("MediaBox")
        if not (isinstance(box, list) and len(box) == 4 and isinstance(media, list)):
            continue
        height = float(media[3])
        x1, y1, x2, y2 = (float(v) * 0.75 for v in box)  # 1 CSS px = 0.75 pt
        layout["BBox"] = pydyf.Array([round(x1, 2), round(height - y2, 2), round(x2, 2),
                                      round(height - y1, 2)])


def link_texts(markup: str) -> dict[str, str]:
    """Name each anchor of the HTML by its heading: its own, or the first one inside it."""
    names = {}
    for match in re.finditer(r'<(\w+)[^>]*\sid="([^"]+)"', markup):
        heading = _HEADING.search(markup, match.start(), match.start() + 4000)
        if heading:
            text = html.unescape(_TAG.sub("", heading.group(1)))
            names[match.group(2)] = " ".join(text.split())[:120]
    return names


def describe_links(names: dict[str, str]) -> Callable[[Any, Any], None]:
    """Return a finisher that sets each internal link's /Contents to its target's name."""
    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        del document
        for obj in pdf.objects:
            if isinstance(obj, dict) and obj.get("Subtype") == "/Link":
                target = getattr(obj.get("Dest"), "string", None)
                if target in names:
                    obj["Contents"] = pydyf.String(names[target])
    return finish

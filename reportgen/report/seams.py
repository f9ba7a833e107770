"""Join the structure elements WeasyPrint cuts at page breaks, as the HTML has them.

WeasyPrint tags each page on its own: a paragraph, section or table that crosses a page
break becomes two elements, and a table repeats its header rows on the next page as a second
THead. A screen reader then meets two tables with two headers where the reader sees one
(Matterhorn 01-006, 09-001). While the tags are built, `traced` records which HTML element
each structure element came from; `join_seams` then merges neighbours cut from the same
element and turns repeated header rows into pagination artifacts. Anything it does not
recognise is left as WeasyPrint wrote it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportgen.report.finish import number_of, retag

Sources = dict[int, Any]  # structure element's object number -> its HTML element
_REPEATED = ("/THead", "/TFoot")


@contextmanager
def traced() -> Iterator[Sources]:
    """Record the HTML element of every structure element WeasyPrint makes meanwhile."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    sources: Sources = {}

    def tracing(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)
        for made in original(box, *args):
            # Innermost first: html and body pass their children's elements up unchanged.
            sources.setdefault(made.number, element)
            yield made

    tags._build_box_tree = tracing
    try:
        yield sources
    finally:
        tags._build_box_tree = original


class _Joiner:
    """Merge cut elements of one PDF, keeping the parent tree pointing at the survivors."""

    def __init__(self, pdf: Any, sources: Sources):
        import pydyf

        self.pdf, self.sources, self.pydyf = pdf, sources, pydyf
        tree = pdf.objects[number_of(pdf.catalog["StructTreeRoot"]) or 0]
        self.tree = tree
        nums = pdf.objects[number_of(tree["ParentTree"]) or 0].get("Nums", [])
        # Where each element is named in the parent tree: (list, index) positions.
        self.named: dict[int, list[tuple[list[Any], int]]] = {}
        self.pages: dict[int, Any] = {}
        for i in range(0, len(nums) - 1, 2):
            entries = nums[i + 1]
            if isinstance(entries, list):
                self.pages[nums[i]] = entries
                for k, ref in enumerate(entries):
                    if (n := number_of(ref)) is not None:
                        self.named.setdefault(n, []).append((entries, k))
            elif (n := number_of(entries)) is not None:
                self.named.setdefault(n, []).append((nums, i + 1))

    def element(self, ref: Any) -> dict[str, Any] | None:
        """Return the structure element a reference points to, else None."""
        n = number_of(ref)
        obj = self.pdf.objects[n] if n is not None else None
        return obj if isinstance(obj, dict) and obj.get("Type") == "/StructElem" else None

    def same(self, a: Any, b: Any) -> bool:
        """Tell whether two references are pieces of one HTML element, cut by a page."""
        ea, eb = self.element(a), self.element(b)
        source = self.sources.get(number_of(a) or -1)
        return (ea is not None and eb is not None and source is not None
                and source is self.sources.get(number_of(b) or -1)
                and ea.get("S") == eb.get("S") and ea.get("Pg") != eb.get("Pg"))

    def absorb(self, into: Any, piece: Any) -> None:
        """Move the content of `piece` into `into`; the parent tree follows."""
        a, b = self.element(into), self.element(piece)
        assert a is not None and b is not None
        for kid in b.get("K", []):
            if isinstance(kid, int):  # an MCID of the piece's own page
                kid = self.pydyf.Dictionary({"Type": "/MCR", "Pg": b["Pg"], "MCID": kid})
            elif (child := self.element(kid)) is not None:
                child["P"] = into
            a["K"].append(kid)
        for where, k in self.named.pop(number_of(piece) or -1, []):
            where[k] = into
            self.named.setdefault(number_of(into) or -1, []).append((where, k))
        b.clear()

    def artifact(self, ref: Any) -> None:
        """Turn a repeated header row group and everything in it into pagination artifacts."""
        todo = [ref]
        while todo:
            element = self.element(todo.pop())
            if element is None:
                continue
            page = number_of(element.get("Pg"))
            mcids = {k for k in element.get("K", []) if isinstance(k, int)}
            todo += [k for k in element.get("K", []) if not isinstance(k, int)]
            index = next((i for i, p in enumerate(self.pdf.page_references)
                          if number_of(p) == page), None)
            if mcids and index is not None:
                stream = self.pdf.objects[number_of(self.pdf.objects[page or 0]
                                                    .get("Contents")) or 0]
                for mcid in retag(stream, mcids) if hasattr(stream, "stream") else ():
                    self.pages[index][mcid] = "null"
            element.clear()

    def join(self, parent: dict[str, Any]) -> None:
        """Merge the cut pieces among the children of `parent`, then within each child."""
        kept: list[Any] = []
        seen: set[int] = set()
        for kid in parent.get("K", []):
            if kept and not isinstance(kid, int) and self.same(kept[-1], kid):
                self.absorb(kept[-1], kid)
                continue
            element = self.element(kid)
            source = id(self.sources.get(number_of(kid) or -1))
            if element is not None and element.get("S") in _REPEATED and source in seen:
                self.artifact(kid)  # the header rows repeated on a continuation page
                continue
            if element is not None and self.sources.get(number_of(kid) or -1) is not None:
                seen.add(source)
            kept.append(kid)
        if "K" in parent:
            parent["K"] = self.pydyf.Array(kept)
        for kid in kept:
            if (child := self.element(kid)) is not None:
                self.join(child)


def join_seams(pdf: Any, sources: Sources) -> None:
    """Merge the structure elements cut at page breaks (see the module); no tags, no change."""
    if not sources or number_of(pdf.catalog.get("StructTreeRoot")) is None:
        return
    joiner = _Joiner(pdf, sources)
    for ref in joiner.tree.get("K", []):
        if (document := joiner.element(ref)) is not None:
            joiner.join(document)
    _number_lists(pdf, sources)


def _number_lists(pdf: Any, sources: Sources) -> None:
    """Say which lists are numbered: an <ol> is read as "1, 2, 3", not as bullets."""
    import pydyf

    for number, element in sources.items():
        obj = pdf.objects[number]
        tag = str(getattr(element, "tag", "")).rsplit("}", 1)[-1]
        if isinstance(obj, dict) and obj.get("S") == "/L" and tag == "ol" and "A" not in obj:
            obj["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": "/Decimal"})

"""Write the editable slide deck of the Policy Learning Workshop (PPTX, 16:9)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen.report.glance import widest_gaps
from reportgen.report.i18n import Lang
from reportgen.report.views import DimensionView, Item, Report
from reportgen.terminal import printable

Png = Callable[[str], bytes | None]  # the PNG of a chart, by its SVG


def _text(value: str) -> str:
    # Slide XML cannot hold control characters; show them as the terminal does.
    return printable(value)


class Deck:
    """A 16:9 presentation with a title-and-content layout and our few slide shapes."""

    def __init__(self) -> None:
        from pptx import Presentation
        from pptx.util import Emu, Inches

        self.prs = Presentation()
        # 16:9 exactly, in EMU (914,400 per inch): 13 1/3 by 7 1/2 inches
        self.prs.slide_width, self.prs.slide_height = Emu(12192000), Emu(6858000)
        self.inches = Inches

    def slide(self, title: str, notes: str = "") -> Any:
        """Add a slide with a title (and speaker notes); return it."""
        s = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only
        s.shapes.title.text = _text(title)
        s.shapes.title.width = self.inches(12.3)
        s.shapes.title.left = self.inches(0.5)
        if notes:
            s.notes_slide.notes_text_frame.text = _text(notes)
        return s

    def bullets(self, s: Any, lines: list[str], left: float, width: float,
                size: int = 18) -> None:
        """Put a list of lines into a text box."""
        from pptx.util import Pt

        box = s.shapes.add_textbox(self.inches(left), self.inches(1.6), self.inches(width),
                                   self.inches(5.4))
        frame = box.text_frame
        frame.word_wrap = True
        for k, line in enumerate(lines):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            para.text = _text(line)
            para.font.size = Pt(size)
            para.space_after = Pt(6)

    def picture(self, s: Any, png: bytes | None, alt: str, left: float, width: float) -> None:
        """Place a chart with its text alternative (read out by screen readers)."""
        import io

        if png is None:
            return
        pic = s.shapes.add_picture(io.BytesIO(png), self.inches(left), self.inches(1.6),
                                   width=self.inches(width))
        if pic.top + pic.height > self.prs.slide_height:  # a tall chart: fit the height
            scale = (self.prs.slide_height - pic.top - self.inches(0.2)) / pic.height
            pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        pic._element.nvPicPr.cNvPr.set("descr", _text(alt))

    def save(self, path: Path) -> None:
        self.prs.save(str(path))


def _facts(t: Lang, item: Item, top: str) -> list[str]:
    p, c = item.position, item.change
    lines = [t._("Composite {value} of {top}").format(value=t.num(item.value), top=top)]
    if p.rank:
        lines.append(t._("Rank {rank} of {of}, {band}").format(rank=p.rank, of=p.of,
                                                              band=t._(p.band) if p.band else "–"))
    if c:
        lines.append(t._("Since {wave}: {change} (margin ±{margin})").format(
            wave=c.previous_label, change=t.difference(c.previous, c.value),
            margin=t.num(c.margin)))
    lines.append(t._("n = {n} respondents").format(n=item.n))
    return lines


def _notes(t: Lang, dim: DimensionView) -> str:
    lines = []
    for item in [dim.composite, *dim.indicators]:
        p = item.position
        median = t.num(p.stats.median) if p.stats else "–"
        lines.append(t._("{name}: {value} (n = {n}), median {median}, rank {rank}").format(
            name=item.name, value=t.num(item.value), n=item.n, median=median,
            rank=f"{p.rank}/{p.of}" if p.rank else "–"))
    return "\n".join(lines)


def dimension_slide(deck: Deck, t: Lang, report: Report, dim: DimensionView, png: Png) -> None:
    """One dimension: its chart, value, rank, change, group gap and two questions."""
    s = deck.slide(f"{dim.number} {dim.name}", _notes(t, dim))
    deck.picture(s, png(dim.boxplot.svg), dim.boxplot.alt, 0.4, 7.6)
    lines = _facts(t, dim.composite, t.num(report.method.score_max, 0))
    gaps = widest_gaps(dim.indicators)
    if gaps and gaps[0][2].value != gaps[0][1].value:
        item, lo, hi = gaps[0]
        lines.append(t._("Widest group gap: {indicator}, {high} {hv} against {low} {lv}").format(
            indicator=item.name, high=hi.label, hv=t.num(hi.value), low=lo.label,
            lv=t.num(lo.value)))
    lines += [t._("For discussion:"),
              t._("Which answers pull this value down, and why do the groups see it "
                  "differently?"),
              t._("What would improve it most, and should the policy or the cluster level "
                  "act?")]
    deck.bullets(s, lines, 8.2, 4.8, size=14)

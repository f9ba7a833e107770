"""Write the editable slide deck of the Policy Learning Workshop (PPTX, 16:9)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen.marks import CLOSE, OPEN, SEP, unmarked
from reportgen.report.typography import plain
from reportgen.terminal import printable
from reportgen.workshop.slides import Slide

Png = Callable[[str], bytes | None]  # the PNG of a chart, by its SVG
_PASSAGE = re.compile(f"{OPEN}([a-z-]*){SEP}(.*?){CLOSE}", re.S)
Box = tuple[float, float, float, float]  # left, top, width, height in inches
EMU, TOP, SLIDE_H = 914400, 1.5, 7.5  # EMU an inch; charts and text start below the title


def _text(value: str) -> str:
    # Slide XML cannot hold control characters; show them as the terminal does.
    return printable(value)


# The language tags PowerPoint's spelling check knows, by report language.
TAGS = {"en": "en-GB", "de": "de-DE", "fr": "fr-FR", "it": "it-IT", "sl": "sl-SI"}


def write_pptx(slides: list[Slide], png: Png, path: Path, title: str, lang: str) -> None:
    """Write `slides` as an editable 16:9 presentation: a title, then chart and text."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    prs = Presentation()
    tag = TAGS.get(lang, lang)
    # The template's defaults say en-US: text typed into the deck later takes the report's.
    for part in (prs.part, prs.slide_master.part, *(k.part for k in prs.slide_layouts)):
        for element in part._element.iter():
            if element.get("lang"):
                element.set("lang", tag)
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = _text(title), "reportgen", "reportgen"
    props.language, props.created = TAGS.get(lang, lang), datetime.now(UTC)
    props.modified, props.revision = props.created, 1
    # 16:9 exactly, in EMU (914,400 per inch): 13 1/3 by 7 1/2 inches
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for slide in (_typeset(slide, lang) for slide in slides):
        s = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        head = s.shapes.title
        # The layout's 44 pt would take two lines' height beyond the box for a long title.
        _fill(head.text_frame.paragraphs[0], slide.title, tag, 28, False)
        # All four: setting only some leaves the others at zero (a title box of no height).
        head.left, head.top, head.width, head.height = (Inches(0.5), Inches(0.3), Inches(12.3),
                                                        Inches(1.1))
        if slide.notes:
            s.notes_slide.notes_text_frame.text = _text(unmarked(slide.notes))
        if slide.stacked:
            _stack(s, slide, png, tag)
        else:
            _side(s, slide, png, tag)
    prs.save(str(path))


def _side(s: Any, slide: Slide, png: Png, tag: str) -> None:
    """Lay out the chart (if any) on the left and the columns of text beside it."""
    left = 0.6
    if slide.chart is not None and (raster := png(slide.chart.svg)) is not None:
        _picture(s, raster, slide.chart.alt, (0.4, TOP, 7.4, SLIDE_H - TOP - 0.2), centre=False)
        left = 8.1
    width = (12.7 - left) / len(slide.columns)
    for k, lines in enumerate(slide.columns):
        lines = [*slide.facts, *lines] if k == 0 else lines
        bold = len(slide.facts) * (k == 0) + slide.headed
        _box(s, lines, (left + k * width, TOP, width - 0.2, 5.4), tag, slide.size, bold)


def _stack(s: Any, slide: Slide, png: Png, tag: str) -> None:
    """Lay out the chart across the slide, as large as fits, and the text below it."""
    text_h = slide.text_height(12.3)
    bottom = SLIDE_H - 0.35 - text_h
    if slide.chart is not None and (raster := png(slide.chart.svg)) is not None:
        pic = _picture(s, raster, slide.chart.alt, (0.5, TOP, 12.3, bottom - 0.1 - TOP))
        bottom = (pic.top + pic.height) / EMU + 0.1
    _box(s, slide.lines, (0.5, bottom, 12.3, text_h), tag, slide.size, len(slide.facts))


def _picture(s: Any, raster: bytes, alt: str, box: Box, centre: bool = True) -> Any:
    """Place a chart as large as fits the box, in its proportions, with its alt text."""
    from pptx.util import Inches

    left, top, width, height = box
    pic = s.shapes.add_picture(io.BytesIO(raster), Inches(left), Inches(top))
    scale = min(Inches(width) / pic.width, Inches(height) / pic.height)
    pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
    if centre:
        pic.left = Inches(left) + (Inches(width) - pic.width) // 2
    pic._element.nvPicPr.cNvPr.set("descr", _text(unmarked(alt)))
    return pic


def _typeset(slide: Slide, lang: str) -> Slide:
    """Give the slide's text the language's marks, as the PDF deck's HTML gets them."""
    def mark(text: str) -> str:
        return plain(text, lang)

    return replace(slide, title=mark(slide.title), notes=mark(slide.notes),
                   columns=[[mark(line) for line in col] for col in slide.columns],
                   facts=[mark(line) for line in slide.facts])


def _box(s: Any, lines: list[str], box: Box, tag: str, size: int, bold: int) -> None:
    """Put lines into a text box; the first `bold` lines are the slide's key facts."""
    from pptx.util import Inches, Pt

    left, top, width, height = box
    frame = s.shapes.add_textbox(Inches(left), Inches(top), Inches(width),
                                 Inches(height)).text_frame
    frame.word_wrap = True
    for k, line in enumerate(lines):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        _fill(para, line, tag, size, k < bold)
        para.space_after = Pt(6)


def _fill(para: Any, text: str, tag: str, size: int, bold: bool) -> None:
    """Write text into a paragraph as runs, each tagged with the language it is in."""
    # A passage left in the fallback language is its own run with its own tag, so that
    # spelling and read-aloud take it for what it is (the PDF gets <span lang> alike).
    pos = 0
    for found in _PASSAGE.finditer(text):
        _run(para, text[pos:found.start()], tag, size, bold)
        _run(para, found[2], TAGS.get(found[1], found[1]), size, bold)
        pos = found.end()
    _run(para, text[pos:], tag, size, bold)


def _run(para: Any, text: str, tag: str, size: int, bold: bool) -> None:
    from pptx.util import Pt

    text = _text(unmarked(text))
    if text:
        run = para.add_run()
        run.text, run.font.size, run.font.bold = text, Pt(size), bold
        run._r.get_or_add_rPr().set("lang", tag)

"""Write the editable slide deck of the Policy Learning Workshop (PPTX, 16:9)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen.report.typography import plain
from reportgen.terminal import printable
from reportgen.workshop.slides import Slide

Png = Callable[[str], bytes | None]  # the PNG of a chart, by its SVG


def _text(value: str) -> str:
    # Slide XML cannot hold control characters; show them as the terminal does.
    return printable(value)


# The language tags PowerPoint's spelling check knows, by report language.
TAGS = {"en": "en-GB", "de": "de-DE", "fr": "fr-FR", "it": "it-IT", "sl": "sl-SI"}


def write_pptx(slides: list[Slide], png: Png, path: Path, title: str, lang: str) -> None:
    """Write `slides` as an editable 16:9 presentation: title, chart left, text right."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    prs = Presentation()
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = _text(title), "reportgen", "reportgen"
    props.language, props.created = TAGS.get(lang, lang), datetime.now(UTC)
    props.modified, props.revision = props.created, 1
    # 16:9 exactly, in EMU (914,400 per inch): 13 1/3 by 7 1/2 inches
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for slide in (_typeset(slide, lang) for slide in slides):
        s = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        head = s.shapes.title
        head.text = _text(slide.title)
        # All four: setting only some leaves the others at zero (a title box of no height).
        head.left, head.top, head.width, head.height = (Inches(0.5), Inches(0.3), Inches(12.3),
                                                        Inches(1.1))
        if slide.notes:
            s.notes_slide.notes_text_frame.text = _text(slide.notes)
        left = 0.6
        if slide.chart is not None and (raster := png(slide.chart.svg)) is not None:
            pic = s.shapes.add_picture(io.BytesIO(raster), Inches(0.4), Inches(1.6),
                                       width=Inches(7.4))
            if pic.top + pic.height > prs.slide_height:  # a tall chart: fit the height
                scale = (prs.slide_height - pic.top - Inches(0.2)) / pic.height
                pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
            pic._element.nvPicPr.cNvPr.set("descr", _text(slide.chart.alt))
            left = 8.1
        width = (12.7 - left) / len(slide.columns)
        for k, lines in enumerate(slide.columns):
            lines = [*slide.facts, *lines] if k == 0 else lines
            _box(s, lines, left + k * width, width - 0.2, slide.size, len(slide.facts) * (k == 0))
        _language(s, TAGS.get(lang, lang))
    prs.save(str(path))


def _typeset(slide: Slide, lang: str) -> Slide:
    """Give the slide's text the language's marks, as the PDF deck's HTML gets them."""
    def mark(text: str) -> str:
        return plain(text, lang)

    return replace(slide, title=mark(slide.title), notes=mark(slide.notes),
                   columns=[[mark(line) for line in col] for col in slide.columns],
                   facts=[mark(line) for line in slide.facts])


def _language(s: Any, tag: str) -> None:
    """Mark every run of the slide with the report's language, for spelling and read-aloud."""
    for shape in s.shapes:
        if shape.has_text_frame:
            for para in shape.text_frame.paragraphs:
                for run in para.runs:
                    run._r.get_or_add_rPr().set("lang", tag)


def _box(s: Any, lines: list[str], left: float, width: float, size: int, bold: int) -> None:
    """Put lines into a text box; the first `bold` lines are the slide's key facts."""
    from pptx.util import Inches, Pt

    frame = s.shapes.add_textbox(Inches(left), Inches(1.6), Inches(width), Inches(5.4)).text_frame
    frame.word_wrap = True
    for k, line in enumerate(lines):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        para.text = _text(line)
        para.font.size = Pt(size)
        para.font.bold = k < bold
        para.space_after = Pt(6)

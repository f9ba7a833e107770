"""Write the Policy Learning Workshop pack: deck, worksheet, charts and numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from reportgen.marks import unmarked
from reportgen.report.figures import Chart
from reportgen.report.html import render_html
from reportgen.report.i18n import Lang
from reportgen.report.pdf import write_pdf
from reportgen.report.views import Report
from reportgen.safenames import safe_name
from reportgen.spreadsheet import csv_safe
from reportgen.workshop.deck import write_pptx
from reportgen.workshop.numbers import numbers_table
from reportgen.workshop.sheet import printed, weak_rows, write_worksheet
from reportgen.workshop.slides import agenda, workshop_name

Stage = Callable[[str], Path]  # a file name in the staging folder -> its path


@dataclass(frozen=True)
class Pack:
    files: list[str]
    worksheet_rows: int


def chart_files(report: Report) -> dict[str, Chart]:
    """Name every chart of the report for the charts folder."""
    found = {"radar": report.radar, "composites": report.composites_chart}
    if report.waves_chart:
        found["progress"] = report.waves_chart
    for dim in report.dimensions:
        found[f"{dim.number}-{safe_name(dim.id)}"] = dim.boxplot
        if dim.groups_chart:
            found[f"{dim.number}-{safe_name(dim.id)}-groups"] = dim.groups_chart
    return found


def described(chart: Chart) -> str:
    """Return the chart's SVG with its alt text inside, as title and desc, for a file alone.

    In the report the alt text sits on the <img>; a chart file opened on its own carries
    it itself (role="img" and the title name it to a screen reader).
    """
    alt = unmarked(chart.alt)
    title = alt.split(". ", 1)[0].rstrip(".")
    inner = f"<title>{escape(title)}</title><desc>{escape(alt)}</desc>"
    return re.sub(r"<svg\b([^>]*)>", lambda m: f'<svg{m[1]} role="img">{inner}', chart.svg,
                  count=1)


def write_pack(report: Report, t: Lang, pngs: dict[str, bytes], stage: Stage,
               templates: Sequence[Path] = ()) -> Pack:
    """Write every file of the pack through `stage`; return their names."""
    def png(svg: str) -> bytes | None:
        return pngs.get(svg)

    slides = agenda(report, t)
    write_pptx(slides, png, stage("workshop-deck.pptx"),
               f"{workshop_name(report, t)}: {report.region_name}", t.code)
    # The same slides through the report's own HTML -> PDF path (tagged, 16:9).
    html = render_html(report, t, list(templates), template="slides.html", slides=slides)
    write_pdf(html, stage("workshop-deck.pdf"), list(templates))
    rows = write_worksheet(report, t, stage("priority-worksheet.xlsx"))
    # The same worksheet in print, A3 landscape, for the workshop's tables.
    html = render_html(report, t, list(templates), template="worksheet.html",
                       sheet=printed(weak_rows(report, t), t,
                                     report.method.framing.levels))
    write_pdf(html, stage("priority-worksheet.pdf"), list(templates))
    csv_safe(numbers_table(report, t)).to_csv(stage("numbers.csv"), index=False)
    names = ["workshop-deck.pptx", "workshop-deck.pdf", "priority-worksheet.xlsx",
             "priority-worksheet.pdf", "numbers.csv"]
    for name, chart in chart_files(report).items():
        stage(f"chart-{name}.svg").write_text(described(chart), encoding="utf-8")
        names.append(f"chart-{name}.svg")
        raster = png(chart.svg)
        if raster is not None:
            stage(f"chart-{name}.png").write_bytes(raster)
            names.append(f"chart-{name}.png")
    return Pack(names, rows)

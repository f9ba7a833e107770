"""Write the Policy Learning Workshop pack: deck, worksheet, charts and numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportgen.report.figures import Chart
from reportgen.report.i18n import Lang
from reportgen.report.views import Report
from reportgen.safenames import safe_name
from reportgen.workshop.deck import Deck, dimension_slide
from reportgen.workshop.numbers import numbers_table
from reportgen.workshop.sheet import write_worksheet

Stage = Callable[[str], Path]  # a file name in the staging folder -> its path


@dataclass(frozen=True)
class Pack:
    files: list[str]
    worksheet_rows: int


def write_deck(report: Report, t: Lang, png: Callable[[str], bytes | None],
               path: Path) -> None:
    """Write the slides in the order of the workshop's agenda."""
    deck = Deck()
    method = report.method
    s = deck.slide(f"{report.title}: {report.region_name}")
    wave = t._("wave {wave}").format(wave=report.wave) if report.wave else ""
    deck.bullets(s, [t._("Policy Learning Workshop"), wave, t.date(report.date)], 0.6, 12)
    s = deck.slide(t._("The StressTest approach"))
    deck.bullets(s, [
        t._("{n} stakeholders in {k} groups answered the questionnaire.").format(
            n=report.respondents, k=report.answering_groups),
        t._("Answers are scored from {low} (weakest) to {high} (strongest) and combined into "
            "{dims} composite indicators.").format(low=t.num(method.score_min, 0),
                                                   high=t.num(method.score_max, 0),
                                                   dims=len(report.dimensions)),
        t._("{region} is compared with {others} other regions.").format(
            region=report.region_name, others=len(report.portfolio))], 0.6, 12)
    s = deck.slide(t._("At a glance"))
    deck.picture(s, png(report.radar.svg), report.radar.alt, 0.4, 6.0)
    deck.bullets(s, [f"{d.name}: {t.num(d.composite.value)}"
                     + (f" ({d.composite.position.rank}/{d.composite.position.of})"
                        if d.composite.position.rank else "") for d in report.dimensions],
                 6.8, 6.1, size=14)
    for dim in report.dimensions:
        dimension_slide(deck, t, report, dim, png)
    s = deck.slide(t._("Strengths and weaknesses"))
    deck.bullets(s, [t._("Relative strengths")] + [f"+ {i.name}: {t.num(i.value)}"
                                                     for i in report.strengths], 0.6, 6, 16)
    deck.bullets(s, [t._("Relative weaknesses")] + [f"– {i.name}: {t.num(i.value)}"
                                                      for i in report.weaknesses], 6.9, 6, 16)
    for dim in report.dimensions:
        if dim.case is None:
            continue
        case = dim.case.case
        s = deck.slide(t._("Good practice: {title}").format(title=case.title))
        lines = [f"{dim.case.region_name} · {dim.name}", case.summary,
                 *(f"• {f}" for f in case.success_factors)]
        if case.contact:
            lines.append(t._("Contact:") + " " + case.contact)
        deck.bullets(s, lines, 0.6, 12, size=14)
    s = deck.slide(t._("Fields of action"))
    deck.bullets(s, [
        t._("Which weaknesses need action most urgently?"),
        t._("Which field of action addresses each of them?"),
        t._("Does it call for the policy level, the cluster level, or both?"),
        t._("Who must be involved, and who takes the lead?"),
        t._("How will the next StressTest show whether it worked?")], 0.6, 12)
    deck.save(path)


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


def write_pack(report: Report, t: Lang, pngs: dict[str, bytes], stage: Stage) -> Pack:
    """Write every file of the pack through `stage`; return their names."""
    def png(svg: str) -> bytes | None:
        return pngs.get(svg)

    write_deck(report, t, png, stage("workshop-deck.pptx"))
    rows = write_worksheet(report, t, stage("priority-worksheet.xlsx"))
    numbers_table(report).to_csv(stage("numbers.csv"), index=False)
    names = ["workshop-deck.pptx", "priority-worksheet.xlsx", "numbers.csv"]
    for name, chart in chart_files(report).items():
        stage(f"chart-{name}.svg").write_text(chart.svg, encoding="utf-8")
        names.append(f"chart-{name}.svg")
        raster = png(chart.svg)
        if raster is not None:
            stage(f"chart-{name}.png").write_bytes(raster)
            names.append(f"chart-{name}.png")
    return Pack(names, rows)

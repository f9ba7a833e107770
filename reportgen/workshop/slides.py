"""Decide what the workshop's slides say, once, for the PPTX deck and its PDF alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.report.figures import Chart
from reportgen.report.glance import widest_gaps
from reportgen.report.i18n import Lang
from reportgen.report.narrative import band_word
from reportgen.report.views import DimensionView, Item, Report


@dataclass(frozen=True)
class Slide:
    """One slide: a title, one or two columns of lines, an optional chart, speaker notes."""

    title: str
    columns: list[list[str]]
    chart: Chart | None = None
    notes: str = ""
    size: int = 18  # points, for the deck; the PDF scales the same way
    facts: list[str] = field(default_factory=list)  # shown larger, above the lines
    # The chart across the slide and the text below it: a chart projected for a room needs
    # the width (drawn for A4, its labels would show at 8 pt beside a text column).
    stacked: bool = False
    headed: bool = False  # each column's first line is its heading

    @property
    def lines(self) -> list[str]:
        """Return every line of text on the slide, its facts first."""
        return [*self.facts, *(line for col in self.columns for line in col)]

    def text_height(self, width_in: float) -> float:
        """Estimate in inches the height of the slide's lines set in a box so wide."""
        return set_height(self.lines, width_in, self.size)

    def chart_size(self, width_in: float, height_in: float,
                   title_pt: float = 0) -> tuple[float, float]:
        """Fit the chart to what the text (and a title so large) leaves of a page so big."""
        if self.chart is None:
            return 0.0, 0.0
        free = height_in - self.text_height(width_in) - 0.2
        if title_pt:
            free -= set_height([self.title], width_in, title_pt, em=0.62)
        w, h = self.chart.size_in
        scale = max(min(width_in / w, free / h), 0.1)
        return round(w * scale, 2), round(h * scale, 2)


def set_height(lines: list[str], width_in: float, size: float, em: float = 0.55) -> float:
    """Estimate in inches the height of lines set at `size` points in a box so wide."""
    # DejaVu Sans averages about 0.55 em a character (bold 0.62); a line is 1.2 em, and
    # each paragraph has 6 pt after it.
    per_line = max(1, int(width_in * 72 / (size * em)))
    rows = sum(-(-max(len(line), 1) // per_line) for line in lines)
    return (rows * size * 1.2 + len(lines) * 6) / 72 + 0.1


def _facts(t: Lang, item: Item, top: str) -> list[str]:
    p, c = item.position, item.change
    lines = [t._("Composite {value} of {top}").format(value=t.num(item.value), top=top)]
    if p.rank:
        lines.append(t._("Rank {rank} of {of}, {band}").format(
            rank=p.rank, of=p.of, band=band_word(t, p)))
    if c:
        # The report's marks: ▲/▼ beyond the margin of error, ● within it.
        mark = {"up": "▲ ", "down": "▼ "}.get(c.direction, "● " if c.margin is not None else "")
        lines.append(mark + t._("Since {wave}: {change} (margin ±{margin})").format(
            wave=c.previous_label, change=t.difference(c.previous, c.value),
            margin=t.num(c.margin)))
    # "n = 40" broken after its "=" reads as two facts.
    lines.append(t._("n = {n} respondents").format(n=item.n).replace(" = ", "\u00a0=\u00a0"))
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


def _group_notes(t: Lang, dim: DimensionView) -> str:
    """Say each group's value of every indicator, as far as the report shows it."""
    lines = []
    for item in [dim.composite, *dim.indicators]:
        shown = [t._("{group} {value} (n = {n})").format(group=g.label, value=t.num(g.value),
                                                       n=g.n)
                 for g in item.groups if g.shown and g.value is not None]
        if shown:
            lines.append(f"{item.name}: " + "; ".join(shown))
    return "\n".join(lines)


def dimension_slides(t: Lang, report: Report, dim: DimensionView) -> list[Slide]:
    """Two slides per dimension: where the region stands, then how its groups see it."""
    title = f"{dim.number} {dim.name}"
    facts = _facts(t, dim.composite, t.num(report.method.score_max, 0))
    standing = Slide(title, [], dim.boxplot, _notes(t, dim), 16, [" · ".join(facts)],
                     stacked=True)
    lines = []
    gaps = widest_gaps(dim.indicators)
    # As the worksheet: a gap that rounds to nothing is no gap ("1.4 against 1.4").
    if gaps and t.num(gaps[0][2].value) != t.num(gaps[0][1].value):
        item, lo, hi = gaps[0]
        lines.append(t._("Widest group gap: {indicator}, {high} {hv} against {low} {lv}").format(
            indicator=item.name, high=hi.in_text, hv=t.num(hi.value), low=lo.in_text,
            lv=t.num(lo.value)))
    # A dimension ahead of the portfolio is discussed as one to keep, not to repair.
    ahead = dim.composite.position.above_median is True
    lines += [t._("For discussion:"),
              t._("What makes this value strong, and how can the region keep it?") if ahead
              else t._("Which answers pull this value down, and why do the groups see it "
                       "differently?"),
              _who_acts(t, report)]
    views = Slide(t._("{dimension} – by stakeholder group").format(dimension=title), [lines],
                  dim.groups_chart, _group_notes(t, dim), 16,
                  stacked=dim.groups_chart is not None)
    return [standing, views]


def workshop_name(report: Report, t: Lang) -> str:
    """Name the workshop as the catalogue does (the StressTest's Policy Learning Workshop)."""
    return report.method.framing.workshop or t._("Results workshop")


def _who_acts(t: Lang, report: Report) -> str:
    """Ask what would help most, naming the catalogue's levels of action where it has them."""
    levels = report.method.framing.levels
    if not levels:
        return t._("What would improve it most, and who should act?")
    return t._("What would improve it most, and at which level ({levels})?").format(
        levels=" / ".join(levels.values()))


def agenda(report: Report, t: Lang) -> list[Slide]:
    """Return the slides in the order of the workshop's agenda."""
    method = report.method
    levels = method.framing.levels
    wave = t._("Survey wave {wave}").format(wave=report.wave) if report.wave else ""
    slides = [
        Slide(f"{workshop_name(report, t)}: {report.region_name}",
              [[report.title, wave, t.date(report.date)]]),
        Slide(method.framing.approach or t._("The approach"), [[
            t.ngettext("{n} stakeholder answered the questionnaire.",
                       "{n} stakeholders answered the questionnaire.", report.respondents
                       ).format(n=report.respondents)
            + " " + t.ngettext("Answers came from {k} stakeholder group.",
                               "Answers came from {k} stakeholder groups.",
                               report.answering_groups).format(k=report.answering_groups),
            t._("Answers are scored from {low} (weakest) to {high} (strongest) and combined "
                "into one composite indicator per key dimension ({dims}).").format(
                low=t.num(method.score_min, 0), high=t.num(method.score_max, 0),
                dims=len(report.dimensions)),
            t.ngettext("{region} is compared with {others} other region.",
                       "{region} is compared with {others} other regions.",
                       len(report.portfolio)).format(
                region=report.region_name, others=len(report.portfolio))]]),
        Slide(t._("At a glance"), [[
            f"{d.name}: {t.num(d.composite.value)}"
            + (f" ({d.composite.position.rank}/{d.composite.position.of})"
               if d.composite.position.rank else "") for d in report.dimensions]],
              report.radar, size=16),
        *(slide for dim in report.dimensions for slide in dimension_slides(t, report, dim)),
        Slide(t._("Strengths and weaknesses"), [
            [t._("Relative strengths"), *(f"+ {i.name}: {t.num(i.value)}"
                                          for i in report.strengths)],
            [t._("Relative weaknesses"), *(f"– {i.name}: {t.num(i.value)}"
                                           for i in report.weaknesses)]], size=18,
              headed=True,
              notes=t._("Furthest above and below the portfolio median, measured in box "
                        "lengths (interquartile ranges), as in the report's summary."))]
    for dim in report.dimensions:
        if dim.case is None:
            continue
        case = dim.case.case
        lines = [f"{dim.case.region_name} · {dim.name}", case.summary,
                 *(f"• {f}" for f in case.success_factors)]
        if case.contact:
            lines.append(t._("Contact:") + " " + case.contact)
        slides.append(Slide(t._("Good practice: {title}").format(title=case.title), [lines],
                            size=14))
    slides.append(Slide(t._("Fields of action"), [[
        t._("Which weaknesses need action most urgently?"),
        t._("Which field of action addresses each of them?"),
        *([t._("At which level should it be taken up ({levels})?").format(
            levels=" / ".join(levels.values()))] if levels else []),
        t._("Who must be involved, and who takes the lead?"),
        t._("How will the next survey wave show whether it worked?")]]))
    return slides

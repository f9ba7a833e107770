"""Decide which charts a report needs, draw them and describe them in alt text."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from reportgen.benchmark.compare import Position
from reportgen.catalogue.schema import Catalogue, Dimension
from reportgen.report import charts, overview_charts
from reportgen.report.i18n import Lang
from reportgen.report.typography import plain
from reportgen.scoring.records import WaveValues


@dataclass(frozen=True)
class Chart:
    """An SVG chart with the text alternative that states its values."""

    svg: str
    alt: str

    @property
    def src(self) -> str:
        """Return the chart as a data URI, so the HTML is self-contained."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def size_in(self) -> tuple[float, float]:
        """Return the chart's drawn width and height in inches, as its SVG states them."""
        found = re.search(r'<svg[^>]*?width="([\d.]+)pt" height="([\d.]+)pt"', self.svg)
        if found is None:  # not drawn by charts.py: a 16:9 guess scales it to a box alike
            return 6.4, 3.6
        return float(found[1]) / 72, float(found[2]) / 72


@dataclass(frozen=True)
class ChartData:
    """Everything the charts of one report are drawn from (sent to the chart workers)."""

    cat: Catalogue
    positions: dict[str, Position]
    region: str
    name: str
    group_values: pd.DataFrame  # published values only: disclosure.disclose ran before
    floor: int
    t: Lang = field(default_factory=Lang)
    history: list[WaveValues] = field(default_factory=list)
    wave: str | None = None

    def portfolio_label(self, keys: list[str]) -> str:
        """Name the portfolio in a chart's legend: the regions with a value on its rows."""
        sizes = sorted({p.stats.n for k in keys if (p := self.positions[k]).stats})
        if len(sizes) > 1:
            return self.t.ngettext("Portfolio of {low}–{high} region",
                                   "Portfolio of {low}–{high} regions", sizes[-1]).format(
                low=sizes[0], high=sizes[-1])
        n = sizes[0] if sizes else 0
        return self.t.ngettext("Portfolio of {n} region", "Portfolio of {n} regions", n).format(n=n)


def _interval_label(c: ChartData, p: Position) -> str | None:
    """Name the bar around the region's marker: its interval at the bootstrap's level."""
    if p.level is None:
        return None
    # Plain text for the chart: German joins it as "90-%-Intervall" as in the body text.
    label = plain(c.t._("{level} interval").format(level=c.t.percent(p.level)), c.t.code)
    return label[:1].upper() + label[1:]  # a legend entry, like the region's name beside it


def _describe(c: ChartData, label: str, p: Position) -> str:
    t = c.t
    values = dict(label=label, region=c.name, value=t.num(p.value), rank=p.rank, of=p.of,
                  median=t.num(p.stats.median if p.stats else None))
    if p.rank and p.interval and p.rank_band and p.rank_band[0] == p.rank_band[1]:
        # Every resample gives the one rank: "rank 2 (2–2)" would read as a typo.
        return t._("{label}: {region} {value} ({level} interval {low}–{high}; portfolio median "
                   "{median}, rank {rank} of {of} in every resample)").format(
            **values, level=t.percent(p.level), low=t.num(p.interval[0]),
            high=t.num(p.interval[1]))
    if p.rank and p.interval and p.rank_band:
        return t._("{label}: {region} {value} ({level} interval {low}–{high}; portfolio median "
                   "{median}, rank {rank} ({best}–{worst}) of {of})").format(
            **values, level=t.percent(p.level), low=t.num(p.interval[0]),
            high=t.num(p.interval[1]), best=p.rank_band[0], worst=p.rank_band[1])
    if p.rank:
        return t._("{label}: {region} {value} (portfolio median {median}, rank {rank} of {of})"
                   ).format(**values)
    return t._("{label}: {region} {value} (portfolio median {median})").format(**values)


def dimension_boxplot(c: ChartData, dim: Dimension) -> Chart:
    """Draw the composite and every indicator of a dimension against the portfolio."""
    t, pos, cat = c.t, c.positions, c.cat
    rows = [charts.BoxRow(t._("Composite indicator"), pos[dim.id].stats,
                          pos[dim.id].value, True, pos[dim.id].interval)]
    rows += [charts.BoxRow(i.name, pos[i.id].stats, pos[i.id].value, False, pos[i.id].interval)
             for i in dim.indicators]
    legend = c.portfolio_label([dim.id, *(i.id for i in dim.indicators)])
    svg = charts.boxplot_chart(rows, cat.score.min, cat.score.max, c.name, legend, t,
                               _interval_label(c, pos[dim.id]))
    # The composite's part opens a sentence of the alt text: "Composite …", not "composite …".
    first = t._("composite {name}").format(name=dim.name)
    parts = [_describe(c, first[:1].upper() + first[1:], pos[dim.id])]
    parts += [_describe(c, i.name, pos[i.id]) for i in dim.indicators]
    return Chart(svg, t._("Boxplots of the portfolio for {name}.").format(name=dim.name) + " "
                 + "; ".join(parts) + ".")


def composite_boxplot(c: ChartData) -> Chart:
    """Draw every composite against the portfolio."""
    t, pos, cat = c.t, c.positions, c.cat
    rows = [charts.BoxRow(d.name, pos[d.id].stats, pos[d.id].value, False, pos[d.id].interval)
            for d in cat.dimensions]
    legend = c.portfolio_label([d.id for d in cat.dimensions])
    first = pos[cat.dimensions[0].id]
    svg = charts.boxplot_chart(rows, cat.score.min, cat.score.max, c.name, legend, t,
                               _interval_label(c, first))
    parts = [_describe(c, d.name, pos[d.id]) for d in cat.dimensions]
    return Chart(svg, t._("Boxplots of the portfolio for every composite indicator.") + " "
                 + "; ".join(parts) + ".")


def radar(c: ChartData, compact: bool = False) -> Chart:
    """Draw the region's composites against the portfolio median (compact: short names)."""
    t, dims = c.t, c.cat.dimensions
    own = [c.positions[d.id].value for d in dims]
    med = [s.median if (s := c.positions[d.id].stats) else None for d in dims]
    labels = [(d.short_name or d.name) if compact else d.name for d in dims]
    svg = overview_charts.radar_chart(labels, own, med, c.cat.score.min, c.cat.score.max,
                                      c.name, t._("Portfolio median"), t, compact)
    parts = [t._("{name}: {value} against a median of {median}").format(
        name=dim.name, value=t.num(o), median=t.num(m)) for dim, o, m in zip(dims, own, med,
                                                                             strict=True)]
    return Chart(svg, t._("Spider chart of {region}'s composite indicators against the "
                          "portfolio median.").format(region=c.name) + " "
                 + "; ".join(parts) + ".")


def group_comparison(c: ChartData, dim: Dimension) -> Chart | None:
    """Draw each stakeholder group's published indicator values (see disclosure)."""
    t, floor = c.t, c.floor
    series: list[tuple[str, list[float | None]]] = []
    for group in c.cat.groups:
        key = (c.region, group.id)
        if key not in c.group_values.index:
            continue
        vals: list[float | None] = []
        for ind in dim.indicators:
            v = c.group_values.at[key, ind.id]
            vals.append(float(v) if pd.notna(v) else None)
        if any(v is not None for v in vals):
            series.append((group.label, vals))
    if len(series) < 2:
        return None
    labels = [i.name for i in dim.indicators]
    svg = charts.group_chart(labels, series, c.cat.score.min, c.cat.score.max, t)
    parts = [f"{name}: " + ", ".join(f"{lbl} {t.num(v)}" for lbl, v in zip(labels, vals,
                                                                           strict=True))
             for name, vals in series]
    return Chart(svg, t._("Indicator values of {name} by stakeholder group (groups with at "
                          "least {floor} respondents).").format(name=dim.name, floor=floor)
                 + " " + "; ".join(parts) + ".")


def waves_chart(c: ChartData) -> Chart:
    """Draw the region's composites across its survey waves."""
    t = c.t
    labels = [w.label for w in c.history] + [c.wave or ""]
    series = [(d.name, [w.values.get(d.id) for w in c.history] + [c.positions[d.id].value])
              for d in c.cat.dimensions]
    svg = overview_charts.waves_chart(labels, series, c.cat.score.min, c.cat.score.max, t)
    parts = [f"{lbl}: " + ", ".join(f"{w} {t.num(v)}" for w, v in zip(labels, vals,
                                                                     strict=True))
             for lbl, vals in series]
    return Chart(svg, t._("Line chart of {region}'s composite indicators across the survey "
                          "waves {waves}.").format(region=c.name, waves=", ".join(labels))
                 + " " + "; ".join(parts) + ".")


ChartKey = tuple[str, str]  # (kind, dimension id or "")
ChartJob = tuple[ChartKey, Callable[[], "Chart | None"]]


@dataclass(frozen=True)
class Charts:
    """Every chart of one report, by its place in the report."""

    radar: Chart
    glance_radar: Chart  # the same, drawn for the narrow column of "At a glance"
    composites: Chart
    boxplots: dict[str, Chart]  # by dimension id
    groups: dict[str, Chart | None]  # by dimension id; None: no group value may be shown
    waves: Chart | None = None  # only when the region has earlier waves


def chart_jobs(c: ChartData) -> list[ChartJob]:
    """List every chart of a report as (key, draw) pairs, in a fixed order."""
    jobs: list[ChartJob] = [(("radar", ""), lambda: radar(c)),
                            (("radar", "glance"), lambda: radar(c, compact=True)),
                            (("composites", ""), lambda: composite_boxplot(c))]
    if c.history and c.wave is not None:
        jobs.append((("waves", ""), lambda: waves_chart(c)))
    for dim in c.cat.dimensions:
        jobs.append((("box", dim.id), partial(dimension_boxplot, c, dim)))
        jobs.append((("groups", dim.id), partial(group_comparison, c, dim)))
    return jobs


def draw_share(share: int, shares: int, data: ChartData) -> dict[ChartKey, Chart | None]:
    """Draw every `shares`-th chart of the report from `share` on."""
    return {key: job() for key, job in chart_jobs(data)[share::shares]}


def collect(drawn: dict[ChartKey, Chart | None]) -> Charts:
    """Put the charts the workers drew in their places."""
    def one(kind: str, dim: str = "") -> Chart:
        chart = drawn[(kind, dim)]
        assert chart is not None, (kind, dim)  # these drawers always return a chart
        return chart

    dims = [dim for kind, dim in drawn if kind == "box"]
    return Charts(one("radar"), one("radar", "glance"), one("composites"),
                  {d: one("box", d) for d in dims}, {d: drawn[("groups", d)] for d in dims},
                  drawn.get(("waves", "")))

"""Decide which charts a report needs, draw them and describe them in alt text."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from reportgen import charts
from reportgen.benchmark import Position
from reportgen.definitions.schema import Catalogue, Dimension
from reportgen.narrative import fmt
from reportgen.store.read import WaveValues


@dataclass(frozen=True)
class Chart:
    """An SVG chart with the text alternative that states its values."""

    svg: str
    alt: str

    @property
    def src(self) -> str:
        """Return the chart as a data URI, so the HTML is self-contained."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _describe(region: str, label: str, p: Position, d: int) -> str:
    median = fmt(p.stats.median, d) if p.stats else "none"
    rank = f", rank {p.rank} of {p.of}" if p.rank else ""
    return f"{label}: {region} {fmt(p.value, d)} (portfolio median {median}{rank})"


def dimension_boxplot(cat: Catalogue, dim: Dimension, positions: dict[str, Position],
                      region: str, portfolio_label: str) -> Chart:
    """Draw the composite and every indicator of a dimension against the portfolio."""
    rows = [charts.BoxRow(f"Composite: {dim.label}", positions[dim.id].stats,
                          positions[dim.id].value, emphasis=True)]
    rows += [charts.BoxRow(i.label, positions[i.id].stats, positions[i.id].value)
             for i in dim.indicators]
    svg = charts.boxplot_chart(rows, cat.score.min, cat.score.max, region, portfolio_label)
    d = cat.score.decimals
    parts = [_describe(region, f"composite {dim.name}", positions[dim.id], d)]
    parts += [_describe(region, i.name, positions[i.id], d) for i in dim.indicators]
    return Chart(svg, f"Boxplots of the portfolio for {dim.name}. " + "; ".join(parts) + ".")


def composite_boxplot(cat: Catalogue, positions: dict[str, Position], region: str,
                      portfolio_label: str) -> Chart:
    """Draw every composite against the portfolio."""
    rows = [charts.BoxRow(d.label, positions[d.id].stats, positions[d.id].value)
            for d in cat.dimensions]
    svg = charts.boxplot_chart(rows, cat.score.min, cat.score.max, region, portfolio_label)
    parts = [_describe(region, d.name, positions[d.id], cat.score.decimals)
             for d in cat.dimensions]
    return Chart(svg, "Boxplots of the portfolio for every composite indicator. "
                 + "; ".join(parts) + ".")


def radar(cat: Catalogue, positions: dict[str, Position], region: str) -> Chart:
    """Draw the region's composites against the portfolio median."""
    dims = cat.dimensions
    own = [positions[d.id].value for d in dims]
    med = [(positions[d.id].stats.median if positions[d.id].stats else None)  # type: ignore[union-attr]
           for d in dims]
    svg = charts.radar_chart([d.label for d in dims], own, med, cat.score.min, cat.score.max,
                             region, "Portfolio median")
    d = cat.score.decimals
    parts = [f"{dim.name}: {fmt(o, d)} against a median of {fmt(m, d)}"
             for dim, o, m in zip(dims, own, med, strict=True)]
    return Chart(svg, f"Spider chart of {region}'s composite indicators against the portfolio "
                 "median. " + "; ".join(parts) + ".")


def group_comparison(cat: Catalogue, dim: Dimension, region: str, group_values: pd.DataFrame,
                     group_counts: pd.DataFrame) -> Chart | None:
    """Draw each stakeholder group's indicator values; groups below the threshold are hidden."""
    floor, d = cat.rules.min_respondents, cat.score.decimals
    series: list[tuple[str, list[float | None]]] = []
    for group in cat.groups:
        key = (region, group.id)
        if key not in group_values.index:
            continue
        vals: list[float | None] = []
        for ind in dim.indicators:
            v, n = group_values.at[key, ind.id], group_counts.at[key, ind.id]
            vals.append(float(v) if pd.notna(v) and n >= floor else None)
        if any(v is not None for v in vals):
            series.append((group.label, vals))
    if len(series) < 2:
        return None
    labels = [i.label for i in dim.indicators]
    svg = charts.group_chart(labels, series, cat.score.min, cat.score.max)
    parts = [f"{name}: " + ", ".join(f"{lbl} {fmt(v, d)}" for lbl, v in zip(labels, vals,
                                                                           strict=True))
             for name, vals in series]
    return Chart(svg, f"Indicator values of {dim.name} by stakeholder group (groups with at "
                 f"least {floor} respondents). " + "; ".join(parts) + ".")


ChartJob = tuple[str, Callable[[], "Chart | None"]]


def chart_jobs(cat: Catalogue, positions: dict[str, Position], region: str, name: str,
               group_values: pd.DataFrame, group_counts: pd.DataFrame,
               portfolio_label: str, history: list[WaveValues] | None = None,
               wave: str | None = None) -> list[ChartJob]:
    """List every chart of a report as (key, draw) pairs.

    Keys: 'radar', 'composites', 'box:<dimension id>', 'groups:<dimension id>', and 'waves'
    when the region has earlier waves.
    """
    jobs: list[ChartJob] = [
        ("radar", lambda: radar(cat, positions, name)),
        ("composites", lambda: composite_boxplot(cat, positions, name, portfolio_label)),
    ]
    if history and wave is not None:
        jobs.append(("waves", lambda: waves_chart(cat, positions, history, wave, name)))
    for dim in cat.dimensions:
        jobs.append((f"box:{dim.id}", partial(dimension_boxplot, cat, dim, positions, name,
                                              portfolio_label)))
        jobs.append((f"groups:{dim.id}", partial(group_comparison, cat, dim, region,
                                                 group_values, group_counts)))
    return jobs


def draw_share(share: int, shares: int, *args: Any) -> dict[str, Chart | None]:
    """Draw every `shares`-th chart from `share` on; `args` as for chart_jobs()."""
    return {key: job() for key, job in chart_jobs(*args)[share::shares]}


def waves_chart(cat: Catalogue, positions: dict[str, Position], history: list[WaveValues],
                wave: str, name: str) -> Chart:
    """Draw the region's composites across its survey waves."""
    labels = [w.label for w in history] + [wave]
    series = [(d.label, [w.values.get(d.id) for w in history] + [positions[d.id].value])
              for d in cat.dimensions]
    svg = charts.waves_chart(labels, series, cat.score.min, cat.score.max)
    d = cat.score.decimals
    parts = [f"{lbl}: " + ", ".join(f"{w} {fmt(v, d)}" for w, v in zip(labels, vals,
                                                                       strict=True))
             for lbl, vals in series]
    return Chart(svg, f"Line chart of {name}'s composite indicators across the survey waves "
                 f"{', '.join(labels)}. " + "; ".join(parts) + ".")


def portfolio_label(n_regions: int) -> str:
    """Name the portfolio in chart legends."""
    return f"Portfolio of {n_regions} regions"

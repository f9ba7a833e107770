"""The knowledge-space chapter's view: specialisations, opportunities, complexity, entries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportgen.benchmark.compare import portfolio_stats
from reportgen.knowledge.analysis import Space
from reportgen.knowledge.hypotheses import (
    Contrast,
    Term,
    contrasts,
    entry_regression,
    fifths,
    paired,
)
from reportgen.knowledge.opportunities import Opportunity
from reportgen.report import charts
from reportgen.report.figures import Chart
from reportgen.report.i18n import Lang

TOP = 10


@dataclass(frozen=True)
class Specialisation:
    technology: str
    count: float
    rta: float


@dataclass(frozen=True)
class EntryRate:
    """How often regions entered a class, by how related it was to them (a quintile)."""

    quintile: int
    candidates: int
    entries: int

    @property
    def percent(self) -> float:
        return 100.0 * self.entries / self.candidates if self.candidates else 0.0


@dataclass(frozen=True)
class KnowledgeView:
    """What the chapter shows, for the latest period (and the change since the one before)."""

    period: str
    previous: str | None
    regions: int
    technologies: int
    diversity: int
    specialisations: list[Specialisation]
    opportunities: list[Opportunity]
    complexity: float
    complexity_rank: int
    chart: Chart
    boxplot: Chart
    entered: list[str]  # classes the region newly specialised in since the previous period
    left: list[str]
    entry_rates: list[EntryRate]  # the whole portfolio, by relatedness-density quintile
    labels: dict[str, str]  # names of the classes, where a label table was stored
    contrasts: list[Contrast]  # the hypotheses H1–H6, whole portfolio
    regression: list[Term] | None  # entry on density, complexity and their product


def knowledge_view(spaces: list[tuple[str, Space]], region: str, name: str, t: Lang,
                   labels: dict[str, str] | None = None) -> KnowledgeView | None:
    """Describe `region`'s knowledge space; None when the latest period has no counts for it."""
    if not spaces or region not in spaces[-1][1].counts.regions:
        return None
    period, space = spaces[-1]
    k = space.counts.regions.index(region)
    techs = space.counts.technologies
    held = np.flatnonzero(space.specialised[k])
    order = held[np.argsort(-space.rta[k, held], kind="stable")]
    specs = [Specialisation(techs[j], float(space.counts.values[k, j]), float(space.rta[k, j]))
             for j in order[:TOP]]
    ranked = space.opportunities(region, top=TOP)
    eci = space.complexity.regions
    rank = int((eci > eci[k]).sum()) + 1
    entered: list[str] = []
    left: list[str] = []
    rates: list[EntryRate] = []
    tested: list[Contrast] = []
    fitted: list[Term] | None = None
    previous: str | None = None
    if len(spaces) > 1:
        previous, before = spaces[-2]
        entered, left = _moves(before, space, region)
        rates = entry_rates(before, space)
        tested, fitted = contrasts(before, space), entry_regression(before, space)
    return KnowledgeView(
        period, previous, len(space.counts.regions), len(techs), len(held), specs, ranked,
        float(eci[k]), rank, opportunity_chart(space, k, ranked, name, t),
        complexity_boxplot(eci, k, name, t), entered, left, rates,
        {c: labels[c] for c in techs if c in labels} if labels else {}, tested, fitted)


def _moves(before: Space, after: Space, region: str) -> tuple[list[str], list[str]]:
    """Classes the region entered (RTA crossed 1 upwards) and left between two periods."""
    if region not in before.counts.regions:
        return [], []
    was = {t for t, m in zip(before.counts.technologies,
                             before.specialised[before.counts.regions.index(region)],
                             strict=True) if m}
    now = {t for t, m in zip(after.counts.technologies,
                             after.specialised[after.counts.regions.index(region)],
                             strict=True) if m}
    return sorted(now - was), sorted(was - now)


def entry_rates(before: Space, after: Space) -> list[EntryRate]:
    """Share of (region, class) candidates of the first period entered by the second, by
    quintile of their relatedness density in the first (the seed's hypothesis H1)."""
    p = paired(before, after)
    candidate = p["m0"] == 0
    dens, entered = p["density"][candidate], p["m1"][candidate] == 1
    if candidate.sum() < 5:
        return []
    quintile = fifths(dens)  # the same split as the hypotheses' lowest and highest fifth
    return [EntryRate(q + 1, int((quintile == q).sum()), int(entered[quintile == q].sum()))
            for q in range(5)]


def opportunity_chart(space: Space, k: int, ranked: list[Opportunity], name: str,
                      t: Lang) -> Chart:
    """Scatter every class by relatedness density and complexity; label the best chances."""
    density, complexity = space.density[k], space.complexity.technologies
    held = space.specialised[k] == 1
    # Numbers as in the table below the chart: short enough to sit by their diamonds.
    labels = {o.technology: str(rank) for rank, o in enumerate(ranked[:5], start=1)}
    svg = charts.opportunity_chart(density.tolist(), complexity.tolist(), held.tolist(),
                                   space.counts.technologies, labels,
                                   t._("Relatedness density (0–100)"),
                                   t._("Complexity of the class"), t._("Specialised now"),
                                   t._("Not yet specialised"),
                                   t._("Best opportunities, numbered as in the table"))
    best = "; ".join(t._("{name}: density {density}, complexity {complexity}").format(
        name=f"{rank} {o.technology}", density=t.num(o.density),
        complexity=t.num(o.complexity)) for rank, o in enumerate(ranked[:5], start=1))
    alt = t._("Scatter chart of the technology classes ({n}) by relatedness density to "
              "{region} and complexity; the classes in which {region} is specialised ({held}) "
              "are filled. Best opportunities: {best}.").format(n=len(density), region=name,
                                                   held=int(held.sum()), best=best or "–")
    return Chart(svg, alt)


def complexity_boxplot(values: np.ndarray, k: int, name: str, t: Lang) -> Chart:
    """Place region `k`'s knowledge complexity in the distribution of the other regions."""
    own = float(values[k])
    # As in every other boxplot, the portfolio is the other regions.
    others = np.delete(values, k)
    stats = portfolio_stats(pd.Series(others))
    lo, hi = float(np.floor(values.min())), float(np.ceil(values.max()))
    label = t._("Knowledge complexity")
    svg = charts.boxplot_chart([charts.BoxRow(label, stats, own, emphasis=True)], lo, hi, name,
                               t.ngettext("Portfolio of {n} region", "Portfolio of {n} regions",
                                          len(others)).format(n=len(others)), t)
    alt = t._("Boxplot of the knowledge complexity of the portfolio's regions ({n}): {region} "
              "{value}, portfolio median {median}.").format(
        n=len(others), region=name, value=t.num(own),
        median=t.num(stats.median if stats else None))
    return Chart(svg, alt)

"""Test, descriptively, what the relatedness literature expects between two periods.

Balland et al. (2018) state six hypotheses: regions enter (H1) and grow in (H2) classes
related to what they know; they enter complex classes less often (H3) but grow more in them
(H4); relatedness helps most in complex classes (H5 entry, H6 growth). For the whole portfolio
this module compares entry rates and growth between the least and the most related (or
complex) fifth of the (region, class) pairs, and fits a logistic regression of entry on
standardised density, complexity and their product. These are associations in one
portfolio, not causes.

Entry: a pair not specialised in the first period (RTA < 1) that is in the second.
Growth: log((count_2 + 1) / (count_1 + 1)) of a pair with a count in the first period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reportgen.knowledge.analysis import Space
from reportgen.marks import N_

# What each hypothesis expects, in the report's words (translated where shown).
STATEMENTS = {
    "H1": N_("New specialisations arise more often in related classes"),
    "H2": N_("Activity grows more in related classes"),
    "H3": N_("New specialisations arise less often in complex classes"),
    "H4": N_("Activity grows more in complex classes"),
    "H5": N_("Among complex classes, relatedness raises the chance of a new specialisation"),
    "H6": N_("Among complex classes, relatedness raises growth"),
}


@dataclass(frozen=True)
class Contrast:
    """One hypothesis: the outcome among the lowest and the highest fifth of the pairs."""

    hypothesis: str
    outcome: str  # "entry" (a rate in per cent) or "growth" (mean log growth)
    by: str  # "density", "complexity", or "density among complex classes"
    low: float
    high: float
    pairs: int
    expected_higher: bool  # the literature expects high > low (False: H3 expects less)
    margin: float = 0.0  # 1.96 standard errors of high - low

    @property
    def statement(self) -> str:
        """Say what the hypothesis expects (in English; the template translates it)."""
        return STATEMENTS[self.hypothesis]

    @property
    def consistent(self) -> bool:
        """Tell whether the data point the way the hypothesis expects."""
        return (self.high > self.low) == self.expected_higher

    @property
    def verdict(self) -> str:
        """Say "yes" or "no" only for a difference beyond its margin, else "unclear"."""
        if abs(self.high - self.low) <= self.margin:
            return "unclear"
        return "yes" if self.consistent else "no"


@dataclass(frozen=True)
class Term:
    """One coefficient of the entry regression, as an odds ratio with a 95 % interval."""

    name: str
    odds_ratio: float
    low: float
    high: float


def paired(before: Space, after: Space) -> dict[str, np.ndarray]:
    """Line up the (region, class) pairs present in both periods."""
    regions = [r for r in before.counts.regions if r in after.counts.regions]
    techs = [t for t in before.counts.technologies if t in after.counts.technologies]
    ib = np.ix_([before.counts.regions.index(r) for r in regions],
                [before.counts.technologies.index(t) for t in techs])
    ia = np.ix_([after.counts.regions.index(r) for r in regions],
                [after.counts.technologies.index(t) for t in techs])
    complexity = before.complexity.technologies[[before.counts.technologies.index(t)
                                                 for t in techs]]
    return {"m0": before.specialised[ib].ravel(), "m1": after.specialised[ia].ravel(),
            "c0": before.counts.values[ib].ravel(), "c1": after.counts.values[ia].ravel(),
            "density": before.density[ib].ravel(),
            "complexity": np.tile(complexity, len(regions))}


def contrasts(before: Space, after: Space) -> list[Contrast]:
    """Compare outcomes between the lowest and highest fifth, for each hypothesis."""
    p = paired(before, after)
    candidate, present = p["m0"] == 0, p["c0"] > 0
    entry = (p["m1"] == 1).astype(float) * 100
    growth = np.log((p["c1"] + 1) / (p["c0"] + 1))
    complex_ = p["complexity"] >= np.quantile(p["complexity"], 0.6)
    plan = [("H1", "entry", "density", candidate, True),
            ("H2", "growth", "density", present, True),
            ("H3", "entry", "complexity", candidate, False),
            ("H4", "growth", "complexity", present, True),
            ("H5", "entry", "density among complex classes", candidate & complex_, True),
            ("H6", "growth", "density among complex classes", present & complex_, True)]
    out = []
    for name, outcome, by, keep, higher in plan:
        values = (entry if outcome == "entry" else growth)[keep]
        key = p["complexity" if by == "complexity" else "density"][keep]
        if values.size < 10:
            continue
        fifth = fifths(key)
        low, high = values[fifth == 0], values[fifth == 4]
        # Welch's standard error of the difference of two means (a rate is a mean of 0/100).
        se = np.sqrt(low.var(ddof=1) / low.size + high.var(ddof=1) / high.size)
        out.append(Contrast(name, outcome, by, float(low.mean()), float(high.mean()),
                            int(values.size), higher, float(1.96 * se)))
    return out


def fifths(key: np.ndarray) -> np.ndarray:
    """Split values into five groups of equal size (0 lowest to 4 highest), ties by order.

    Equal sizes, not quantile cut-offs: with ties at a cut-off those would put the same pair
    in two fifths, and the tables of the report would count different candidates.
    """
    ranks = np.empty(key.size, dtype=np.int64)
    ranks[np.argsort(key, kind="stable")] = np.arange(key.size)
    return ranks * 5 // key.size


def entry_regression(before: Space, after: Space) -> list[Term] | None:
    """Fit entry ~ density + complexity + density × complexity (standardised) by IRLS.

    None when there are too few candidates or entries to estimate four coefficients.
    """
    p = paired(before, after)
    keep = p["m0"] == 0
    y = (p["m1"][keep] == 1).astype(float)
    if keep.sum() < 50 or y.sum() < 5 or (1 - y).sum() < 5:
        return None
    d, c = _z(p["density"][keep]), _z(p["complexity"][keep])
    x = np.column_stack([np.ones_like(d), d, c, d * c])
    beta, cov = _logit(x, y)
    se = np.sqrt(np.diag(cov))
    names = [N_("density"), N_("complexity"), N_("density × complexity")]
    return [Term(n, float(np.exp(beta[k])), float(np.exp(beta[k] - 1.96 * se[k])),
                 float(np.exp(beta[k] + 1.96 * se[k]))) for k, n in enumerate(names, start=1)]


def _z(values: np.ndarray) -> np.ndarray:
    std = values.std()
    return (values - values.mean()) / std if std > 0 else values * 0.0


def _logit(x: np.ndarray, y: np.ndarray, steps: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Maximum likelihood by iteratively reweighted least squares; (coefficients, covariance)."""
    beta = np.zeros(x.shape[1])
    for _ in range(steps):
        prob = 1 / (1 + np.exp(-(x @ beta)))
        weight = np.clip(prob * (1 - prob), 1e-9, None)
        information = x.T @ (x * weight[:, None])
        step = np.linalg.solve(information, x.T @ (y - prob))
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    prob = 1 / (1 + np.exp(-(x @ beta)))
    information = x.T @ (x * (prob * (1 - prob))[:, None])
    return beta, np.linalg.inv(information)

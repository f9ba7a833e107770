"""Run the knowledge stage on one period's counts: specialisation, relatedness, complexity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportgen.knowledge.complexity import Complexity, complexity, outlook_gain
from reportgen.knowledge.opportunities import Opportunity, opportunities
from reportgen.knowledge.space import Counts, density, proximity, rta, specialised


@dataclass(frozen=True)
class Space:
    """One period's knowledge space of a portfolio of regions."""

    counts: Counts  # regions and technologies with any count
    rta: np.ndarray
    specialised: np.ndarray
    proximity: np.ndarray
    density: np.ndarray  # 0–100
    complexity: Complexity
    outlook_gain: np.ndarray  # region × technology; 0 where specialised

    def opportunities(self, region: str, top: int | None = 10) -> list[Opportunity]:
        """Rank where `region` could diversify next (see knowledge.opportunities)."""
        k = self.counts.regions.index(region)
        return opportunities(self.counts.technologies, self.specialised[k], self.density[k],
                             self.complexity.technologies, self.outlook_gain[k], top)


class Degenerate(ValueError):
    """A period's counts leave nothing to compare: too few regions or classes, or all alike."""


def analyse(counts: Counts) -> Space:
    """Compute the knowledge space of `counts` (regions without any count are left out).

    Raises Degenerate, with the reason, when the counts cannot give a knowledge space.
    """
    active = counts.active()
    if len(active.regions) < 2 or len(active.technologies) < 2:
        raise Degenerate(f"counts of {len(active.regions)} region(s) in "
                         f"{len(active.technologies)} class(es); the knowledge space needs at "
                         "least 2 regions with counts in at least 2 classes")
    if not np.isfinite(active.values).all() or active.values.max() > 1e15:
        raise Degenerate("a count is too large to compute with (above 10^15)")
    positive = active.values[active.values > 0]
    if positive.size and positive.min() < 1e-12:  # 5e-324 turned the quotients infinite
        raise Degenerate("a count is too small to compute with (between 0 and 10^-12)")
    # Degenerate inputs divide by zero below; the result is checked instead of warned about.
    with np.errstate(all="ignore"):
        quotient = rta(active.values)
        m = specialised(quotient)
        phi = proximity(m)
        try:
            found = complexity(m)
        except (ArithmeticError, IndexError, np.linalg.LinAlgError) as exc:
            raise Degenerate(f"complexity cannot be computed ({exc})") from None
        space = Space(active, quotient, m, phi, density(m, phi), found,
                      outlook_gain(m, phi, found.technologies))
    if not all(np.isfinite(a).all() for a in (space.density, found.regions,
                                               found.technologies, space.outlook_gain)):
        raise Degenerate("the specialisations do not tell regions or classes apart in "
                         "complexity: every region is as diverse and every class as common as "
                         "the others (all specialised in the same classes, or each in classes "
                         "of its own)")
    return space


def tidy_space(space: Space, period: str) -> pd.DataFrame:
    """Return one row per region × technology: count, RTA, density, complexity, opportunity."""
    c = space.counts
    regions, techs = len(c.regions), len(c.technologies)
    column = {t: j for j, t in enumerate(c.technologies)}
    score = np.full((regions, techs), np.nan)  # NaN where the region is specialised already
    for k, region in enumerate(c.regions):
        for o in space.opportunities(region, top=None):
            score[k, column[o.technology]] = o.score
    return pd.DataFrame({
        "period": period,
        "region": np.repeat(c.regions, techs),
        "technology": np.tile(c.technologies, regions),
        "count": c.values.ravel(),
        "rta": space.rta.ravel(),
        "specialised": space.specialised.ravel().astype(int),
        "density": space.density.ravel(),
        "region_complexity": np.repeat(space.complexity.regions, techs),
        "technology_complexity": np.tile(space.complexity.technologies, regions),
        "outlook_gain": np.where(space.specialised.ravel() > 0, np.nan,
                                 space.outlook_gain.ravel()),
        "opportunity": score.ravel(),
    })

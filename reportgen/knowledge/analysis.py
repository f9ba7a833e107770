"""Run the knowledge stage on one period's counts: specialisation, relatedness, complexity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reportgen.knowledge.complexity import Complexity, complexity
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

    def opportunities(self, region: str, top: int | None = 10) -> list[Opportunity]:
        """Rank where `region` could diversify next (see knowledge.opportunities)."""
        k = self.counts.regions.index(region)
        return opportunities(self.counts.technologies, self.specialised[k], self.density[k],
                             self.complexity.technologies, top)


def analyse(counts: Counts) -> Space:
    """Compute the knowledge space of `counts` (regions without any count are left out)."""
    active = counts.active()
    quotient = rta(active.values)
    m = specialised(quotient)
    phi = proximity(m)
    return Space(active, quotient, m, phi, density(m, phi), complexity(m))

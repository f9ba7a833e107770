"""Knowledge complexity of regions and technologies: the eigenvector method, and reflections.

The eigenvector method (Hidalgo & Hausmann 2009; Hausmann et al. 2014) takes the eigenvector
of the second largest eigenvalue of M~tt = U^-1 M' D^-1 M (U: ubiquities, D: diversities).
Conventions as in py-ecomplexity: the sign makes region complexity correlate positively with
diversity; region complexity is a z-score (population standard deviation), and technology
complexity is scaled with the mean and standard deviation of region complexity, so that both
sit on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Complexity:
    """Complexity of each region and technology, and the diversity and ubiquity behind it."""

    regions: np.ndarray
    technologies: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray


def complexity(m: np.ndarray) -> Complexity:
    """Compute complexity by the eigenvector method from the binary matrix M.

    Every region must be specialised in something and every technology held by some region
    (Counts.active() and RTA guarantee both).
    """
    diversity, ubiquity = m.sum(axis=1), m.sum(axis=0)
    # M~tt is similar to the symmetric S = U^-1/2 M' D^-1 M U^-1/2: eigh is exact and stable.
    root = 1.0 / np.sqrt(ubiquity)
    s = (m * root).T @ (m * root / diversity[:, None])
    values, vectors = np.linalg.eigh(s)
    tech = vectors[:, np.argsort(values)[-2]] * root
    region = (m / diversity[:, None]) @ tech
    sign = np.sign(np.corrcoef(diversity, region)[0, 1]) if region.std() > 0 else 1.0
    region, tech = sign * region, sign * tech
    mean, std = region.mean(), region.std()
    return Complexity((region - mean) / std, (tech - mean) / std, diversity, ubiquity)


def reflections(m: np.ndarray, steps: int = 18) -> tuple[np.ndarray, np.ndarray]:
    """Return the method of reflections' k_r,n and k_t,n for n = `steps` (a cross-check).

    k_r,0 is diversity and k_t,0 ubiquity; each step averages the other side's values over a
    row's (or column's) specialisations. Even steps of k_r order regions as the eigenvector
    method does, before they all converge to one value.
    """
    diversity, ubiquity = m.sum(axis=1), m.sum(axis=0)
    k_r, k_t = diversity.astype(float), ubiquity.astype(float)
    for _ in range(steps):
        k_r, k_t = (m @ k_t) / diversity, (m.T @ k_r) / ubiquity
    return k_r, k_t


def outlook_gain(m: np.ndarray, phi: np.ndarray, tech: np.ndarray) -> np.ndarray:
    """Return each region's complexity outlook gain from each technology it does not hold.

    COG_rt = sum over technologies j the region lacks of phi_jt / sum_k phi_jk × PCI_j
    (Hausmann et al. 2014): how much entering t would raise the relatedness density of the
    region's other missing technologies, each weighted by its complexity. Zero where the
    region is specialised already. phi has a zero diagonal, as in our density, so t's own
    term is left out.
    """
    total = phi.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # weights[j, t]: the share of j's relatedness that comes from t, times PCI_j
        weights = np.where(total[:, None] > 0, phi / total[:, None], 0.0) * tech[:, None]
    missing = 1.0 - m
    return missing * (missing @ weights)

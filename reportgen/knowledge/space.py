"""Specialisation and relatedness: RTA, the binary region × technology matrix, proximity, density.

Conventions follow py-ecomplexity (Harvard Growth Lab), so that numbers can be compared:

- RTA_rt = (x_rt / x_r.) / (x_.t / x_..), the location quotient of the counts;
- a region is specialised in a technology when RTA >= 1 (exactly 1 counts as specialised);
- proximity phi_ij = U_ij / max(k_i, k_j), where U_ij counts the regions specialised in both
  and k_i the regions specialised in i: the smaller of the two conditional probabilities
  of being specialised in one given the other; phi_ii = 0;
- relatedness density RD_rt = 100 * sum_j M_rj phi_tj / sum_j phi_tj (j != t): the share of
  the technologies related to t, weighted by relatedness, in which r is specialised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Counts:
    """Activity counts (patents, jobs, publications) of regions (rows) in technologies."""

    regions: list[str]
    technologies: list[str]
    values: np.ndarray  # float, regions × technologies, non-negative

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> Counts:
        """Make the matrix from a tidy table of one period: region, technology, count."""
        wide = table.pivot_table(index="region", columns="technology", values="count",
                                 aggfunc="sum", fill_value=0.0)
        return cls([str(r) for r in wide.index], [str(t) for t in wide.columns],
                   wide.to_numpy(dtype=float))

    def active(self) -> Counts:
        """Drop regions and technologies without any count: their shares are undefined."""
        rows = self.values.sum(axis=1) > 0
        cols = self.values.sum(axis=0) > 0
        return Counts([r for r, k in zip(self.regions, rows, strict=True) if k],
                      [t for t, k in zip(self.technologies, cols, strict=True) if k],
                      self.values[np.ix_(rows, cols)])


def rta(values: np.ndarray) -> np.ndarray:
    """Return the location quotient of every region × technology count."""
    share = values / values.sum(axis=1, keepdims=True)
    world = values.sum(axis=0, keepdims=True) / values.sum()
    return share / world


def specialised(rta_values: np.ndarray, threshold: float = 1.0) -> np.ndarray:
    """Return the binary matrix M: 1 where RTA reaches the threshold (1 by convention)."""
    return (rta_values >= threshold).astype(float)


def proximity(m: np.ndarray) -> np.ndarray:
    """Return the symmetric proximity of every pair of technologies (diagonal 0)."""
    together = m.T @ m
    ubiquity = np.diag(together).copy()
    larger = np.maximum.outer(ubiquity, ubiquity)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(larger > 0, together / larger, 0.0)
    np.fill_diagonal(phi, 0.0)
    return phi


def density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Return relatedness density (0–100) of every region × technology.

    A technology related to nothing (a row of phi that is all zero) has density 0.
    """
    total = phi.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(total[:, None] > 0, phi / total[:, None], 0.0)
    # Clipped: a region holding every related technology sums to 100 up to rounding.
    return np.clip(100.0 * (m @ weights.T), 0.0, 100.0)

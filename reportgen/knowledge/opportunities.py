"""Rank where a region could diversify next: related to what it knows, and hard to copy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Opportunity:
    """A technology the region is not yet specialised in, with the two sides of the choice."""

    technology: str
    density: float  # relatedness density, 0–100: how close it is (low risk when high)
    complexity: float  # technology complexity: how hard to copy (high reward when high)
    score: float  # 0–1: the mean of the two percentile ranks
    gain: float = 0.0  # complexity outlook gain: what entering it opens up (not in the score)


def percentile_ranks(values: np.ndarray) -> np.ndarray:
    """Rank values from 0 (lowest) to 1 (highest); ties share their mean rank."""
    if values.size < 2:
        return np.ones_like(values, dtype=float)
    order = values.argsort(kind="stable")
    ranks = np.empty(values.size)
    ranks[order] = np.arange(values.size)
    # Ties: every member of a group of equal values gets the group's mean rank.
    _, group, counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.bincount(group, weights=ranks)
    return (sums / counts)[group] / (values.size - 1)


def opportunities(technologies: list[str], specialised: np.ndarray, density: np.ndarray,
                  complexity: np.ndarray, gain: np.ndarray | None = None,
                  top: int | None = None) -> list[Opportunity]:
    """Rank the technologies a region is not specialised in, best first.

    The score is the mean of two percentile ranks: the technology's relatedness density among
    the region's candidates, and its complexity among all technologies. Equal weight to risk
    and reward, as in Balland et al. (2018); ties go to the more related technology.
    """
    candidates = np.flatnonzero(specialised == 0)
    if candidates.size == 0:
        return []
    near = percentile_ranks(density[candidates])
    hard = percentile_ranks(complexity)[candidates]
    score = (near + hard) / 2
    order = sorted(range(candidates.size), key=lambda k: (-score[k], -density[candidates[k]],
                                                          technologies[candidates[k]]))
    picked = [candidates[k] for k in order][:top]
    ranked = dict(zip(candidates.tolist(), score.tolist(), strict=True))
    gains = np.zeros(len(technologies)) if gain is None else gain
    return [Opportunity(technologies[t], float(density[t]), float(complexity[t]), ranked[t],
                        float(gains[t])) for t in picked]

"""Compare a region with its portfolio: positions, ranks, strengths; choose good-practice cases."""

"""Pick what the one-page overview needs: lessons for weaknesses and group disagreements."""

from __future__ import annotations

from reportgen.report.views import (
    DimensionView,
    Disagreement,
    Glance,
    GroupValue,
    Item,
    Lesson,
)


def lessons(dims: list[DimensionView], weaknesses: list[Item]) -> list[Lesson]:
    """Pair each weak indicator with the dimension it belongs to (and so with its case)."""
    home = {i.id: d for d in dims for i in d.indicators}
    seen: set[str] = set()
    found = []
    for item in weaknesses:
        if item.id in home:
            dim = home[item.id]
            found.append(Lesson(item, dim, dim.id not in seen))
            seen.add(dim.id)
    return found


def widest_gaps(items: list[Item]) -> list[tuple[Item, GroupValue, GroupValue]]:
    """Return (item, lowest group, highest group) for every item, the widest gap first.

    Only values the report shows take part, so a gap discloses nothing new; ties keep the
    catalogue's order (sorted() is stable).
    """
    found = []
    for item in items:
        shown = sorted((g for g in item.groups if g.shown and g.value is not None),
                       key=lambda g: g.value or 0.0)
        if len(shown) >= 2:
            found.append((item, shown[0], shown[-1]))
    return sorted(found, key=lambda f: (f[1].value or 0.0) - (f[2].value or 0.0))


def disagreements(dims: list[DimensionView], top: int) -> list[Disagreement]:
    """Return the `top` indicators on which the shown group values lie furthest apart."""
    home = {i.id: d for d in dims for i in d.indicators}
    ranked = widest_gaps([i for d in dims for i in d.indicators])
    return [Disagreement(item, home[item.id], low, high) for item, low, high in ranked
            if (high.value or 0.0) > (low.value or 0.0)][:top]


def glance(dims: list[DimensionView], weaknesses: list[Item], top: int) -> Glance:
    """Assemble the overview's own selections; the rest comes from the report context."""
    return Glance(lessons(dims, weaknesses), disagreements(dims, top))

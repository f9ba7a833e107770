"""Write the generated sentences of the regional perspective and the summary."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.benchmark import Position
from reportgen.progress import Change


@dataclass(frozen=True)
class Named:
    """A value with the name it is reported under."""

    name: str
    position: Position


@dataclass(frozen=True)
class GroupGap:
    """The widest difference between two stakeholder groups on one indicator."""

    indicator: str
    high_group: str
    high: float
    low_group: str
    low: float


def fmt(value: float | None, decimals: int) -> str:
    """Format a score for prose."""
    return "no value" if value is None else f"{value:.{decimals}f}"


def relation(distance: float | None) -> str:
    """Describe a distance from the portfolio median, in IQR units, in words."""
    if distance is None:
        return "not comparable with"
    if distance >= 1:
        return "well above"
    if distance >= 0.25:
        return "above"
    if distance > -0.25:
        return "close to"
    if distance > -1:
        return "below"
    return "well below"


def position_sentences(region: str, composite: Position, n: int, decimals: int) -> list[str]:
    """Say where the region's composite stands in the portfolio."""
    if composite.value is None:
        return [f"There is not enough data for a composite score of {region} in this dimension: "
                "fewer of its indicators could be computed than the data threshold requires."]
    v = fmt(composite.value, decimals)
    out = [f"{region} reaches a composite score of {v}, based on the answers of {n} "
           "respondents."]
    if composite.stats is not None and composite.rank is not None:
        out.append(f"This ranks {composite.rank} of {composite.of} regions and lies in the "
                   f"{composite.band} band, {relation(composite.distance)} the portfolio median "
                   f"of {fmt(composite.stats.median, decimals)}.")
    return out


def change_sentences(change: Change | None, decimals: int) -> list[str]:
    """Say how the composite moved since the previous wave, and whether that is noise."""
    if change is None:
        return []
    moved = (f"Since wave {change.previous_label} the composite has moved from "
             f"{fmt(change.previous, decimals)} to {fmt(change.value, decimals)} "
             f"({change.delta:+.{decimals}f}).")
    if change.supported is None:
        return [moved + " The data do not allow a judgement whether this is more than noise."]
    if change.supported:
        word = "improvement" if change.delta > 0 else "decline"
        return [moved + f" With a margin of error of ±{fmt(change.margin, decimals)}, this is a "
                f"real {word} in how the stakeholders see the dimension."]
    return [moved + f" This lies within the margin of error of ±{fmt(change.margin, decimals)} "
            "given the numbers of respondents, so it should not be read as a change."]


def indicator_sentences(items: list[Named], decimals: int) -> list[str]:
    """Name the indicators furthest above and below the portfolio median."""
    ranked = sorted((i for i in items if i.position.distance is not None),
                    key=lambda i: i.position.distance or 0.0, reverse=True)
    if len(ranked) < 2:
        return []
    best, worst = ranked[0], ranked[-1]

    def part(item: Named) -> str:
        p = item.position
        median = fmt(p.stats.median if p.stats else None, decimals)
        return (f"{item.name} ({fmt(p.value, decimals)}, {relation(p.distance)} the median of "
                f"{median})")

    return [f"Measured against the portfolio, the region's relative strength here is "
            f"{part(best)}, and its relative weakness is {part(worst)}."]


def group_sentences(gap: GroupGap | None, threshold: float, decimals: int) -> list[str]:
    """Say whether the stakeholder groups see the dimension differently."""
    if gap is None:
        return ["Fewer than two stakeholder groups have enough respondents to compare their "
                "views in this dimension."]
    if gap.high - gap.low < threshold:
        return [f"The stakeholder groups judge this dimension alike: no two groups differ by "
                f"{fmt(threshold, decimals)} points or more on any indicator."]
    return [f"Views differ most on {gap.indicator}: the {gap.high_group.lower()} rates it "
            f"{fmt(gap.high, decimals)}, the {gap.low_group.lower()} {fmt(gap.low, decimals)}. "
            "Such a gap is worth discussing with both groups before acting on the average."]


def excluded_sentences(groups: list[tuple[str, int]], floor: int) -> list[str]:
    """Explain which groups were left out of the region's values and why."""
    if not groups:
        return []
    listed = ", ".join(f"the {label.lower()} ({n})" for label, n in groups)
    return [f"Groups with fewer than {floor} respondents are left out of the region's values: "
            f"{listed}."]


def summary_sentences(region: str, composites: list[Named], decimals: int) -> list[str]:
    """Summarise the composites against the portfolio median."""
    known = [c for c in composites if c.position.above_median is not None]
    above = [c.name for c in known if c.position.above_median]
    out = [f"{region} scores above the portfolio median in {len(above)} of {len(composites)} "
           "dimensions."]
    if known:
        best = max(known, key=lambda c: c.position.distance or 0.0)
        worst = min(known, key=lambda c: c.position.distance or 0.0)
        out.append(f"Its best relative result is in {best.name} "
                   f"({fmt(best.position.value, decimals)}, rank {best.position.rank} of "
                   f"{best.position.of}); the most room for improvement is in {worst.name} "
                   f"({fmt(worst.position.value, decimals)}, rank {worst.position.rank} of "
                   f"{worst.position.of}).")
    missing = [c.name for c in composites if c.position.value is None]
    if missing:
        out.append("No composite could be computed for " + ", ".join(missing) + ".")
    return out

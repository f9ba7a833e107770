"""Write the generated sentences of the regional perspective and the summary.

Every sentence is a whole translatable message with named placeholders, so that a translator
can reorder its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.benchmark import Position
from reportgen.i18n import Lang
from reportgen.progress import Change


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


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


def relation(t: Lang, distance: float | None) -> str:
    """Describe a distance from the portfolio median, in IQR units, in words."""
    if distance is None:
        return t._("not comparable with")
    if distance >= 1:
        return t._("well above")
    if distance >= 0.25:
        return t._("above")
    if distance > -0.25:
        return t._("close to")
    if distance > -1:
        return t._("below")
    return t._("well below")


def position_sentences(t: Lang, region: str, composite: Position, n: int) -> list[str]:
    """Say where the region's composite stands in the portfolio."""
    if composite.value is None:
        return [t._("There is not enough data for a composite score of {region} in this "
                    "dimension: fewer of its indicators could be computed than the data "
                    "threshold requires.").format(region=region)]
    out = [t._("{region} reaches a composite score of {value}, based on the answers of {n} "
               "respondents.").format(region=region, value=t.num(composite.value), n=n)]
    if composite.stats is not None and composite.rank is not None:
        out.append(t._("This ranks {rank} of {of} regions and lies in the {band} band, "
                       "{relation} the portfolio median of {median}.").format(
            rank=composite.rank, of=composite.of, band=t._(composite.band or ""),
            relation=relation(t, composite.distance), median=t.num(composite.stats.median)))
    return out


def change_sentences(t: Lang, change: Change | None) -> list[str]:
    """Say how the composite moved since the previous wave, and whether that is noise."""
    if change is None:
        return []
    moved = t._("Since wave {wave} the composite has moved from {old} to {new} ({delta}).").format(
        wave=change.previous_label, old=t.num(change.previous), new=t.num(change.value),
        delta=t.signed(change.delta))
    if change.supported is None:
        return [moved + " " + t._("The data do not allow a judgement whether this is more than "
                                  "noise.")]
    if change.supported:
        text = (t._("With a margin of error of ±{margin}, this is a real improvement in how the "
                    "stakeholders see the dimension.") if change.delta > 0 else
                t._("With a margin of error of ±{margin}, this is a real decline in how the "
                    "stakeholders see the dimension."))
        return [moved + " " + text.format(margin=t.num(change.margin))]
    return [moved + " " + t._("This lies within the margin of error of ±{margin} given the "
                              "numbers of respondents, so it should not be read as a change."
                              ).format(margin=t.num(change.margin))]


def indicator_sentences(t: Lang, items: list[Named]) -> list[str]:
    """Name the indicators furthest above and below the portfolio median."""
    ranked = sorted((i for i in items if i.position.distance is not None),
                    key=lambda i: i.position.distance or 0.0, reverse=True)
    if len(ranked) < 2:
        return []
    best, worst = ranked[0], ranked[-1]

    def part(item: Named) -> str:
        p = item.position
        return t._("{name} ({value}, {relation} the median of {median})").format(
            name=item.name, value=t.num(p.value), relation=relation(t, p.distance),
            median=t.num(p.stats.median if p.stats else None))

    return [t._("Measured against the portfolio, the region's relative strength here is "
                "{best}, and its relative weakness is {worst}.").format(best=part(best),
                                                                        worst=part(worst))]


def group_sentences(t: Lang, gap: GroupGap | None, threshold: float) -> list[str]:
    """Say whether the stakeholder groups see the dimension differently."""
    if gap is None:
        return [t._("Fewer than two stakeholder groups have enough respondents to compare their "
                    "views in this dimension.")]
    if gap.high - gap.low < threshold:
        return [t._("The stakeholder groups judge this dimension alike: no two groups differ by "
                    "{threshold} points or more on any indicator.").format(
            threshold=t.num(threshold))]
    return [t._("Views differ most on {indicator}: {high_group} rates it {high}, {low_group} "
                "{low}. Such a gap is worth discussing with both groups before acting on the "
                "average.").format(indicator=gap.indicator, high_group=gap.high_group,
                                   high=t.num(gap.high), low_group=gap.low_group,
                                   low=t.num(gap.low))]


def excluded_sentences(t: Lang, groups: list[tuple[str, int]], floor: int) -> list[str]:
    """Explain which groups were left out of the region's values and why."""
    if not groups:
        return []
    listed = ", ".join(f"{label} ({n})" for label, n in groups)
    return [t._("Groups with fewer than {floor} respondents are left out of the region's "
                "values: {groups}.").format(floor=floor, groups=listed)]


def summary_sentences(t: Lang, region: str, composites: list[Named]) -> list[str]:
    """Summarise the composites against the portfolio median."""
    known = [c for c in composites if c.position.above_median is not None]
    above = [c.name for c in known if c.position.above_median]
    out = [t._("{region} scores above the portfolio median in {k} of {n} dimensions.").format(
        region=region, k=len(above), n=len(composites))]
    if known:
        best = max(known, key=lambda c: c.position.distance or 0.0)
        worst = min(known, key=lambda c: c.position.distance or 0.0)
        out.append(t._("Its best relative result is in {best} ({best_value}, rank {best_rank} "
                       "of {of}); the most room for improvement is in {worst} ({worst_value}, "
                       "rank {worst_rank} of {of}).").format(
            best=best.name, best_value=t.num(best.position.value), best_rank=best.position.rank,
            worst=worst.name, worst_value=t.num(worst.position.value),
            worst_rank=worst.position.rank, of=best.position.of))
    missing = [c.name for c in composites if c.position.value is None]
    if missing:
        out.append(t._("No composite could be computed for {names}.").format(
            names=", ".join(missing)))
    return out

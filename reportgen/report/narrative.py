"""Write the generated sentences of the regional perspective and the summary.

Every sentence is a whole translatable message with named placeholders, so that a translator
can reorder its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.benchmark.compare import Position
from reportgen.report.change import Change
from reportgen.report.i18n import Lang


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
    tied: tuple[str, ...] = ()  # other indicators whose printed difference is as large


def quoted(t: Lang, names: list[str] | tuple[str, ...]) -> str:
    """Quote names as the language quotes them, in a comma-separated list."""
    # Translators: the quotation marks around a name, e.g. „{name}“ or « {name} ».
    return ", ".join(t._("“{name}”").format(name=name) for name in names)


def relation(distance: float | None, close: float = 0.25, far: float = 1.0) -> str:
    """Name the side of the portfolio median a distance (in spreads) lies on (rules' cut-offs)."""
    if distance is None:
        return "none"
    if distance >= far:
        return "well above"
    if distance >= close:
        return "above"
    if distance > -close:
        return "close"
    if distance > -far:
        return "below"
    return "well below"


def standing(t: Lang, distance: float | None, cutoffs: tuple[float, float]) -> str:
    """Return the whole rank-and-median sentence for the region's distance from the median."""
    # One whole sentence per relation, so each language words it with its own grammar.
    words = {
        "none": t._("This is rank {rank} of {of} regions (band: {band}); it cannot be compared "
                    "with the portfolio median of {median}."),
        "well above": t._("This is rank {rank} of {of} regions (band: {band}) and lies well above "
                          "the portfolio median of {median}."),
        "above": t._("This is rank {rank} of {of} regions (band: {band}) and lies above the "
                     "portfolio median of {median}."),
        "close": t._("This is rank {rank} of {of} regions (band: {band}) and lies close to the "
                     "portfolio median of {median}."),
        "below": t._("This is rank {rank} of {of} regions (band: {band}) and lies below the "
                     "portfolio median of {median}."),
        "well below": t._("This is rank {rank} of {of} regions (band: {band}) and lies well below "
                          "the portfolio median of {median}."),
    }
    return words[relation(distance, *cutoffs)]


def position_sentences(t: Lang, region: str, composite: Position, n: int,
                       cutoffs: tuple[float, float] = (0.25, 1.0)) -> list[str]:
    """Say where the region's composite stands in the portfolio."""
    if composite.value is None:
        return [t._("There is not enough data for a composite score of {region} in this "
                    "dimension: fewer of its indicators could be computed than the data "
                    "threshold requires.").format(region=region)]
    out = [t.ngettext("{region} reaches a composite score of {value}, based on the answers of {n} "
                      "respondent.", "{region} reaches a composite score of {value}, based on "
                      "the answers of {n} respondents.", n).format(
        region=region, value=t.num(composite.value), n=n)]
    if composite.stats is not None and composite.rank is not None:
        out.append(standing(t, composite.distance, cutoffs).format(
            rank=composite.rank, of=composite.of,
            band=band_word(t, composite), median=t.num(composite.stats.median)))
    if composite.interval is not None and composite.rank_band is not None:
        low, high = composite.interval
        if not composite.rank_spread:
            out.append(t._("With the respondents resampled, the composite lies between {low} and "
                           "{high} in {level} of cases, and its rank stays at {rank}.").format(
                low=t.num(low), high=t.num(high), rank=composite.rank,
                level=t.percent(composite.level)))
            return out
        out.append(t._("With the respondents resampled, the composite lies between {low} and "
                       "{high} and its rank between {best} and {worst} in {level} of cases."
                       ).format(low=t.num(low), high=t.num(high), best=composite.rank_band[0],
                                worst=composite.rank_band[1], level=t.percent(composite.level)))
    return out


def band_word(t: Lang, p: Position) -> str:
    """Name the region's quarter of the portfolio, if the resamples bear it out."""
    if p.band is None:
        return "–"
    settled = p.settled_band
    return t._(settled) if settled else t._("not settled")


def change_sentences(t: Lang, change: Change | None) -> list[str]:
    """Say how the composite moved since the previous wave, and what the margin test shows."""
    if change is None:
        return []
    moved = t._("Since wave {wave} the composite has moved from {old} to {new} ({delta}).").format(
        wave=change.previous_label, old=t.num(change.previous), new=t.num(change.value),
        delta=t.difference(change.previous, change.value))
    if change.shown_delta == 0:
        return [t._("Since wave {wave} the composite is unchanged at {new}.").format(
            wave=change.previous_label, new=t.num(change.value))]
    if change.supported is None:
        return [moved + " " + t._("The respondent numbers do not allow a margin of error to be "
                                  "computed for this change.")]
    if change.supported:
        text = (t._("The rise is larger than its margin of error of ±{margin}.")
                if change.delta > 0 else
                t._("The fall is larger than its margin of error of ±{margin}."))
        return [moved + " " + text.format(margin=t.num(change.margin))]
    return [moved + " " + t._("This lies within the margin of error of ±{margin} given the "
                              "numbers of respondents, so it should not be read as a change."
                              ).format(margin=t.num(change.margin))]


def indicator_sentences(t: Lang, items: list[Named]) -> list[str]:
    """Name the indicators furthest above and below the portfolio median.

    Distances are measured in interquartile ranges (METHOD.md §4). When every indicator lies
    on the same side of the median, "strength" and "weakness" would mislead, so the sentence
    speaks of the largest and smallest lead (or gap) instead.
    """
    ranked = sorted((i for i in items if i.position.distance is not None),
                    key=lambda i: i.position.distance or 0.0, reverse=True)
    if len(ranked) < 2:
        return []
    best, worst = ranked[0], ranked[-1]

    def part(item: Named) -> str:
        p = item.position
        return t._("“{name}” ({value}, rank {rank} of {of}; median {median})").format(
            name=item.name, value=t.num(p.value), rank=p.rank, of=p.of,
            median=t.num(p.stats.median if p.stats else None))

    # The lead/gap sentences name sizes a reader checks against the printed value and
    # median, so they order by that difference in points as printed (a finer difference
    # only breaks ties), not by the spread-scaled distance.
    def lead(item: Named) -> tuple[float, float]:
        p = item.position
        value, median = p.value or 0.0, p.stats.median if p.stats else 0.0
        return t.shown_difference(median, value), value - median

    def ties(*named: Named) -> list[str]:
        # Each was chosen by the finer difference among those that print alike: say so,
        # once for a lead the two named share.
        said, printed = [], set()
        for item in named:
            mine = lead(item)[0]
            same = [i.name for i in ranked if i is not item and lead(i)[0] == mine]
            if same and mine not in printed:
                said.append(t.ngettext(
                    "Rounded, {others} lies as far from the median as “{name}”.",
                    "Rounded, {others} lie as far from the median as “{name}”.",
                    len(same)).format(others=quoted(t, same), name=item.name))
            printed.add(mine)
        return said

    if (worst.position.distance or 0.0) >= 0:
        best, worst = max(ranked, key=lead), min(ranked, key=lead)
        said = [t._("Every indicator of this dimension lies at or above the portfolio median. "
                    "The lead is largest for the indicator {best} and smallest for the indicator "
                    "{worst}.").format(best=part(best), worst=part(worst)),
                *ties(best, worst)]
        # The summary ranks by the spread-scaled distance: where that names another
        # indicator, say so rather than leave two chapters that seem to disagree.
        if ranked[0] is not best:
            said.append(t._("Measured in box lengths of the portfolio, as the summary ranks "
                            "strengths, “{name}” lies furthest ahead.").format(
                name=ranked[0].name))
        return said
    if (best.position.distance or 0.0) <= 0:
        best, worst = max(ranked, key=lead), min(ranked, key=lead)
        said = [t._("Every indicator of this dimension lies at or below the portfolio median. "
                    "The gap is smallest for the indicator {best} and largest for the indicator "
                    "{worst}.").format(best=part(best), worst=part(worst)),
                *ties(best, worst)]
        if ranked[-1] is not worst:
            said.append(t._("Measured in box lengths of the portfolio, as the summary ranks "
                            "weaknesses, “{name}” lies furthest behind.").format(
                name=ranked[-1].name))
        return said
    return [t._("Measured against the portfolio, the region's relative strength here is the "
                "indicator {best}, and its relative weakness is the indicator {worst}.").format(
        best=part(best), worst=part(worst))]


def group_sentences(t: Lang, gap: GroupGap | None, large: float) -> list[str]:
    """Name the widest difference between the stakeholder groups and grade it by size.

    `large` is the gap the catalogue's rules call large (a share of the scale); half of it is
    already worth a question. Every grade states the gap in points, so none hides it.
    """
    if gap is None:
        return [t._("Fewer than two stakeholder groups have enough respondents to compare their "
                    "views in this dimension.")]
    said = t._("The widest difference between the stakeholder groups is on the indicator "
               "“{indicator}” ({high_group} {high}, {low_group} {low}).").format(
        indicator=gap.indicator, high_group=gap.high_group, high=t.num(gap.high),
        low_group=gap.low_group, low=t.num(gap.low))
    if gap.tied:
        said += " " + t.ngettext("Rounded, the difference on {others} is as large.",
                                 "Rounded, the differences on {others} are as large.",
                                 len(gap.tied)).format(others=quoted(t, gap.tied))
    size = t.shown_difference(gap.low, gap.high)  # the gap between the printed values
    if size >= large:
        grade = t._("A gap of {gap} points is large: discuss it with both groups before acting "
                    "on the average.")
    elif size >= large / 2:
        grade = t._("A gap of {gap} points is noticeable: it is worth asking both groups what "
                    "lies behind it.")
    else:
        grade = t._("At {gap} points, the groups see this dimension much alike.")
    return [said + " " + grade.format(gap=t.num(size))]


def excluded_sentences(t: Lang, groups: list[tuple[str, int]], floor: int) -> list[str]:
    """Explain which groups were left out of the region's values and why."""
    if not groups:
        return []
    listed = ", ".join(f"{label} ({n})" for label, n in groups)
    return [t.ngettext("Groups with fewer than {floor} respondent are left out of the region's "
                       "values: {groups}.", "Groups with fewer than {floor} respondents are left "
                       "out of the region's values: {groups}.", floor).format(
        floor=floor, groups=listed)]


def summary_sentences(t: Lang, region: str, composites: list[Named]) -> list[str]:
    """Summarise the composites: how many lie above the median, best and weakest rank."""
    known = [c for c in composites if c.position.rank is not None]
    above = [c.name for c in known if c.position.above_median]
    out = [t.ngettext("{region} scores above the portfolio median in {k} of {n} dimension.",
                      "{region} scores above the portfolio median in {k} of {n} dimensions.",
                      len(composites)).format(
        region=region, k=len(above), n=len(composites))]
    if len(known) > 1:
        # Ranks, not IQR distances: a reader checks this sentence against the rank column.
        best = min(known, key=lambda c: (c.position.rank or 0, -(c.position.distance or 0.0)))
        worst = max(known, key=lambda c: (c.position.rank or 0, -(c.position.distance or 0.0)))
        out.append(t._("Its best position is in the dimension “{best}” ({best_value}, rank "
                       "{best_rank} of {of}); its weakest is in the dimension “{worst}” "
                       "({worst_value}, rank {worst_rank} of {of}).").format(
            best=best.name, best_value=t.num(best.position.value), best_rank=best.position.rank,
            worst=worst.name, worst_value=t.num(worst.position.value),
            worst_rank=worst.position.rank, of=best.position.of))
    missing = [c.name for c in composites if c.position.value is None]
    if missing:
        out.append(t._("No composite could be computed for these dimensions: {names}.").format(
            names=", ".join(missing)))
    return out

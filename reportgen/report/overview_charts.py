"""Draw the composites at a glance: the spider chart and the lines across survey waves."""

from __future__ import annotations

import math

from reportgen.report.charts import (
    ACCENT,
    ENGLISH,
    INK,
    MARKERS,
    MEDIAN_LINE,
    _axes,
    _figure,
    _halo,
    _svg,
    _ticks,
    _wrap,
    marker_style,
    styled,
)
from reportgen.report.i18n import Lang


@styled
def radar_chart(labels: list[str], region: list[float | None], median: list[float | None],
                lo: float, hi: float, region_label: str, median_label: str,
                t: Lang = ENGLISH, compact: bool = False) -> str:
    """Draw the composites of the region against the portfolio median on a spider chart.

    `compact` draws it for a narrow column at the size it is shown, so that its (short)
    labels keep a readable type size instead of shrinking with a page-wide figure.
    """
    if compact:
        fig = _figure(2.75, 2.6)
        ax = fig.add_axes((0.29, 0.1, 0.42, 0.54), projection="polar")
    else:
        fig = _figure(4.6)
        # Room above and below for labels of three or four lines (French, Slovenian names).
        ax = fig.add_axes((0.25, 0.15, 0.5, 0.66), projection="polar")
    k = len(labels)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    angles = [2 * math.pi * i / k for i in range(k)]
    closed = angles + angles[:1]

    def series(vals: list[float | None]) -> list[float]:
        # A gap, not a zero: a missing composite must not look like the worst score.
        data = [math.nan if v is None else v for v in vals]
        return data + data[:1]

    ax.plot(closed, series(median), color=MEDIAN_LINE, linestyle="--", linewidth=1.2,
            marker="o", markersize=3, label=median_label)
    ax.plot(closed, series(region), color=ACCENT, linewidth=1.8, marker="D", markersize=4,
            markeredgecolor=INK, label=region_label)
    ax.set_ylim(lo, hi)
    rings = [v for v in _ticks(lo, hi) if float(v).is_integer() and v > lo]
    # At most five labelled rings, the outermost always: ten of them (0–10) crowd the spoke.
    rings = rings[::-1][::math.ceil(len(rings) / 5)][::-1]
    ax.set_yticks(rings, [])
    # Each ring's number between the first two spokes, above the lines and on a halo: as tick
    # labels on a spoke, the region's line hid one of them.
    for ring in rings:
        ax.text(math.pi / k, ring, t.num(ring, 0 if float(ring).is_integer() else 1),
                fontsize=6, color=MEDIAN_LINE, ha="center", va="center", zorder=10,
                path_effects=[_halo()])
    ax.set_xticks(angles, [_wrap(lbl, 14 if compact else 18) for lbl in labels])
    ax.tick_params(axis="x", pad=4 if compact else 14, labelsize=8)
    for angle, label in zip(angles, ax.get_xticklabels(), strict=True):
        # A label on the side starts outside the ring instead of being centred across it.
        side = math.sin(angle)
        label.set_horizontalalignment("left" if side > 0.3 else "right" if side < -0.3
                                      else "center")
    ax.grid(color="#d0d4d9", linewidth=0.5)
    if compact:  # below the bottom label: above, it would crowd the top one
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False, fontsize=7.5)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.25), ncol=2, frameon=False,
                  fontsize=7)
    return _svg(fig, tight=compact)


@styled
def waves_chart(waves: list[str], series: list[tuple[str, list[float | None]]],
                lo: float, hi: float, t: Lang = ENGLISH) -> str:
    """Draw one line per dimension across the survey waves, each named at its end."""
    plot_height = 2.15
    fig, ax = _axes(plot_height, left=0.45, right=2.9, top=0.15)  # no legend above
    xs = list(range(len(waves)))
    ends: list[tuple[float, float, str]] = []
    for k, (label, vals) in enumerate(series):
        marker, fill = marker_style(k)
        ys = [math.nan if v is None else v for v in vals]
        ax.plot(xs, ys, color=INK if k % 2 == 0 else MEDIAN_LINE, linewidth=1.0,
                linestyle="-" if k < len(MARKERS) else "--", marker=marker,
                markersize=6, markerfacecolor=fill, markeredgecolor=INK)
        last = max((i for i, y in enumerate(ys) if not math.isnan(y)), default=None)
        if last is not None:
            ends.append((xs[last], ys[last], _wrap(label, 36)))
    # Names at the line ends, pushed apart where lines end close together: one text line
    # of 7 pt is about 0.11 in, so many data units on this axis.
    per_line = (hi - lo) / plot_height * 0.12
    placed = _spread([y for _, y, _ in ends], [per_line * (n.count("\n") + 1) for *_, n in ends])
    right = len(waves) - 1
    for (x, y, name), at in zip(ends, placed, strict=True):
        ax.annotate(name, (x, y), xytext=(right + 0.12, at), textcoords="data", fontsize=7,
                    va="center", ha="left", color=INK, annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": MEDIAN_LINE, "linewidth": 0.5,
                                "shrinkA": 0, "shrinkB": 3})
    ax.set_xticks(xs, waves)
    ax.set_xlim(-0.3, right + 0.08)
    ax.set_ylim(lo, hi)
    ticks = _ticks(lo, hi)
    # One decimal on every tick when any needs it (2.5, 3.0), as the boxplots' axes have.
    places = 0 if all(float(v).is_integer() for v in ticks) else 1
    ax.set_yticks(ticks, [t.num(v, places) for v in ticks])
    ax.grid(axis="y", color="#e3e6ea", linewidth=0.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def _spread(targets: list[float], heights: list[float]) -> list[float]:
    """Place labels as near their targets as possible without overlapping (centres)."""
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    placed = [0.0] * len(targets)
    previous: int | None = None
    for i in order:
        placed[i] = targets[i]
        if previous is not None:
            need = (heights[previous] + heights[i]) / 2
            placed[i] = max(placed[i], placed[previous] + need)
        previous = i
    return placed

"""Draw the report's charts with matplotlib as SVG text, readable in black and white."""

from __future__ import annotations

import functools
import io
import math
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from reportgen.benchmark.compare import PortfolioStats
from reportgen.report.i18n import Lang
from reportgen.report.typography import bind_last_word

ENGLISH = Lang()

INK = "#1b1f24"
BOX = "#d6dee8"
ACCENT = "#c8501e"
MEDIAN_LINE = "#5a6470"
# Marker shape and fill keep the stakeholder groups apart on a black-and-white print
# (hatched bars would too, but SVG hatch patterns triple the PDF render time).
MARKERS = ("o", "s", "^", "v", "P", "X", "D", "<", ">", "h", "*", "p")
FILLS = ("#2f5d8a", "#ffffff", "#9bb7d4")


def marker_style(k: int) -> tuple[str, str]:
    """Return the k-th (marker, fill): distinct for the first 36 groups or dimensions."""
    # Each pass over the shapes shifts the fill, so shape k and shape k + 12 differ in fill.
    return MARKERS[k % len(MARKERS)], FILLS[(k + k // len(MARKERS)) % len(FILLS)]
WIDTH_IN = 6.3


@dataclass(frozen=True)
class BoxRow:
    """One line of a boxplot chart: a label, the portfolio and the region's value."""

    label: str
    stats: PortfolioStats | None
    value: float | None
    emphasis: bool = False
    interval: tuple[float, float] | None = None  # the value's bootstrap interval


# Applied per chart through rc_context, never to the global rcParams of a calling program.
# parse_math off: names such as "5$ vs 10$" are text, not mathtext.
STYLE: dict[str, Any] = {"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "reportgen",
         "axes.edgecolor": MEDIAN_LINE, "axes.linewidth": 0.6, "svg.fonttype": "none",
         "text.parse_math": False}

Draw = TypeVar("Draw", bound=Callable[..., Any])


def styled(draw: Draw) -> Draw:
    """Run a chart function inside the report's matplotlib style."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
            return draw(*args, **kwargs)

    return cast(Draw, wrapper)


@styled
def warm_up() -> None:
    """Load matplotlib's SVG stack and font list ahead of the first chart."""
    _figure(1.0)


def _figure(height_in: float, width_in: float = WIDTH_IN):
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasSVG(fig)
    return fig


def _axes(plot_height_in: float, bottom: float = 0.32, left: float = 2.2,
          right: float = 0.45, top: float = 0.4):
    """Make a figure with fixed margins in inches: labels left, legend on top, ticks below.

    Fixed margins instead of bbox_inches="tight" halve the drawing time of a chart; a chart
    with an axis title below its ticks asks for a larger `bottom`.
    """
    height = plot_height_in + top + bottom
    fig = _figure(height)
    ax = fig.add_axes((left / WIDTH_IN, bottom / height, 1 - (left + right) / WIDTH_IN,
                       plot_height_in / height))
    return fig, ax


# While a caller holds rasters(), every chart drawn in this process is also kept as PNG,
# keyed by its SVG text: slide decks cannot embed SVG.
_RASTERS: ContextVar[dict[str, bytes] | None] = ContextVar("rasters", default=None)


@contextmanager
def rasters() -> Iterator[dict[str, bytes]]:
    """Collect a PNG (200 dpi) of every chart drawn in this process, keyed by its SVG."""
    kept: dict[str, bytes] = {}
    token = _RASTERS.set(kept)
    try:
        yield kept
    finally:
        _RASTERS.reset(token)


def _svg(fig, tight: bool = False) -> str:
    # `tight` grows the canvas to whatever labels stick out (longer names in translation).
    box: dict[str, Any] = {"bbox_inches": "tight", "pad_inches": 0.04} if tight else {}
    buf = io.StringIO()
    # No date in the metadata: the same data must give the same file.
    fig.savefig(buf, format="svg", metadata={"Date": None}, **box)
    svg = buf.getvalue()
    kept = _RASTERS.get()
    if kept is not None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        png = io.BytesIO()
        FigureCanvasAgg(fig)
        fig.savefig(png, format="png", dpi=200, **box)
        kept[svg] = png.getvalue()
    return svg


def _wrap(label: str, width: int = 34) -> str:
    # A short last word ("S3") alone on the last line reads as a stray mark: it keeps the
    # word before it (textwrap does not break at a no-break space).
    label = bind_last_word(label)
    # A word longer than the line (German compounds) is split with a hyphen, not bare.
    lines = textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=True)
    out = []
    for line in lines:
        while len(line) > width + 4:
            out.append(line[:width - 1] + "-")
            line = line[width - 1:]
        out.append(line)
    return "\n".join(out) or label


@styled
def boxplot_chart(rows: list[BoxRow], lo: float, hi: float, region_label: str,
                  portfolio_label: str, t: Lang = ENGLISH, interval_label: str | None = None
                  ) -> str:
    """Draw one horizontal boxplot per row with the region's value as a diamond."""
    fig, ax = _axes(0.45 * len(rows))
    ys = list(range(len(rows), 0, -1))
    boxes, places = [], []
    for y, row in zip(ys, rows, strict=True):
        s = row.stats
        if s is None:
            continue
        places.append(y)
        boxes.append({"med": s.median, "q1": s.q1, "q3": s.q3, "whislo": s.whisker_low,
                      "whishi": s.whisker_high, "fliers": list(s.outliers)})
    if boxes:
        ax.bxp(boxes, positions=places, orientation="horizontal",
               widths=0.5, patch_artist=True, showfliers=True,
               boxprops={"facecolor": BOX, "edgecolor": MEDIAN_LINE, "linewidth": 0.7},
               medianprops={"color": INK, "linewidth": 1.6},
               whiskerprops={"color": MEDIAN_LINE, "linewidth": 0.7},
               capprops={"color": MEDIAN_LINE, "linewidth": 0.7},
               flierprops={"marker": "o", "markersize": 3, "markerfacecolor": "white",
                           "markeredgecolor": MEDIAN_LINE})
    for y, row in zip(ys, rows, strict=True):
        if row.value is not None and row.interval is not None:
            # Thicker than the whiskers and in the region's colour, so the two never mix.
            low, high = row.interval
            ax.errorbar([row.value], [y], xerr=[[row.value - low], [high - row.value]],
                        fmt="none", ecolor=ACCENT, elinewidth=2.2, capsize=3, capthick=1.4,
                        zorder=4)
        if row.value is not None:
            ax.plot([row.value], [y], marker="D", markersize=7, color=ACCENT,
                    markeredgecolor=INK, markeredgewidth=0.8, linestyle="none", zorder=5)
            ax.annotate(t.num(row.value), (row.value, y), xytext=(0, 8),
                        textcoords="offset points", ha="center", fontsize=7, color=INK,
                        path_effects=[_halo()])
        else:
            ax.annotate(t._("no value"), (hi, y), xytext=(2, 0), textcoords="offset points",
                        va="center", fontsize=7, style="italic")
    ax.set_yticks(ys, [_wrap(r.label) for r in rows])
    for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
        if row.emphasis:
            tick.set_fontweight("bold")
    ax.set_ylim(0.4, len(rows) + 0.6)
    pad = (hi - lo) * 0.03
    ax.set_xlim(lo - pad, hi + pad)
    _xticks(ax, lo, hi, t)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.plot([], [], marker="D", color=ACCENT, markeredgecolor=INK, linestyle="none",
            label=region_label)
    ax.add_patch(_legend_box(ax, portfolio_label))
    shown = interval_label is not None and any(r.interval for r in rows)
    if shown:
        ax.errorbar([], [], xerr=[[], []], fmt="none", ecolor=ACCENT, elinewidth=2.2,
                    capsize=3, label=interval_label)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3 if shown else 2,
              frameon=False,
              fontsize=7, handlelength=1.2)
    return _svg(fig)


def _halo() -> Any:
    """A white outline that keeps a label readable on top of box edges and median lines."""
    from matplotlib import patheffects

    return patheffects.withStroke(linewidth=2.5, foreground="white")


def _legend_box(ax, label: str):
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 0, 0, facecolor=BOX, edgecolor=MEDIAN_LINE, label=label)


def _xticks(ax, lo: float, hi: float, t: Lang) -> None:
    """Set round ticks labelled in the report's number format (0,5 in German)."""
    ticks = _ticks(lo, hi)
    places = 0 if all(float(v).is_integer() for v in ticks) else 1
    ax.set_xticks(ticks, [t.num(v, places) for v in ticks])


def _ticks(lo: float, hi: float) -> list[float]:
    """Pick about five to ten round ticks across the score range."""
    span = hi - lo
    step = 0.5 if span <= 5 else (1.0 if span <= 10 else 10 ** math.floor(math.log10(span)))
    n = int(round(span / step))
    return [lo + i * step for i in range(n + 1)]


@styled
def group_chart(labels: list[str], groups: list[tuple[str, list[float | None]]],
                lo: float, hi: float, t: Lang = ENGLISH) -> str:
    """Draw each group's value per indicator as a dot plot; marker shapes tell groups apart."""
    rows = len(labels)
    fig, ax = _axes(0.42 * rows)
    ys = list(range(rows, 0, -1))
    for y, r in zip(ys, range(rows), strict=True):
        present: list[float] = [v for _, vals in groups if (v := vals[r]) is not None]
        if len(present) > 1:
            # The line spans the disagreement between groups on this indicator.
            ax.plot([min(present), max(present)], [y, y], color=MEDIAN_LINE, linewidth=1.2,
                    zorder=1)
    # Each group sits on its own small offset so that equal values do not hide each other.
    step = 0.22 if len(groups) > 1 else 0.0
    for gi, (name, vals) in enumerate(groups):
        marker, fill = marker_style(gi)
        shift = (len(groups) - 1) / 2 * step - gi * step
        points = [(v, y + shift) for v, y in zip(vals, ys, strict=True) if v is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], linestyle="none",
                marker=marker, markersize=7, markerfacecolor=fill, markeredgecolor=INK,
                markeredgewidth=0.8, label=name, zorder=3)
    ax.set_yticks(ys, [_wrap(lbl) for lbl in labels])
    pad = (hi - lo) * 0.03
    ax.set_xlim(lo - pad, hi + pad)
    _xticks(ax, lo, hi, t)
    ax.set_ylim(0.4, rows + 0.6)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.5)
    ax.grid(axis="y", color="#f0f2f4", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    # One row while the names fit the width; long names (four groups, other languages) take
    # two columns, and the canvas grows to hold the taller legend instead of cutting names.
    # (The French group names, 90 by this count, were cut at the figure's edge in one row.)
    wide = sum(len(name) + 6 for name, _ in groups) > 75
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=2 if wide else min(len(groups), 4), frameon=False, fontsize=7)
    return _svg(fig, tight=wide)


def _callouts(ax: Any, marked: list[tuple[float, float, str]], labels: dict[str, str],
              spread: float) -> None:
    """Label the marked points in a column to their right, top to bottom, with leader lines.

    The best opportunities sit close together; labels beside each point overlapped.
    """
    if not marked:
        return
    step = max(spread, 1.0) * 0.09
    column = max(m[0] for m in marked) + 6
    placed: list[float] = []
    for _x, y, _name in marked:  # highest first
        placed.append(y if not placed else min(y, placed[-1] - step))
    for (x, y, name), at in zip(marked, placed, strict=True):
        ax.annotate(labels[name], (x, y), xytext=(column, at), textcoords="data",
                    fontsize=7.5, fontweight="bold", color=INK, va="center",
                    path_effects=[_halo()], zorder=6, annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": MEDIAN_LINE, "linewidth": 0.5,
                                "shrinkA": 2, "shrinkB": 4})


@styled
def opportunity_chart(density: list[float], complexity: list[float], held: list[bool],
                      names: list[str], labels: dict[str, str], x_label: str, y_label: str,
                      held_label: str, open_label: str, best_label: str) -> str:
    """Scatter classes by density (x) and complexity (y): filled where the region holds them.

    The labelled classes are diamonds, named in the legend by `best_label`.
    """
    # Three legend entries in one row, or in two where long labels would run off the figure.
    wide = len(held_label) + len(open_label) + len(best_label) > 80
    fig, ax = _axes(2.0, bottom=0.5, left=1.0, right=0.9, top=0.5 if wide else 0.3)
    for filled, label in ((False, open_label), (True, held_label)):
        xs = [d for d, h in zip(density, held, strict=True) if h == filled]
        ys = [c for c, h in zip(complexity, held, strict=True) if h == filled]
        ax.plot(xs, ys, linestyle="none", marker="o" if filled else "s", markersize=4,
                markerfacecolor=INK if filled else "white", markeredgecolor=INK,
                markeredgewidth=0.6, label=label)
    marked = sorted(((x, y, name) for x, y, name in zip(density, complexity, names, strict=True)
                     if name in labels), key=lambda m: (-m[1], m[0]))
    # Every diamond first, then every label above them all: a later diamond hid a label.
    ax.plot([m[0] for m in marked], [m[1] for m in marked], marker="D", markersize=7,
            color=ACCENT, markeredgecolor=INK, linestyle="none", zorder=5,
            label=best_label if marked else None)
    _callouts(ax, marked, labels, max(complexity, default=0.0) - min(complexity, default=0.0))
    # Densities rarely pass 50: the axis ends a little beyond the largest, within 0–100.
    ax.set_xlim(-2, min(102.0, max(max(density, default=0.0) * 1.15 + 5, 30.0)))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.grid(color="#e3e6ea", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2 if wide else 3,
              frameon=False, fontsize=7, handlelength=1.2)
    return _svg(fig)

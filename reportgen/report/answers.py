"""Show why a value is what it is: each question's answers by group, as stacked bars."""

from __future__ import annotations

import base64

import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.report.i18n import Lang
from reportgen.report.views import AnswerBar, Item, QuestionAnswers, Segment


def question_answers(counts: pd.DataFrame | None, cat: Catalogue, indicators: list[Item],
                     floor: int, t: Lang) -> list[QuestionAnswers]:
    """Return the answer bars of the questions behind `indicators`.

    A group's bars of an indicator appear only where the report shows the group's value of
    the indicator (so the disclosure rule, withheld values included, carries over) and at
    least `floor` of its respondents answered each question of it that any answered. One
    question too thin hides them all: its answers would follow from the group's value and
    the other bars. No bar for all groups together: with a group hidden, it would reveal
    that group's answers by subtraction.
    """
    if counts is None or counts.empty:
        return []
    answered = counts.groupby(["question", "group"])["count"].sum()
    indicator_of = {q.id: q.indicator for q in cat.questions}
    thin = {(indicator_of[qid], g) for (qid, g), n in answered.items() if 0 < n < floor}
    shown = {i.id: [v.shown and (i.id, g.id) not in thin
                    for v, g in zip(i.groups, cat.groups, strict=True)]
             for i in indicators}
    names = {i.id: i.name for i in indicators}
    found = []
    # One set of scores for every question, so that a shade means the same score throughout.
    levels = sorted(counts["score"].unique())
    # Item scores are mostly whole numbers: "2", not "2.0", unless one of them is not.
    places = 0 if all(float(v).is_integer() for v in levels) else None
    for q in cat.questions:
        if q.indicator not in shown:
            continue
        mine = counts[counts["question"] == q.id]
        bars = []
        for g, visible in zip(cat.groups, shown[q.indicator], strict=True):
            theirs = mine[mine["group"] == g.id].set_index("score")["count"]
            n = int(theirs.sum())
            if not visible or n == 0:
                continue
            segments = [Segment(t.num(level, places), int(theirs.get(level, 0)),
                                100 * theirs.get(level, 0) / n, shade(k, len(levels)))
                        for k, level in enumerate(levels)]
            bars.append(AnswerBar(g.label, n, segments, bar_svg(segments)))
        if bars:
            asked = next(iter(q.texts.values()))
            found.append(QuestionAnswers(q.id, names[q.indicator], asked, bars))
    return found


def shade(k: int, of: int) -> str:
    """Return the colour of segment k of `of`: light for low scores, dark for high ones."""
    light, dark = (0xE4, 0xEB, 0xF2), (0x1F, 0x4E, 0x79)
    f = k / (of - 1) if of > 1 else 1.0
    return "#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(light, dark, strict=True))


def bar_svg(segments: list[Segment]) -> str:
    """Draw a stacked bar as an SVG data URI: white gaps between segments, counts inside.

    The counts and gaps let the bar be read without telling shades apart (in greyscale,
    or with weak colour vision); the report's alt text states the same counts.
    """
    parts, x = [], 0.0
    for s in segments:
        if not s.count:
            continue
        # 300 x 10 units: shown 60 % of the text width wide, it is about 9 pt tall, so the
        # digits come out at about their nominal 7.5 pt.
        w = 3 * s.share
        parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="10" fill="{s.colour}" '
                     'stroke="#ffffff" stroke-width="0.8"/>')
        if w >= 10:  # room for two digits
            ink = "#ffffff" if _dark(s.colour) else "#1b1f24"
            parts.append(f'<text x="{x + w / 2:.2f}" y="7.8" font-size="7.5" text-anchor="middle" '
                         f'font-family="DejaVu Sans, sans-serif" fill="{ink}">{s.count}</text>')
        x += w
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="10" '
           f'viewBox="0 0 300 10">{"".join(parts)}</svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _dark(colour: str) -> bool:
    """Tell whether white text reads better than dark text on `colour` (relative luminance)."""
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # White wins once its contrast ratio beats that of near-black text (#1b1f24, L ~ 0.013).
    return (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.063)

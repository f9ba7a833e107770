"""Show why a value is what it is: each question's answers by group, as stacked bars."""

from __future__ import annotations

import pandas as pd

from reportgen.catalogue.schema import Catalogue
from reportgen.report.i18n import Lang
from reportgen.report.views import AnswerBar, Item, QuestionAnswers, Segment


def question_answers(counts: pd.DataFrame | None, cat: Catalogue, indicators: list[Item],
                     floor: int, t: Lang) -> list[QuestionAnswers]:
    """Return the answer bars of the questions behind `indicators`.

    A group's bar appears only where the report shows the group's value of the indicator
    (so the disclosure rule, withheld values included, carries over) and at least `floor`
    of its respondents answered the question. No bar for all groups together: with a group
    hidden, it would reveal that group's answers by subtraction.
    """
    if counts is None or counts.empty:
        return []
    shown = {i.id: [g.shown for g in i.groups] for i in indicators}
    names = {i.id: i.name for i in indicators}
    found = []
    # One set of scores for every question, so that a shade means the same score throughout.
    levels = sorted(counts["score"].unique())
    for q in cat.questions:
        if q.indicator not in shown:
            continue
        mine = counts[counts["question"] == q.id]
        bars = []
        for g, visible in zip(cat.groups, shown[q.indicator], strict=True):
            theirs = mine[mine["group"] == g.id].set_index("score")["count"]
            n = int(theirs.sum())
            if not visible or n < floor:
                continue
            bars.append(AnswerBar(g.label, n, [
                Segment(t.num(level), int(theirs.get(level, 0)), 100 * theirs.get(level, 0) / n,
                        shade(k, len(levels))) for k, level in enumerate(levels)]))
        if bars:
            asked = next(iter(q.texts.values()))
            found.append(QuestionAnswers(q.id, names[q.indicator], asked, bars))
    return found


def shade(k: int, of: int) -> str:
    """Return the colour of segment k of `of`: light for low scores, dark for high ones."""
    light, dark = (0xE4, 0xEB, 0xF2), (0x1F, 0x4E, 0x79)
    f = k / (of - 1) if of > 1 else 1.0
    return "#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(light, dark, strict=True))

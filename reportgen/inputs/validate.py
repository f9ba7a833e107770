"""Check a raw export against the catalogue; read each answer on its scale (catalogue.answers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reportgen.catalogue.answers import MISSING, AnswerScale, normalise
from reportgen.catalogue.schema import Catalogue, Question
from reportgen.errors import InputError, Problem
from reportgen.inputs.codes import invisible, region_key
from reportgen.inputs.raw import RawSurvey, distinct_texts


@dataclass(frozen=True)
class Columns:
    """Which export columns hold the respondent id, region, group and region name."""

    id: str = "respondent_id"
    region: str = "region"
    group: str = "group"
    region_name: str = "region_name"
    ignore: tuple[str, ...] = ()


DEFAULT_COLUMNS = Columns()


@dataclass
class Responses:
    """Validated answers: one row per respondent, item scores as floats (NaN = missing)."""

    file: str
    meta: pd.DataFrame
    items: pd.DataFrame
    region_names: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)


def left_out(dropped: list[tuple[int, str]], kept: int) -> list[str]:
    """Say which rows were left out and why, e.g. for incomplete responses."""
    if not dropped:
        return []
    total = kept + len(dropped)
    lines = [f"left out: {len(dropped)} of {total} rows (completion {kept / total:.0%})"]
    reasons: dict[str, list[int]] = {}
    for row, why in dropped:
        reasons.setdefault(why, []).append(row)
    for why, rows in reasons.items():
        shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        lines.append(f"  {len(rows)} × {why}: rows {shown}")
    return lines


def _short(text: str, limit: int = 60) -> str:
    """Quote a cell for a message, cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def code_survey(raw: RawSurvey, cat: Catalogue, cols: Columns) -> Responses:
    """Validate `raw` against `cat`; raise InputError listing every fatal problem."""
    f, problems = raw.file, []
    header = raw.header
    for dup in sorted({h for h in header if header.count(h) > 1}):
        problems.append(Problem(f, "column name appears more than once", row=1, column=dup))
    for needed in (cols.id, cols.region, cols.group):
        if needed not in header:
            problems.append(Problem(f, f"required column {needed!r} is missing; name it with "
                                    f"the matching --*-column option{raw.sheet_hint()}", row=1))
    if problems:
        raise InputError(problems)
    questions = {q.id: q for q in cat.questions}
    position = {qid: k for k, qid in enumerate(questions)}
    known = {cols.id, cols.region, cols.group, cols.region_name, *cols.ignore}
    unknown = [col for col in header if col not in known and col not in questions]
    matched = [col for col in header if col in questions]
    if len(unknown) >= 3 and len(unknown) > len(matched):
        # Most columns foreign: another questionnaire's export (or a forgotten --definitions).
        # One line says so instead of a flood of unknown columns, groups and answers.
        shown = ", ".join(repr(c) for c in unknown[:5]) + (", …" if len(unknown) > 5 else "")
        raise InputError([Problem(f, f"{len(unknown)} of {len(unknown) + len(matched)} "
                                  f"question columns are not questions of catalogue {cat.id!r} "
                                  f"({shown}): is this the export of another questionnaire? "
                                  "Name its catalogue with --definitions, or skip extra "
                                  "columns with --ignore-column", row=1)])
    for col in unknown:
        problems.append(Problem(f, "unknown question column: not a question of catalogue "
                                f"{cat.id!r} (use --ignore-column to skip it)", row=1,
                                column=col))
    frame = raw.cells.set_axis(header, axis=1)
    # Only the identifying columns are stripped cell by cell; answers are compared through
    # their distinct values (a few per question), which the scale lookup strips.
    for col in {cols.id, cols.region, cols.group, cols.region_name} & set(header):
        codes, distinct = distinct_texts(frame[col])
        frame[col] = np.array([cell.strip() for cell in distinct], dtype=object)[codes]
    rows = pd.Series(np.asarray(raw.row_numbers, dtype=np.int64), index=frame.index)
    ids = frame[cols.id]
    for i in frame.index[ids == ""]:
        problems.append(Problem(f, "respondent id is empty", row=rows[i],
                                column=raw.label(cols.id)))
    # Column-wise checks: a per-row loop costs seconds on a Europe-wide export.
    repeated = ids.duplicated(keep="first") & (ids != "")
    if repeated.any():
        first_row = rows.groupby(ids).transform("first")
        for i in frame.index[repeated]:
            problems.append(Problem(f, f"duplicate respondent id {ids[i]!r} (first in row "
                                    f"{first_row[i]})", row=rows[i],
                                    column=raw.label(cols.id)))
    for i in frame.index[frame[cols.region] == ""]:
        problems.append(Problem(f, "region is empty", row=rows[i],
                                column=raw.label(cols.region)))
    spelled = frame[cols.group]
    group_of = {g: cat.group_keys.get(normalise(g)) for g in spelled.unique()}
    groups = spelled.map(group_of)
    accepted = ", ".join(g.id for g in cat.groups)
    given = [g for g in group_of if g]
    if given and not any(group_of[g] for g in given):
        # Not one group known: the export of another catalogue, as with foreign columns.
        shown = ", ".join(_short(g) for g in given[:5]) + (", …" if len(given) > 5 else "")
        raise InputError([Problem(f, f"none of the stakeholder groups in the export ({shown}) "
                                  f"is a group of catalogue {cat.id!r} ({accepted}): is this "
                                  "the export of another questionnaire? Name its catalogue with "
                                  "--definitions", column=raw.label(cols.group))])
    for i in frame.index[groups.isna()]:
        problems.append(Problem(f, f"unknown stakeholder group {_short(frame.at[i, cols.group])}; "
                                f"expected one of: {accepted}", row=rows[i],
                                column=raw.label(cols.group)))
    warnings: list[Problem] = list(raw.warnings)
    # Which groups were asked each question, looked up once per distinct group.
    group_codes, group_ids = pd.factorize(groups)
    # Column-major, so that each question's scores are written in one piece and the frame
    # takes the array as its block without copying it.
    scored = np.full((len(frame), len(questions)), np.nan, order="F")
    if questions and not any(qid in frame for qid in questions):
        # Every value would be "–": a report that looks whole and says nothing.
        problems.append(Problem(f, "none of the catalogue's questions has a column (expected "
                                f"{', '.join(list(questions)[:3])} …); is this the export of "
                                "another questionnaire, or does it need --mapping?", row=1))
    for qid, question in questions.items():
        if qid not in frame:
            warnings.append(Problem(f, f"question {qid} has no column; treated as unanswered",
                                    row=1, fatal=False))
            continue
        values, blank = _score_column(frame[qid], question, cat, rows, f, problems, raw.label)
        asked = np.array([g in question.texts for g in group_ids] + [True])[group_codes]
        not_asked = ~asked & ~blank
        if not_asked.any():
            listed = ", ".join(str(r) for r in rows[not_asked].head(5))
            warnings.append(Problem(f, f"{int(not_asked.sum())} answer(s) from groups not asked "
                                    f"this question are ignored (rows {listed}…)", column=qid,
                                    fatal=False))
            values[not_asked] = np.nan
        scored[:, position[qid]] = values
    items = pd.DataFrame(scored, index=frame.index, columns=list(questions), copy=False)
    if problems:
        raise InputError(problems)
    done = _responses(frame, items, groups, rows, cols, f, warnings)
    done.dropped = list(raw.dropped)
    return done


def _score_column(cells: pd.Series, question: Question, cat: Catalogue, rows: pd.Series,
                  f: str, problems: list[Problem], label: Callable[[str], str] = str
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Score one question's cells (and flag blank ones); unknown answers become problems."""
    qid = question.id
    scale = cat.scales[question.scale]
    answers = AnswerScale(scale, cat.score.min, cat.score.max)
    # Each distinct answer is looked up once: a question has a handful, a file a million rows.
    codes, distinct = distinct_texts(cells)
    scores = np.full(len(distinct), np.nan)
    blank = np.zeros(len(distinct), dtype=bool)
    unknown = []
    for k, cell in enumerate(distinct):
        if not cell.strip():
            blank[k] = True
            continue
        value = answers.read(cell)
        if value is None:
            unknown.append(k)
        elif value is not MISSING:
            scores[k] = float(value)  # type: ignore[arg-type]
    if unknown:
        options = ", ".join(o.code for o in (*scale.options, *scale.missing))
        for i in np.flatnonzero(np.isin(codes, unknown)):
            cell = distinct[codes[i]]
            # Several options joined the wrong way are the common slip on a multi-select scale.
            joined = (f"; join several options with {scale.separator!r}" if scale.type == "multi"
                      and scale.separator not in cell and any(c in cell for c in ",;/ ") else "")
            problems.append(Problem(f, f"answer {_short(cell)} is not on scale "
                                    f"{question.scale!r} (codes {options}, or their labels"
                                    f"{joined})", row=int(rows.iat[i]), column=label(qid)))
    return scores[codes], blank[codes]


def _region_clashes(spelled: pd.DataFrame, f: str, cols: Columns) -> list[Problem]:
    """Refuse region codes that are one region written two ways (case, or its name).

    A free-text region question gives "R03", "r03" and "Estravia" for one region; stored as
    three regions they would split its respondents and each fall below the minimum.
    """
    problems = []
    once = spelled.drop_duplicates("region")  # each code with its first row, in file order
    named: dict[str, str] = {}
    for code, title in zip(spelled["region"].astype(str), spelled["region_name"].astype(str),
                           strict=True):
        if title != code:
            named.setdefault(title.casefold(), code)  # the first spelling, as for names
    first: dict[str, str] = {}
    for code, row in zip(once["region"].astype(str), once["row"], strict=True):
        # Invisible characters cannot be told apart on screen; control characters can, as
        # every output shows them escaped (X\x1b).
        hidden = [c for c in code if invisible(c)]
        if hidden:
            problems.append(Problem(f, f"region code {code!r} holds an invisible character "
                                    f"(U+{ord(hidden[0]):04X}); write the code plainly",
                                    row=int(row), column=cols.region))
        other = first.setdefault(region_key(code), code)
        if other != code:
            # ascii(): the two may look identical (É as one character or as E + accent).
            problems.append(Problem(f, f"region code {ascii(code)} differs from {ascii(other)} "
                                    "only in how it is written (case, width, accents, "
                                    "invisible characters or letters of another script); "
                                    "write one region one way",
                                    row=int(row), column=cols.region))
        owner = named.get(code.casefold())
        if owner is not None and owner != code:
            problems.append(Problem(f, f"region {code!r} is the name of region {owner!r}; "
                                    "give its code", row=int(row), column=cols.region))
    return problems


# A region's code and name go into headings, file names and every chart: a 5 MB name (a
# pasted document) held a build for a quarter of an hour. Official names run to about 100.
MAX_CODE, MAX_NAME = 64, 300


def _overlong(spelled: pd.DataFrame, f: str, cols: Columns) -> list[Problem]:
    """Refuse region codes and names too long for a report's headings and file names."""
    problems = []
    for code, name, row in zip(spelled["region"].astype(str), spelled["region_name"].astype(str),
                               spelled["row"], strict=True):
        for text, column, limit, what in ((code, cols.region, MAX_CODE, "region code"),
                                          (name, cols.region_name, MAX_NAME, "region name")):
            if len(text) > limit:
                problems.append(Problem(f, f"{what} {text[:20]!r}… is {len(text):,} characters "
                                        f"long; at most {limit} fit a report's headings and "
                                        "file names", row=int(row), column=column))
    return problems


def _responses(frame: pd.DataFrame, items: pd.DataFrame, groups: pd.Series, rows: pd.Series,
               cols: Columns, f: str, warnings: list[Problem]) -> Responses:
    """Assemble validated answers, indexed by respondent id."""
    names = frame[cols.region_name] if cols.region_name in frame else frame[cols.region]
    meta = pd.DataFrame({"region": frame[cols.region], "group": groups, "row": rows,
                         "region_name": names.where(names != "", frame[cols.region])})
    # One row per distinct (region, name), in file order: the first spelling wins.
    spelled = meta.drop_duplicates(["region", "region_name"])
    region_names = dict(sorted(spelled.drop_duplicates("region")[["region", "region_name"]]
                               .astype(str).itertuples(index=False, name=None)))
    for region, sub in spelled[spelled["region"].duplicated(keep=False)].groupby("region"):
        names = list(sub["region_name"])  # in file order: the first is the one used
        warnings.append(Problem(f, f"region {region!r} has several names {names}; using "
                                f"{names[0]!r}, the first in the file",
                                column=cols.region_name, row=int(sub["row"].iloc[0]),
                                fatal=False))
    if clashes := _overlong(spelled, f, cols) + _region_clashes(spelled, f, cols):
        raise InputError(clashes)
    index = pd.Index(frame[cols.id], name="respondent")
    meta.index = index
    items.index = index
    return Responses(f, meta, items, region_names, warnings)

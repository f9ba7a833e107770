"""Property tests: the reader, the catalogue loader and the scoring engine under random input."""

from __future__ import annotations

import csv
import io
import math
import os

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.definitions import load_catalogue
from reportgen.errors import InputError
from reportgen.scoring import score
from reportgen.survey import RawSurvey, read_survey
from reportgen.validate import DEFAULT_COLUMNS, code_survey
from tests.conftest import DATA

CAT = load_catalogue(DATA / "tiny_catalogue.yaml")
# REPORTGEN_FUZZ_EXAMPLES=2000 runs a longer search locally; CI keeps the suite quick.
FAST = settings(max_examples=int(os.environ.get("REPORTGEN_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
# Scoring a survey takes tens of milliseconds: fewer examples keep the suite quick.
SCORING = settings(FAST, max_examples=max(25, FAST.max_examples // 20))
QUESTIONS = [q.id for q in CAT.questions]
ANSWERS = {"q1": ["", "1", "2", "3", "4", "5", "9"], "q2": ["", "1", "3", "5", "9"],
           "q3": ["", "0", "1"], "q4": ["", "a", "b", "c"], "q5": ["", "1", "1|2", "1|2|3", "9"],
           "q6": ["", "2", "4", "9"], "q7": ["", "1", "5"]}

respondent = st.fixed_dictionaries({
    "region": st.sampled_from(["X", "Y", "Z"]),
    "group": st.sampled_from(["pol", "ops", "mid"]),
    **{q: st.sampled_from(ANSWERS[q]) for q in QUESTIONS},
})


def raw_of(people: list[dict[str, str]]) -> RawSurvey:
    header = ["respondent_id", "region", "group", *QUESTIONS]
    rows = [[f"r{k}", p["region"], p["group"], *[p[q] for q in QUESTIONS]]
            for k, p in enumerate(people)]
    return RawSurvey("fuzz.csv", header, rows, list(range(2, len(rows) + 2)))


def scored(people: list[dict[str, str]]) -> pd.DataFrame:
    return score(code_survey(raw_of(people), CAT, DEFAULT_COLUMNS), CAT).values


@FAST
@given(st.binary(max_size=400))
def test_reader_never_crashes_on_random_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "survey.csv"
    path.write_bytes(data)
    try:
        survey = read_survey(path)
    except InputError as exc:
        assert exc.lines and all(str(path) in line for line in exc.lines)
    else:
        assert all(len(row) == len(survey.header) for row in survey.rows)


@FAST
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]),
                                 max_size=8), min_size=1, max_size=6), min_size=1, max_size=8))
def test_validation_never_crashes_on_random_cells(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("fuzz") / "survey.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["respondent_id", "region", "group", "q1"], *table])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        code_survey(read_survey(path), CAT, DEFAULT_COLUMNS)
    except InputError as exc:
        assert exc.lines


scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=5))
tree = st.recursive(scalar, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                    st.dictionaries(st.text(max_size=6), kids,
                                                                    max_size=3)), max_leaves=12)


@FAST
@given(st.dictionaries(st.sampled_from(["id", "version", "title", "score", "rules", "groups",
                                        "scales", "dimensions", "questions", "glossary",
                                        "extra"]), tree, max_size=8))
def test_catalogue_loader_reports_or_accepts_never_crashes(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("fuzz") / "catalogue.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    try:
        load_catalogue(path)
    except InputError as exc:
        assert exc.lines and all(line.startswith(str(path)) for line in exc.lines)


@SCORING
@given(st.lists(respondent, min_size=1, max_size=25))
def test_every_score_is_in_range_or_missing(people):
    values = scored(people)
    flat = values.to_numpy().ravel()
    assert all(math.isnan(v) or CAT.score.min <= v <= CAT.score.max for v in flat)


@SCORING
@given(st.lists(respondent, min_size=1, max_size=25), st.sampled_from(["X", "Y", "Z"]),
       st.sampled_from(["pol", "ops", "mid"]))
def test_a_respondent_who_answered_nothing_changes_nothing(people, region, group):
    silent = {"region": region, "group": group, **{q: "" for q in QUESTIONS}}
    before = scored(people)
    after = scored([*people, silent]).reindex(before.index)
    pd.testing.assert_frame_equal(after, before)


@SCORING
@given(st.lists(respondent, min_size=2, max_size=25), st.randoms())
def test_the_order_of_rows_changes_nothing(people, rnd):
    shuffled = people[:]
    rnd.shuffle(shuffled)
    pd.testing.assert_frame_equal(scored(shuffled).sort_index(), scored(people).sort_index(),
                                  check_exact=False, rtol=1e-12)

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

from reportgen.catalogue import load_catalogue
from reportgen.errors import InputError
from reportgen.inputs.raw import RawSurvey
from reportgen.inputs.survey import read_survey
from reportgen.inputs.validate import DEFAULT_COLUMNS, code_survey
from reportgen.scoring.aggregate import score
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
    return RawSurvey.from_rows("fuzz.csv", header, rows, list(range(2, len(rows) + 2)))


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


VALID = [yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
         for name in ("tiny_catalogue.yaml", "alt_catalogue.yaml")]
SECTIONS = ("groups", "dimensions", "questions")


def _mutate(doc: dict, how: str, pick: int, value: object) -> None:
    """Break one cross-reference of a valid catalogue, the kind of slip an editor makes."""
    if not all(doc.get(k) for k in SECTIONS) or not all(d.get("indicators")
                                                        for d in doc["dimensions"]):
        return  # an earlier mutation emptied a section: nothing left to point at
    dims = doc["dimensions"]
    dim = dims[pick % len(dims)]
    ind = dim["indicators"][pick % len(dim["indicators"])]
    question = doc["questions"][pick % len(doc["questions"])]
    group = doc["groups"][pick % len(doc["groups"])]
    if how == "question_indicator":
        question["indicator"] = value
    elif how == "question_scale":
        question["scale"] = value
    elif how == "question_group":
        question["texts"] = {str(value): "text"}
    elif how == "duplicate_id":
        section = doc[SECTIONS[pick % len(SECTIONS)]]
        section.append(dict(section[0]))
    elif how == "rename_group":
        group["id"] = value
    elif how == "indicator_id":
        ind["id"] = value
    elif how == "weight":
        ind["weight"] = value
    elif how == "group_weight":
        group["weight"] = value
    elif how == "drop_questions":
        doc["questions"] = [q for q in doc["questions"] if q["indicator"] != ind["id"]]
    elif how == "empty":
        doc[SECTIONS[pick % len(SECTIONS)]] = []
    elif how == "swap_range":
        doc["score"] = {"min": doc["score"]["max"], "max": doc["score"]["min"]}
    elif how == "rule":
        doc["rules"] = {"min_respondents": value}
    elif how == "dimension_id":
        dim["id"] = value


MUTATIONS = ["question_indicator", "question_scale", "question_group", "duplicate_id",
             "rename_group", "indicator_id", "weight", "group_weight", "drop_questions",
             "empty", "swap_range", "rule", "dimension_id"]


@FAST
@given(base=st.integers(0, len(VALID) - 1),
       hows=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3),
       pick=st.integers(0, 50),
       value=st.one_of(st.text(max_size=8), st.integers(-3, 3), st.none(), st.just(""),
                       st.just("i1"), st.just("agree"), st.just("pol"), st.floats()))
def test_mutated_catalogues_fail_with_located_problems(tmp_path_factory, base, hows, pick,
                                                       value):
    import copy

    doc = copy.deepcopy(VALID[base])
    for how in hows:
        _mutate(doc, how, pick, value)
    path = tmp_path_factory.mktemp("mut") / "catalogue.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        cat = load_catalogue(path)
    except InputError as exc:
        assert exc.lines and all(line.startswith(str(path)) for line in exc.lines)
        return
    # Accepted: the cross-references must then hold.
    indicators = {i.id for d in cat.dimensions for i in d.indicators}
    groups = {g.id for g in cat.groups}
    assert len(indicators) == sum(len(d.indicators) for d in cat.dimensions)
    for q in cat.questions:
        assert q.indicator in indicators and q.scale in cat.scales
        assert set(q.texts) <= groups

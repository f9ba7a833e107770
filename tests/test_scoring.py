"""Scores against values computed by hand for tests/data/tiny_survey.csv.

Answers map onto 0..4: agree 1..5 -> 0,1,2,3,4; yes/no -> 4/0; pick a/b/c -> 0/2.5/4;
multi: 1-2 options -> 2, 3+ -> 4. Minimum respondents per group: 2 (so 'mid' in X, with one
respondent, is left out of region X's values).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reportgen.build import load_survey
from reportgen.inputs.validate import Columns
from reportgen.scoring.aggregate import respondent_indicators, score


@pytest.fixture
def scores(tiny_survey, tiny_catalogue):
    cat, responses = load_survey(tiny_survey, tiny_catalogue, Columns())
    return score(responses, cat)


def test_respondent_values_follow_min_items(tiny_survey, tiny_catalogue):
    cat, responses = load_survey(tiny_survey, tiny_catalogue, Columns())
    resp = respondent_indicators(responses.items, responses.meta["group"], cat)
    # p1: q1=5 -> 4, q2=3 -> 2; p2 answered q1 only ("don't know" on q2) and one of two suffices
    assert resp.at["p1", "i1"] == 3.0
    assert resp.at["p2", "i1"] == 3.0
    assert math.isnan(resp.at["o3", "i1"])  # answered nothing
    assert resp.at["o1", "i4"] == 2.0  # two options selected
    assert resp.at["o2", "i4"] == 4.0  # three options selected
    assert math.isnan(resp.at["o3", "i4"])  # "don't know" is missing, never 0
    assert math.isnan(resp.at["p1", "i5"])  # "don't know"
    assert resp.at["p2", "i3"] == 2.5


def test_group_values_and_counts(scores):
    gv, gn = scores.group_values, scores.group_counts
    assert gv.at[("X", "pol"), "i1"] == 3.0 and gn.at[("X", "pol"), "i1"] == 2
    assert gv.at[("X", "ops"), "i1"] == 0.5 and gn.at[("X", "ops"), "i1"] == 2
    assert gv.at[("X", "mid"), "i1"] == 4.0 and gn.at[("X", "mid"), "i1"] == 1
    assert gv.at[("X", "pol"), "i3"] == 3.25


def test_region_values_leave_out_groups_below_threshold(scores):
    # i1: mean of pol 3.0 and ops 0.5; mid (1 respondent, 4.0) is below the minimum of 2
    assert scores.value("X", "i1") == pytest.approx(1.75)
    assert scores.counts.at["X", "i1"] == 4
    assert scores.value("X", "i2") == pytest.approx(2.0)
    assert scores.value("X", "i3") == pytest.approx(2.625)
    assert scores.value("X", "i4") == pytest.approx(3.0)
    assert scores.counts.at["X", "i4"] == 2
    assert scores.value("X", "i5") is None  # only one policy respondent answered
    assert scores.counts.at["X", "i5"] == 0


def test_composites(scores):
    assert scores.value("X", "alpha") == pytest.approx((1.75 + 2.0) / 2)
    assert scores.counts.at["X", "alpha"] == 5  # p1, p2, o1, o2, o3 (o3 via i2)
    # beta: two of three indicators exist, which meets the 50 % data threshold
    assert scores.value("X", "beta") == pytest.approx((2.625 + 3.0) / 2)
    assert scores.counts.at["X", "beta"] == 4
    # gamma: its only indicator has no value, so the dimension is below the data threshold
    assert scores.value("X", "gamma") is None
    assert scores.counts.at["X", "gamma"] == 0


def test_second_region(scores):
    assert scores.value("Y", "i2") == pytest.approx(8 / 3)
    assert scores.value("Y", "alpha") == pytest.approx((2 + 8 / 3) / 2)
    assert scores.value("Y", "beta") == pytest.approx((2.5 + 2 + 2) / 3)
    assert scores.value("Y", "gamma") == pytest.approx(2.0)


def test_group_weights_change_the_region_mean(tiny_survey, catalogue_variant):
    def heavier_policy(doc):
        doc["groups"][0]["weight"] = 2

    cat, responses = load_survey(tiny_survey, catalogue_variant(heavier_policy), Columns())
    assert score(responses, cat).value("X", "i1") == pytest.approx((2 * 3.0 + 0.5) / 3)


def test_indicator_weights_within_dimension(tiny_survey, catalogue_variant):
    def weigh(doc):
        doc["dimensions"][0]["indicators"][1]["weight"] = 3

    cat, responses = load_survey(tiny_survey, catalogue_variant(weigh), Columns())
    assert score(responses, cat).value("X", "alpha") == pytest.approx((1.75 + 3 * 2.0) / 4)


def test_explicit_min_items(tiny_survey, catalogue_variant):
    def strict(doc):
        doc["dimensions"][0]["indicators"][0]["min_items"] = 2

    cat, responses = load_survey(tiny_survey, catalogue_variant(strict), Columns())
    s = score(responses, cat)
    # p2 and o2 answered one of two items and drop out; every group keeps one respondent,
    # fewer than the minimum of 2, so i1 has no region value and alpha rests on i2 alone.
    assert [s.group_counts.at[("X", g), "i1"] for g in ("pol", "ops", "mid")] == [1, 1, 1]
    assert s.value("X", "i1") is None
    assert s.value("X", "alpha") == pytest.approx(2.0)


def test_respondents_table(scores):
    assert scores.respondents.loc["X"].to_dict() == {"pol": 2, "ops": 3, "mid": 1}
    assert isinstance(scores.respondents, pd.DataFrame)


def test_standard_errors(scores):
    # i1 in X: pol values 3, 3 (variance 0); ops values 1, 0 (variance 0.5, over n=2: 0.25);
    # each group has half the weight: se = sqrt(0.25 * 0 + 0.25 * 0.25) = 0.25
    assert scores.errors.at["X", "i1"] == pytest.approx(0.25)
    # i2 in X: pol 4, 0 (variance 8 -> 4), ops 4, 0 (variance 8 -> 4): sqrt(0.25*4*2) = 1.414
    assert scores.errors.at["X", "i2"] == pytest.approx(2 ** 0.5)
    # alpha: the weighted mean of its indicators' errors, a conservative bound
    assert scores.errors.at["X", "alpha"] == pytest.approx((0.25 + 2 ** 0.5) / 2)
    assert math.isnan(scores.errors.at["X", "gamma"])


def test_small_groups_are_pooled_but_stay_out_of_the_region_value(scores):
    # i1 in X: only mid (m1, value 4.0) is below the minimum of 2
    assert scores.merged_values.at["X", "i1"] == 4.0
    assert scores.merged_counts.at["X", "i1"] == 1
    assert scores.value("X", "i1") == pytest.approx(1.75)  # unchanged: mid stays out
    assert scores.merged_counts.at["Y", "i1"] == 0


@pytest.mark.parametrize("cell,expected", [
    ("1", 2.0), ("1|3|4", 4.0), ("2|2", 2.0), ("9", "missing"), ("9|1", 2.0),
    ("|", "missing"), (" | ", "missing"), ("5", None), ("1|5", None),
    ("1.0|3", 2.0), ("1,0", None),  # a comma here joins options the wrong way: refused
])
def test_multi_select_answers_score_the_options_chosen(tiny_catalogue, cell, expected):
    from reportgen.catalogue import load_catalogue
    from reportgen.catalogue.answers import MISSING, AnswerScale

    cat = load_catalogue(tiny_catalogue)
    read = AnswerScale(cat.scales["multi"], cat.score.min, cat.score.max).read(cell)
    assert (read is MISSING if expected == "missing" else read == expected)


@pytest.mark.parametrize("cell,expected", [("4", 3.0), ("4.0", 3.0), ("4,0", 3.0), (" 4,00 ", 3.0),
                                           ("4,5", None), ("9,0", "missing")])
def test_codes_read_with_a_decimal_point_or_comma(tiny_catalogue, cell, expected):
    from reportgen.catalogue import load_catalogue
    from reportgen.catalogue.answers import MISSING, AnswerScale

    cat = load_catalogue(tiny_catalogue)
    read = AnswerScale(cat.scales["agree"], cat.score.min, cat.score.max).read(cell)
    assert (read is MISSING if expected == "missing" else read == expected)

"""Bootstrap intervals, rank bands and the sensitivity analysis against independent sums."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reportgen.build import load_survey
from reportgen.catalogue.schema import Catalogue
from reportgen.inputs.validate import Columns, Responses
from reportgen.scoring.aggregate import score
from reportgen.uncertainty.bootstrap import bootstrap, quantile, ranks
from reportgen.uncertainty.resample import evaluate, layout
from reportgen.uncertainty.sensitivity import sensitivity

QUESTIONS = {"pol": "q1 q2 q3 q4 q6", "ops": "q1 q2 q3 q4 q5", "mid": "q1 q2 q3 q5 q7"}
CODES = {"q1": "12345", "q2": "12345", "q3": "01", "q4": "abc", "q5": ["1", "1|2", "1|2|3"],
         "q6": "12345", "q7": "12345"}


def complete_rows(sizes: dict[str, dict[str, int]], seed: int = 7) -> list[dict[str, str]]:
    """Every respondent answers every question put to their group (no missing answers)."""
    rng = np.random.default_rng(seed)
    rows = []
    for region, groups in sizes.items():
        for group, n in groups.items():
            for k in range(n):
                row = {"respondent_id": f"{region}{group}{k}", "region": region,
                       "region_name": f"Region {region}", "group": group}
                for q in CODES:
                    options = CODES[q]
                    row[q] = (str(options[rng.integers(len(options))])
                              if q in QUESTIONS[group].split() else "")
                rows.append(row)
    return rows


def survey(write_survey: Callable[..., Path], tiny_catalogue: Path,
           sizes: dict[str, dict[str, int]], copies: int = 1) -> tuple[Catalogue, Responses]:
    rows = complete_rows(sizes)
    rows = [dict(r, respondent_id=f"{r['respondent_id']}-{c}") for r in rows
            for c in range(copies)]
    return load_survey(write_survey(rows), tiny_catalogue, Columns())


SIZES = {"A": {"pol": 3, "ops": 5, "mid": 4}, "B": {"pol": 2, "ops": 6, "mid": 3},
         "C": {"pol": 4, "ops": 3, "mid": 2}, "D": {"pol": 3, "ops": 3, "mid": 5}}


def independent(responses: Responses, cat: Catalogue, resamples: int, seed: int) -> np.ndarray:
    """Redo the documented resampling with plain pandas and the ordinary scoring code.

    Respondents are ordered by region, then group in catalogue order, then file order; row b
    of one uniform (resamples x respondents) draw gives respondent slot i of unit u the
    respondent start_u + floor(u * n_u).
    """
    meta = responses.meta.reset_index(drop=True)
    items = responses.items.reset_index(drop=True)
    group_no = meta["group"].map({g.id: k for k, g in enumerate(cat.groups)})
    order = pd.DataFrame({"r": meta["region"], "g": group_no}).sort_values(
        ["r", "g"], kind="stable").index.to_numpy()
    meta, items = meta.loc[order].reset_index(drop=True), items.loc[order].reset_index(drop=True)
    unit = meta["region"] + "/" + meta["group"]
    start = unit.map(unit.reset_index().groupby(0)["index"].min()).to_numpy()
    size = unit.map(unit.value_counts()).to_numpy()
    u = np.random.default_rng(seed).random((resamples, len(meta)))
    keys = [i.id for i in cat.indicators] + [d.id for d in cat.dimensions]
    out = []
    for b in range(resamples):
        rows = start + np.floor(u[b] * size).astype(int)
        again = replace(responses, meta=meta.loc[rows].reset_index(drop=True),
                        items=items.loc[rows].reset_index(drop=True))
        out.append(score(again, cat).values.reindex(columns=keys).to_numpy())
    return np.stack(out)


def test_point_values_equal_ordinary_scoring(tiny_survey, tiny_catalogue):
    cat, responses = load_survey(tiny_survey, tiny_catalogue, Columns())
    lay = layout(responses, cat)
    values, _ = evaluate(lay, np.ones((1, len(lay.start))), cat)
    expected = score(responses, cat).values.reindex(columns=lay.keys)
    np.testing.assert_allclose(values[0], expected.to_numpy(), equal_nan=True)


def test_bootstrap_matches_an_independent_computation(write_survey, tiny_catalogue):
    cat, responses = survey(write_survey, tiny_catalogue, SIZES)
    bands = bootstrap(layout(responses, cat), cat, pd.DataFrame(), resamples=150, seed=11,
                      level=0.9)
    again = independent(responses, cat, 150, 11)
    point = score(responses, cat).values.reindex(columns=bands.keys).to_numpy()
    low = np.fmin(np.percentile(again, 5, axis=0), point)
    high = np.fmax(np.percentile(again, 95, axis=0), point)
    np.testing.assert_allclose(bands.low.to_numpy(), low, equal_nan=True)
    np.testing.assert_allclose(bands.high.to_numpy(), high, equal_nan=True)
    # Ranks: 1 + regions with a greater value, in every resample; 5th/95th percentile.
    ranked = np.stack([pd.DataFrame(r).rank(axis=0, method="min", ascending=False).to_numpy()
                       for r in again])
    np.testing.assert_array_equal(
        bands.rank_low.to_numpy(),
        np.fmin(np.percentile(ranked, 5, axis=0, method="lower"), bands.rank.to_numpy()))
    np.testing.assert_array_equal(
        bands.rank_high.to_numpy(),
        np.fmax(np.percentile(ranked, 95, axis=0, method="higher"), bands.rank.to_numpy()))


def test_the_same_seed_gives_the_same_bands_and_another_seed_others(write_survey,
                                                                   tiny_catalogue):
    cat, responses = survey(write_survey, tiny_catalogue, SIZES)
    lay = layout(responses, cat)
    one, two, other = (bootstrap(lay, cat, pd.DataFrame(), resamples=200, seed=s, level=0.9)
                       for s in (3, 3, 4))
    pd.testing.assert_frame_equal(one.low, two.low)
    assert not one.low.equals(other.low)


def test_chunks_do_not_change_the_resamples(write_survey, tiny_catalogue, monkeypatch):
    from reportgen.uncertainty import resample

    cat, responses = survey(write_survey, tiny_catalogue, SIZES)
    lay = layout(responses, cat)
    whole = bootstrap(lay, cat, pd.DataFrame(), resamples=90, seed=5, level=0.9)
    monkeypatch.setattr(resample, "CHUNK_CELLS", 4 * 3 * 6 * 7)  # chunks of 7 resamples
    assert resample.chunks(lay, 90)[:2] == [7, 7]
    chunked = bootstrap(lay, cat, pd.DataFrame(), resamples=90, seed=5, level=0.9)
    np.testing.assert_array_equal(whole.resampled, chunked.resampled)


def test_rank_bands_contain_the_point_rank(write_survey, tiny_catalogue):
    cat, responses = survey(write_survey, tiny_catalogue, SIZES)
    bands = bootstrap(layout(responses, cat), cat, pd.DataFrame(), resamples=300, seed=1,
                      level=0.9)
    have = bands.rank.notna()
    assert have.to_numpy().sum() > 20
    assert (bands.rank_low[have] <= bands.rank[have]).all().all()
    assert (bands.rank[have] <= bands.rank_high[have]).all().all()
    assert (bands.low[have] <= bands.point[have]).all().all()
    assert (bands.point[have] <= bands.high[have]).all().all()
    # The band is not the whole portfolio everywhere: the resamples say something.
    assert ((bands.rank_high - bands.rank_low)[have] < 3).to_numpy().any()


def test_intervals_shrink_as_respondents_are_duplicated(write_survey, tiny_catalogue):
    widths = []
    for copies in (1, 4):
        cat, responses = survey(write_survey, tiny_catalogue, SIZES, copies)
        bands = bootstrap(layout(responses, cat), cat, pd.DataFrame(), resamples=400, seed=2,
                          level=0.9)
        widths.append((bands.high - bands.low).loc["A"])
    spread = widths[0] > 0.2
    assert spread.sum() >= 5
    # Four times the respondents: about half the width (1/sqrt(4)); well under 0.75 of it.
    assert (widths[1][spread] < 0.75 * widths[0][spread]).all()


def test_fixed_regions_keep_their_value_in_every_resample(write_survey, tiny_catalogue):
    cat, responses = survey(write_survey, tiny_catalogue, SIZES)
    lay = layout(responses, cat)
    fixed = pd.DataFrame({k: [9.0] for k in lay.keys}, index=pd.Index(["Z"], name="region"))
    bands = bootstrap(lay, cat, fixed, resamples=50, seed=1, level=0.9)
    assert list(bands.regions) == ["A", "B", "C", "D", "Z"]
    assert (bands.resampled[:, 4, :] == 9.0).all()
    assert (bands.rank_low.loc["A"] >= 2).all() and (bands.rank.loc["Z"] == 1).all()


def test_a_small_group_is_never_lifted_over_the_minimum_by_duplicates(
        tiny_survey, tiny_catalogue):
    # X's intermediate group has one respondent (minimum 2): drawn twice it would "have"
    # two answers, yet it must never enter X's values.
    cat, responses = load_survey(tiny_survey, tiny_catalogue, Columns())
    lay = layout(responses, cat)
    weights = np.ones((1, len(lay.start)))
    weights[0, np.flatnonzero(lay.size == 1)] = 2.0
    values, _ = evaluate(lay, weights, cat)
    plain, _ = evaluate(lay, np.ones((1, len(lay.start))), cat)
    x = lay.regions.get_loc("X")
    i1 = lay.keys.index("i1")
    assert values[0, x, i1] == plain[0, x, i1] == pytest.approx(1.75)


def test_quantile_agrees_with_numpy():
    x = np.random.default_rng(3).random((40, 6, 5))
    x[x < 0.2] = np.nan
    x[:, 0, 0] = np.nan
    for method in ("linear", "lower", "higher"):
        for axis in (0, 1):
            for q in (0.05, 0.5, 0.95):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # the all-NaN slice
                    expected = np.nanpercentile(x, 100 * q, axis=axis, method=method)
                np.testing.assert_allclose(quantile(x, q, method, axis), expected,
                                           equal_nan=True)


def test_ranks_count_greater_values_and_skip_missing():
    values = np.array([[2.0, np.nan], [3.0, 1.0], [2.0, 1.0], [np.nan, 0.5]])
    np.testing.assert_array_equal(ranks(values, axis=0),
                                  [[2, np.nan], [1, 1], [2, 1], [np.nan, 3]])


def test_sensitivity_alternatives_reproduce_hand_computed_values(tiny_survey,
                                                                catalogue_variant):
    def heavier_policy(doc: dict) -> None:
        doc["groups"][0]["weight"] = 2.0

    cat, responses = load_survey(tiny_survey, catalogue_variant(heavier_policy), Columns())
    lay = layout(responses, cat)
    variants = {v.id: v for v in sensitivity(lay, cat, pd.DataFrame())}
    assert list(variants) == ["rules", "equal_weights", "respondent_weights", "geometric",
                              "min_respondents_minus_1", "min_respondents_plus_1"]
    # X, indicator i1: policy 3.0 (2 respondents), operational 0.5 (2), intermediate 4.0 (1).
    at = ("X", "i1")
    assert variants["rules"].values.at[at] == pytest.approx((2 * 3.0 + 0.5) / 3)
    assert variants["equal_weights"].values.at[at] == pytest.approx((3.0 + 0.5) / 2)
    # By respondents: every answer counts once, (3 + 3 + 1 + 0) / 4.
    assert variants["respondent_weights"].values.at[at] == pytest.approx(7 / 4)
    # A minimum of 1 lets the single intermediate respondent in; the value is withheld.
    lower = variants["min_respondents_minus_1"]
    assert lower.values.at[at] == pytest.approx((2 * 3.0 + 0.5 + 4.0) / 4)
    assert lower.withheld.at[at] and lower.withheld.at["X", "alpha"]
    assert not variants["rules"].withheld.to_numpy().any()
    # A minimum of 3: no group of X has three answers on i1.
    assert math.isnan(variants["min_respondents_plus_1"].values.at[at])
    # Geometric composite of alpha (i1, i2), values shifted by 1 (a quarter of 0-4).
    i1, i2 = variants["rules"].values.at[at], variants["rules"].values.at["X", "i2"]
    assert variants["geometric"].values.at["X", "alpha"] == pytest.approx(
        math.sqrt((i1 + 1) * (i2 + 1)) - 1)
    assert variants["rules"].values.at["X", "alpha"] == pytest.approx((i1 + i2) / 2)


def test_equal_weights_is_left_out_when_the_catalogue_weighs_groups_alike(
        tiny_survey, tiny_catalogue):
    cat, responses = load_survey(tiny_survey, tiny_catalogue, Columns())
    ids = [v.id for v in sensitivity(layout(responses, cat), cat, pd.DataFrame())]
    assert "equal_weights" not in ids and "respondent_weights" in ids


def test_band_words_only_where_the_resamples_support_them():
    from reportgen.benchmark.compare import portfolio_stats, position
    from reportgen.report.i18n import Lang
    from reportgen.report.narrative import band_word

    values = pd.Series({"R": 3.1, "a": 1.0, "b": 2.0, "c": 2.5, "d": 3.0}, name="k")
    p = position(values, "R", 0.5)
    assert p.band == "top quarter" and portfolio_stats(values.drop("R")) is not None
    t = Lang()
    assert band_word(t, p) == "top quarter"  # no resamples: the band as computed
    settled = (0.95, 0.05, 0.0, 0.0)
    assert band_word(t, replace(p, band_shares=settled, level=0.9)) == "top quarter"
    # 60 % top quarter, 35 % upper middle: together they hold 95 % of the resamples.
    assert band_word(t, replace(p, band_shares=(0.6, 0.35, 0.05, 0.0), level=0.9)) == \
        "top quarter or upper middle"
    assert band_word(t, replace(p, band_shares=(0.6, 0.25, 0.15, 0.0), level=0.9)) == \
        "not settled"
    lower = replace(position(values, "a", 0.5), level=0.9)  # a: the bottom quarter
    assert lower.band == "bottom quarter"
    assert band_word(t, replace(lower, band_shares=(0.0, 0.1, 0.45, 0.45))) == \
        "lower middle or bottom quarter"


def test_band_support_counts_resamples_in_the_same_quarter(write_survey, tiny_catalogue):
    from reportgen.uncertainty.bootstrap import band_support

    cat, responses = survey(write_survey, tiny_catalogue, SIZES)
    bands = bootstrap(layout(responses, cat), cat, pd.DataFrame(), resamples=200, seed=4,
                      level=0.9)
    shares = band_support(bands, "A")
    assert np.allclose(shares.dropna().sum(axis=1), 1.0)
    # Independently: A's quarter among the other three regions in every resample.
    r = list(bands.regions).index("A")
    for k, key in enumerate(bands.keys):
        point = bands.point[key]
        if pd.isna(point["A"]):
            continue
        def quarter(v: float, others: np.ndarray) -> int:
            q1, med, q3 = np.percentile(others, [25, 50, 75])
            return 0 if v >= q3 else 1 if v >= med else 2 if v >= q1 else 3
        found = [quarter(row[r, k], np.delete(row[:, k], r)[~np.isnan(np.delete(row[:, k], r))])
                 for row in bands.resampled if not np.isnan(row[r, k])]
        for q in range(4):
            assert shares.at[key, q] == pytest.approx(np.mean([f == q for f in found]))


def test_withheld_alternatives_appear_in_no_table_or_csv(tiny_survey, tiny_catalogue):
    from reportgen.build import report_html
    from reportgen.scoring.disclosure import disclose
    from reportgen.scoring.tables import tidy
    from reportgen.uncertainty.assess import assess
    from reportgen.uncertainty.table import certainty_columns

    cat, responses = load_survey(tiny_survey, tiny_catalogue, Columns())
    scores = score(responses, cat)
    certainty = assess(responses, scores.values, "X", cat)
    assert certainty is not None
    table = certainty_columns(tidy(disclose(scores, cat), cat, ["X"]), certainty, "X")
    # Under a minimum of 1, X's i1 would take in its single intermediate respondent:
    # (3.0 + 0.5 + 4.0) / 3 = 2.5. Neither it nor its rank may be written.
    row = table[(table["level"] == "region") & (table["id"] == "i1")].iloc[0]
    assert pd.isna(row["value_min_respondents_minus_1"])
    assert pd.isna(row["rank_min_respondents_minus_1"])
    region_rows = table[table["level"] == "region"].select_dtypes("number")
    withheld = [2.5, (2.5 + (2 + 2 + 4) / 3) / 2]  # i1 and alpha with the single respondent
    assert not np.isin(region_rows.to_numpy(dtype=float).round(9), np.round(withheld, 9)).any()
    assert row["low"] <= row["value"] <= row["high"]
    assert row["rank_low"] <= row["rank"] <= row["rank_high"]
    import tinyhtml5

    ns = "{http://www.w3.org/1999/xhtml}"
    root = tinyhtml5.parse(report_html("X", survey=tiny_survey, definitions=tiny_catalogue))
    table = next(t for t in root.iter(f"{ns}table")
                 if "annex-sensitivity" in (t.get("class") or ""))
    head = [" ".join("".join(c.itertext()).split()) for c in table.iter(f"{ns}th")
            if c.get("scope") == "col"]
    cells = {" ".join("".join(tr[0].itertext()).split()):
             [" ".join("".join(c.itertext()).split()) for c in tr[1:]]
             for tr in table.find(f"{ns}tbody")}
    column = head.index("Group minimum 1") - 1
    assert cells["Indicator one"][column] == "withheld"
    assert cells["Alpha dimension"][column] == "withheld"
    assert cells["Indicator one"][0].startswith("1.75 (")


@pytest.mark.parametrize("count", ["-1", str(10**20)])  # 10**20 resampled for days
def test_a_resample_count_out_of_bounds_is_refused(tiny_survey, tiny_catalogue, tmp_path,
                                                   count):
    import io

    from reportgen.cli import main

    err = io.StringIO()
    code = main(["build", "--survey", str(tiny_survey), "--definitions", str(tiny_catalogue),
                 "--region", "X", "--out", str(tmp_path), "--resamples", count],
                stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert f"resamples: expected a number from 0 to 100,000, got {count}" in err.getvalue()
    assert not list(tmp_path.iterdir())


def test_the_resampling_sentence_names_a_rank_that_never_moves_once():
    from reportgen.benchmark.compare import position
    from reportgen.report.i18n import Lang
    from reportgen.report.narrative import position_sentences

    values = pd.Series({"R": 3.1, "a": 1.0, "b": 2.0, "c": 2.5, "d": 3.2}, name="k")
    p = replace(position(values, "R", 0.5), interval=(2.9, 3.3), level=0.9)
    still = position_sentences(Lang(), "R", replace(p, rank_band=(2, 2)), 10)[-1]
    moving = position_sentences(Lang(), "R", replace(p, rank_band=(1, 3)), 10)[-1]
    assert still == ("With the respondents resampled, the composite lies between 2.9 and 3.3 "
                     "in 90% of cases, and its rank stays at 2.")
    assert moving == ("With the respondents resampled, the composite lies between 2.9 and 3.3 "
                      "and its rank between 1 and 3 in 90% of cases.")


def test_resamples_zero_on_the_command_line_switches_the_bootstrap_off(tiny_survey,
                                                                       tiny_catalogue,
                                                                       tmp_path):
    import io

    from reportgen.cli import main

    out = io.StringIO()
    code = main(["build", "--survey", str(tiny_survey), "--definitions", str(tiny_catalogue),
                 "--region", "X", "--out", str(tmp_path), "--html", "--resamples", "0",
                 "--timings"], stdout=out, stderr=io.StringIO())
    assert code == 0, out.getvalue()
    html = (tmp_path / "X-stresstest-report.html").read_text(encoding="utf-8")
    assert 'class="ci"' not in html and "How sure are the values" not in html
    header = (tmp_path / "X-scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "rank_low" not in header.split(",")


def test_the_sensitivity_sentence_names_the_rules_that_move_a_rank_furthest():
    from reportgen.report.i18n import Lang
    from reportgen.report.robustness import Cell, CertaintyView, Row, sensitivity_sentence

    def view(*ranks: int) -> CertaintyView:
        row = Row("d", "D", True, Cell(2.0, 5), [Cell(2.0, r) for r in ranks])
        return CertaintyView(0.9, 100, 1, ["Rule A", "Rule B", "Rule C"],
                             ["rule a (explained)", "rule b", "rule c"], [row], [row])

    # By hand: rank 5 under the rules; A and C move it three places (to 8 and 2), B one.
    # The sentence names the rules in running text, not by their capitalised column labels.
    assert sensitivity_sentence(Lang(), view(8, 6, 2), "d") == [
        "Under the alternative scoring rules of the sensitivity analysis its rank lies between "
        "2 and 8 (rank 5 under the catalogue's rules); several rules move it equally far "
        "(rule a; rule c)."]
    assert sensitivity_sentence(Lang(), view(7, 6, 5), "d")[0].endswith(
        "it moves most with “rule a”.")
    assert sensitivity_sentence(Lang(), view(5, 5, 5), "d") == [
        "Under every alternative scoring rule of the sensitivity analysis its rank stays at 5."]

    # A rule that leaves it without a value (too few respondents) is not "every rule".
    def unranked(*ranks: int | None) -> CertaintyView:
        cells = [Cell(None, None) if r is None else Cell(2.0, r) for r in ranks]
        row = Row("d", "D", True, Cell(2.0, 5), cells)
        return CertaintyView(0.9, 100, 1, ["Rule A", "Rule B", "Rule C"],
                             ["rule a", "rule b", "rule c"], [row], [row])

    assert sensitivity_sentence(Lang(), unranked(5, 5, None), "d") == [
        "Under every alternative scoring rule of the sensitivity analysis that gives it a value "
        "its rank stays at 5.", "It has no value under this rule: rule c."]
    assert sensitivity_sentence(Lang(), unranked(7, None, None), "d")[1:] == [
        "It has no value under these rules: rule b; rule c."]


def test_a_lower_group_minimum_is_no_default_alternative():
    from reportgen.catalogue import load_catalogue
    from reportgen.resources import default_catalogue

    # Its ranks would set the region among values resting on other regions' small groups.
    alternatives = load_catalogue(default_catalogue()).rules.uncertainty.alternatives
    assert "min_respondents_minus_1" not in alternatives
    assert "min_respondents_plus_1" in alternatives


@pytest.mark.parametrize("alternatives, said", [
    # The tiny catalogue weighs its groups alike already: equal weights is no alternative.
    (None, "stakeholder groups weighted by their numbers of respondents; composite indicators "
           "as geometric means of their indicators (a weak indicator then pulls the composite "
           "down further); a group minimum of 1 instead of 2 respondents; a group minimum of 3 "
           "instead of 2 respondents."),
    (["geometric"], "composite indicators as geometric means of their indicators (a weak "
                    "indicator then pulls the composite down further)."),
])
def test_the_approach_chapter_lists_the_alternative_rules_that_were_applied(
        tiny_survey, tiny_catalogue, catalogue_variant, alternatives, said):
    import tinyhtml5

    from reportgen.build import report_html

    definitions = tiny_catalogue
    if alternatives:
        definitions = catalogue_variant(lambda doc: doc["rules"].setdefault(
            "uncertainty", {}).update(alternatives=alternatives))
    root = tinyhtml5.parse(report_html("X", survey=tiny_survey, definitions=definitions))
    texts = [" ".join("".join(p.itertext()).split())
             for p in root.iter("{http://www.w3.org/1999/xhtml}p")]
    [paragraph] = [p for p in texts if p.startswith("The rules themselves rest on choices.")]
    assert paragraph.endswith("scored under other reasonable rules: " + said)

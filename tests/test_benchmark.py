"""Portfolio statistics, Tukey whiskers, ranks, bands, strengths and case selection."""

from __future__ import annotations

import pandas as pd
import pytest

from reportgen.benchmark.cases import Case, load_cases, select_case
from reportgen.benchmark.compare import (
    band_of,
    benchmark,
    portfolio_stats,
    position,
    strengths_and_weaknesses,
)
from reportgen.catalogue import load_catalogue
from reportgen.errors import InputError


def test_quartiles_and_tukey_whiskers():
    s = portfolio_stats(pd.Series([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 0.0, None]))
    # sorted: 0 1 2 2 3 3 3 4 -> linear quartiles 1.75, 2.5, 3.0; IQR 1.25; fences -0.125, 4.875
    assert (s.n, s.min, s.q1, s.median, s.q3, s.max) == (8, 0.0, 1.75, 2.5, 3.0, 4.0)
    assert s.mean == pytest.approx(18 / 8)
    assert (s.whisker_low, s.whisker_high, s.outliers) == (0.0, 4.0, ())


def test_outliers_lie_beyond_one_and_a_half_iqr():
    s = portfolio_stats(pd.Series([2.0, 2.1, 2.2, 2.3, 2.4, 0.1]))
    # q1 2.025, q3 2.275, IQR 0.25 -> lower fence 1.65: 0.1 is an outlier
    assert s.outliers == (0.1,)
    assert s.whisker_low == 2.0 and s.whisker_high == 2.4


def test_rank_band_and_distance_exclude_the_region_from_the_portfolio():
    values = pd.Series({"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0, "ME": 3.5}, name="x")
    p = position(values, "ME", floor=0.5)
    assert p.stats.n == 4 and p.stats.median == 2.5
    assert (p.rank, p.of) == (2, 5)
    assert p.band == "top quarter"  # q3 of 1,2,3,4 is 3.25
    assert p.distance == pytest.approx((3.5 - 2.5) / 1.5)
    assert p.above_median is True


def test_ties_share_the_better_rank_and_missing_values_have_none():
    values = pd.Series({"A": 3.0, "B": 3.0, "ME": 3.0, "C": None}, name="x")
    assert position(values, "ME", 0.5).rank == 1
    missing = position(pd.Series({"A": 1.0, "ME": None}, name="x"), "ME", 0.5)
    assert (missing.value, missing.rank, missing.band) == (None, None, None)


def test_flat_portfolio_measures_distance_in_the_spread_floor():
    p = position(pd.Series({"A": 2.0, "B": 2.0, "ME": 3.0}, name="x"), "ME", floor=0.5)
    assert p.distance == pytest.approx(2.0)


def test_a_near_flat_portfolio_cannot_make_a_small_lead_the_top_strength():
    # a: rank 1, 1.5 points above the median (IQR 1.0);
    # b: rank 3, 0.5 above a median that sits in a near-flat crowd (IQR 0.04).
    a = [1.0, 1.5, 2.0, 2.5, 3.0, None, None, None, None, 3.5]
    b = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.04, 3.0, 3.0, 2.5]
    frame = pd.DataFrame({"a": a, "b": b}, index=[*"ABCDEFGHI", "ME"], dtype=float)
    positions = benchmark(frame, "ME", floor=4 * 0.125)
    assert (positions["a"].rank, positions["b"].rank) == (1, 3)
    assert positions["b"].distance == pytest.approx(0.5 / 0.5)  # not 0.5 / 0.04 = 12.5
    strong, _ = strengths_and_weaknesses(positions, ["a", "b"])
    assert [p.key for p in strong] == ["a", "b"]


def test_rank_of_counts_only_regions_with_a_value():
    p = position(pd.Series({"A": 1.0, "B": None, "C": 2.0, "ME": 3.0}, name="x"), "ME", 0.5)
    assert (p.rank, p.of, p.stats.n) == (1, 3, 2)


@pytest.mark.parametrize("value,band", [(3.25, "top quarter"), (2.5, "upper middle"),
                                        (1.75, "lower middle"), (1.7, "bottom quarter")])
def test_bands(value, band):
    s = portfolio_stats(pd.Series([1.0, 2.0, 3.0, 4.0]))
    assert band_of(value, s) == band


def test_strengths_and_weaknesses_by_distance():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 2.0, 3.0, 1.0],
                          "c": [2.0, 2.0, 2.0, 2.1]}, index=["A", "B", "C", "ME"])
    positions = benchmark(frame, "ME", floor=1.0)
    strong, weak = strengths_and_weaknesses(positions, ["a", "b", "c"])
    assert [p.key for p in strong] == ["a", "c"]
    assert [p.key for p in weak] == ["b"]


def case(region: str, dimension: str = "alpha", cid: str | None = None) -> Case:
    return Case(id=cid or f"{region}-{dimension}", region=region, dimension=dimension,
                title="t", summary="s")


def test_case_comes_from_the_best_other_region_with_a_case():
    composites = pd.Series({"ME": 3.9, "A": 3.0, "B": 2.0, "C": 3.5})
    cases = [case("ME"), case("A"), case("B"), case("C", "beta"), case("Z")]
    assert select_case(cases, "alpha", "ME", composites).region == "A"
    assert select_case(cases, "gamma", "ME", composites) is None


def test_case_library_is_validated(tmp_path, tiny_catalogue):
    path = tmp_path / "cases.yaml"
    path.write_text("cases:\n  - id: x\n    region: A\n    dimension: nowhere\n    title: T\n"
                    "    summary: S\n    colour: red\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cases(path, load_catalogue(tiny_catalogue))
    assert info.value.lines == [f"{path}, line 7: error: cases[0].colour: unknown key"]
    path.write_text("cases:\n  - {id: x, region: A, dimension: nowhere, title: T, summary: S}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cases(path, load_catalogue(tiny_catalogue))
    assert info.value.lines == [f"{path}, line 2: error: cases[0].dimension: unknown dimension "
                                "'nowhere'; expected one of ['alpha', 'beta', 'gamma']"]


def test_further_cases_come_from_regions_ahead_best_first():
    import pandas as pd

    from reportgen.benchmark.cases import Case, further_cases, leaders

    def case(cid: str, region: str, dim: str = "d") -> Case:
        return Case(id=cid, region=region, dimension=dim, title=cid, summary="s")

    composites = pd.Series({"ME": 1.0, "A": 3.0, "B": 2.0, "C": 0.5, "D": float("nan")})
    cases = [case("a1", "A"), case("a2", "A"), case("b1", "B"), case("c1", "C"),
             case("d1", "D"), case("x", "A", "other"), case("mine", "ME")]
    found = further_cases(cases, "d", "ME", composites, shown=cases[0])
    assert [c.id for c in found] == ["a2", "b1"]  # C is behind, D has no value
    assert leaders(composites, "ME", 2) == [("A", 3.0), ("B", 2.0)]

"""Portfolio statistics, Tukey whiskers, ranks, bands, strengths and case selection."""

from __future__ import annotations

import pandas as pd
import pytest

from reportgen.benchmark import (
    band_of,
    benchmark,
    portfolio_stats,
    position,
    strengths_and_weaknesses,
)
from reportgen.cases import Case, load_cases, select_case
from reportgen.definitions import load_catalogue
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
    p = position(values, "ME", span=4)
    assert p.stats.n == 4 and p.stats.median == 2.5
    assert (p.rank, p.of) == (2, 5)
    assert p.band == "top quarter"  # q3 of 1,2,3,4 is 3.25
    assert p.distance == pytest.approx((3.5 - 2.5) / 1.5)
    assert p.above_median is True


def test_ties_share_the_better_rank_and_missing_values_have_none():
    values = pd.Series({"A": 3.0, "B": 3.0, "ME": 3.0, "C": None}, name="x")
    assert position(values, "ME", 4).rank == 1
    missing = position(pd.Series({"A": 1.0, "ME": None}, name="x"), "ME", 4)
    assert (missing.value, missing.rank, missing.band) == (None, None, None)


def test_flat_portfolio_uses_a_quarter_of_the_range_as_unit():
    p = position(pd.Series({"A": 2.0, "B": 2.0, "ME": 3.0}, name="x"), "ME", span=4)
    assert p.distance == pytest.approx(1.0)


@pytest.mark.parametrize("value,band", [(3.25, "top quarter"), (2.5, "upper middle"),
                                        (1.75, "lower middle"), (1.7, "bottom quarter")])
def test_bands(value, band):
    s = portfolio_stats(pd.Series([1.0, 2.0, 3.0, 4.0]))
    assert band_of(value, s) == band


def test_strengths_and_weaknesses_by_distance():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 2.0, 3.0, 1.0],
                          "c": [2.0, 2.0, 2.0, 2.1]}, index=["A", "B", "C", "ME"])
    positions = benchmark(frame, "ME", span=4)
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

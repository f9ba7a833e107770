"""Arithmetic a reader can check: printed changes add up, counts agree, wording is honest."""

from __future__ import annotations

import io

import pytest
import tinyhtml5

from reportgen.benchmark.compare import PortfolioStats, Position
from reportgen.build import report_html
from reportgen.cli import main
from reportgen.report import narrative
from reportgen.report.change import Change
from reportgen.report.i18n import Lang
from tests.conftest import DATA, read_rows

TINY = DATA / "tiny_catalogue.yaml"
NS = "{http://www.w3.org/1999/xhtml}"


def text(html: str) -> str:
    return " ".join("".join(tinyhtml5.parse(html).itertext()).split())


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_a_printed_change_is_the_difference_of_the_printed_values():
    t = Lang("en", 1)
    change = Change("w1", 1.14, 1.46, 0.32, 0.1, decimals=1)
    said = " ".join(narrative.change_sentences(t, change))
    assert "from 1.1 to 1.5 (+0.4)" in said  # 0.32 on its own would print +0.3
    assert change.shown_delta == pytest.approx(0.4)


def test_a_change_that_rounds_to_zero_reads_unchanged():
    t = Lang("en", 1)
    assert t.difference(2.04, 1.96) == "unchanged"  # never −0.0
    change = Change("w1", 2.04, 1.96, -0.08, 0.01, decimals=1)
    assert change.supported is False and change.direction == "flat"
    assert narrative.change_sentences(t, change) == [
        "Since wave w1 the composite is unchanged at 2.0."]


def test_a_change_is_never_called_real():
    t = Lang("en", 2)
    for delta in (1.0, -1.0):
        said = " ".join(narrative.change_sentences(t, Change("w1", 2.0, 2.0 + delta, delta,
                                                             0.2, decimals=2)))
        assert "real" not in said and "larger than its margin of error of ±0.20" in said


def _pos(value: float, median: float, iqr: float, rank: int) -> Position:
    stats = PortfolioStats(9, 0.0, median - iqr / 2, median, median + iqr / 2, 4.0, median,
                           0.0, 4.0, ())
    return Position("k", value, stats, rank, 10, "top quarter", (value - median) / iqr)


@pytest.mark.parametrize("a,b,largest,smallest", [
    # b has the larger distance in IQR units (0.5 / 0.1) but a's printed lead is larger.
    ((3.5, 2.0, 1.5, 1), (2.5, 2.0, 0.1, 3), "“a” (3.5", "“b” (2.5"),
    # Unrounded a leads by 0.777 and b by 0.750, but printed a is 3.0 against 2.3 (0.7) and
    # b is 3.3 against 2.5 (0.8): the sentence must agree with what the reader sees.
    ((3.027, 2.250, 1.0, 2), (3.250, 2.500, 1.0, 3), "“b” (3.3",
     "“a” (3.0, rank 2 of 10; median 2.3"),
])
def test_the_largest_lead_named_is_the_largest_printed_lead(a, b, largest, smallest):
    items = [narrative.Named("a", _pos(*a)), narrative.Named("b", _pos(*b))]
    said = narrative.indicator_sentences(Lang("en", 1), items)[0]
    assert f"largest for the indicator {largest}" in said
    assert f"smallest for the indicator {smallest}" in said


def test_a_largest_lead_that_ties_when_printed_says_so():
    # a: 2.52 below 2.58, b: 2.04 below 2.12, c: 1.0 below 2.0. Printed, a and b both lie 0.1
    # behind (a by less unrounded): "smallest for a" alone would hide that b is as close.
    items = [narrative.Named("a", _pos(2.52, 2.58, 1.0, 4)),
             narrative.Named("b", _pos(2.04, 2.12, 1.0, 5)),
             narrative.Named("c", _pos(1.0, 2.0, 1.0, 9))]
    said = narrative.indicator_sentences(Lang("en", 1), items)
    assert "The gap is smallest for the indicator “a” (2.5" in said[0]
    assert said[1] == "Rounded, “b” lies as far from the median as “a”."
    assert len(said) == 2  # c's gap (1.0) ties with none


def test_the_widest_group_difference_names_those_as_wide_when_printed():
    gap = narrative.GroupGap("Trust", "policy level", 3.04, "cluster level", 2.16,
                             ("Reach", "Depth"))
    said = narrative.group_sentences(Lang("en", 1), gap, 2.0)[0]
    assert ("(policy level 3.0, cluster level 2.2). Rounded, the differences on “Reach”, "
            "“Depth” are as large.") in said


@pytest.fixture
def survey_with_a_silent_region(write_survey, tiny_rows):
    """Region Z answered nothing but "don't know"; region X lost its intermediate group."""
    rows = [r for r in tiny_rows if r["respondent_id"] != "m1"]
    blank = {k: "" for k in tiny_rows[0]}
    rows.append(dict(blank, respondent_id="z1", region="Z", region_name="Zed", group="pol",
                     q1="9", q2="9"))
    return write_survey(rows)


def test_a_region_without_values_is_no_portfolio_member(survey_with_a_silent_region):
    html = report_html("X", survey=survey_with_a_silent_region, definitions=TINY)
    said = text(html)
    assert "compared with 1 other region that" in said and "2 other regions" not in said
    assert "(here 1)" in said
    assert "Zed" not in said
    # the cover counts only the groups that answered: X has no intermediate respondent now
    assert "5 (2 stakeholder groups)" in said


def test_the_approach_explains_the_margin_once_and_the_annex_lists_waves(tmp_path, tiny_survey,
                                                                           write_survey,
                                                                           tiny_rows):
    db = tmp_path / "p.db"
    args = ("--definitions", str(TINY), "--db", str(db))
    assert run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "2024",
               *args)[0] == 0
    later = [dict(r, respondent_id=r["respondent_id"] + "b") for r in tiny_rows
             if r["region"] == "X"]
    assert run("portfolio", "import", "--survey", str(write_survey(later)), "--wave", "2026",
               *args)[0] == 0
    said = text(report_html("X", db=db, definitions=TINY))
    assert said.count("not a random sample") == 1
    assert "surveyed in different waves, from 2024 to 2026" in said
    assert "real" not in said.split()
    root = tinyhtml5.parse(report_html("X", db=db, definitions=TINY))
    table = next(t for t in root.iter(f"{NS}table")
                 if "portfolio-members" in (t.get("class") or ""))
    rows = [[" ".join("".join(c.itertext()).split()) for c in tr]
            for tr in table.find(f"{NS}tbody")]
    assert rows == [["Yonder (Y)", "–", "2024", "6"]]


def test_one_group_catalogue_counts_its_groups(write_survey):
    rows = [r for r in read_rows(DATA / "tiny_survey.csv")]
    said = text(report_html("Y", survey=write_survey(rows), definitions=TINY))
    assert "6 (3 stakeholder groups)" in said


def test_a_rank_every_resample_agrees_on_is_said_once():
    from types import SimpleNamespace as NS

    from reportgen.report.figures import _describe

    stats = PortfolioStats(9, 0.0, 1.5, 2.0, 2.5, 4.0, 2.0, 0.0, 4.0, ())
    fixed = Position("k", 3.2, stats, 2, 26, "top quarter", 1.2, (3.0, 3.4), (2, 2), None, 0.9)
    said = _describe(NS(t=Lang("en", 1), name="Xland"), "Composite", fixed)  # type: ignore[arg-type]
    assert said == ("Composite: Xland 3.2 (90% interval 3.0–3.4; portfolio median 2.0, rank 2 of "
                    "26 in every resample)")
    moving = Position("k", 3.2, stats, 2, 26, "top quarter", 1.2, (3.0, 3.4), (1, 4), None, 0.9)
    said = _describe(NS(t=Lang("en", 1), name="Xland"), "Composite", moving)  # type: ignore[arg-type]
    assert "rank 2 (1–4) of 26" in said


def test_a_tie_between_the_named_extremes_is_said_once():
    # Both lie 0.1 behind as printed: one sentence, not one for each.
    items = [narrative.Named("a", _pos(2.52, 2.58, 1.0, 4)),
             narrative.Named("b", _pos(2.04, 2.12, 1.0, 5))]
    said = narrative.indicator_sentences(Lang("en", 1), items)
    assert said[1:] == ["Rounded, “b” lies as far from the median as “a”."]

"""The report's HTML, parsed: chapters, dimensions, tables, escaping, other catalogues."""

from __future__ import annotations

import base64
import re
from xml.etree import ElementTree

import pytest
import tinyhtml5

from reportgen.build import report_html
from reportgen.catalogue import load_catalogue
from reportgen.report.settings import ReportSettings
from tests.conftest import DATA

NS = "{http://www.w3.org/1999/xhtml}"


def parse(html: str):
    return tinyhtml5.parse(html)


def find_all(root, tag: str, cls: str | None = None):
    found = root.iter(f"{NS}{tag}")
    return [e for e in found if cls is None or cls in (e.get("class") or "").split()]


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module")
def tiny_html() -> str:
    return report_html("X", survey=DATA / "tiny_survey.csv",
                       definitions=DATA / "tiny_catalogue.yaml", cases=DATA / "tiny_cases.yaml")


@pytest.fixture(scope="module")
def tiny_draft() -> str:
    """The tiny report as a quick draft: no resampling."""
    return report_html("X", survey=DATA / "tiny_survey.csv",
                       definitions=DATA / "tiny_catalogue.yaml", cases=DATA / "tiny_cases.yaml",
                       settings=ReportSettings(resamples=0))


def test_chapters_in_order(tiny_html):
    root = parse(tiny_html)
    ids = [s.get("id") for s in find_all(root, "section", "chapter")]
    assert ids == ["ch-glance", "ch-introduction", "ch-context", "ch-approach", "ch-results",
                   "ch-summary", "ch-annex"]
    headings = [text(h) for h in find_all(root, "h1", "chapter-title")]
    assert headings[:2] == ["At a glance", "1 Introduction"] and headings[-1] == "A Annex"
    # The overview comes right after the cover, before the contents.
    body = [e for e in root.find(f"{NS}body") if e.tag in (f"{NS}section", f"{NS}nav")]
    assert [e.get("id") or e.get("class") for e in body[:3]] == ["cover", "ch-glance", "toc"]


def test_one_section_per_dimension_with_four_parts(tiny_html):
    root = parse(tiny_html)
    sections = find_all(root, "section", "dimension")
    assert [s.get("id") for s in sections] == ["dim-alpha", "dim-beta", "dim-gamma"]
    parts = {s.get("id"): [text(h) for h in s.iter(f"{NS}h3")] for s in sections}
    for dim in ("dim-alpha", "dim-beta"):
        assert parts[dim] == ["Rationale", "Leverage through clusters", "Regional perspective",
                              "How the groups answered", "Good practice from the portfolio"]
    # gamma declares no rationale or leverage text: no empty headings for them
    assert parts["dim-gamma"] == ["Regional perspective", "Good practice from the portfolio"]


def test_toc_links_every_chapter_and_dimension(tiny_html):
    root = parse(tiny_html)
    toc = find_all(root, "nav", "toc")[0]
    hrefs = [a.get("href") for a in toc.iter(f"{NS}a")]
    assert hrefs == ["#ch-glance", "#ch-introduction", "#ch-context", "#ch-approach", "#ch-results",
                     "#dim-alpha", "#dim-beta", "#dim-gamma", "#ch-summary", "#ch-annex",
                     "#annex-values", "#annex-questions", "#annex-glossary", "#annex-portfolio",
                     "#annex-sources", "#annex-sensitivity"]
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert {h[1:] for h in hrefs} <= ids


def without_intervals(cell) -> str:
    """Return a cell's text without the small interval or rank band below its value."""
    small = "".join(text(x) for x in find_all(cell, "span", "ci"))
    return text(cell).replace(small, "", 1).strip() if small else text(cell)


def test_indicator_table_shows_values_counts_and_hidden_groups(tiny_html):
    root = parse(tiny_html)
    table = find_all(root, "table", "indicators")[0]
    rows = [[without_intervals(c) for c in tr if c.tag in (f"{NS}th", f"{NS}td")]
            for tr in table.find(f"{NS}tbody")]
    # composite alpha 1.875 -> "1.88" with two decimals; n = 5
    assert rows[0][:3] == ["Composite indicator", "1.88", "5"]
    # Indicator one: 1.75 from 4 respondents; groups: pol 3.00 (2), ops 0.50 (2), mid hidden,
    # and the merged pool of small groups (mid alone, 1 respondent) too small to show
    assert rows[1] == ["Indicator one", "1.75", "4", "2.00", "2/2", "3.00 (2)", "0.50 (2)",
                       "n < 2", "n < 2"]


def test_a_hidden_cell_never_tells_whether_a_small_group_answered(write_survey, tiny_rows):
    # The one intermediate respondent leaves q3 (indicator two) blank: its cell must read as
    # those of the indicators it answered, or "–" would give that away.
    for row in tiny_rows:
        if row["respondent_id"] == "m1":
            row["q3"] = ""
    html = report_html("X", survey=write_survey(tiny_rows),
                       definitions=DATA / "tiny_catalogue.yaml")
    table = find_all(parse(html), "table", "indicators")[0]
    rows = [[without_intervals(c) for c in tr if c.tag in (f"{NS}th", f"{NS}td")]
            for tr in table.find(f"{NS}tbody")]
    assert [r[0] for r in rows[1:]] == ["Indicator one", "Indicator two"]
    assert rows[1][-2:] == rows[2][-2:] == ["n < 2"] * 2  # the group, and the merged pool


def test_small_groups_are_merged_once_the_pool_is_large_enough(catalogue_variant):
    # With a minimum of 3, every group of X is too small for i1 on its own: pol p1, p2 (3, 3),
    # ops o1, o2 (1, 0), mid m1 (4). Pooled: 5 respondents, mean 11 / 5 = 2.2.
    strict = catalogue_variant(lambda doc: doc["rules"].update(min_respondents=3))
    html = report_html("X", survey=DATA / "tiny_survey.csv", definitions=strict)
    table = find_all(parse(html), "table", "indicators")[0]
    rows = [[text(c) for c in tr if c.tag in (f"{NS}th", f"{NS}td")]
            for tr in table.find(f"{NS}tbody")]
    assert rows[1][0] == "Indicator one" and rows[1][1] == "–"
    assert rows[1][-4:] == [*["n < 3"] * 3, "2.20 (5)"]


def test_dimension_below_data_threshold_says_so(tiny_html):
    root = parse(tiny_html)
    gamma = [s for s in find_all(root, "section", "dimension") if s.get("id") == "dim-gamma"][0]
    assert "There is not enough data for a composite score" in text(gamma)


def test_every_chart_has_alt_text_with_values(tiny_html):
    root = parse(tiny_html)
    images = find_all(root, "img")
    assert images and all(img.get("src").startswith("data:image/svg+xml;base64,")
                          for img in images)
    box = find_all(find_all(root, "section", "dimension")[0], "img")[0].get("alt")
    found = re.search(r"Indicator one: Xland 1\.75 \(90% interval (\S+)–(\S+); portfolio "
                      r"median 2\.00, rank 2 \((\d)–(\d)\) of 2\)", box)
    assert found, box
    low, high, best, worst = found.groups()
    assert float(low) <= 1.75 <= float(high) and int(best) <= 2 <= int(worst)


def test_without_resamples_there_are_no_intervals(tiny_draft):
    root = parse(tiny_draft)
    box = find_all(find_all(root, "section", "dimension")[0], "img")[0].get("alt")
    assert "Indicator one: Xland 1.75 (portfolio median 2.00, rank 2 of 2)" in box
    assert not find_all(root, "span", "ci") and not find_all(root, "table", "sensitivity")
    assert "How sure are the values" not in tiny_draft and "resampled" not in tiny_draft


def test_respondent_counts_and_catalogue_are_cited(tiny_html):
    root = parse(tiny_html)
    table = find_all(root, "table", "respondents")[0]
    assert "Intermediate level" in text(table) and "no, fewer than 2 respondents" in text(table)
    assert "Tiny test catalogue" in text(find_all(root, "section", "cover")[0])
    assert "Synthetic example data" not in tiny_html


def test_case_of_the_best_other_region_is_shown(tiny_html):
    root = parse(tiny_html)
    cases = find_all(root, "aside", "case")
    # The case title is a heading one level below "Good practice from the portfolio" (h3).
    assert [text(c.find(f"{NS}h4")) for c in cases] == ["Yonder’s alpha practice"]
    # Each case landmark is named by its own title for a screen reader's list of regions.
    assert [c.find(f"{NS}h4").get("id") for c in cases] == [
        c.get("aria-labelledby") for c in cases] == ["case-title-alpha"]


def test_text_from_export_and_case_library_is_escaped(write_survey, tiny_rows, tmp_path):
    evil = '<script>alert(1)</script><img src="file:///etc/hostname">'
    for row in tiny_rows:
        if row["region"] == "Y":
            row["region_name"] = "Yonder " + evil
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - id: c\n    region: Y\n    dimension: alpha\n"
        f"    title: '{evil}'\n    summary: '<link rel=attachment href=file:///etc/passwd>'\n"
        f"    success_factors: ['<b>bold</b>']\n", encoding="utf-8")
    html = report_html("X", survey=write_survey(tiny_rows),
                       definitions=DATA / "tiny_catalogue.yaml", cases=cases)
    root = parse(html)
    assert not find_all(root, "script")
    assert not [i for i in find_all(root, "img") if "file:" in (i.get("src") or "")]
    assert not find_all(root, "link") and not find_all(root, "b")
    assert "<script>alert(1)</script>" in text(root.find(f"{NS}body"))


def test_a_different_catalogue_builds_without_code_changes():
    cat = load_catalogue(DATA / "alt_catalogue.yaml")
    html = report_html("R03", survey=DATA / "alt_survey.csv",
                       definitions=DATA / "alt_catalogue.yaml")
    root = parse(html)
    sections = find_all(root, "section", "dimension")
    assert [s.get("id") for s in sections] == [f"dim-{d.id}" for d in cat.dimensions]
    body = text(root.find(f"{NS}body"))
    for ind in cat.indicators:
        assert ind.name in body
    assert "scale from 0 (weakest) to 10 (strongest)" in body
    assert "StressTest catalogue" not in body


def test_the_table_key_is_stated_once_and_each_table_points_to_it(tiny_html):
    from reportgen.report.settings import ReportSettings

    key = "n: respondents behind the value"
    root = parse(tiny_html)
    notes = find_all(root, "p", "table-note")
    tables = find_all(root, "table", "indicators")
    pointers = [n for n in notes if n.find(f"{NS}a") is not None
                and n.find(f"{NS}a").get("href") == "#reading-tables"]
    assert len(tables) == 3 and len(pointers) == len(tables)
    assert not any(key in text(n) for n in notes)
    guide = next(h for h in root.iter(f"{NS}h2") if h.get("id") == "reading-tables")
    approach = next(s for s in find_all(root, "section", "chapter")
                    if s.get("id") == "ch-approach")
    assert guide in approach.iter(f"{NS}h2")
    assert text(approach).count(key) == 1
    # Without the approach chapter there is nothing to point to: each table has its key.
    alone = parse(report_html("X", survey=DATA / "tiny_survey.csv",
                              definitions=DATA / "tiny_catalogue.yaml",
                              settings=ReportSettings(skip_chapters=("approach",))))
    assert [key in text(n) for n in find_all(alone, "p", "table-note")].count(True) == 3
    assert not any(a.get("href") == "#reading-tables" for a in alone.iter(f"{NS}a"))


def test_at_a_glance_repeats_the_results_it_summarises(tiny_html):
    root = parse(tiny_html)
    glance = next(s for s in find_all(root, "section", "chapter") if s.get("id") == "ch-glance")
    rows = [[text(c) for c in tr] for tr in find_all(glance, "table")[0].find(f"{NS}tbody")]
    summary = next(s for s in find_all(root, "section", "chapter") if s.get("id") == "ch-summary")
    full = [[text(c) for c in tr] for tr in find_all(summary, "table", "composites")[0]
            .find(f"{NS}tbody")]
    # Dimension, value, rank and band as in the summary's table (which adds n and median).
    assert [[r[0], r[1], r[2], r[3]] for r in rows] == [[f[0], f[1], f[4], f[5]] for f in full]
    items = {h.get("id"): h for h in root.iter() if h.get("id")}
    links = [a.get("href") for a in glance.iter(f"{NS}a") if "page-ref" in (a.get("class") or "")]
    assert links and all(href[1:] in items for href in links)
    assert all(items[href[1:]].tag == f"{NS}aside" for href in links)


def test_a_case_is_pointed_to_once_by_the_weaknesses_of_its_dimension():
    from reportgen.benchmark.compare import Position
    from reportgen.report.glance import lessons
    from reportgen.report.views import DimensionView, Item

    def item(iid):
        return Item(iid, iid, "", 1.0, 9, Position(iid, 1.0, None, None, 0, None, None), [])

    a1, a2, b1 = item("a1"), item("a2"), item("b1")
    dims = [DimensionView(d, "1", d, [], "", "", item(d), inds, None,  # type: ignore[arg-type]
                          None, [], None) for d, inds in (("a", [a1, a2]), ("b", [b1]))]
    found = lessons(dims, [a2, b1, a1])
    assert [(x.item.id, x.dimension.id, x.first_of_dimension) for x in found] == [
        ("a2", "a", True), ("b1", "b", True), ("a1", "a", False)]


def test_disagreements_are_the_widest_gaps_between_shown_group_values():
    from reportgen.benchmark.compare import Position
    from reportgen.report.glance import disagreements
    from reportgen.report.views import DimensionView, GroupValue, Item

    def item(iid, *groups):
        return Item(iid, iid, "", 2.0, 9, Position(iid, 2.0, None, None, 0, None, None),
                    [GroupValue(label, value, 5, shown) for label, value, shown in groups])

    small = item("small", ("pol", 2.0, True), ("ops", 2.5, True))
    hidden = item("hidden", ("pol", 0.0, True), ("ops", 4.0, False))  # not shown: no gap
    wide = item("wide", ("pol", 3.5, True), ("ops", 1.0, True), ("int", 2.0, True))
    dim = DimensionView("d", "1", "D", [], "", "", small, [small, hidden, wide], None,  # type: ignore[arg-type]
                        None, [], None)
    found = disagreements([dim], 2)
    assert [(d.item.id, d.low.label, d.high.label, d.high.value - d.low.value)
            for d in found] == [
        ("wide", "ops", "pol", 2.5), ("small", "pol", "ops", 0.5)]


def test_a_group_gap_is_graded_by_size_and_always_stated():
    from reportgen.report.i18n import Lang
    from reportgen.report.narrative import GroupGap, group_sentences

    t = Lang("en", 1)

    def said(low: float) -> str:
        return group_sentences(t, GroupGap("Trust", "Policy", 3.0, "Clusters", low), 1.0)[0]

    assert "A gap of 1.2 points is large" in said(1.8)
    # 0.9 of 4 points was once called "modest" by a fixed 1.0 cut-off; now it is named.
    assert "A gap of 0.9 points is noticeable" in said(2.1)
    assert "At 0.3 points, the groups see this dimension much alike." in said(2.7)


def test_the_annex_names_the_leading_regions_of_each_dimension(tiny_html):
    root = parse(tiny_html)
    table = find_all(root, "table", "leaders")[0]
    rows = [[text(c) for c in tr] for tr in table.find(f"{NS}tbody")]
    assert [r[0] for r in rows] == ["Alpha dimension", "Beta dimension", "Gamma dimension"]
    assert all(len(r) == 4 and r[2:] == ["–", "–"] for r in rows)  # one other region: Y
    # Y's composites, as the summary's boxplots give the portfolio median of one region.
    # Each with the ranks it takes in 90% of the resamples (two regions: rank 1 or 2).
    for cell, value in zip([r[1] for r in rows], ["2.33", "2.17", "2.00"], strict=True):
        assert re.fullmatch(rf"Yonder {value} · (always rank [12]|ranks 1–2)", cell), cell


def test_the_progress_chart_names_each_line_at_its_end_without_overlap():
    from reportgen.report.overview_charts import _spread, waves_chart

    # Targets 1.0, 1.05 and 3.0 with heights 0.2: the second moves up to 1.2, the third stays.
    assert _spread([1.05, 1.0, 3.0], [0.2, 0.2, 0.2]) == pytest.approx([1.2, 1.0, 3.0])
    svg = waves_chart(["2024", "2026"], [("First line", [1.0, 2.0]), ("Second", [None, 2.1])],
                      0, 4)
    assert "First line" in svg and "Second" in svg and "<g id=\"legend" not in svg


def test_answer_bars_count_each_groups_answers_and_respect_the_minimum(tiny_html):
    root = parse(tiny_html)
    alpha = next(s for s in find_all(root, "section", "dimension") if s.get("id") == "dim-alpha")
    shown = find_all(alpha, "div", "question-answers")
    # q1 and q2 make indicator one. Only one policy respondent answered q2 (the other: don't
    # know), one operational respondent likewise: beside the group's value of the indicator,
    # the q1 bar would give that one q2 answer away, so neither group gets bars for them.
    assert [text(d).split(" ·")[0] for d in shown] == ["q3"]
    first = shown[0]
    assert text(first).startswith("q3 · Indicator two:")
    bars = find_all(first, "img", "answer-bar")
    rows = [b.get("alt") for b in bars]
    # Policy answered q3 with No and Yes (scores 0 and 4), operational likewise; the
    # intermediate level has fewer than 2 respondents: no bar, and no bar for all groups
    # together, which would reveal its answers by subtraction.
    # Every bar lists the same scores (those any answer of the region has), so that a shade
    # means one score throughout.
    assert rows == ["Policy level, 2 answers: score 0.00: 1; score 1.00: 0; score 2.00: 0; "
                    "score 2.50: 0; score 3.00: 0; score 4.00: 1",
                    "Operational level, 2 answers: score 0.00: 1; score 1.00: 0; score 2.00: 0; "
                    "score 2.50: 0; score 3.00: 0; score 4.00: 1"]
    # The drawn bar states the same counts: one segment per score answered, each with its
    # count inside, so it reads without telling shades apart.
    svg = ElementTree.fromstring(
        base64.b64decode(bars[0].get("src").split(",", 1)[1]).decode("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    assert [r.get("width") for r in svg.iter(f"{ns}rect")] == ["150.00", "150.00"]
    assert [t.text for t in svg.iter(f"{ns}text")] == ["1", "1"]


def test_one_thin_question_hides_every_bar_of_that_groups_indicator():
    from types import SimpleNamespace as NS

    import pandas as pd

    from reportgen.report.answers import question_answers
    from reportgen.report.i18n import Lang

    cat = load_catalogue(DATA / "tiny_catalogue.yaml")
    # Policy: 3 answered q1, only 1 answered q2 (the rest "don't know"). The group's value of
    # i1 is shown (3 respondents); the q1 bar beside it would give the one q2 answer away.
    counts = pd.DataFrame([("q1", "pol", 4.0, 3), ("q2", "pol", 0.0, 1),
                           ("q1", "ops", 1.0, 2), ("q2", "ops", 2.0, 2),
                           ("q3", "pol", 4.0, 3)], columns=["question", "group", "score", "count"])
    shown = [NS(shown=True), NS(shown=True), NS(shown=False)]
    items = [NS(id="i1", name="Indicator one", groups=shown),
             NS(id="i2", name="Indicator two", groups=shown)]
    found = question_answers(counts, cat, items, 2, Lang())  # type: ignore[arg-type]
    bars = {(q.id, b.group) for q in found for b in q.bars}
    assert bars == {("q1", "Operational level"), ("q2", "Operational level"),
                    ("q3", "Policy level")}


def _svg_words(img) -> str:
    """Return the words a chart draws, its wrapped label lines joined by single spaces."""
    svg = base64.b64decode(img.get("src").split(",", 1)[1]).decode("utf-8")
    texts = ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    return " ".join(" ".join(" ".join(t.itertext()) for t in texts).split())


def test_chart_labels_are_the_names_in_the_tables(catalogue_variant):
    def shorten(doc: dict) -> None:
        for dim in doc["dimensions"]:
            dim["short_name"] = "Zz" + dim["id"]
            for ind in dim["indicators"]:
                ind["short_name"] = "Zz" + ind["id"]

    html = report_html("X", survey=DATA / "tiny_survey.csv",
                       definitions=catalogue_variant(shorten))
    checked = 0
    for section in find_all(parse(html), "section", "dimension"):
        tables = find_all(section, "table", "indicators")
        charts = find_all(section, "img")
        if not tables or not charts:
            continue
        names = [text(tr[0]) for tr in tables[0].find(f"{NS}tbody")]
        words = _svg_words(charts[0])
        assert "Zz" not in words
        assert all(name in words for name in names), (names, words)
        checked += 1
    assert checked >= 2
    # The one exception: the small spider chart of "At a glance" speaks in short names,
    # and its text alternative still names each dimension in full with its value.
    root = parse(html)
    glance = next(f for f in find_all(root, "figure", "glance-radar"))
    summary = next(f for f in find_all(root, "figure", "radar") if f is not glance)
    full = [text(h).split(" ", 1)[1] for h in find_all(root, "h2")
            if (h.get("id") or "").startswith("dim-")] or [
        text(s.find(f"{NS}h2")).split(" ", 1)[1] for s in find_all(root, "section", "dimension")]
    assert len(full) == 3
    short = _svg_words(glance.find(f"{NS}img"))
    assert all(f"Zz{d}" in short for d in ("alpha", "beta", "gamma")), short
    assert not any(name in short for name in full)
    assert all(name in _svg_words(summary.find(f"{NS}img")) for name in full)
    assert all(name in glance.find(f"{NS}img").get("alt") for name in full)


def test_the_annex_note_on_wordings_keeps_its_sentences_apart(tiny_html):
    notes = [text(p) for p in find_all(parse(tiny_html), "p", "table-note")]
    assert any("adapt it to their role. Chapter 3, The StressTest approach," in n for n in notes)


def annex_sections(html: str) -> list[str]:
    """Return the annex's section headings, checking the contents list the same ones."""
    root = parse(html)
    annex = next(s for s in find_all(root, "section", "chapter") if s.get("id") == "ch-annex")
    headings = [text(h) for h in annex.iter(f"{NS}h2")]
    toc = find_all(root, "nav", "toc")[0]
    listed = [text(a) for a in toc.iter(f"{NS}a") if a.get("href").startswith("#annex-")]
    assert listed == headings
    return headings


def test_annex_sections_are_numbered_as_shown_without_gaps(tiny_html, tiny_draft,
                                                            catalogue_variant):
    full = annex_sections(tiny_html)
    assert [h.split(" ", 1)[0] for h in full] == [f"A.{i}" for i in range(1, 7)]
    assert full[2] == "A.3 Glossary" and full[5].startswith("A.6 Sensitivity")
    # Each term and its definition share a row (tagged PDF: TH scope row + TD).
    glossary = find_all(parse(tiny_html), "table", "glossary")[0].find(f"{NS}tbody")
    assert [text(c) for c in glossary[0]] == ["Alpha", "The first letter."]
    assert glossary[0][0].tag == f"{NS}th" and glossary[0][0].get("scope") == "row"
    # A draft has no sensitivity section; a catalogue without glossary none either.
    assert annex_sections(tiny_draft) == full[:5]
    html = report_html("X", survey=DATA / "tiny_survey.csv",
                       definitions=catalogue_variant(lambda doc: doc.pop("glossary")),
                       settings=ReportSettings(resamples=0))
    assert annex_sections(html) == ["A.1 All indicator values and portfolio statistics",
                                    "A.2 Questions behind the indicators",
                                    "A.3 The benchmarking portfolio", "A.4 Data and method"]


def test_the_approach_says_how_ticked_options_score(tiny_html):
    steps = text(find_all(parse(tiny_html), "ol", "steps")[0])
    # The tiny catalogue's multi scale: thresholds 0 -> 0, 1 -> 2, 3 -> 4 (q5 uses it).
    # Each step names the counts it covers; whole scores go without decimals.
    assert ("On questions where several options can be ticked (q5), the number of options "
            "ticked sets the score: none ticked: 0; 1–2 ticked: 2; 3 or more "
            "ticked: 4.") in steps


def test_the_merged_pool_reads_n_below_the_minimum_only_where_a_group_is_hidden(
        write_survey, tiny_rows):
    # Without an intermediate respondent in X, beta's indicator three shows both groups
    # asked: its pool of small groups is empty, so "n < 2" there would claim hidden answers.
    for row in tiny_rows:
        if row["respondent_id"] == "m1":
            row["group"] = "pol"
    html = report_html("X", survey=write_survey(tiny_rows),
                       definitions=DATA / "tiny_catalogue.yaml")
    table = find_all(parse(html), "table", "indicators")[1]
    rows = {r[0]: r for r in ([text(c) for c in tr if c.tag in (f"{NS}th", f"{NS}td")]
                              for tr in table.find(f"{NS}tbody"))}
    assert rows["Indicator three"][-4:] == ["3.25 (2)", "2.00 (2)", "not asked", "–"]
    assert rows["Indicator five"][-4] == "n < 2" and rows["Indicator five"][-1] == "n < 2"


def test_long_group_names_take_two_legend_rows_instead_of_running_off_the_chart():
    import re

    from reportgen.report.charts import group_chart

    def rows(*names: str) -> int:
        drawn = group_chart(["A", "B"], [(n, [1.0, 2.0]) for n in names], 0.0, 4.0)
        return len({re.search(rf'y="([\d.]+)"[^>]*>{re.escape(n)}</text>', drawn).group(1)
                    for n in names})

    assert rows("Policy level", "Operational level", "Intermediate level") == 1
    assert rows("Décideurs publics", "Gestionnaires de clusters",
                "Autres acteurs de l’écosystème") == 2


def test_sentences_name_groups_as_the_catalogue_writes_them_in_running_text(catalogue_variant):
    def lower(doc: dict) -> None:
        for group in doc["groups"]:
            group["in_text"] = group["label"].lower()

    html = report_html("X", survey=DATA / "tiny_survey.csv", definitions=catalogue_variant(lower))
    said = " ".join(text(parse(html)).split())
    assert "gave their view (policy level, operational level, intermediate level)" in said
    assert re.search(r"The widest difference between the stakeholder groups is on the indicator "
                     r"“[^”]+” \((policy|operational) level [\d.]+, (policy|operational) level",
                     said)
    # Headers and legends keep the label.
    header = find_all(parse(html), "table", "indicators")[0].find(f"{NS}thead")
    assert "Policy level" in text(header)


def test_the_radars_ring_numbers_are_drawn_above_the_lines():
    import re

    from reportgen.report.overview_charts import radar_chart

    svg = radar_chart(["A", "B", "C", "D", "E", "F"], [2.2, 3.6, 2.3, 3.0, 1.5, 1.6],
                      [2.4, 2.5, 2.3, 2.6, 2.6, 2.0], 0, 4, "Xland", "Median")
    # SVG paints in document order: each ring's number (drawn as outlines on a white halo,
    # one halo per number) comes after the region's line.
    line = svg.index("#c8501e")
    halos = [m.start() for m in re.finditer(r"stroke: #ffffff; stroke-width: [\d.]+", svg)]
    assert len(halos) == 4 and min(halos) > line

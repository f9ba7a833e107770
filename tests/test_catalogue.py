"""The catalogue schema: the shipped catalogue, and every error reported with path and line."""

from __future__ import annotations

import pytest

from reportgen.catalogue import load_catalogue
from reportgen.errors import InputError
from reportgen.resources import default_catalogue
from tests.conftest import DATA


def lines_of(path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_catalogue(path)
    return info.value.lines


def test_shipped_catalogue_has_six_dimensions_and_21_indicators():
    cat = load_catalogue(default_catalogue())
    assert cat.title == "reportgen StressTest catalogue"
    assert [d.id for d in cat.dimensions] == ["portfolio", "involvement", "alignment",
                                              "implementation", "monitoring", "impact"]
    assert len(cat.indicators) == 21
    names = {i.name for i in cat.indicators}
    assert "Involvement of cluster initiatives during the development phase" in names
    assert "Clarity of roles and tasks of clusters given in S3" in names


def test_shipped_catalogue_asks_each_group_about_25_questions():
    cat = load_catalogue(default_catalogue())
    for group in cat.groups:
        asked = [q for q in cat.questions if group.id in q.texts]
        assert 23 <= len(asked) <= 27, group.id
    asked_of = {q.indicator for q in cat.questions}
    assert asked_of == {i.id for i in cat.indicators}
    assert len(cat.glossary) >= 12


def test_field_errors_are_all_reported_with_path_and_line():
    name = str(DATA / "broken_catalogue.yaml")
    assert lines_of(DATA / "broken_catalogue.yaml") == [
        f"{name}, line 4: error: groups[0].weight: expected a number > 0.0, got -1",
        f"{name}, line 5: error: scales.s: an ordered scale needs at least 2 options",
        f"{name}, line 9: error: dimensions[0].indicators: expected at least 1 item(s), got 0",
        f"{name}, line 11: error: bogus: unknown key",
    ]


def test_cross_references_are_checked_after_fields():
    name = str(DATA / "broken_references.yaml")
    assert lines_of(DATA / "broken_references.yaml") == [
        f"{name}, line 11: error: questions[0].indicator: unknown indicator 'nope'; expected "
        "one of the dimensions' indicator ids",
        f"{name}, line 11: error: questions[0].scale: unknown scale 's2'; expected one of ['s']",
        f"{name}, line 11: error: questions[0].texts.b: unknown group 'b'; expected one of ['a']",
        f"{name}, line 10: error: dimensions[0].indicators[0].id: indicator 'i' has no question",
        f"{name}, line 10: error: dimensions[0].indicators[1].id: indicator 'j' has no question",
    ]


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "syntax.yaml"
    path.write_text("id: x\ngroups: [a, b\ntitle: t\n", encoding="utf-8")
    (line,) = lines_of(path)
    assert line.startswith(f"{path}, line 3: error: invalid YAML")


def test_yaml_alias_bomb_is_refused(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    (line,) = lines_of(path)
    assert "more than 200 aliases" in line


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    assert lines_of(path) == [f"{path}: error: expected a YAML mapping at the top level"]


def test_duplicate_ids_and_out_of_range_scores(catalogue_variant):
    def break_it(doc):
        doc["questions"][1]["id"] = "q1"
        doc["scales"]["pick"]["options"][2]["score"] = 5

    lines = lines_of(catalogue_variant(break_it))
    assert any("questions[1].id: duplicate id 'q1'" in line for line in lines)
    assert any("scales.pick.options[2].score: expected a score within 0..4, got 5" in line
               for line in lines)


def test_numbers_beyond_what_scoring_can_carry_are_refused_with_their_key(catalogue_variant):
    def huge(doc):
        doc["dimensions"][0]["indicators"][0]["min_items"] = 2**63  # crashed numpy's scoring
        doc["score"]["max"] = 1e26  # crashed the report's decimal rounding
        doc["rules"]["margin_z"] = float("inf")  # passed "greater than 0"

    lines = lines_of(catalogue_variant(huge))
    for key in ("dimensions[0].indicators[0].min_items", "score.max", "rules.margin_z"):
        assert any(f"{key}: " in line for line in lines), (key, lines)


def test_answers_that_would_score_or_read_wrongly_are_refused_with_their_key(
        catalogue_variant):
    def mistakes(doc):
        agree = doc["scales"]["agree"]["options"]
        del agree[3]  # codes 1 2 3 5: "5" would score as a 4 would
        doc["scales"]["agree"]["missing"][0]["label"] = "Neutral"  # a real answer's label
        doc["scales"]["pick"]["options"][1]["label"] = "c"  # another answer's code
        doc["scales"]["multi"]["thresholds"][2]["min_count"] = 5  # only 4 options
        doc["dimensions"][0]["indicators"][1]["min_items"] = 2  # i2 has one question
        doc["glossary"] = [{"term": "Cluster", "definition": "A."},
                           {"term": "cluster ", "definition": "B."}]

    lines = lines_of(catalogue_variant(mistakes))
    expected = [
        "scales.agree: answer labels used twice: ['neutral']",
        "scales.agree.options: codes [1, 2, 3, 5] are not consecutive whole numbers in order",
        "scales.pick.options[1].label: label 'c' is the code of another answer",
        "scales.multi.thresholds[2].min_count: expected at most 4 (the options there are to "
        "tick), got 5",
        "dimensions[0].indicators[1].min_items: expected at most 1 (the most questions any "
        "group is asked on it), got 2",
        "glossary[1].term: term 'cluster ' is explained twice",
    ]
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    assert all(", line " in line for line in lines)  # each located in the file


def test_choice_scale_needs_scores(catalogue_variant):
    def no_score(doc):
        del doc["scales"]["pick"]["options"][0]["score"]

    (line,) = lines_of(catalogue_variant(no_score))
    assert "scales.pick: every option of a choice scale needs a score" in line


def test_a_report_file_name_that_is_no_plain_name_is_refused_with_an_example(catalogue_variant):
    path = catalogue_variant(lambda doc: doc["report"].update(file="DIH_Check"))
    said = lines_of(path)
    assert len(said) == 1 and said[0].endswith(
        "error: report.file: expected a plain file name of lower-case letters, digits and "
        "single hyphens, e.g. 'dih-check', got 'DIH_Check'")

"""Report languages: complete catalogues, German reports, locale-aware numbers."""

from __future__ import annotations

import re

import pytest
import tinyhtml5
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from reportgen.build import report_html
from reportgen.catalogue import load_catalogue
from reportgen.catalogue.translate import localise
from reportgen.errors import UsageError
from reportgen.report.i18n import LOCALE_DIR, Lang, languages
from reportgen.report.settings import ReportSettings
from reportgen.resources import default_catalogue
from tests.conftest import DATA, REPO

NS = "{http://www.w3.org/1999/xhtml}"
PLACEHOLDERS = (r"\{[a-z_]+\}", r"%\([a-z_]+\)s", r"<[^>]+>")


def extracted() -> set[str]:
    """Every message the code and templates ask to translate, as pybabel would extract it."""
    method_map = [("reportgen/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(str(REPO), method_map, options, keywords)
    return {msg if isinstance(msg, str) else msg[0] for _file, _line, msg, _c, _ctx in found}


@pytest.mark.parametrize("lang", [code for code in languages() if code != "en"])
def test_every_message_is_translated_with_its_placeholders(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    # A count-dependent message needs every plural form of the language (Slovenian has four).
    forms = catalog.num_plurals
    translated: dict[str, tuple[str, ...]] = {}
    for m in catalog:
        if not m.id or "fuzzy" in m.flags:
            continue
        texts = (m.string,) if isinstance(m.id, str) else tuple(m.string)
        if all(texts) and (isinstance(m.id, str) or len(texts) == forms):
            translated[m.id if isinstance(m.id, str) else m.id[0]] = texts
    missing = sorted(extracted() - set(translated))
    assert not missing, f"{lang}: {len(missing)} messages lack a translation, e.g. {missing[:3]}"
    for msgid, texts in translated.items():
        for text in texts:
            for pattern in PLACEHOLDERS:
                assert sorted(set(re.findall(pattern, msgid))) == sorted(
                    set(re.findall(pattern, text))), (msgid, text)


def test_german_numbers_and_dates():
    import datetime as dt

    de = Lang("de", 1)
    assert (de.num(2.25, 2), de.num(None), de.signed(-0.5)) == ("2,25", "–", "−0,5")
    assert de.date(dt.date(2026, 11, 22)) == "22. November 2026"
    # Slovenian names the month in the genitive after the day (CLDR has the nominative).
    assert Lang("sl").date(dt.date(2026, 3, 6)) == "6. marca 2026"
    assert Lang("en", 1).num(2.5) == "2.5"
    assert (de.num(-0.77, 2), de.num(-0.04), Lang().num(-3)) == ("\u22120,77", "0,0", "\u22123.0")


def test_halves_round_away_from_zero_as_readers_round():
    # 13/4 respondents' mean is 3.25: a reader rounds it to 3.3, not to the even 3.2.
    en, de = Lang("en", 1), Lang("de", 1)
    assert [en.num(v) for v in (3.25, 2.25, 0.05, -0.25, 2.9499999999999997)] == [
        "3.3", "2.3", "0.1", "\u22120.3", "3.0"]
    assert (de.num(3.25), en.num(2.675, 2), en.num(1.0049, 2)) == ("3,3", "2.68", "1.00")
    # A change and a gap are the differences of the printed values.
    assert en.difference(3.2, 3.25) == "+0.1" and en.shown_difference(2.15, 3.25) == 1.1
    from reportgen.report.change import Change

    change = Change("2024", 3.2, 3.25, 0.05, None)
    assert change.shown_delta == 0.1


def test_unknown_language_is_refused_before_any_work():
    with pytest.raises(UsageError, match="language 'xx' is not available; choose one of de, en"):
        report_html("X", survey=DATA / "tiny_survey.csv",
                    definitions=DATA / "tiny_catalogue.yaml",
                    settings=ReportSettings(language="xx"))


def test_catalogue_texts_are_localised():
    cat = load_catalogue(default_catalogue())
    de = localise(cat, "de", cat.translations)
    assert de.title == "reportgen StressTest-Katalog"
    assert [d.id for d in de.dimensions] == [d.id for d in cat.dimensions]
    assert {i.name for i in de.indicators}.isdisjoint({i.name for i in cat.indicators})
    assert de.indicators[0].id == cat.indicators[0].id


def test_german_report_has_german_headings_decimal_commas_and_indicator_names(tmp_path):
    cat = load_catalogue(default_catalogue())
    german = localise(cat, "de", cat.translations)
    html = report_html("R07", survey=REPO / "example_inputs" / "survey.csv",
                       settings=ReportSettings(language="de"))
    root = tinyhtml5.parse(html)
    assert root.get("lang") == "de"
    heads = [" ".join("".join(h.itertext()).split()) for h in root.iter(f"{NS}h1")]
    assert "1 Einleitung" in heads and "Inhalt" in heads and "5 Zusammenfassung" in heads
    body = " ".join("".join(root.find(f"{NS}body").itertext()).split())
    # A compound's soft hyphen (Cluster\u00adorganisationen) shows only at a line's end.
    assert "Cluster\u00adorganisationen" in body
    body = body.replace("\u00ad", "")
    for indicator in german.indicators:
        assert indicator.name in body
    assert cat.indicators[0].name not in body
    table = next(t for t in root.iter(f"{NS}table") if "composites" in (t.get("class") or ""))
    small = [" ".join("".join(s.itertext()).split()) for s in table.iter(f"{NS}span")
             if "ci" in (s.get("class") or "").split()]
    values = [" ".join("".join(td.itertext()).split()) for td in table.iter(f"{NS}td")]
    for interval in small:  # the value's interval or the rank's range, below it
        values = [v.replace(interval, "", 1) if v.endswith(interval) else v for v in values]
    assert values and all(re.fullmatch(r"\d,\d|\d+|[^.]*", v) for v in values)
    assert any(re.fullmatch(r"\d,\d", v) for v in values)
    assert any(re.fullmatch(r"\d,\d–\d,\d", v) for v in small)


def test_the_default_title_is_in_the_reports_language():
    html = report_html("R07", survey=REPO / "example_inputs" / "survey.csv",
                       settings=ReportSettings(language="fr"))
    root = tinyhtml5.parse(html)
    assert "".join(root.find(f"{NS}head/{NS}title").itertext()).startswith(
        "Rapport StressTest\u00a0: ")  # French sets a no-break space before the colon
    cover = next(h for h in root.iter(f"{NS}h1") if "cover-title" in (h.get("class") or ""))
    assert "".join(cover.itertext()) == "Rapport StressTest"


def test_glossary_order_follows_the_language():
    from reportgen.report.i18n import collation_key

    def ordered(words: list[str], code: str) -> list[str]:
        return sorted(words, key=lambda w: collation_key(w, code))

    # French ignores accents; Slovenian sorts š as a letter of its own, after s
    assert ordered(["Moustache", "Écart", "Médiane"], "fr") == ["Écart", "Médiane", "Moustache"]
    assert ordered(["Vrednost", "Škatla", "Sorodnost", "Tranša"], "sl") == [
        "Sorodnost", "Škatla", "Tranša", "Vrednost"]


def test_french_punctuation_gets_its_no_break_spaces_in_text_and_read_attributes():
    from reportgen.report.typography import typeset

    html = ('<html><head><title>Rapport StressTest: Saldenmark</title><style>a:hover{x:1;y:2}'
            '</style></head><body><p>En bref: ok ; oui! non ?</p><img alt="Score: 2,1; n = 8" '
            'src="data:image/png;base64,AAA"><p>Tom &amp; Jerry; https://x.eu/a?b=1 à 12:30 '
            '«cité »</p><strong>Déterminants:</strong> x</body></html>')
    nb = "\u00a0"
    assert typeset(html, "fr") == (
        f'<html><head><title>Rapport StressTest{nb}: Saldenmark</title><style>a:hover{{x:1;y:2}}'
        f'</style></head><body><p>En bref{nb}: ok{nb}; oui{nb}! non{nb}?</p><img alt="Score{nb}: '
        f'2,1{nb}; n = 8" src="data:image/png;base64,AAA"><p>Tom &amp; Jerry{nb}; '
        f'https://x.eu/a?b=1{nb}à 12:30 «{nb}cité{nb}»</p><strong>Déterminants{nb}:</strong> x'
        '</body></html>')
    assert typeset(html, "de") == html.replace("b=1 à", f"b=1{nb}à").replace(
        "non ?", f"non{nb}?").replace("cité »", f"cité{nb}»")
    assert typeset(typeset(html, "fr"), "fr") == typeset(html, "fr")


def test_numeric_ranges_in_body_text_stay_on_one_line():
    from reportgen.report.typography import typeset

    html = ('<html><head><title>1–2</title></head><body><p>rank 24, likely 22–25, of 26; '
            '2,9–3,5 and −0.3–+0.4 (1–4). K12–K13 and x1–2 stay.</p><img alt="1–2">'
            '<svg><text>1–2</text></svg></body></html>')
    assert typeset(html, "en") == html.replace(
        "22–25", '<span class="range">22–25</span>').replace(
        "2,9–3,5", '<span class="range">2,9–3,5</span>').replace(
        "−0.3–+0.4", '<span class="range">−0.3–+0.4</span>').replace(
        "(1–4)", '(<span class="range">1–4</span>)').replace(
        "</span> and", "</span>\u00a0and").replace(
        "2 stay", "2\u00a0stay")


def test_the_scores_file_of_a_report_names_indicators_in_the_reports_language():
    import csv
    import io

    from reportgen.build import compose, scores_table, source

    survey = REPO / "example_inputs" / "survey.csv"
    settings = ReportSettings(language="fr", resamples=0)
    done = compose("R07", source("R07", survey=survey, resamples=0), settings=settings,
                   parallel=False)
    rows = list(csv.DictReader(io.StringIO(scores_table(done, "R07").decode())))
    names = {r["id"]: r["name"] for r in rows}
    cat = done.inputs.catalogue
    french = cat.translations["fr"]
    first = cat.dimensions[0]
    assert names[first.id] == french.dimensions[first.id].name != first.name
    assert {r["id"] for r in rows} >= {d.id for d in cat.dimensions}  # ids stay as they are
    # The notes on blanks are in the report's language too.
    from reportgen.scoring.disclosure import NOT_ASKED_NOTE

    notes = {r["note"] for r in rows} - {""}
    assert done.lang._(NOT_ASKED_NOTE) in notes and NOT_ASKED_NOTE not in notes
    assert not [n for n in notes if n.startswith(("not ", "INTERNAL"))]


def test_slovenian_one_letter_words_stay_with_the_next_word():
    from reportgen.report.typography import typeset

    html = '<p>Regija v portfelju je z 40 anketiranci; <b>Tom &amp; Jerry</b> in a.</p>'
    assert typeset(html, "sl") == ("<p>Regija v\u00a0portfelju je z\u00a040\u00a0anketiranci; "
                                   "<b>Tom &amp; Jerry</b> in\u00a0a.</p>")
    assert typeset(html, "de") == html.replace("40 a", "40\u00a0a").replace("in a.",
                                                                          "in\u00a0a.")


def test_shared_typography_binds_numbers_and_short_last_words_and_curls_apostrophes():
    from reportgen.report.charts import _wrap
    from reportgen.report.typography import typeset

    nb = "\u00a0"
    html = ("<p>Dell'indicatore: 40 Befragten, 3,2 → 2,7 from 2014-2018; wave w1 and K009 x; "
            "file 2014-2018.csv</p><p>Clusterstrategien und -dienstleistungen im 90 %-Intervall"
            "</p><h3>Coordinamento della S3</h3><img alt=\"the region's 40 answers\">")
    out = typeset(html, "de")
    assert out == (
        f"<p>Dell\u2019indicatore: 40{nb}Befragten, 3,2{nb}→{nb}2,7{nb}from "
        f'<span class="range">2014–2018</span>; wave w1 and K009 x; file 2014-2018.csv</p>'
        f'<p>Clusterstrategien und <span class="range">-dienstleistungen</span> im 90-%-Intervall'
        f"</p><h3>Coordinamento della{nb}S3</h3><img alt=\"the region\u2019s 40 answers\">")
    # Only German joins a percentage to its compound.
    assert "90 %-Intervall" in typeset(html, "en")
    # Chart labels wrap without leaving a short last word alone.
    assert _wrap("Coordinamento e allineamento della S3", 30).split("\n")[-1] == f"della{nb}S3"


def test_french_inverted_questions_are_not_broken_at_their_hyphens():
    from reportgen.report.typography import typeset

    out = typeset("<p>La stratégie comporte-t-elle des objectifs ? Peut-on le mesurer ?</p>",
                  "fr")
    assert out == ('<p>La stratégie <span class="range">comporte-t-elle</span> des '
                   'objectifs\u00a0? <span class="range">Peut-on</span> le mesurer\u00a0?</p>')


def test_ordinals_keep_their_range_and_their_noun_on_one_line():
    from reportgen.report.typography import typeset

    out = typeset("<p>Uvrstitve (14.–22.) in 2. četrtina. Od 2024. Nato</p>", "sl")
    assert '(<span class="range">14.–22.</span>)' in out
    assert "2.\u00a0četrtina" in out and "2024. Nato" in out  # a sentence's end stays free


def test_german_compounds_break_at_their_joint_not_where_the_patterns_put_it():
    from reportgen.report.typography import typeset

    html = ('<p title="Zusammenarbeit">Zusammenarbeit der Clusterorganisationen, '
            'Monitoringergebnisse und Politikinstrumente; vorgegebene Bearbeitung, Arbeit.</p>')
    out = typeset(html, "de")
    shy = "\u00ad"
    assert out == (f'<p title="Zusammenarbeit">Zusammen{shy}arbeit der Cluster{shy}'
                   f'organisationen, Monitoring{shy}ergebnisse und Politik{shy}instrumente; '
                   'vorgegebene Bearbeitung, Arbeit.</p>')
    assert shy not in typeset(html, "en") and shy not in typeset(html, "it")

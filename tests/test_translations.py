"""Report languages are complete or say what is missing; pseudo-localisation finds the rest."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import tinyhtml5
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from reportgen.build import report_html
from reportgen.catalogue import load_catalogue
from reportgen.errors import UsageError
from reportgen.report import i18n
from reportgen.report.settings import ReportSettings
from reportgen.resources import default_catalogue, example_inputs
from tests.conftest import DATA

NS = "{http://www.w3.org/1999/xhtml}"
L, R = "⟦", "⟧"
WRAPPED = re.compile(f"{L}[^{L}{R}]*{R}")


def wrap(text: str) -> str:
    """Pseudo-translate: bracket the text, keeping it readable."""
    return f"{L}{text}{R}" if text.strip() else text


def pseudo_messages(lang: str) -> Catalog:
    """Return a message catalogue whose every translation is its bracketed msgid."""
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as f:
        pot = read_po(f)
    po = Catalog(locale=lang)
    for m in pot:
        if m.id:
            forms = po.num_plurals if isinstance(m.id, tuple) else 1
            po.add(m.id, tuple(wrap(m.id[min(k, 1)]) for k in range(forms))
                   if isinstance(m.id, tuple) else wrap(m.id), flags=m.flags)
    return po


def pseudo_po(target: Path) -> None:
    """Write a 'de' message catalogue whose every translation is its bracketed msgid."""
    folder = target / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as f:
        write_po(f, pseudo_messages("de"))
    shutil.copy(i18n.LOCALE_DIR / "messages.pot", target)


def pseudo_catalogue(target: Path, source: Path | None = None, lang: str = "de") -> Path:
    """Copy a catalogue (the shipped one) with a translation file that brackets every text."""
    cat = load_catalogue(source or default_catalogue())
    fields = ("name", "short_name", "determinant", "description")
    framing = cat.report.model_dump(exclude={"context", "keywords", "file", "levels"},
                                    exclude_none=True)
    doc = {
        "title": wrap(cat.title),
        "report": {**{k: wrap(v) for k, v in framing.items()},
                   "keywords": [wrap(k) for k in cat.report.keywords],
                   "levels": {k: wrap(v) for k, v in cat.report.levels.items()}},
        "groups": {g.id: {"label": wrap(g.label), "description": wrap(g.description),
                          **({"in_text": wrap(g.in_text)} if g.in_text else {})}
                   for g in cat.groups},
        "dimensions": {d.id: {
            "name": wrap(d.name), "short_name": wrap(d.short_name or d.name),
            "determinants": [wrap(x) for x in d.determinants],
            "rationale": wrap(d.rationale), "leverage": wrap(d.leverage),
            "indicators": {i.id: {f: wrap(getattr(i, f)) for f in fields if getattr(i, f)}
                           for i in d.indicators}} for d in cat.dimensions},
        "glossary": [{"term": wrap(g.term), "definition": wrap(g.definition)}
                     for g in cat.glossary],
        "scales": {sid: {o.code: wrap(o.label) for o in (*s.options, *s.missing)}
                   for sid, s in cat.scales.items()},
        "questions": {q.id: {g: wrap(t) for g, t in q.texts.items()} for q in cat.questions},
    }
    shutil.copy(source or default_catalogue(), target / "catalogue.yaml")
    (target / f"catalogue.{lang}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                                   encoding="utf-8")
    return target / "catalogue.yaml"


def pseudo_cases(target: Path) -> Path:
    """Copy the demo case library with a bracketed 'de' translation."""
    source = example_inputs() / "cases.yaml"
    cases = yaml.safe_load(source.read_text(encoding="utf-8"))["cases"]
    doc = {"cases": {c["id"]: {"title": wrap(c["title"]), "summary": wrap(c["summary"]),
                               "success_factors": [wrap(f) for f in c["success_factors"]],
                               "source": wrap(c["source"])} for c in cases}}
    shutil.copy(source, target / "cases.yaml")
    (target / "cases.de.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                          encoding="utf-8")
    return target / "cases.yaml"


@pytest.fixture
def pseudo_locale(tmp_path, monkeypatch):
    """Point the report's message catalogues at a pseudo 'de' locale for one test."""
    pseudo_po(tmp_path / "locale")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.reload_catalogues()
    yield tmp_path
    i18n.reload_catalogues()


def test_pseudo_locale_leaves_no_text_outside_data_untranslated(pseudo_locale):
    from reportgen.inputs.counts import read_counts
    from reportgen.inputs.validate import DEFAULT_COLUMNS
    from reportgen.store import session
    from reportgen.store.knowledge import import_counts
    from reportgen.store.waves import import_survey, update_regions

    inputs, db = example_inputs(), pseudo_locale / "demo.db"
    definitions = pseudo_catalogue(pseudo_locale)
    cat = load_catalogue(definitions)
    with session(db) as conn:
        for name, label in (("survey.csv", "2024"), ("survey-wave2.csv", "2026")):
            import_survey(conn, inputs / name, cat, DEFAULT_COLUMNS, label)
        update_regions(conn, inputs / "regions.csv")
        import_counts(conn, read_counts(inputs / "knowledge-counts.csv"))
    html = report_html("R07", db=db, definitions=definitions, synthetic=True,
                       cases=pseudo_cases(pseudo_locale),
                       settings=ReportSettings(language="de"))
    body = tinyhtml5.parse(html).find(f"{NS}body")
    for style in body.iter(f"{NS}style"):
        style.text = ""
    # Two messages in one paragraph need a space between them ("regions.The values" was one).
    joined = [m.group(0) for p in body.iter(f"{NS}p")
              for m in re.finditer(f".{{0,30}}[.:;?!]{R}{L}.{{0,20}}", "".join(p.itertext()))]
    assert not joined, joined
    text = " ".join(body.itertext())
    while WRAPPED.search(text):
        text = WRAPPED.sub(" ", text)
    # What is left must be data: numbers, codes, names from the inputs, symbols.
    data = set()
    for line in (inputs / "regions.csv").read_text(encoding="utf-8").splitlines()[1:]:
        data.update(line.split(",")[:3])
    for line in (inputs / "knowledge-counts.csv").read_text(encoding="utf-8").splitlines()[1:]:
        data.update(line.split(",")[1:3])
    # the report's title (a setting), the catalogue's id, the long date (the locale's own)
    data.update({"StressTest-Report", cat.id, "Dezember"})
    for name in sorted(data, key=len, reverse=True):
        if name:
            text = text.replace(name, " ")
    left = {w for w in re.split(r"[\s()\[\]{}.,;:·–—−+±→=<>/%|“”„\"'…★▲▼●✓×#*-]+", text)
            # numbers, codes (R07, Q01, H1, chapter letter A), the statistical n, file names
            if w and not re.fullmatch(r"[\d,.]+|[A-Z]\d*|R\d\d|Q\d\d|n|reportgen|StressTest"
                                      r"|\w+\.(csv|yaml|db)", w)}
    assert not left, f"text outside any translated message: {sorted(left)[:40]}"



def run(*argv: str) -> tuple[int, str, str]:
    from reportgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


TINY = DATA / "tiny_catalogue.yaml"


@pytest.fixture
def french(tmp_path) -> Path:
    """The tiny catalogue with a French file that translates all but one dimension's texts."""
    shutil.copy(TINY, tmp_path / "tiny.yaml")
    cat = load_catalogue(TINY)
    texts = {"title": "Catalogue d'essai",
             "groups": {g.id: {"label": f"Groupe {g.id}", "description": "Décrit."}
                        for g in cat.groups},
             "dimensions": {d.id: {"name": f"Dimension {d.id}", "rationale": "Pourquoi.",
                                   "leverage": "Levier.",
                                   "indicators": {i.id: {"name": f"Indicateur {i.id}",
                                                         "description": "Décrit."}
                                                  for i in d.indicators}}
                            for d in cat.dimensions[1:]},
             "glossary": [{"term": f"Terme {k}", "definition": "Défini."}
                          for k, _ in enumerate(cat.glossary)],
             "scales": {sid: {o.code: f"Réponse {o.code}" for o in (*s.options, *s.missing)}
                        for sid, s in cat.scales.items()},
             "questions": {q.id: {g: f"Question {q.id} ?" for g in q.texts}
                           for q in cat.questions}}
    (tmp_path / "tiny.fr.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True),
                                           encoding="utf-8")
    return tmp_path / "tiny.yaml"


def test_a_build_with_missing_texts_fails_naming_file_and_key(french, tmp_path):
    first = load_catalogue(TINY).dimensions[0]
    out = tmp_path / "out"
    code, _, err = run("build", "--survey", str(DATA / "tiny_survey.csv"), "--definitions",
                       str(french), "--region", "X", "--lang", "fr", "--out", str(out))
    assert code == 2
    lines = err.splitlines()
    assert "texts are missing in language 'fr'" in lines[0]
    wanted = f"{french.parent / 'tiny.fr.yaml'}: error: no 'fr' text for dimensions.{first.id}."
    said = {line.removeprefix("reportgen: ") for line in lines}
    assert {wanted + "name", wanted + "rationale"} <= said
    assert not any("dimensions." + d.id for d in load_catalogue(TINY).dimensions[1:]
                   for line in lines if "dimensions." + d.id + "." in line)
    assert not out.exists() or not any(out.iterdir())


def test_allow_fallback_builds_and_marks_each_kept_passage_with_its_language(french, tmp_path):
    first = load_catalogue(TINY).dimensions[0]
    html = report_html("X", survey=DATA / "tiny_survey.csv", definitions=french,
                       settings=ReportSettings(language="fr", allow_fallback=True))
    assert "\ue000" not in html and "\ue001" not in html and "\ue002" not in html
    doc = tinyhtml5.parse(html)
    assert doc.get("lang") == "fr"
    spans = {"".join(s.itertext()) for s in doc.iter(f"{NS}span") if s.get("lang") == "en"}
    assert first.name in spans and first.rationale.strip().split("\n\n")[0].strip() in {
        s.strip() for s in spans}
    assert "Dimension " + load_catalogue(TINY).dimensions[1].id in html
    # no span in the head (the title is plain text) nor in the charts
    assert not list(doc.find(f"{NS}head").iter(f"{NS}span"))
    assert not [s for svg in doc.iter("{http://www.w3.org/2000/svg}svg")
                for s in svg.iter() if s.get("lang")]


def test_translations_check_lists_what_a_language_lacks(french):
    code, said, _ = run("translations", "check", "--lang", "fr", "--definitions", str(french))
    first = load_catalogue(TINY).dimensions[0]
    assert code == 1
    assert f"dimensions.{first.id}.name" in said and str(french.parent / "tiny.fr.yaml") in said
    code, said, _ = run("translations", "check", "--lang", "de", "--cases",
                        str(example_inputs() / "cases.yaml"))
    assert (code, said.split(":")[0]) == (0, "language de")


@pytest.mark.parametrize("lang", ["de", "fr", "it", "sl"])
def test_shipped_languages_are_complete_for_the_demo(lang):
    code, said, err = run("translations", "check", "--lang", lang, "--cases",
                          str(example_inputs() / "cases.yaml"))
    assert code == 0, said + err


def test_a_case_translation_of_an_unknown_case_is_refused(tmp_path):
    shutil.copy(example_inputs() / "cases.yaml", tmp_path / "cases.yaml")
    (tmp_path / "cases.fr.yaml").write_text("cases:\n  no-such-case:\n    title: T\n"
                                            "    summary: S\n", encoding="utf-8")
    code, _, err = run("translations", "check", "--lang", "fr", "--cases",
                       str(tmp_path / "cases.yaml"))
    assert code == 2
    assert f"{tmp_path / 'cases.fr.yaml'}, line " in err and "unknown case 'no-such-case'" in err


def test_commentary_is_read_per_language_and_a_missing_one_is_listed(tmp_path):
    from reportgen.report.commentary import load_commentary, missing_commentary

    region = tmp_path / "X"
    region.mkdir()
    (region / "summary.de.md").write_text("Deutsch", encoding="utf-8")
    (region / "summary.md").write_text("Any", encoding="utf-8")
    (region / "alpha.de.md").write_text("Nur deutsch", encoding="utf-8")
    keys = ["summary", "alpha"]
    assert "Deutsch" in load_commentary(tmp_path, "X", keys, "de")["summary"]
    assert "Any" in load_commentary(tmp_path, "X", keys, "fr")["summary"]
    assert missing_commentary(tmp_path, "X", keys, "fr") == [
        (str(region / "alpha.fr.md"), ["alpha.de.md"])]


def test_commentary_the_build_would_skip_is_an_error_naming_the_file(tmp_path):
    from reportgen.errors import InputError
    from reportgen.report.commentary import load_commentary

    region = tmp_path / "X"
    region.mkdir()
    (region / "alpah.md").write_text("Typo", encoding="utf-8")
    (region / "notes.de.md").write_text("Notiz", encoding="utf-8")
    (region / "draft.txt").write_text("not Markdown: not ours", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_commentary(tmp_path, "X", ["alpha", "summary"], "en")
    assert info.value.lines == [
        f"{region / 'alpah.md'}: error: no dimension or chapter 'alpah'; did you mean "
        "'alpha'? commentary files are named alpha, summary (.md or .LANG.md)",
        f"{region / 'notes.de.md'}: error: no dimension or chapter 'notes'; commentary files "
        "are named alpha, summary (.md or .LANG.md)"]
    # A folder spelled in another case than the region code is not silently passed over.
    (tmp_path / "y").mkdir()
    with pytest.raises(InputError, match="the folder of region Y must be spelled 'Y'"):
        load_commentary(tmp_path, "Y", ["alpha"], "en")


def shipped_messages() -> list[tuple[str, list[str], list[str]]]:
    """Return (language, ids, translations) of every message of every shipped .po file."""
    found = []
    for po in sorted((Path(i18n.__file__).parents[1] / "locale").glob(
            "*/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            found += [(po.parts[-3], [m.id] if isinstance(m.id, str) else list(m.id),
                       [m.string] if isinstance(m.string, str) else list(m.string))
                      for m in read_po(f) if m.id]
    return found


def test_no_translation_holds_a_percent_sign_that_formatting_would_read():
    # Templates format every message with %: a bare "%" in a translation ("Taux d'entrée
    # (%)") stopped the French build; it is written "%%" there, as the English never needs.
    def bare(text: str) -> list[str]:
        return [m for m in re.findall(r"%%|%\(\w+\)[sd]|%", text) if m == "%"]

    wrong = [(lang, ids[0][:50]) for lang, ids, strings in shipped_messages() for s in strings
             if len(bare(s)) != max(len(bare(i)) for i in ids)]
    assert not wrong


def test_translated_levels_must_match_the_catalogues_ids(french):
    path = french.parent / "tiny.fr.yaml"
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts["report"] = {"levels": {"policy": "politique", "cluster": "clusters",
                                  "region": "région"}}
    path.write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    code, _, err = run("validate", "--survey", str(DATA / "tiny_survey.csv"), "--definitions",
                       str(french))
    assert code == 2
    # Each named by the translation file's own line and key.
    assert re.search(r"tiny\.fr\.yaml, line \d+: error: report\.levels\.region: unknown level "
                     r"'region'; expected one of \['both', 'cluster', 'policy'\]", err)
    assert re.search(r"tiny\.fr\.yaml, line \d+: error: report\.levels: level 'both' is not "
                     r"translated", err)


def test_no_translation_speaks_of_the_stresstest_where_the_english_does_not():
    # The framing is the catalogue's: a translator who names "the StressTest approach" for
    # "the approach chapter" puts StressTest into every other catalogue's report.
    framed = re.compile(r"StressTest|\bS3\b|[Cc]luster|grozd", re.I)
    leaks = [(lang, s[:60]) for lang, ids, strings in shipped_messages() for s in strings
             if framed.search(s) and not any(framed.search(i) for i in ids)]
    assert not leaks


def test_a_report_in_another_language_carries_the_texts_it_was_written_from(french, tmp_path):
    import hashlib
    import json

    from pypdf import PdfReader

    out = tmp_path / "out"
    code, _, err = run("build", "--survey", str(DATA / "tiny_survey.csv"), "--definitions",
                       str(french), "--region", "X", "--lang", "fr", "--allow-fallback",
                       "--out", str(out))
    assert code == 0, err
    files = {name: data[0] for name, data in
             PdfReader(out / "X-fr-stresstest-report.pdf").attachments.items()}
    # The scores under the name of the file beside the report; the French wording as well.
    assert sorted(files) == ["X-fr-scores.csv", "provenance.json", "tiny.fr.yaml", "tiny.yaml"]
    assert files["X-fr-scores.csv"] == (out / "X-fr-scores.csv").read_bytes()
    wording = (french.parent / "tiny.fr.yaml").read_bytes()
    assert files["tiny.fr.yaml"] == wording
    manifest = json.loads(files["provenance.json"])
    assert manifest["catalogue"]["translation"] == {
        "file": "tiny.fr.yaml", "sha256": hashlib.sha256(wording).hexdigest()}


def test_a_template_folder_brings_a_language_the_package_lacks(tmp_path):
    # Spanish is not shipped: a folder's messages.es.po translating every message, and the
    # catalogue's own Spanish file, make a Spanish report without touching the package.
    folder = tmp_path / "mine"
    folder.mkdir()
    definitions = pseudo_catalogue(tmp_path, DATA / "tiny_catalogue.yaml", "es")
    settings = ReportSettings(language="es")
    with pytest.raises(UsageError, match=r"language 'es' is not available; choose one of "
                       r"de, en, fr, it, sl, or translate the messages into it in "
                       r"messages\.es\.po in a template folder"):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=definitions,
                    settings=settings, templates=[folder])
    with (folder / "messages.es.po").open("wb") as f:
        write_po(f, pseudo_messages("es"))
    html = report_html("X", survey=DATA / "tiny_survey.csv", definitions=definitions,
                       settings=settings, templates=[folder])
    doc = tinyhtml5.parse(html)
    assert doc.get("lang") == "es"
    said = " ".join(doc.find(f"{NS}body").itertext())
    assert f"{L}Contents{R}" in said and f"{L}Alpha dimension{R}" in said
    # A message the folder leaves out is named with the folder's file, like any other gap.
    from reportgen.report.gaps import message_gaps

    assert message_gaps("es", [folder]) == []
    with (folder / "messages.es.po").open("wb") as f:
        write_po(f, Catalog(locale="es"))
    from reportgen.report.own_messages import own_messages

    own_messages.cache_clear()
    gaps = message_gaps("es", [folder])
    assert gaps and {g.file for g in gaps} == {str(folder / "messages.es.po")}


def test_the_workshop_deck_tags_what_stays_in_english_run_by_run(french, tmp_path):
    from pptx import Presentation

    code, _, err = run("workshop", "--survey", str(DATA / "tiny_survey.csv"), "--definitions",
                       str(french), "--region", "X", "--lang", "fr", "--allow-fallback",
                       "--out", str(tmp_path / "ws"))
    assert code == 0, err
    deck = Presentation(str(next((tmp_path / "ws").glob("*/workshop-deck.pptx"))))
    runs = [(r.text, r._r.rPr.get("lang")) for s in deck.slides for sh in s.shapes
            if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    # The first dimension has no French texts: its name stays English, and says so.
    first = load_catalogue(TINY).dimensions[0].name
    assert any(first in text and lang == "en-GB" for text, lang in runs)
    assert any("Dimension beta" in text and lang == "fr-FR" for text, lang in runs)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides
                     if s.has_notes_slide)
    marks = re.compile("[\ue000-\ue002]")  # the private brackets of a fallback passage
    assert not any(marks.search(text) for text, _ in runs) and not marks.search(notes)
    assert first in notes
    # numbers.csv keeps the band's code and words it as the French report does.
    import pandas as pd

    numbers = pd.read_csv(next((tmp_path / "ws").glob("*/numbers.csv"))).dropna(
        subset=["band"])
    french_words = i18n.Lang("fr")
    assert len(numbers) and all(
        shown == french_words._(band) != band
        for band, shown in zip(numbers["band"], numbers["band_shown"], strict=True))

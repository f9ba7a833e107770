"""Customisation without touching the package: templates, project config, commentary, pins."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import tinyhtml5

from reportgen.build import report_html
from reportgen.cli import main
from reportgen.config import load_config
from reportgen.errors import InputError, ReportgenError, UsageError
from reportgen.report.settings import ReportSettings
from tests.conftest import DATA

NS = "{http://www.w3.org/1999/xhtml}"
WHERE = {"survey": DATA / "tiny_survey.csv", "definitions": DATA / "tiny_catalogue.yaml"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def body_text(html: str) -> str:
    root = tinyhtml5.parse(html)
    return " ".join("".join(root.find(f"{NS}body").itertext()).split())


def test_override_replaces_one_chapter_and_extends_a_block_of_another(tmp_path):
    (tmp_path / "context.html").write_text(
        '{% include "_heading.html" %}<p>Our own context chapter.</p>', encoding="utf-8")
    (tmp_path / "summary.html").write_text(
        '{% extends "default:summary.html" %}{% block next_steps %}<p>Call the agency.</p>'
        '{% endblock %}', encoding="utf-8")
    html = report_html("X", templates=[tmp_path], **WHERE)
    text = body_text(html)
    assert "Our own context chapter." in text
    assert "Clusters are where much of that existing strength" not in text  # default context
    assert "Call the agency." in text
    assert "The results are a starting point for discussion" not in text  # replaced block
    assert "Relative strengths" in text  # the rest of the default summary is still there


def test_exported_templates_build_an_identical_report(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, out, _ = run("templates", "export", str(tmp_path / "mine"))
    assert code == 0 and "copied" in out
    assert (tmp_path / "mine" / "report.css").exists()
    assert report_html("X", templates=[tmp_path / "mine"], **WHERE) == report_html("X", **WHERE)
    code, _, err = run("templates", "export", str(tmp_path / "mine"))
    assert code == 2 and "pass --force" in err


def test_templates_export_copies_only_the_named_ones(tmp_path):
    code, out, _ = run("templates", "export", str(tmp_path / "mine"), "summary.html",
                       "report.css")
    assert code == 0 and "copied 2 templates" in out
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["report.css",
                                                                     "summary.html"]
    code, _, err = run("templates", "export", str(tmp_path / "other"), "sumary.html")
    assert code == 2 and "no packaged template 'sumary.html'; there are " in err
    assert not (tmp_path / "other").exists()


def test_templates_export_never_writes_through_a_symbolic_link(tmp_path):
    from reportgen.resources import templates_dir

    mine, outside = tmp_path / "mine", tmp_path / "outside.html"
    mine.mkdir()
    (mine / "summary.html").symlink_to(outside)  # points nowhere yet
    code, _, err = run("templates", "export", str(mine), "summary.html")
    assert code == 2 and "pass --force" in err and not outside.exists()
    outside.write_text("someone else's file", encoding="utf-8")
    code, _, _ = run("templates", "export", str(mine), "summary.html", "--force")
    assert code == 0 and outside.read_text(encoding="utf-8") == "someone else's file"
    assert not (mine / "summary.html").is_symlink()
    assert (mine / "summary.html").read_bytes() == (templates_dir() / "summary.html").read_bytes()
    assert sorted(p.name for p in mine.iterdir()) == ["summary.html"]  # no temporary left


def test_a_user_templates_own_trans_text_is_a_gap_not_silent_english(tmp_path):
    (tmp_path / "introduction.html").write_text(
        "<p>{% trans %}A sentence of our own agency.{% endtrans %}</p>\n"
        "<p>Ein Satz nur für Deutsch.</p>", encoding="utf-8")
    code, out, _ = run("translations", "check", "--lang", "de", "--templates", str(tmp_path))
    assert code == 1 and f"{tmp_path / 'introduction.html'}, line 1 (1)" in out
    assert "msgid 'A sentence of our own agency.'" in out
    with pytest.raises(ReportgenError, match="no 'de' text for msgid 'A sentence of our own"):
        report_html("X", templates=[tmp_path], settings=ReportSettings(language="de"), **WHERE)
    drafted = report_html("X", templates=[tmp_path], settings=ReportSettings(
        language="de", allow_fallback=True), **WHERE)
    assert '<span lang="en">A sentence of our own agency.</span>' in drafted
    assert "Ein Satz nur für Deutsch." in drafted


def test_translations_check_reads_the_project_config_as_the_build_does(tmp_path, monkeypatch):
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "introduction.html").write_text(
        "<p>{% trans %}A sentence of our own agency.{% endtrans %}</p>", encoding="utf-8")
    (tmp_path / "reportgen.yaml").write_text("language: de\ntemplates: [tr]\n",
                                             encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("translations", "check")
    assert code == 1 and out.startswith("language de: 1 text missing")
    assert "msgid 'A sentence of our own agency.'" in out
    code, out, _ = run("translations", "check", "--config", str(tmp_path / "reportgen.yaml"),
                       "--lang", "fr")
    assert code == 1 and out.startswith("language fr: 1 text missing")


def test_a_config_key_the_command_does_not_use_is_named_not_silently_ignored(tmp_path):
    config = tmp_path / "reportgen.yaml"
    config.write_text("definitions: cat.yaml\nlanguage: de\n", encoding="utf-8")
    (tmp_path / "cat.yaml").write_text("x: 1\n", encoding="utf-8")
    code, out, err = run("translations", "check", "--config", str(config), "--lang", "en")
    assert code == 2 and "cat.yaml" in err  # translations check reads the catalogue ...
    code, out, err = run("portfolio", "list", "--db", str(tmp_path / "none.db"))
    assert "warning" not in err  # ... and a command without --config reads no file
    code, _, err = run("validate", "--config", str(config), "--survey",
                       str(WHERE["survey"]), "--definitions", str(WHERE["definitions"]))
    assert code == 0 and f"{config}: warning: language does not apply to 'validate' (used by " \
        "build, demo, batch, translations check, workshop); ignored" in err


@pytest.mark.parametrize("command", [["demo"], ["build", "--survey", str(WHERE["survey"]),
                                                "--definitions", str(WHERE["definitions"]),
                                                "--region", "X", "--resamples", "0"]])
def test_an_output_folder_that_is_a_file_is_said_so(tmp_path, command):
    taken = tmp_path / "notadir"
    taken.write_text("keep", encoding="utf-8")
    for out in (taken, taken / "sub"):
        code, _, err = run(*command, "--out", str(out))
        assert code == 2 and f"{out}: the output folder cannot be made: {taken} is a file, " \
            "not a folder" in err
    assert taken.read_text(encoding="utf-8") == "keep"


def test_a_failed_demo_leaves_no_database_behind(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.html").write_text("{{ 1/0 }}", encoding="utf-8")
    out = tmp_path / "demo"
    code, _, err = run("demo", "--out", str(out), "--templates", str(mine), "--resamples", "0")
    assert code == 2 and "division by zero" in err and not out.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, _ = run("demo", "--out", str(kept), "--templates", str(mine), "--resamples", "0")
    assert code == 2 and [p.name for p in kept.iterdir()] == ["notes.txt"]


def test_a_template_folder_translates_its_own_texts_beside_the_templates(tmp_path):
    from reportgen.report.gaps import template_gaps

    (tmp_path / "introduction.html").write_text(
        "<p>{% trans %}A sentence of our own agency.{% endtrans %}</p>\n"
        "<p>{% trans count=3 %}{{ count }} partner{% pluralize %}{{ count }} partners"
        "{% endtrans %}</p>", encoding="utf-8")
    assert len(template_gaps([tmp_path], "de")) == 2
    assert "(translate it in " + str(tmp_path / "messages.de.po") + ")" in \
        template_gaps([tmp_path], "de")[0].key
    (tmp_path / "messages.de.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "A sentence of our own agency."\nmsgstr "Ein Satz unserer Agentur."\n\n'
        'msgid "%(count)s partner"\nmsgid_plural "%(count)s partners"\n'
        'msgstr[0] "%(count)s Partner"\nmsgstr[1] "%(count)s Partnerinnen und Partner"\n',
        encoding="utf-8")
    from reportgen.report.own_messages import own_messages
    own_messages.cache_clear()
    assert template_gaps([tmp_path], "de") == []
    html = report_html("X", templates=[tmp_path], settings=ReportSettings(
        language="de", allow_fallback=True), **WHERE)
    assert "Ein Satz unserer Agentur." in html and "3\u00a0Partnerinnen und Partner" in html
    (tmp_path / "messages.de.po").write_text("msgid ours\n", encoding="utf-8")
    own_messages.cache_clear()
    with pytest.raises(InputError, match=r"messages\.de\.po: error: not a readable \.po file"):
        template_gaps([tmp_path], "de")


def test_debug_templates_names_the_file_of_each_chapter(tmp_path):
    (tmp_path / "annex.html").write_text('{% include "_heading.html" %}', encoding="utf-8")
    html = report_html("X", templates=[tmp_path], settings=ReportSettings(debug_templates=True),
                       **WHERE)
    assert f"<!-- chapter annex served by {tmp_path / 'annex.html'} -->" in html
    assert "<!-- chapter summary served by " in html and "templates/summary.html -->" in html


def test_commentary_markdown_is_rendered_but_never_raw_html(tmp_path):
    folder = tmp_path / "regions" / "X"
    folder.mkdir(parents=True)
    (folder / "alpha.md").write_text(
        "We **agree**. <script>alert(1)</script> <img src=file:///etc/hostname>\n\n"
        "![x](file:///etc/hostname) [doc](javascript:alert(1))\n", encoding="utf-8")
    (folder / "summary.md").write_text("Overall *fine*.", encoding="utf-8")
    html = report_html("X", settings=ReportSettings(region_texts=tmp_path / "regions"), **WHERE)
    root = tinyhtml5.parse(html)
    assert not list(root.iter(f"{NS}script"))
    assert not [i for i in root.iter(f"{NS}img") if "file:" in (i.get("src") or "")]
    assert not [a for a in root.iter(f"{NS}a") if "javascript" in (a.get("href") or "")]
    text = body_text(html)
    assert "<script>alert(1)</script> <img src=file:///etc/hostname>" in text
    assert "<strong>agree</strong>" in html and "<em>fine</em>" in html


def test_commentary_headings_sit_below_the_section_that_holds_them(tmp_path):
    folder = tmp_path / "regions" / "X"
    folder.mkdir(parents=True)
    (folder / "alpha.md").write_text("# Big\n\ntext\n\n## Smaller\n\n#### Deep", encoding="utf-8")
    (folder / "summary.md").write_text("# Overall\n\nfine", encoding="utf-8")
    plain = report_html("X", **WHERE)
    html = report_html("X", settings=ReportSettings(region_texts=tmp_path / "regions"), **WHERE)
    root = tinyhtml5.parse(html)
    notes = [d for d in root.iter(f"{NS}div") if "commentary" in (d.get("class") or "")]
    heads = [[(h.tag.removeprefix(NS), h.text) for h in d.iter()
              if h.tag.removeprefix(NS) in ("h1", "h2", "h3", "h4", "h5", "h6")] for d in notes]
    # Dimension sections hold commentary under an h3, the summary chapter under its h1.
    assert sorted(heads) == [[("h2", "Overall")], [("h4", "Big"), ("h5", "Smaller"),
                                                   ("h6", "Deep")]]
    # The chapters (the outline's first level) are those of the report without commentary.
    assert ([h.get("id") for h in root.iter(f"{NS}h1")]
            == [h.get("id") for h in tinyhtml5.parse(plain).iter(f"{NS}h1")])


def test_config_errors_name_their_key(tmp_path):
    path = tmp_path / "reportgen.yaml"
    path.write_text("titel: Oops\nmin_respondents: many\ncolours: [red]\nlogo: 5\n"
                    "organization: Agency\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert info.value.lines == [  # in the order of the file
        f"{path}, line 1: error: titel: unknown key; did you mean 'title'?",
        f"{path}, line 2: error: min_respondents: expected a valid integer, unable to parse "
        "string as an integer, got 'many'",
        f"{path}, line 3: error: colours: expected a valid dictionary",
        f"{path}, line 4: error: logo: input is not a valid path, got 5",
        f"{path}, line 5: error: organization: unknown key; did you mean 'organisation'?",
    ]
    # A comment-only file sets nothing; a list key takes one value as a one-item list.
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_config(path) == {}
    path.write_text("templates: my-templates\n", encoding="utf-8")
    (tmp_path / "my-templates").mkdir()
    assert load_config(path) == {"templates": [tmp_path / "my-templates"]}


def test_config_values_are_checked(tmp_path, tiny_survey):
    path = tmp_path / "reportgen.yaml"
    path.write_text("colours: {primary: red}\n", encoding="utf-8")
    code, _, err = run("build", "--survey", str(tiny_survey), "--region", "X", "--definitions",
                       str(DATA / "tiny_catalogue.yaml"), "--out", str(tmp_path / "o"),
                       "--config", str(path))
    assert code == 2
    assert err == (f"reportgen: {path}, line 1: error: colours.primary: expected a colour as "
                   "#rrggbb, got 'red'\n")


def test_cli_flags_override_the_config_and_the_config_the_defaults(tmp_path, monkeypatch):
    from reportgen.cli.main import parser
    from reportgen.config import apply

    (tmp_path / "reportgen.yaml").write_text("title: From the file\norganisation: Agency\n"
                                             "cases: cases.yaml\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = apply(parser().parse_args(["build", "--region", "X", "--out", "o", "--title",
                                      "From the flag"]), "build")
    assert (args.title, args.organisation) == ("From the flag", "Agency")
    assert args.cases == tmp_path / "cases.yaml"  # relative to the config file
    assert args.language == "en" and args.db == "reportgen.db"  # defaults


def test_skipping_chapters_renumbers_the_rest():
    html = report_html("X", settings=ReportSettings(skip_chapters=("glance", "context", "annex")),
                       **WHERE)
    root = tinyhtml5.parse(html)
    heads = [" ".join("".join(h.itertext()).split()) for h in root.iter(f"{NS}h1")
             if "chapter-title" in (h.get("class") or "")]
    assert heads == ["1 Introduction", "2 The StressTest approach",
                     "3 Results for the key dimensions", "4 Summary"]
    with pytest.raises(UsageError, match=r"^--skip-chapter / skip_chapters\[0\]: unknown chapter"):
        report_html("X", settings=ReportSettings(skip_chapters=("epilogue",)), **WHERE)


def test_a_pinned_case_wins_and_bad_pins_are_refused(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n"
                     "  - {id: y1, region: Y, dimension: alpha, title: Rule pick, summary: s}\n"
                     "  - {id: x1, region: X, dimension: beta, title: Own, summary: s}\n",
                     encoding="utf-8")
    html = report_html("X", cases=cases, **WHERE)
    assert "Rule pick" in html
    pinned = ReportSettings(pins={"X": {"beta": "x1"}})
    with pytest.raises(UsageError, match="config key pins.X.beta: case 'x1' is the region's own"):
        report_html("X", cases=cases, settings=pinned, **WHERE)
    with pytest.raises(UsageError, match="config key pins.X.alpha: no case 'zz'"):
        report_html("X", cases=cases, settings=ReportSettings(pins={"X": {"alpha": "zz"}}),
                    **WHERE)
    far = tmp_path / "far.yaml"
    far.write_text("cases:\n  - {id: q1, region: QQ, dimension: alpha, title: Far, summary: s}\n",
                   encoding="utf-8")
    with pytest.raises(UsageError, match="region 'QQ', which is not in this report's portfolio"):
        report_html("X", cases=far, settings=ReportSettings(pins={"X": {"alpha": "q1"}}),
                    **WHERE)


def test_logo_and_colours_reach_the_html(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                    encoding="utf-8")
    html = report_html("X", settings=ReportSettings(logo=logo, organisation="Agency",
                                                    colours={"accent": "#112233"}), **WHERE)
    assert 'src="data:image/svg+xml;base64,' in html
    assert "--accent: #112233;" in html
    assert '<meta name="author" content="Agency">' in html
    with pytest.raises(InputError, match="logo must be a PNG, JPEG or SVG file"):
        report_html("X", settings=ReportSettings(logo=DATA / "tiny_cases.yaml"), **WHERE)


@pytest.mark.parametrize("body,message", [
    ('{% include "_heading.html" %}\n\n{{ report.no_such_thing }}', "has no attribute"),
    ('{% include "_heading.html" %}\n\n{{ "".__class__.__mro__ }}', "unsafe"),
])
def test_template_errors_name_the_file_and_line(tmp_path, body, message):
    (tmp_path / "annex.html").write_text(body, encoding="utf-8")
    with pytest.raises(ReportgenError) as info:
        report_html("X", templates=[tmp_path], **WHERE)
    text = str(info.value)
    assert text.startswith(f"{tmp_path / 'annex.html'}, line 3: template error:")
    assert message in text


@pytest.mark.parametrize("expression,message", [
    ("1/0", "division by zero (ZeroDivisionError)"),
    ('"%d"|format("x")', "(TypeError)"),
    ("report.region_name|percent", "(ValueError)"),
    ('_("Hello %(who)s")', "no value for 'who' (KeyError)"),
    ("report.regoin_name", "Report has no attribute 'regoin_name'; did you mean 'region_name'"),
])
def test_a_failing_expression_in_a_user_template_is_a_user_error_with_exit_2(
        tmp_path, expression, message):
    (tmp_path / "annex.html").write_text('{% include "_heading.html" %}\n\n{{ ' + expression
                                         + " }}", encoding="utf-8")
    code, _, err = run("build", "--survey", str(WHERE["survey"]), "--definitions",
                       str(WHERE["definitions"]), "--region", "X", "--templates", str(tmp_path),
                       "--out", str(tmp_path / "out"), "--resamples", "0")
    assert code == 2 and "Traceback" not in err
    assert f"{tmp_path / 'annex.html'}, line 3: template error: " in err and message in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_template_that_extends_itself_is_told_about_default(tmp_path):
    (tmp_path / "summary.html").write_text('{% extends "summary.html" %}', encoding="utf-8")
    with pytest.raises(ReportgenError, match=r'summary\.html, line 1: templates nest too deeply'
                       r'.*"default:NAME\.html"'):
        report_html("X", templates=[tmp_path], **WHERE)


def test_overrides_that_would_silently_do_nothing_are_errors(tmp_path):
    (tmp_path / "summary.html").write_text(
        '{% extends "default:summary.html" %}\nOur note\n{% block overveiw %}x{% endblock %}\n'
        "{% block overview %}{{ super() }}{% endblock %}", encoding="utf-8")
    (tmp_path / "introduciton.html").write_text("<p>Welcome</p>", encoding="utf-8")
    (tmp_path / "_ours.html").write_text("<p>A partial of our own</p>", encoding="utf-8")
    (tmp_path / "annex.html").write_text('{% include "_heading.html" %}{% include "_ours.html" %}',
                                         encoding="utf-8")
    with pytest.raises(InputError) as info:
        report_html("X", templates=[tmp_path], **WHERE)
    lines = info.value.lines
    assert lines[0] == (f"{tmp_path / 'introduciton.html'}: error: no packaged template is "
                        "called introduciton.html and no template includes it, so it is never "
                        "used; did you mean introduction.html?")
    assert lines[1].startswith(f"{tmp_path / 'summary.html'}, line 3: error: block 'overveiw' "
                               "is not in default:summary.html, so its content is never shown; "
                               "did you mean 'overview'? its blocks are ")
    assert lines[2] == (f"{tmp_path / 'summary.html'}, line 2: error: text outside a block is "
                        "never shown in a template that extends default:summary.html; put it "
                        "inside a block")
    assert len(lines) == 3  # the partial included by annex.html is in use


def test_template_syntax_errors_name_the_file_and_line(tmp_path):
    (tmp_path / "context.html").write_text("<p>\n{% if %}</p>", encoding="utf-8")
    with pytest.raises(ReportgenError, match=r"context.html, line 2: template error"):
        report_html("X", templates=[tmp_path], **WHERE)


def test_tests_keep_the_template_cache_out_of_home(private_template_cache):
    from reportgen.report.template_cache import bytecode_cache

    cache = bytecode_cache()
    assert cache is not None
    assert Path(cache.directory).is_relative_to(private_template_cache)


def test_a_font_that_is_not_installed_is_noticed(monkeypatch):
    from reportgen.report import fonts

    fonts.installed_families.cache_clear()
    if fonts.installed_families() is not None:  # fontconfig ships with Pango
        assert not fonts.missing_font("DejaVu Sans") and fonts.missing_font("No Such Family")
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"agency sans"}))
    assert not fonts.missing_font("Agency Sans") and fonts.missing_font("Agency Serif")
    assert not fonts.missing_font(None)
    monkeypatch.setattr(fonts, "installed_families", lambda: None)
    assert not fonts.missing_font("Agency Serif")  # cannot tell: no false alarm

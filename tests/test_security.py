"""User-controlled text cannot inject markup, styles or file reads into a report."""

from __future__ import annotations

import io
import re
import resource
import signal
import socket
from pathlib import Path

import pytest
import tinyhtml5
from pypdf import PdfReader

from reportgen.build import build_report, report_html
from reportgen.errors import InputError, ReportgenError
from reportgen.report.pdf import make_fetcher
from reportgen.report.settings import ReportSettings
from reportgen.resources import templates_dir
from tests.conftest import DATA

NS = "{http://www.w3.org/1999/xhtml}"
SECRET = Path("/etc/hostname")
PAYLOADS = [
    '<link rel="attachment" href="file:///etc/hostname">',
    "<style>@import url(file:///etc/hostname); body { background: url(file:///etc/hostname) }"
    "</style>",
    '<img src="file:///etc/hostname"><script>alert(1)</script>',
    'x" style="background:url(file:///etc/hostname)',
]
EVIL = " ".join(PAYLOADS)


def test_fetcher_serves_data_and_packaged_files_only(tmp_path):
    fetch = make_fetcher([templates_dir()]).fetch
    assert fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert b"@page" in fetch((templates_dir() / "report.css").as_uri()).read()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    sneaky = (templates_dir() / ".." / ".." / outside.relative_to("/")).as_posix()
    for url in (outside.as_uri(), "file://" + sneaky, "https://example.org/x.css",
                "http://127.0.0.1/", "ftp://example.org/x"):
        with pytest.raises(ValueError, match="does not load"):
            fetch(url)


def test_relative_names_in_user_templates_reach_the_users_folder_and_no_further(tmp_path):
    from reportgen.report.embed import embed_images

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "seal.png").write_bytes(b"\x89PNG\r\n\x1a\nours")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    fetch = make_fetcher([mine, templates_dir()]).fetch
    # The renderer resolves "seal.png" against the packaged templates, its base URL.
    assert fetch((templates_dir() / "seal.png").as_uri()).read().endswith(b"ours")
    assert b"@page" in fetch((templates_dir() / "report.css").as_uri()).read()
    with pytest.raises(ValueError, match="does not load"):
        fetch((templates_dir() / ".." / "secret.png").as_uri())
    html = ('<p><img src="seal.png" alt="a"><img src="./seal.png" alt="b">'
            '<img src="../secret.png" alt="c"><img src="/etc/hostname" alt="d">'
            '<img src="https://example.org/x.png" alt="e"></p>')
    out = embed_images(html, [mine, templates_dir()])
    ours = "data:image/png;base64,iVBORw0KGgpvdXJz"
    assert out == html.replace('"seal.png"', f'"{ours}"').replace('"./seal.png"', f'"{ours}"')
    # One image repeated in a loop cannot swell the document without end.
    (mine / "seal.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 1_500_000)
    with pytest.raises(InputError, match=r"seal\.png: error: the templates' images add up to"):
        embed_images('<img src="seal.png" alt="">' * 14, [mine])
    (mine / "seal.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 2_000_000)
    with pytest.raises(InputError, match=r"seal\.png: error: image is larger than 2,000,000"):
        embed_images('<img src="seal.png" alt="">', [mine])


@pytest.fixture
def evil_inputs(tmp_path, write_survey, tiny_rows):
    for row in tiny_rows:
        row["region_name"] = f"{row['region']}land {EVIL}"
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - id: c\n    region: Y\n    dimension: alpha\n"
        f"    title: {EVIL!r}\n    summary: {EVIL!r}\n    success_factors: [{EVIL!r}]\n"
        f"    contact: {EVIL!r}\n    source: {EVIL!r}\n", encoding="utf-8")
    texts = tmp_path / "regions" / "X"
    texts.mkdir(parents=True)
    (texts / "alpha.md").write_text(EVIL + "\n\n![x](file:///etc/hostname)\n", encoding="utf-8")
    (texts / "summary.md").write_text(EVIL, encoding="utf-8")
    settings = ReportSettings(title=f"Report {EVIL}", organisation=f"Agency {EVIL}",
                              region_texts=tmp_path / "regions")
    return write_survey(tiny_rows), cases, settings


def test_no_payload_survives_as_markup(evil_inputs):
    survey, cases, settings = evil_inputs
    html = report_html("X", survey=survey, definitions=DATA / "tiny_catalogue.yaml",
                       cases=cases, settings=settings)
    root = tinyhtml5.parse(html)
    assert not list(root.iter(f"{NS}link")) and not list(root.iter(f"{NS}script"))
    assert len(list(root.iter(f"{NS}style"))) == 1  # the report's own, in <head>
    for element in root.iter():
        assert "file:" not in (element.get("src") or "") + (element.get("href") or "")
        assert "url(" not in (element.get("style") or "")
    body = " ".join("".join(root.find(f"{NS}body").itertext()).split())
    assert body.count("<link rel=\"attachment\"") >= 5  # shown as text, in every place


@pytest.mark.pdf
def test_the_pdf_reads_no_file_and_attaches_only_its_evidence(evil_inputs, tmp_path):
    survey, cases, settings = evil_inputs
    result = build_report("X", tmp_path / "out", survey=survey,
                          definitions=DATA / "tiny_catalogue.yaml", cases=cases,
                          settings=settings, parallel=False)
    reader = PdfReader(result.pdf)
    assert sorted(reader.attachments) == ["X-scores.csv", "provenance.json",
                                          "tiny_catalogue.yaml"]
    secret = SECRET.read_text(encoding="utf-8").strip() if SECRET.exists() else socket.gethostname()
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "file:///etc/hostname" in text  # the payload is visible as text …
    if len(secret) >= 6:  # a very short host name could occur in any text by chance
        assert secret not in text.replace("file:///etc/hostname", "")  # … its target unread


def test_terminal_output_escapes_control_characters(write_survey, tiny_rows):
    from reportgen.cli import main

    evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
    rows = [dict(r, region=evil + "X") if r["region"] == "X" else r for r in tiny_rows]
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", "--survey", str(write_survey(rows)), "--definitions",
                 str(DATA / "tiny_catalogue.yaml")], stdout=out, stderr=err)
    printed = out.getvalue() + err.getvalue()
    assert code == 0 and "\\x1b]0;pwned\\x07" in printed
    assert not any(ch in printed for ch in "\x1b\x07\x9b")


def test_chart_labels_are_literal_text_not_mathtext():
    import matplotlib

    from reportgen.report import charts

    before = dict(matplotlib.rcParams)
    svg = charts.group_chart(["5$ vs 10$", r"$\alpha$ share"], [("Grp $x$", [1.0, 2.0]),
                                                                 ("B", [2.0, 3.0])], 0, 4)
    assert "5$ vs\u00a010$" in svg and r"$\alpha$ share" in svg and "Grp $x$" in svg
    assert dict(matplotlib.rcParams) == before  # style applied in a context, not globally


TINY = DATA / "tiny_catalogue.yaml"


def test_commentary_links_only_to_the_web_or_mail():
    from reportgen.report.commentary import markdown_to_html

    html = str(markdown_to_html("[a](file:///etc/passwd) [b](../secret.md) [c](https://ok.eu) "
                                "[d](mailto:x@y.eu) [e](javascript:alert(1))"))
    hrefs = [a.get("href") for a in tinyhtml5.parse(html).iter(f"{NS}a")]
    assert hrefs == ["https://ok.eu", "mailto:x@y.eu"]


def test_a_region_code_cannot_steer_commentary_out_of_its_folder(tmp_path, write_survey,
                                                                  tiny_rows):
    texts = tmp_path / "texts"
    (texts / "X").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "summary.md").write_text("STOLEN TEXT", encoding="utf-8")
    rows = [dict(r, region="../elsewhere") if r["region"] == "X" else r for r in tiny_rows]
    html = report_html("../elsewhere", survey=write_survey(rows), definitions=TINY,
                       settings=ReportSettings(region_texts=texts))
    assert "STOLEN TEXT" not in html


def test_a_symlinked_commentary_file_leading_out_is_refused(tmp_path):
    texts = tmp_path / "texts"
    (texts / "X").mkdir(parents=True)
    (tmp_path / "outside.md").write_text("STOLEN", encoding="utf-8")
    (texts / "X" / "summary.md").symlink_to(tmp_path / "outside.md")
    with pytest.raises(ReportgenError, match="links outside"):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY,
                    settings=ReportSettings(region_texts=texts))


def test_a_template_symlink_leading_out_of_its_folder_is_refused(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (tmp_path / "outside.html").write_text("{{ 1 }}", encoding="utf-8")
    (mine / "summary.html").symlink_to(tmp_path / "outside.html")
    with pytest.raises(ReportgenError, match="links outside its folder"):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY, templates=[mine])


@pytest.mark.parametrize("name,content", [
    ("logo.png", b"not a picture at all"),
    ("logo.svg", b"root:x:0:0:root:/root:/bin/bash\n"),
    ("logo.jpg", b"\x89PNG\r\n\x1a\nwrong kind"),
])
def test_a_logo_must_be_an_image_of_its_declared_kind(tmp_path, name, content):
    target = tmp_path / "real"
    target.write_bytes(content)
    logo = tmp_path / name
    logo.symlink_to(target)
    with pytest.raises(InputError, match="is not a"):
        ReportSettings(logo=logo).logo_uri()


def test_a_logo_the_renderer_would_drop_is_refused_with_its_size(tmp_path):
    import io
    import zlib

    from PIL import Image

    # 20,000 x 20,000 pixels in 1.2 MB: within the byte limit, beyond what is decoded.
    row = b"\x00" + b"\x00" * 20_000
    chunk = lambda kind, body: (len(body).to_bytes(4, "big") + kind + body  # noqa: E731
                                + zlib.crc32(kind + body).to_bytes(4, "big"))
    header = (20_000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    huge = tmp_path / "huge.png"
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(row * 20_000, 9)) + chunk(b"IEND", b""))
    assert huge.stat().st_size < 2_000_000
    with pytest.raises(InputError, match=r"huge\.png: error: logo (is 20,000 x 20,000 pixels|"
                       r"has more than)"):
        ReportSettings(logo=huge).logo_uri()
    damaged = tmp_path / "damaged.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "PNG")
    damaged.write_bytes(buffer.getvalue()[:-20] + b"\x00" * 20)
    with pytest.raises(InputError, match=r"damaged\.png: error: logo image cannot be read"):
        ReportSettings(logo=damaged).logo_uri()
    fine = tmp_path / "fine.png"
    fine.write_bytes(buffer.getvalue())
    assert ReportSettings(logo=fine).logo_uri().startswith("data:image/png;base64,")


@pytest.mark.pdf
def test_official_names_with_slashes_stay_inside_out(tmp_path, write_survey, tiny_rows):
    code = "Trentino-Alto Adige/Südtirol"
    rows = [dict(r, region=code) if r["region"] == "X" else r for r in tiny_rows]
    out = tmp_path / "out"
    result = build_report(code, out, survey=write_survey(rows), definitions=TINY,
                          parallel=False)
    assert result.pdf.parent == out
    assert re.fullmatch(r"Trentino-Alto_Adige_Südtirol-[0-9a-f]{6}-stresstest-report\.pdf",
                        result.pdf.name)
    assert result.pdf.is_file()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents
                  and p.suffix in (".pdf", ".csv")) == ["survey.csv"]


def test_codes_that_differ_only_in_unsafe_characters_get_distinct_files():
    from reportgen.build import output_names

    names = {output_names(code, "2024")[0] for code in ("a/b", "a:b", "a?b", "a_b", "a b")}
    assert len(names) == 5 and "a_b-2024-report.pdf" in names
    assert all("/" not in n and ":" not in n for n in names)
    # Clean: as is, with the catalogue's name for its report (`report: file:`).
    assert output_names("R07", "2026", file="stresstest-report")[0] == \
        "R07-2026-stresstest-report.pdf"


@pytest.mark.parametrize("body", [
    "{{ 'x' * 10**9 }}",
    "{{ 'x' * 1000000000 }}",
    "{{ [1] * 1000000000 }}",
    "{{ 2 ** 100000000 }}",
    "{{ '%1000000000s' % 'x' }}",
    "{{ '{:>1000000000}'.format('x') }}",
    "{{ 'x'.ljust(1000000000) }}",
    "{{ 'x'|center(1000000000) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}",
    "{{ '%0999999999d'|format(1) }}",
    # Widths given as arguments, not written in the format string.
    "{{ '%*s' % (1500000000, 'x') }}",
    "{{ '%*s'|format(1500000000, 'x') }}",
    "{{ '{:{}}'.format('x', 999999) }}",
    "{{ lipsum(1000000) }}",
    "{{ lipsum(3, max=100000000) }}",
    "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
    "{% endfor %}",
    # Each step is cheap; the string doubles until the memory ceiling stops it.
    "{% set ns = namespace(s='x' * 999999) %}{% for i in range(40) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{{ ('x' * 999999)|replace('x', 'y' * 999999) }}",
    "{{ (['x' * 999999] * 999999)|join }}",
])
def test_user_templates_run_within_resource_limits(tmp_path, body):
    import time

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.html").write_text(body, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ReportgenError, match="template error: .*(than|above|too large|over)"
                       ) as refused:
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY, templates=[mine])
    # Every limit but the total output size strikes in a line of the user's file.
    located = str(refused.value).startswith(f"{mine / 'summary.html'}, line 1: ")
    assert located or "output larger than" in str(refused.value)
    assert time.perf_counter() - start < 20


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_user_template_that_loops_without_end_is_stopped_by_the_clock(tmp_path,
                                                                      monkeypatch):
    import time

    from reportgen.report import limits

    # Loops over a list, not range(): no per-operation limit sees them, only the clock.
    monkeypatch.setattr(limits, "MAX_SECONDS", 2.0)
    ceiling = resource.getrlimit(resource.RLIMIT_AS)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.html").write_text(
        "{% set xs = [0] * 100000 %}{% for a in xs %}{% for b in xs %}{% endfor %}"
        "{% endfor %}", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ReportgenError, match="summary.html, line 1: template error: the "
                                             "template took longer than 2 seconds"):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY, templates=[mine])
    assert time.perf_counter() - start < 20
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left behind
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert resource.getrlimit(resource.RLIMIT_AS) == ceiling


def test_template_cache_is_private_and_refuses_shared_folders(tmp_path, monkeypatch):
    from reportgen.report.template_cache import bytecode_cache

    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "fresh"))
    assert bytecode_cache() is not None
    assert (tmp_path / "fresh" / "templates").stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"
    (shared / "templates").mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(shared))
    assert bytecode_cache() is None


def test_user_templates_leave_no_cache_entry(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(cache))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.html").write_text("{{ report.no_such_thing }}", encoding="utf-8")
    with pytest.raises(ReportgenError):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY, templates=[mine])
    entries = {p.read_bytes() for p in (cache / "templates").iterdir()}
    assert entries  # the packaged templates were cached …
    assert not any(b"no_such_thing" in e for e in entries)  # … the user's failing one not


@pytest.mark.parametrize("text,message", [
    ("a: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested deeper than 64 levels"),
    ("a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n", "nested deeper than 64 levels"),
    ("? [1, 2]\n: x\n", "a key must be a plain value"),
    ("? {a: 1}\n: x\n", "a key must be a plain value"),
    ("a: [" + "1," * 1_000_000 + "1]\n", "more than 250,000 values"),
    # An alias inside the value it names: a loop, for the catalogue and reportgen.yaml alike.
    ("x: &c [1, *c]\n", "line 1: error: an alias refers to the value that contains it"),
    ("a: &a {b: [1, {c: *a}]}\n", "an alias refers to the value that contains it"),
    # Under the alias limit, still 10 ** 12 values once expanded.
    ("a0: &a0 [" + ", ".join(["lol"] * 10) + "]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 13)),
     "its aliases expand to more than 250,000 values"),
])
def test_hostile_yaml_ends_in_a_clear_error_quickly(tmp_path, text, message):
    import time

    from reportgen.catalogue import load_catalogue

    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(InputError, match=message):
        load_catalogue(path)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize(("body", "message"), [
    (b"\xff\xfe {{ report.region }}", r"summary\.html: a template must be UTF-8 text"),
    (b"{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", "nest too deeply"),
    (b"{% include 'summary.html' %}", "nest too deeply"),
])
def test_broken_user_templates_are_reported_not_crashed_on(tmp_path, body, message):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.html").write_bytes(body)
    with pytest.raises(ReportgenError, match=message):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY, templates=[mine])


def test_a_missing_template_folder_is_an_error_not_a_plain_report(tmp_path):
    with pytest.raises(ReportgenError, match="nope: template folder not found"):
        report_html("X", survey=DATA / "tiny_survey.csv", definitions=TINY,
                    templates=[tmp_path / "nope"])


@pytest.mark.parametrize("flag", ["--definitions", "--cases", "--benchmark", "--config"])
@pytest.mark.parametrize("kind", ["device", "pipe", "folder"])
def test_devices_pipes_and_folders_are_refused_as_inputs(tmp_path, flag, kind):
    # /dev/zero filled 24 GB through --benchmark; a named pipe blocked the build for good.
    import io
    import os

    from reportgen.cli import main

    if kind == "device":
        path = "/dev/zero"
    elif kind == "pipe":
        path = str(tmp_path / "fifo")
        os.mkfifo(path)
    else:
        path = str(tmp_path)
    args = ["build", "--survey", str(DATA / "tiny_survey.csv"), "--region", "X",
            "--out", str(tmp_path / "out"), flag, path]
    if flag != "--definitions":
        args += ["--definitions", str(TINY)]
    err = io.StringIO()
    assert main(args, stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().endswith(f"{path}: error: not a regular file (a folder, device or "
                                   "pipe)\n"), err.getvalue()


@pytest.mark.pdf
def test_a_terminated_build_removes_its_staging_folder(tmp_path):
    import signal
    import subprocess
    import time

    from tests.conftest import cli_env, entry_point

    out = tmp_path / "out"
    proc = subprocess.Popen([entry_point(), "build", "--survey", str(DATA / "tiny_survey.csv"),
                             "--definitions", str(TINY), "--region", "X", "--out", str(out)],
                            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240  # a loaded 2-core CI machine is slow
    while not list(out.glob(".reportgen-*")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)  # while the files are being written
    code = proc.wait(timeout=120)
    if code == 0:
        pytest.skip("the build finished before the signal arrived")
    assert code == 128 + signal.SIGTERM
    assert not list(out.glob(".reportgen-*")) and not list(out.glob("*.pdf"))


def test_deeply_nested_commentary_is_refused_with_its_file(tmp_path):
    from reportgen.report.commentary import load_commentary

    texts = tmp_path / "texts"
    (texts / "X").mkdir(parents=True)
    (texts / "X" / "alpha.md").write_text("> > **Two quotes, *bold and italic*.**\n",
                                          encoding="utf-8")
    keys = ["alpha", "summary"]
    assert "<em>bold" in load_commentary(texts, "X", keys)["alpha"]
    (texts / "X" / "summary.md").write_text("*" * 500 + "a" + "*" * 500, encoding="utf-8")
    with pytest.raises(InputError, match=r"summary\.md: .*nests 25\d levels deep"):
        load_commentary(texts, "X", keys)


@pytest.mark.pdf
@pytest.mark.parametrize("after", [0.8, 1.6, "staging"])
def test_a_signal_to_the_whole_process_group_ends_the_build_promptly(tmp_path, after):
    # Ctrl-C, `timeout` and CI runners signal the group: the chart workers die with the
    # parent, and a pool stopped the usual way then waited forever for a lock they held.
    import os
    import signal
    import subprocess
    import time

    from tests.conftest import cli_env, entry_point

    out = tmp_path / "deep" / "out"
    said = (tmp_path / "stderr").open("w", encoding="utf-8")
    # An import cut short by the signal leaves its file to the collector; a user never sees
    # that ResourceWarning, which only warnings-as-errors prints.
    env = dict(cli_env(), PYTHONWARNINGS="error,ignore::ResourceWarning")
    proc = subprocess.Popen([entry_point(), "build", "--survey", str(DATA / "tiny_survey.csv"),
                             "--definitions", str(TINY), "--region", "X", "--out", str(out)],
                            env=env, stdout=subprocess.DEVNULL, stderr=said,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    if after == "staging":
        while not list(out.glob(".reportgen-*")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
    else:
        time.sleep(after)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the build hung after SIGTERM to its process group")
    names = sorted(p.name for p in out.iterdir()) if out.exists() else []
    complete = ["X-scores.csv", "X-stresstest-report.pdf"]
    said.close()
    printed = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert code in (0, 128 + signal.SIGTERM), printed
    assert "Traceback" not in printed and "Exception ignored" not in printed, printed
    if code == 0:
        assert names == complete
    else:
        # Nothing half-written: no file, or (the signal came while the set was being moved
        # in, and waited for that) the whole set; no folder made for files never written.
        assert names in ([], complete), names
        assert names or not (tmp_path / "deep").exists()


def test_staging_folders_of_killed_builds_are_swept_and_new_folders_not_left(tmp_path):
    from reportgen.output import staged

    out = tmp_path / "out"
    dead = out / ".reportgen-4194399-abc"  # above Linux's largest pid: no such process
    dead.mkdir(parents=True)
    (dead / "X-report.pdf").write_bytes(b"half")
    with staged(out) as stage:
        stage("a.csv").write_text("x", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["a.csv"]
    fresh = tmp_path / "new" / "sub"
    with pytest.raises(RuntimeError), staged(fresh) as stage:
        stage("b.csv").write_text("x", encoding="utf-8")
        raise RuntimeError("the PDF writer failed")
    assert not (tmp_path / "new").exists()


def test_a_pack_folder_a_killed_run_left_is_cleared_and_its_name_reused(tmp_path):
    from reportgen.output import staged_folder

    left = tmp_path / "X-workshop" / ".reportgen-4194399-abc"  # a killed run's staging only
    left.mkdir(parents=True)
    (left / "deck.pptx").write_bytes(b"half")
    kept = tmp_path / "X-workshop-2"  # a finished pack with a stale staging folder beside it
    (kept / ".reportgen-4194399-def").mkdir(parents=True)
    (kept / "deck.pptx").write_bytes(b"whole")
    with staged_folder(tmp_path / "X-workshop") as (folder, stage):
        stage("deck.pptx").write_bytes(b"new")
    assert folder == tmp_path / "X-workshop"
    assert [p.name for p in folder.iterdir()] == ["deck.pptx"]
    assert [p.name for p in kept.iterdir()] == ["deck.pptx"]  # swept, the pack kept


@pytest.mark.pdf
# The alarm may ring inside hypothesis's gc callback, which drops the exception (and pytest
# reports it); the limit rings again until it stops the rendering, as asserted below.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_template_that_makes_endless_pages_or_nesting_is_stopped_in_the_pdf_stage(
        tmp_path, monkeypatch):
    from reportgen.report import pdf

    for name, seconds, body, said in (
            ("long", 2.0, "{% for i in range(60000) %}<p>row {{ i }}</p>{% endfor %}",
             "laying out the PDF took longer than 2 seconds"),
            ("deep", 120.0, "{% for i in range(3000) %}<div>{% endfor %}deep"
                            "{% for i in range(3000) %}</div>{% endfor %}", "nests too deeply")):
        monkeypatch.setattr(pdf, "PDF_SECONDS", seconds)
        mine = tmp_path / name
        mine.mkdir()
        (mine / "report.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
        with pytest.raises(ReportgenError, match=said):
            build_report("X", tmp_path / "out", survey=DATA / "tiny_survey.csv",
                         definitions=TINY, templates=[mine],
                         settings=ReportSettings(resamples=0))
        assert not (tmp_path / "out").exists()


def test_a_file_name_that_is_not_utf8_is_shown_escaped_everywhere(tmp_path, tiny_survey):
    import os

    from reportgen.cli import main

    # Bytes 0xe9 in a name (Latin-1 "é"): Python holds it as a lone surrogate, which no
    # encoder (PDF text, SQLite, the terminal) accepts.
    survey = tmp_path / os.fsdecode(b"surv\xe9y.csv")
    survey.write_bytes(tiny_survey.read_bytes())
    html = report_html("X", survey=survey, definitions=TINY)
    assert "surv\\xe9y.csv" in html and html.encode("utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["portfolio", "import", "--survey", str(survey), "--definitions", str(TINY),
                 "--db", str(tmp_path / "p.db"), "--wave", "w1"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    code = main(["portfolio", "list", "--db", str(tmp_path / "p.db")], stdout=out, stderr=err)
    assert code == 0 and "\udce9" not in out.getvalue()


def _interrupt_myself() -> str:
    import os

    os.kill(os.getpid(), signal.SIGINT)
    return "still drawing"


def test_ctrl_c_is_left_to_the_parent_not_the_chart_workers():
    from reportgen.parallel import chart_pool

    # Ctrl-C signals the whole process group; a worker that took it printed a traceback of
    # its own ("Process ForkPoolWorker-1: ... KeyboardInterrupt") beside the parent's stop.
    with chart_pool(1) as pool:
        assert pool is not None
        assert pool.apply_async(_interrupt_myself).get(timeout=20) == "still drawing"


def test_a_stop_signal_waits_while_files_move_in_and_a_swallowed_one_stops_the_next_step(
        monkeypatch, tmp_path):
    import os
    import signal

    from reportgen import interrupt
    from reportgen.build import Stopwatch

    monkeypatch.setattr(interrupt, "_pending", [])
    old = signal.signal(signal.SIGHUP, lambda signum, frame: pytest.fail("not held back"))
    moved = []
    try:
        with pytest.raises(SystemExit) as stopped, interrupt.deferred():
            os.kill(os.getpid(), signal.SIGHUP)
            moved.append("the whole set")  # the block runs to its end
        assert moved and stopped.value.code == 128 + signal.SIGHUP
    finally:
        signal.signal(signal.SIGHUP, old)
    # A stop raised inside a finaliser is printed as ignored and the build goes on: the
    # note it left stops the next pipeline step, and no file set is moved in.
    monkeypatch.setattr(interrupt, "_pending", [signal.SIGTERM])
    with pytest.raises(SystemExit) as stopped:
        Stopwatch(lambda message: None, 9).step("score", "scoring")
    assert stopped.value.code == 128 + signal.SIGTERM
    from reportgen.output import staged

    with pytest.raises(SystemExit), staged(tmp_path / "out") as stage:
        stage("report.pdf").write_bytes(b"%PDF")
    assert not (tmp_path / "out").exists()


def test_control_characters_from_any_source_reach_no_document_raw():
    from reportgen.report.typography import typeset
    from reportgen.spreadsheet import csv_safe

    # Labels, class codes and commentary feed the HTML through many paths: one pass on the
    # finished document covers them all; right-to-left isolates stay (legitimate typing).
    html = ('<html><head><title>K\x1b[31m</title></head><body><p>Z\x1b[2JZ \u202eevil '
            '\u2067\u05d0\u2069</p><img alt="a\x07b"></body></html>')
    done = typeset(html, "en")
    assert "\x1b" not in done and "\x07" not in done and "\u202e" not in done
    assert "K\\x1b[31m" in done and "Z\\x1b[2JZ \\u202eevil" in done and 'alt="a\\x07b"' in done
    assert "\u2067\u05d0\u2069" in done
    import pandas as pd

    table = csv_safe(pd.DataFrame({"region": ["X\x1b[31m", "=1+1"], "value": [1.0, 2.0]}))
    assert table["region"].tolist() == ["X\\x1b[31m", "'=1+1"]

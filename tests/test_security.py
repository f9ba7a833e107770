"""User-controlled text cannot inject markup, styles or file reads into a report."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import tinyhtml5
from pypdf import PdfReader

from reportgen.build import build_report, report_html
from reportgen.pdf import make_fetcher
from reportgen.resources import templates_dir
from reportgen.settings import ReportSettings
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

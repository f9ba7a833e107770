"""Full PDF renders (slow, so only a few): the demo through the real entry point."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from reportgen.catalogue import load_catalogue
from reportgen.cli import main
from reportgen.resources import default_catalogue
from tests.conftest import DATA, REPO, cli

pytestmark = pytest.mark.pdf


def squash(text: str) -> str:
    """Drop white space and hyphens, which line breaks and hyphenation move around."""
    return re.sub(r"[\s\-\u00ad‐]+", "", text).casefold()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    done = cli("demo", "--out", str(out), cwd=out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def reader(demo):
    return PdfReader(demo / "R07-2026-stresstest-report.pdf")


@pytest.fixture(scope="module")
def pages(reader):
    return [page.extract_text() or "" for page in reader.pages]


def struct_elements(reader):
    """Yield (structure element, the roles of its ancestors, nearest first) for the tree."""
    todo = [(reader.trailer["/Root"]["/StructTreeRoot"].get_object(), ())]
    while todo:
        node, above = todo.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            element = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(element, dict) and "/S" in element:
                chain = (node.get("/S"), *above)
                yield element, chain
                todo.append((element, chain))


def outline_titles(reader):
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item)

    return dict(walk(reader.outline))


def test_demo_writes_pdf_scores_and_its_database(demo):
    assert sorted(p.name for p in demo.iterdir()) == ["R07-2026-scores.csv",
                                                      "R07-2026-stresstest-report.pdf",
                                                      "reportgen.db"]
    header = (demo / "R07-2026-scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("catalogue,catalogue_version,region")


def test_demo_shows_progress_since_the_first_wave(pages):
    body = squash(" ".join(pages))
    assert squash("Progress since wave 2024") in body
    assert squash("Since wave 2024 the composite has moved from") in body
    # A dimension among the movers is marked as such (the demo's third improvement).
    assert squash("Coordination and alignment of S3 (whole dimension): 1.4 → 2.3") in body


def test_demo_run_twice_keeps_the_first_report(demo):
    done = cli("demo", "--out", str(demo))
    assert done.returncode == 0, done.stderr
    assert (demo / "R07-2026-stresstest-report-2.pdf").exists()
    (demo / "R07-2026-stresstest-report-2.pdf").unlink()
    (demo / "R07-2026-scores-2.csv").unlink()


def test_metadata_and_language(reader):
    meta = reader.metadata
    assert meta.title.startswith("StressTest-Report: ")
    assert meta.author == "reportgen"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_bookmarks_cover_every_chapter_and_dimension(reader):
    titles = outline_titles(reader)
    cat = load_catalogue(default_catalogue())
    for expected in ["1 Introduction", "2 The context: interplay of S3 and clusters",
                     "3 The StressTest approach", "4 Results for the key dimensions",
                     "5 Knowledge space and diversification", "6 Summary", "A Annex"]:
        assert expected in titles
    for k, dim in enumerate(cat.dimensions, start=1):
        assert f"4.{k} {dim.name}" in titles


def test_toc_page_numbers_match_the_bookmarks(reader, pages):
    titles = outline_titles(reader)
    toc = next(text for text in pages if "Contents" in text)
    # No dot leaders: they are text, read out dot by dot; a dotted rule guides the eye.
    assert "..." not in toc and "…" not in toc
    for title, page_index in titles.items():
        if title.startswith("A."):
            continue
        number, _, name = title.partition(" ")
        match = re.search(re.escape(number) + r"\s+" + re.escape(name[:20]) + r".*?(\d+)\s*$",
                          toc, re.MULTILINE)
        assert match, title
        assert int(match.group(1)) == page_index + 1, title
    # One link for the entry and one for its page number: a layout table made five per
    # entry, each read out by a screen reader.
    page = reader.pages[next(k for k, text in enumerate(pages) if "Contents" in text)]
    links = [a.get_object() for a in page.get("/Annots", [])]
    assert len(links) <= 2 * len(titles)


def test_every_indicator_and_dimension_is_named(pages):
    body = squash(" ".join(pages))
    cat = load_catalogue(default_catalogue())
    for item in [*cat.dimensions, *cat.indicators]:
        assert squash(item.name) in body, item.name
    assert squash("Synthetic example data") in body
    assert squash("The activity counts of this example are synthetic") in body
    assert squash(cat.title) in body
    # Item scores are whole numbers: the answer legends say 2, not 2.0.
    assert "Item score: 0 1 2 3 4" in " ".join(" ".join(pages).split())


def test_no_empty_or_nearly_empty_pages(pages):
    # Every page of the demo carries at least a third of a page of text: a spilled line or
    # a heading left alone would fall far below this.
    for number, text in enumerate(pages, start=1):
        content = [line for line in text.splitlines() if not re.search(r"Page \d+ of", line)]
        assert len(" ".join(content[1:])) > 400, f"page {number} is nearly empty"


def test_no_page_is_less_than_half_full_except_a_chapters_last(demo, reader, tmp_path):
    import subprocess

    import numpy as np
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(demo / "R07-2026-stresstest-report.pdf"),
                    str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.pgm"))
    starts = sorted({reader.get_destination_page_number(item) for item in reader.outline
                     if not isinstance(item, list)})
    last_pages = {start - 1 for start in starts[1:]} | {len(images) - 1}
    for number, image in enumerate(images):
        if number < starts[0] or number in last_pages:
            continue  # the cover and contents, and a chapter's last page, may be short
        ink = np.asarray(Image.open(image)) < 200
        body = ink[int(ink.shape[0] * 0.06):int(ink.shape[0] * 0.93)]  # no header or footer
        used = np.flatnonzero(body.any(axis=1))
        fill = (used.max() + 1) / body.shape[0] if used.size else 0.0
        assert fill >= 0.5, f"page {number + 1} is only {fill:.0%} full"


def test_a_dimension_opens_on_the_page_of_its_first_section(reader, pages):
    # Its heading and key facts at the foot of a page, its text overleaf, read as a page
    # that ends with a title: the key facts keep with what follows.
    cat = load_catalogue(default_catalogue())
    where = outline_titles(reader)
    for number, dim in enumerate(cat.dimensions, start=1):
        page = next(p for title, p in where.items() if title.startswith(f"4.{number} "))
        after = squash(pages[page]).split(squash(dim.name), 1)[-1]
        assert squash("Rationale") in after, f"{dim.name}: page {page + 1} ends with its facts"


def test_alternative_catalogue_renders_a_pdf(tmp_path):
    code = main(["build", "--survey", str(DATA / "alt_survey.csv"), "--region", "R03",
                 "--definitions", str(DATA / "alt_catalogue.yaml"), "--out", str(tmp_path),
                 "--html"])
    assert code == 0
    # The file is named after the catalogue's report (`report: file:`), plainly without one.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "R03-report.html", "R03-report.pdf", "R03-scores.csv"]
    reader = PdfReader(tmp_path / "R03-report.pdf")
    titles = outline_titles(reader)
    # Chapter 3: the alternative catalogue does not ask for the chapter on S3 and clusters.
    assert {"3.1 Skills and talent", "3.2 Access to finance", "3.3 Digital readiness"} <= set(
        titles)


def test_pdf_is_tagged_with_language_and_embedded_fonts(reader):
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = (font.get("/FontDescriptor")
                          or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())


def test_every_marked_content_belongs_to_the_tree_and_margins_are_artifacts(reader):
    # PDF/UA-1 7.1/7.8: no tagged content outside the structure tree; running headers and
    # footers are pagination artifacts (WeasyPrint alone leaves them in dangling elements).
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    reached: set[int] = set()

    def walk(node):
        if hasattr(node, "idnum"):
            if node.idnum in reached:
                return
            reached.add(node.idnum)
        node = node.get_object()
        kids = node.get("/K") if isinstance(node, dict) else node
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if not isinstance(kid, int):
                walk(kid)

    walk(tree["/K"])
    nums = tree["/ParentTree"]["/Nums"]
    mapped = [ref for i in range(1, len(nums), 2) if isinstance(nums[i].get_object(), list)
              for ref in nums[i].get_object() if hasattr(ref, "idnum")]
    assert len(mapped) > 1000 and all(ref.idnum in reached for ref in mapped)
    second = reader.pages[1].get_contents().get_data()
    assert second.count(b"/Artifact\n<</Type /Pagination>>\nBDC") == 4  # 2 headers, 2 footers
    assert "Page 2 of" in reader.pages[1].extract_text()


def test_links_announce_their_target_by_its_heading_not_its_anchor(reader):
    links = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])
             if a.get_object().get("/Subtype") == "/Link"]
    described = {str(a["/Dest"]): str(a["/Contents"]) for a in links if "/Dest" in a}
    assert described["ch-approach"] == "3 The StressTest approach"
    assert described["dim-portfolio"] == "4.1 Regional cluster portfolio"
    assert all(text != target for target, text in described.items())


def test_every_chart_figure_carries_alt_text(reader):
    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(node)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert len(figures) >= 14
    assert all(str(f.get("/Alt", "")).strip() for f in figures)


def test_attachments_are_the_scores_the_catalogue_and_the_provenance(reader, demo):
    import hashlib
    import json

    from reportgen.resources import default_catalogue

    files = {name: data[0] for name, data in reader.attachments.items()}
    # The scores under the name of the file beside the report.
    assert sorted(files) == ["R07-2026-scores.csv", "provenance.json", "stresstest_v1.yaml"]
    assert files["R07-2026-scores.csv"] == (demo / "R07-2026-scores.csv").read_bytes()
    assert files["stresstest_v1.yaml"] == default_catalogue().read_bytes()
    manifest = json.loads(files["provenance.json"])
    assert manifest["region"] == "R07" and manifest["wave"] == "2026"
    assert manifest["previous_waves"] == ["2024"]
    assert manifest["catalogue"]["sha256"] == hashlib.sha256(
        default_catalogue().read_bytes()).hexdigest()
    assert manifest["scores_sha256"] == hashlib.sha256(files["R07-2026-scores.csv"]).hexdigest()
    assert manifest["catalogue"]["translation"] is None  # an English report
    assert manifest["thresholds"]["min_respondents"] == 3
    assert manifest["inputs"]["survey_sha256"] == hashlib.sha256(
        (REPO / "example_inputs" / "survey-wave2.csv").read_bytes()).hexdigest()
    assert manifest["generator"].startswith("reportgen ")


def test_pdf_a3_variant_declares_itself(tmp_path):
    import gc
    import warnings

    with warnings.catch_warnings():
        # WeasyPrint 70 leaves its sRGB profile file open when it writes PDF/A.
        warnings.simplefilter("ignore", ResourceWarning)
        code = main(["build", "--survey", str(DATA / "tiny_survey.csv"), "--region", "X",
                     "--definitions", str(DATA / "tiny_catalogue.yaml"), "--out",
                     str(tmp_path), "--pdf-variant", "pdf/a-3u"])
        gc.collect()
    assert code == 0
    reader = PdfReader(tmp_path / "X-stresstest-report.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert sorted(reader.attachments) == ["X-scores.csv", "provenance.json",
                                          "tiny_catalogue.yaml"]


def test_builds_in_separate_processes_are_byte_identical(tmp_path):
    survey, tiny = str(DATA / "tiny_survey.csv"), str(DATA / "tiny_catalogue.yaml")
    pdfs = []
    for run_dir in ("one", "two"):
        out = tmp_path / run_dir
        done = cli("build", "--survey", survey, "--definitions", tiny, "--region", "X",
                   "--out", str(out), SOURCE_DATE_EPOCH="1700000000")
        assert done.returncode == 0, done.stderr
        pdfs.append((out / "X-stresstest-report.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    provenance = PdfReader(tmp_path / "one" / "X-stresstest-report.pdf").attachments[
        "provenance.json"][0]
    assert b'"generated_at": "2023-11-14T22:13:20+00:00"' in provenance


def test_a_pdf_writer_failing_mid_build_leaves_no_file(tmp_path, monkeypatch):
    from reportgen.build import build_report
    from reportgen.report import pdf

    def half_written(html, target, *args, **kwargs):
        target.write_bytes(b"%PDF-1.7 half")
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "write_pdf", half_written)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="disk full"):
        build_report("X", out, survey=DATA / "tiny_survey.csv",
                     definitions=DATA / "tiny_catalogue.yaml", html=True, parallel=False)
    assert not out.exists()  # not even the folder the build made for its files


def test_the_demo_passes_an_offline_pdf_ua_1_check(demo):
    import page
    report = page.validate_pdf(str(demo / "R07-2026-stresstest-report.pdf"), profile="ua1")
    assert report.is_compliant, [str(f) for f in report.failures]


def test_the_handout_is_the_overview_page_alone(tmp_path):
    done = cli("build", "--region", "X", "--survey", str(DATA / "tiny_survey.csv"),
               "--definitions", str(DATA / "tiny_catalogue.yaml"), "--cases",
               str(DATA / "tiny_cases.yaml"), "--handout", "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    handout = tmp_path / "X-at-a-glance.pdf"
    assert f"handout: {handout}" in done.stdout
    pages = PdfReader(handout).pages
    assert len(pages) == 1
    text = " ".join((pages[0].extract_text() or "").split())
    assert "At a glance" in text and "Composite indicators of Xland" in text
    assert "Contents" not in text and "Introduction" not in text
    # No link points into a report the reader of a handout does not hold.
    assert not [a for a in pages[0].get("/Annots") or []
                if a.get_object().get("/Subtype") == "/Link"]
    import page

    checked = page.validate_pdf(str(handout), profile="ua1")
    assert checked.is_compliant, [str(f) for f in checked.failures]
    # In the report, a short overview still has its page: the contents start on the next.
    report = PdfReader(tmp_path / "X-stresstest-report.pdf").pages
    assert "Contents" not in (report[1].extract_text() or "")
    assert (report[2].extract_text() or "").lstrip().startswith("Contents")


def test_the_demo_opens_with_its_results_on_one_page(reader, pages):
    titles = outline_titles(reader)
    assert titles["At a glance"] == 1  # right after the cover
    assert "Composite indicators of Saldenmark" in pages[1]
    assert "Relative weaknesses" in pages[1] and "Learn from" in pages[1]
    assert "Contents" in pages[2][:80]  # the overview fits its page


def test_a_one_page_document_is_set_smaller_until_it_fits(tmp_path):
    from reportgen.report.pdf import write_pdf

    # At 8.8 pt this runs a few lines onto a second page, as the French handout did.
    lines = "".join(f"<p>Ligne {k} : une phrase assez longue pour remplir la largeur de la page "
                    "du document de test.</p>" for k in range(44))
    html = (f'<html lang="fr"><head><title>t</title></head><body><section class="fit-page" '
            f'style="font-size: 8.8pt">{lines}</section></body></html>')
    write_pdf(html, tmp_path / "spills.pdf", variant="plain")
    write_pdf(html, tmp_path / "fits.pdf", variant="plain", one_page=True)
    assert len(PdfReader(tmp_path / "spills.pdf").pages) == 2
    fits = PdfReader(tmp_path / "fits.pdf")
    assert len(fits.pages) == 1 and "Ligne 43 :" in fits.pages[0].extract_text()
    # Within a longer document: the part between the markers is fitted to its page, as the
    # report's overview between its cover and its contents.
    part = (f'<section class="fit-page" style="font-size: 8.8pt; break-after: page">'
            f'<span id="fit-page-start"></span>{lines}<span id="fit-page-end"></span></section>')
    html = (f'<html lang="fr"><head><title>t</title></head><body><p style="break-after: page">'
            f'Couverture</p>{part}<p>Sommaire</p></body></html>')
    write_pdf(html, tmp_path / "part.pdf", variant="plain")
    part_pages = [p.extract_text() for p in PdfReader(tmp_path / "part.pdf").pages]
    assert len(part_pages) == 3 and "Ligne 43 :" in part_pages[1]
    assert part_pages[2].startswith("Sommaire")


def test_the_demo_says_why_its_classes_are_codes(pages):
    text = " ".join(" ".join(pages).split())
    assert "Classes are shown by their codes: no table of their names was imported with the " \
        "activity counts." in text


def test_every_table_header_cell_carries_its_scope(reader):
    # Column headers in a table's head, row headers in its body: a screen reader (and PDF/UA
    # check 15-003) ties each data cell to them only through /Scope.
    found: dict[tuple[str, str], int] = {}
    for element, above in struct_elements(reader):
        if element["/S"] == "/TH":  # in a TR, in a THead, TBody or TFoot
            scope = element.get("/A", {}).get("/Scope")
            found[(above[1], scope)] = found.get((above[1], scope), 0) + 1
    assert found.get(("/THead", "/Column"), 0) > 50 and found.get(("/TBody", "/Row"), 0) > 100
    assert set(found) <= {("/THead", "/Column"), ("/TBody", "/Row"), ("/TFoot", "/Row")}, found


def test_elements_cut_by_a_page_break_are_one_element_again(reader):
    # WeasyPrint tags page by page: a table across a break became two tables, the second with
    # the repeated header rows as a second THead; a paragraph became two.
    number = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}

    def spread(element) -> set[int]:
        """Return the pages an element's content lies on."""
        found = set()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                found.add(number[element.raw_get("/Pg").idnum])
                continue
            child = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(child, dict) and child.get("/Type") == "/MCR":
                found.add(number[child.raw_get("/Pg").idnum])
            elif isinstance(child, dict) and "/S" in child:
                found |= spread(child)
        return found

    spanning, heads, chapters = {}, [], 0
    for element, above in struct_elements(reader):
        kind = element["/S"]
        if kind == "/Table":
            parts = [k.get_object() for k in element["/K"] if hasattr(k, "get_object")]
            heads.append(sum(1 for p in parts if p.get("/S") == "/THead"))
        if kind in ("/Table", "/P") and len(spread(element)) > 1:
            spanning[kind] = spanning.get(kind, 0) + 1
        chapters += above[0] == "/Document" and kind == "/Sect"
    # The annex's long tables run over pages as single tables with their one header.
    assert spanning.get("/Table", 0) >= 3 and spanning.get("/P", 0) >= 1, spanning
    assert set(heads) <= {0, 1}
    # One section per chapter, however many pages it fills (cover, glance, toc, 6, annex).
    assert chapters <= 12


def test_figure_boxes_lie_on_their_pages(reader):
    # The Layout attribute's /BBox is in PDF points from the page's bottom; WeasyPrint wrote
    # CSS pixels from the top, which put figures near the foot below the page.
    number = {p.indirect_reference.idnum: p for p in reader.pages}
    boxes = 0
    for element, _ in struct_elements(reader):
        box = element.get("/A", {}).get("/BBox") if element["/S"] == "/Figure" else None
        if box is not None:
            page = number[element.raw_get("/Pg").idnum]
            left, bottom, right, top = (float(v) for v in box)
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert 0 <= left < right <= width and 0 <= bottom < top <= height, box
            boxes += 1
    assert boxes > 20


def test_numbered_lists_say_so(reader):
    # An <ol> (strengths, weaknesses, the scoring steps) is a numbered list to a screen reader.
    found: dict[str, int] = {}
    for element, _ in struct_elements(reader):
        if element["/S"] == "/L":
            kind = str(element.get("/A", {}).get("/ListNumbering", "none"))
            found[kind] = found.get(kind, 0) + 1
    assert found.get("/Decimal", 0) >= 5 and found.get("none", 0) >= 5, found


def test_a_range_at_the_end_of_a_line_does_not_strand_the_word_before_it(tmp_path):
    # WeasyPrint broke before an inline box ending a line at the first chance, not the last:
    # "mediana" stood alone on a line above the rest (Italian summary, 9 pt, 316 px).
    from reportgen.report.pdf import write_pdf
    from reportgen.report.typography import typeset

    item = ("<li><strong>Monitoraggio dello sviluppo dei cluster nell’ambito della S3</strong>:"
            " 1,0 rispetto a una mediana di 2,6 (posizione 24 su 26; intervallo 21–25)</li>")
    body = "".join(f'<ol style="width: {w}px">{item}</ol>' for w in (300, 316, 317, 318))
    html = typeset(f'<html lang="it"><head><title>t</title><style>body {{ font-size: 9pt; }}'
                   f'</style></head><body>{body}</body></html>', "it")
    assert html.count('<span class="range">21–25</span>') == 4  # the case the bug needs
    write_pdf(html, tmp_path / "t.pdf", variant="plain")
    text = PdfReader(tmp_path / "t.pdf").pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines()]
    assert "mediana" not in lines and text.count("intervallo 21–25)") + text.count(
        "intervallo\n21–25)") == 4

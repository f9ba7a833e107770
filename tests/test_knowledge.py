"""The knowledge-space engine against hand-computed values, invariants and py-ecomplexity."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import warnings

import numpy as np
import pytest
import tinyhtml5

from reportgen.knowledge.complexity import complexity, outlook_gain, reflections
from reportgen.knowledge.opportunities import opportunities, percentile_ranks
from reportgen.knowledge.space import Counts, density, proximity, rta, specialised

# Four regions and four technologies, perfectly nested: A holds all four, D only the most
# common one (the structure of Hidalgo & Hausmann's 2009 illustration).
NESTED = np.array([[1, 1, 1, 1],
                   [1, 1, 1, 0],
                   [1, 1, 0, 0],
                   [1, 0, 0, 0]], dtype=float)


def test_rta_is_the_location_quotient():
    # Region 1: 2 of its 2 in t1 (world share 3/4); region 2: 1 of 2 in t2 (world share 1/4).
    values = rta(np.array([[2.0, 0.0], [1.0, 1.0]]))
    assert values == pytest.approx(np.array([[4 / 3, 0.0], [2 / 3, 2.0]]))


def test_exactly_one_counts_as_specialised():
    assert specialised(np.array([[1.0, 0.999, 1.5]])).tolist() == [[1.0, 0.0, 1.0]]


def test_proximity_is_the_smaller_conditional_probability():
    phi = proximity(NESTED)
    # U_ij = min(k_i, k_j) for a nested matrix, so phi_ij = min / max of the ubiquities.
    expected = np.array([[0, 3 / 4, 2 / 4, 1 / 4],
                         [3 / 4, 0, 2 / 3, 1 / 3],
                         [2 / 4, 2 / 3, 0, 2 / 4],
                         [1 / 4, 1 / 3, 2 / 4, 0]])
    assert phi == pytest.approx(expected)


def test_density_by_hand():
    rd = density(NESTED, proximity(NESTED))
    # C holds t1, t2: for t3, (1/2 + 2/3) / (1/2 + 2/3 + 1/2) = 0.7
    assert rd[2, 2] == pytest.approx(70.0)
    # D holds t1: for t2, (3/4) / (3/4 + 2/3 + 1/3) = 3/7
    assert rd[3, 1] == pytest.approx(300 / 7)


def test_a_region_specialised_in_nothing_has_no_density_and_one_capability_lends_its_own():
    phi = proximity(NESTED)
    empty = density(np.zeros((1, 4)), phi)
    assert empty.tolist() == [[0.0, 0.0, 0.0, 0.0]]
    one = density(np.array([[0.0, 0.0, 0.0, 1.0]]), phi)[0]
    # Only t4's own relatedness counts: phi_t4 / sum_j phi_tj.
    assert one == pytest.approx(100 * phi[:, 3] / phi.sum(axis=1))


def test_reflections_by_hand():
    k_r, k_t = reflections(NESTED, steps=1)
    assert k_r.tolist() == [2.5, 3.0, 3.5, 4.0] and k_t.tolist() == [2.5, 3.0, 3.5, 4.0]
    k_r, _ = reflections(NESTED, steps=2)
    assert k_r.tolist() == [3.25, 3.0, 2.75, 2.5]


def nested_like(seed: int, regions: int = 40, techs: int = 60) -> np.ndarray:
    """A random specialisation matrix, nested as real data are: able regions hold hard ones."""
    rng = np.random.default_rng(seed)
    ability = rng.uniform(0, 1, regions)[:, None]
    ease = rng.uniform(0, 1, techs)[None, :]
    m = (ability + ease + rng.normal(0, 0.15, (regions, techs)) > 1).astype(float)
    m[m.sum(axis=1) == 0, 0] = 1
    m[0, m.sum(axis=0) == 0] = 1
    return m


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_eigenvector_and_reflections_agree_in_sign_and_order(seed):
    m = nested_like(seed)
    got = complexity(m)
    k_r, _ = reflections(m, steps=16)
    assert np.corrcoef(got.regions, got.diversity)[0, 1] > 0  # the sign convention
    ranks = np.corrcoef(percentile_ranks(got.regions), percentile_ranks(k_r))[0, 1]
    assert ranks > 0.99  # same sign (a positive correlation) and nearly the same order
    assert got.regions.mean() == pytest.approx(0) and got.regions.std() == pytest.approx(1)


def test_the_nested_example_orders_regions_by_what_they_hold():
    got = complexity(NESTED)
    assert list(np.argsort(-got.regions)) == [0, 1, 2, 3]
    assert list(np.argsort(-got.technologies)) == [3, 2, 1, 0]  # the rarest is the hardest


def test_permuting_regions_or_technologies_changes_nothing():
    m = nested_like(4)
    rows, cols = np.random.default_rng(5).permutation(40), np.random.default_rng(6).permutation(60)
    base, moved = complexity(m), complexity(m[rows][:, cols])
    assert moved.regions == pytest.approx(base.regions[rows])
    assert moved.technologies == pytest.approx(base.technologies[cols])
    rd = density(m, proximity(m))
    assert density(m[rows][:, cols], proximity(m[rows][:, cols])) == pytest.approx(
        rd[rows][:, cols])


def test_density_stays_between_0_and_100():
    m = nested_like(7)
    rd = density(m, proximity(m))
    assert rd.min() >= 0 and rd.max() <= 100 + 1e-9


def test_regions_and_technologies_without_counts_are_left_out():
    counts = Counts(["a", "b", "c"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 0.0], [2.0, 0.0]]))
    active = counts.active()
    assert active.regions == ["a", "c"] and active.technologies == ["x"]


def test_outlook_gain_by_hand():
    # One region holding t0; PCI 1, -1, 2. Entering t1 adds to t2's density 0.4 of its 0.6
    # (times PCI 2); entering t2 adds to t1's 0.4 of 0.9 (times PCI -1); t0 is held: 0.
    phi = np.array([[0, .5, .2], [.5, 0, .4], [.2, .4, 0]])
    gain = outlook_gain(np.array([[1.0, 0, 0]]), phi, np.array([1.0, -1.0, 2.0]))
    assert gain[0] == pytest.approx([0.0, 0.4 / 0.6 * 2, -0.4 / 0.9])


def test_opportunities_rank_related_and_complex_technologies_first():
    ranked = opportunities(["near-hard", "far-hard", "near-easy", "held"],
                           np.array([0, 0, 0, 1]), np.array([80.0, 10.0, 80.0, 90.0]),
                           np.array([2.0, 2.0, -1.0, 0.0]))
    assert [o.technology for o in ranked] == ["near-hard", "far-hard", "near-easy"]
    # Density ranks among the candidates: 10 -> 0, the two 80s tie at 0.75; complexity ranks
    # among all four: -1 -> 0, 0 -> 1/3, the two 2s tie at 2.5/3.
    assert ranked[0].score == pytest.approx((0.75 + 2.5 / 3) / 2)


def test_numbers_agree_with_py_ecomplexity():
    pd = pytest.importorskip("pandas")
    ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
    rng = np.random.default_rng(11)
    ability = rng.uniform(0.2, 1, 30)[:, None]
    values = rng.poisson(rng.gamma(0.6, 8, (30, 45)) * ability * rng.uniform(0.2, 1, 45))
    values = values.astype(float)
    values[values.sum(axis=1) == 0, 0] = 1
    values[0, values.sum(axis=0) == 0] = 1
    regions, techs = [f"R{i:02d}" for i in range(30)], [f"T{j:02d}" for j in range(45)]
    frame = pd.DataFrame([(2020, r, t, values[i, j]) for i, r in enumerate(regions)
                          for j, t in enumerate(techs)], columns=["year", "loc", "prod", "val"])
    # Their code prints and warns (pandas deprecations, its own checks): not ours to judge.
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ecomplexity(frame, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"})
    theirs = theirs.set_index(["loc", "prod"]).loc[[(r, t) for r in regions for t in techs]]
    ours_rta = rta(values)
    m = specialised(ours_rta)
    got = complexity(m)
    assert ours_rta.ravel() == pytest.approx(theirs["rca"].to_numpy())
    assert m.ravel() == pytest.approx(theirs["mcp"].to_numpy())
    # ecomplexity 0.5.3 keeps phi_tt = 1 in density's sums; we leave t itself out (j != t),
    # as Balland et al. (2018) and py-ecomplexity's later sources do. Convert and compare.
    phi = proximity(m)
    related = phi.sum(axis=1)
    with_self = (m + density(m, phi) / 100 * related) / (1 + related)
    assert with_self.ravel() == pytest.approx(theirs["density"].to_numpy())
    assert np.repeat(got.regions, 45) == pytest.approx(theirs["eci"].to_numpy(), abs=1e-8)
    assert np.tile(got.technologies, 30) == pytest.approx(theirs["pci"].to_numpy(), abs=1e-8)
    # Their outlook gain: phi with its unit diagonal, and technology complexity before it is
    # centred on the regions' mean (PCI + c for one constant c); COG is linear in PCI, so
    # theirs = COG(PCI) + c * COG(1) with our formula. Fit c, and every value must agree.
    with_unit = phi + np.eye(45)
    base = outlook_gain(m, with_unit, got.technologies).ravel()
    unit = outlook_gain(m, with_unit, np.ones(45)).ravel()
    cog = theirs["cog"].to_numpy()
    shift = float(np.dot(cog - base, unit) / np.dot(unit, unit))
    assert base + shift * unit == pytest.approx(cog, abs=1e-8)
    assert np.abs(cog).max() > 0.1  # a comparison of real numbers, not of zeros


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_counts_are_validated_with_row_and_column(tmp_path):
    from reportgen.errors import InputError
    from reportgen.inputs.counts import read_counts

    bad = write(tmp_path / "c.csv", "region,technology,count,period\nA,x,3,p1\nA,x,2,p1\n"
                ",y,1,p1\nB,y,-1,p1\nB,z,many,p1\n")
    with pytest.raises(InputError) as caught:
        read_counts(bad)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        f"{bad}, row 3: error: A × x in period p1 appears twice (first in row 2)",
        f"{bad}, row 4, column 'region': error: region is empty",
        f"{bad}, row 5, column 'count': error: count '-1' is not a non-negative number",
        f"{bad}, row 6, column 'count': error: count 'many' is not a non-negative number"]
    good = read_counts(write(tmp_path / "g.csv", "Region;Technology;Count\nA;x;1.5\n"),
                       period="2015-2019")
    assert good.to_dict("records") == [
        {"region": "A", "technology": "x", "period": "2015-2019", "count": 1.5}]


def test_counts_spelled_two_ways_or_with_hidden_characters_are_refused(tmp_path):
    from reportgen.errors import InputError
    from reportgen.inputs.counts import read_counts, read_labels

    bad = write(tmp_path / "c.csv", "region,technology,count,period\n"
                "R07,KX01,3,p1\nr07,KX02,2,p1\nR0\u200b7,KX03,1,p1\n"
                "R08,\uff2b\uff38\uff10\uff11,1,p1\nR08,K\x1b[31m,4,p1\nR09,KX01,1_000,p1\n"
                "R09,KX02,\u0661\u0662,p1\n")
    with pytest.raises(InputError) as caught:
        read_counts(bad)
    said = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert (3, "region", "region 'r07' differs from 'R07' only in how it is written (case, "
            "width or letters of another script); write it one way") in said
    assert (4, "region", "region 'R0\\u200b7' holds a character that does not show (U+200B); "
            "write it plainly") in said
    assert (5, "technology", "class '\\uff2b\\uff38\\uff10\\uff11' differs from 'KX01' only in "
            "how it is written (case, width or letters of another script); write it one way") \
        in said
    assert (6, "technology", "class 'K\\x1b[31m' holds a character that does not show "
            "(U+001B); write it plainly") in said
    # float() reads both as numbers; a counts file means neither.
    assert (7, "count", "count '1_000' is not a non-negative number") in said
    assert (8, "count", "count '\u0661\u0662' is not a non-negative number") in said
    good = write(tmp_path / "g.csv", "region,technology,count\nR07,KX01,3\n")
    with pytest.raises(InputError, match="period '20\\\\x1b\\[2J20' holds a character"):
        read_counts(good, period="20\x1b[2J20")
    labels = write(tmp_path / "l.csv", "technology,label\nKX01,\x1b[31mRED\nkx01,Other\n")
    with pytest.raises(InputError) as caught:
        read_labels(labels)
    said = [(p.row, p.message) for p in caught.value.problems]
    assert said[0] == (2, "label '\\x1b[31mRED' holds a control character")
    assert said[1][0] == 3 and said[1][1].startswith("class 'kx01' differs from 'KX01'")


def test_counts_of_a_stored_region_spelled_otherwise_are_refused(tmp_path, tiny_survey):
    from reportgen.cli import main
    from tests.conftest import DATA

    db, err = tmp_path / "k.db", io.StringIO()
    assert main(["portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
                 "--definitions", str(DATA / "tiny_catalogue.yaml"), "--db", str(db)],
                stdout=io.StringIO(), stderr=io.StringIO()) == 0
    m = nested_like(9, regions=10, techs=14)
    regions = ["x", "Y", *[f"Z{i}" for i in range(8)]]  # "x": stored as "X"
    counts = write(tmp_path / "c.csv", "region,technology,count\n" + "".join(
        f"{r},T{j:02d},{int(m[i, j]) * (2 + j % 3)}\n" for i, r in enumerate(regions)
        for j in range(14)))
    assert main(["knowledge", "import", "--counts", str(counts), "--period", "p1", "--db",
                 str(db)], stdout=io.StringIO(), stderr=err) == 2
    assert "region 'x' is stored region 'X'" in err.getvalue()


def test_a_counts_or_label_file_with_only_a_header_says_so_in_its_words(tmp_path):
    from reportgen.errors import InputError
    from reportgen.inputs.counts import read_counts, read_labels

    with pytest.raises(InputError, match="row 2: error: the file has a header but no counts"):
        read_counts(write(tmp_path / "c.csv", "region,technology,count\n"), period="p1")
    with pytest.raises(InputError, match="row 2: error: the file has a header but no labels"):
        read_labels(write(tmp_path / "l.csv", "technology,label\n"))


def test_counts_on_a_later_sheet_name_it(tmp_path):
    from openpyxl import Workbook

    from reportgen.errors import InputError
    from reportgen.inputs.counts import read_counts

    book = Workbook()
    book.active.append(["Patent counts by NUTS 2 region, REGPAT"])
    book.active.append(["Source: OECD"])
    data = book.create_sheet("Counts")
    data.append(["region", "technology", "count"])
    book.save(tmp_path / "counts.xlsx")
    with pytest.raises(InputError) as caught:
        read_counts(tmp_path / "counts.xlsx", period="p1")
    assert str(caught.value).endswith("(the first sheet was read; the workbook also has "
                                      "sheet(s) 'Counts': move the data sheet first)")


def test_counts_import_and_export_through_the_cli(tmp_path):
    from reportgen.cli import main

    rows = ["region,technology,count"]
    m = nested_like(8, regions=12, techs=15)
    rows += [f"R{i},T{j},{int(m[i, j]) * (1 + (i + j) % 4)}" for i in range(12)
             for j in range(15)]
    counts = write(tmp_path / "counts.csv", "\n".join(rows) + "\n")
    db = tmp_path / "k.db"

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    code, out, _ = run("knowledge", "import", "--counts", str(counts), "--period", "p1",
                       "--db", str(db))
    assert code == 0 and "stored 180 counts of 12 regions and 15 classes" in out
    assert "12 region(s) have counts but no survey wave" in out
    code, _, err = run("knowledge", "import", "--counts", str(counts), "--period", "p1",
                       "--db", str(db))
    assert code == 2 and "already stored; pass --replace" in err
    labels = write(tmp_path / "labels.csv", "technology,label\nT00,Agricultural machines\n"
                   "T00,Twice\n")
    code, _, err = run("knowledge", "import", "--counts", str(counts), "--period", "p1",
                       "--replace", "--labels", str(labels), "--db", str(db))
    assert code == 2 and "row 3, column 'technology': error: class 'T00' is labelled twice" in err
    write(labels, "technology,label\nT00,Agricultural machines\n")
    code, out, _ = run("knowledge", "import", "--counts", str(counts), "--period", "p1",
                       "--replace", "--labels", str(labels), "--db", str(db))
    assert code == 0 and "backup:" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT label FROM knowledge_labels").fetchall() == [
            ("Agricultural machines",)]
    conn.close()
    target = tmp_path / "space.csv"
    code, out, _ = run("knowledge", "export", "--out", str(target), "--db", str(db))
    assert code == 0
    import pandas as pd

    table = pd.read_csv(target)
    assert len(table) == 12 * 15 and table["density"].between(0, 100).all()
    assert table.loc[table["specialised"] == 1, "opportunity"].isna().all()
    assert table.loc[table["specialised"] == 0, "opportunity"].notna().all()
    assert table.loc[table["specialised"] == 1, "outlook_gain"].isna().all()
    assert table.loc[table["specialised"] == 0, "outlook_gain"].abs().max() > 0


def test_the_report_has_a_knowledge_chapter_only_with_counts(tmp_path, tiny_survey):

    from reportgen.build import report_html
    from reportgen.cli import main
    from reportgen.report.settings import ReportSettings
    from tests.conftest import DATA

    tiny = DATA / "tiny_catalogue.yaml"
    db = tmp_path / "k.db"
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    assert main(["portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
                 "--definitions", str(tiny), "--db", str(db)], **quiet) == 0
    without = report_html("X", db=db, definitions=tiny)
    assert "chapter-knowledge" not in without
    m = nested_like(9, regions=10, techs=14)
    regions = ["X", "Y", *[f"Z{i}" for i in range(8)]]
    rows = ["region,technology,count,period"] + [
        f"{r},T{j:02d},{int(m[i, j]) * (2 + j % 3)},{p}" for p in ("p1", "p2")
        for i, r in enumerate(regions) for j in range(14)]
    counts = write(tmp_path / "counts.csv", "\n".join(rows) + "\n")
    labels = write(tmp_path / "labels.csv", "technology,label\n" + "".join(
        f"T{j:02d},Field {j}\n" for j in range(14)))
    assert main(["knowledge", "import", "--counts", str(counts), "--labels", str(labels),
                 "--db", str(db)], **quiet) == 0
    html = report_html("X", db=db, definitions=tiny)
    doc = tinyhtml5.parse(html)
    ns = "{http://www.w3.org/1999/xhtml}"
    chapter = next(s for s in doc.iter(f"{ns}section")
                   if "chapter-knowledge" in s.get("class", ""))
    text = " ".join(chapter.itertext())
    import pandas as pd

    from reportgen.knowledge.analysis import analyse

    latest = pd.read_csv(counts, dtype=str).query("period == 'p2'").astype({"count": float})
    space = analyse(Counts.from_table(latest))
    held = int(space.specialised[space.counts.regions.index("X")].sum())
    assert f"Xland is specialised in {held} classes" in " ".join(text.split())
    assert "Classes are shown by their codes" not in text  # the label table was imported
    images = [img.get("alt") for img in chapter.iter(f"{ns}img")]
    assert len(images) == 2 and all("X" in alt for alt in images)
    # Like every boxplot, the complexity boxplot's portfolio is the 9 other regions.
    assert "portfolio’s regions (9): Xland" in images[1]
    assert "Between p1 and p2" in " ".join(text.split())
    first = next(chapter.iter(f"{ns}tbody")).find(f"{ns}tr/{ns}th")
    code = first.text.strip()
    assert " ".join(first.itertext()).split() == [code, "Field", str(int(code[1:]))]
    # The chart marks the best opportunities by their number in the table below it.
    table = next(t for t in chapter.iter(f"{ns}table")
                 if "knowledge-opportunities" in t.get("class", ""))
    rows = [[" ".join(c.itertext()).split()[0] for c in tr] for tr in table.find(f"{ns}tbody")]
    assert [r[0] for r in rows] == [str(k) for k in range(1, len(rows) + 1)]
    listed = "; ".join(f"{k} {r[1]}: density" for k, r in enumerate(rows[:5], start=1))
    assert all(part in images[0] for part in listed.split("; "))
    # Its legend names all three kinds of marker, the diamonds too.
    import base64

    src = next(chapter.iter(f"{ns}img")).get("src")
    drawn = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    assert all(f">{words}</text>" in drawn for words in (
        "Not yet specialised", "Specialised now", "Best opportunities, numbered as in the table"))
    skipped = report_html("X", db=db, definitions=tiny,
                          settings=ReportSettings(skip_chapters=("knowledge",)))
    assert "chapter-knowledge" not in skipped
    # A build from the export with the same counts as files has the same chapter.
    from reportgen.sources import CountsFiles

    direct = report_html("X", survey=tiny_survey, definitions=tiny,
                         counts=CountsFiles(counts, labels))
    assert chapter_text(direct) == chapter_text(html)
    err = io.StringIO()
    assert main(["build", "--region", "X", "--db", str(db), "--counts", str(counts),
                 "--out", str(tmp_path / "out")], stdout=io.StringIO(), stderr=err) == 2
    assert "--counts goes with --survey" in err.getvalue()
    assert not (tmp_path / "out").exists()


def chapter_text(html: str) -> str:
    ns = "{http://www.w3.org/1999/xhtml}"
    chapter = next(s for s in tinyhtml5.parse(html).iter(f"{ns}section")
                   if "chapter-knowledge" in s.get("class", ""))
    return " ".join(" ".join(chapter.itertext()).split())


def two_periods(seed: int = 12):
    """Two periods of counts where regions enter classes related to what they hold."""
    from reportgen.knowledge.analysis import analyse

    rng = np.random.default_rng(seed)
    m0 = nested_like(seed, regions=60, techs=40)
    rd = density(m0, proximity(m0))
    enter = (m0 == 0) & (rng.uniform(size=m0.shape) < rd / 150)
    m1 = np.maximum(m0, enter)
    names = ([f"R{i}" for i in range(60)], [f"T{j}" for j in range(40)])
    periods = [Counts(*names, m * rng.integers(5, 9, m.shape) + 0.5) for m in (m0, m1)]
    return [analyse(c) for c in periods]


def test_the_hypotheses_compare_the_lowest_and_highest_fifth():
    from reportgen.knowledge.hypotheses import contrasts

    before, after = two_periods()
    found = {c.hypothesis: c for c in contrasts(before, after)}
    assert set(found) == {"H1", "H2", "H3", "H4", "H5", "H6"}
    h1 = found["H1"]
    assert h1.outcome == "entry" and h1.high > h1.low and h1.consistent  # built in: H1 holds
    assert h1.verdict == "yes" and h1.high - h1.low > h1.margin > 0
    assert not found["H3"].expected_higher


def test_fifths_are_equal_groups_and_a_small_difference_decides_nothing():
    from reportgen.knowledge.hypotheses import Contrast, fifths

    # Ties at a cut-off: quantile thresholds would put the 1s in two fifths at once.
    key = np.array([3, 1, 1, 1, 1, 2, 2, 5, 4, 1.0])
    groups = fifths(key)
    assert np.bincount(groups).tolist() == [2, 2, 2, 2, 2]
    assert groups.tolist() == [3, 0, 0, 1, 1, 2, 3, 4, 4, 2]  # ranks 0-9, halved
    # By hand: entry rates 15.23 and 14.76 with a margin of 3.0 leave H3 open.
    c = Contrast("H3", "entry", "complexity", 15.23, 14.76, 2390, False, 3.0)
    assert c.consistent and c.verdict == "unclear"
    assert Contrast("H3", "entry", "complexity", 20.0, 14.0, 2390, False, 3.0).verdict == "yes"
    assert Contrast("H1", "entry", "density", 20.0, 14.0, 2390, True, 3.0).verdict == "no"


def test_the_entry_regression_matches_scikit_learn():
    linear_model = pytest.importorskip("sklearn.linear_model")
    from reportgen.knowledge.hypotheses import _logit

    rng = np.random.default_rng(3)
    x = np.column_stack([np.ones(400), rng.normal(size=(400, 3))])
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(-(x @ [-1.0, 0.8, -0.4, 0.3])))).astype(float)
    beta, cov = _logit(x, y)
    fit = linear_model.LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000)  # no penalty
    fit.fit(x[:, 1:], y)
    assert beta == pytest.approx([fit.intercept_[0], *fit.coef_[0]], abs=1e-5)
    assert np.all(np.diag(cov) > 0)


def test_a_batch_analyses_the_same_counts_once_and_notices_new_ones(tmp_path):
    from reportgen.sources import knowledge_spaces
    from reportgen.store import session
    from reportgen.store.knowledge import import_counts

    rows = [(r, f"T{j}", "p1", float((i + j) % 3)) for i, r in enumerate("ABCD")
            for j in range(5)]
    import pandas as pd

    table = pd.DataFrame(rows, columns=["region", "technology", "period", "count"])
    with session(tmp_path / "k.db") as conn:
        import_counts(conn, table)
        first = knowledge_spaces(conn)
        assert knowledge_spaces(conn) is first
        import_counts(conn, table.assign(period="p2", count=table["count"] + 1))
        again = knowledge_spaces(conn)
    assert again is not first and [p for p, _ in again] == ["p1", "p2"]


@pytest.mark.parametrize(("rows", "why"), [
    (["R1,K1,5", "R2,K1,3"], "at least 2 regions with counts in at least 2 classes"),
    (["R1,K1,1", "R1,K2,1", "R2,K1,2", "R2,K2,2"], "(all specialised in the same classes, "),
    # Each region in a class of its own: as uniform, and no longer called "the same classes".
    (["R1,K1,5", "R2,K2,5", "R3,K3,5"], "every region is as diverse and every class as common"),
    (["R1,K1,1e308", "R1,K2,1", "R2,K1,2", "R2,K2,5"], "too large"),
    (["R1,K1,5e-324", "R1,K2,1", "R2,K1,2", "R2,K2,5"], "too small"),
])
def test_counts_that_give_no_knowledge_space_are_refused_and_never_break_a_build(
        tmp_path, tiny_survey, rows, why):
    from reportgen.build import report_html
    from reportgen.cli import main
    from reportgen.inputs.counts import read_counts
    from reportgen.store import session
    from reportgen.store.knowledge import import_counts
    from tests.conftest import DATA

    counts = write(tmp_path / "c.csv", "region,technology,count,period\n"
                   + "".join(f"{r},p1\n" for r in rows))
    db, err = tmp_path / "k.db", io.StringIO()
    code = main(["knowledge", "import", "--counts", str(counts), "--db", str(db)],
                stdout=io.StringIO(), stderr=err)
    assert code == 2 and "c.csv: error: period p1: " in err.getvalue() and why in err.getvalue()
    # A database that holds such counts (stored before imports checked) still builds.
    tiny = DATA / "tiny_catalogue.yaml"
    assert main(["portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
                 "--definitions", str(tiny), "--db", str(db)],
                stdout=io.StringIO(), stderr=io.StringIO()) == 0
    with session(str(db)) as conn:
        import_counts(conn, read_counts(counts))
    html = report_html("X", db=db, definitions=tiny)
    assert "chapter-knowledge" not in html


def test_long_legend_labels_of_the_opportunity_chart_take_two_rows():
    import re

    from reportgen.report.charts import opportunity_chart

    def rows(*labels: str) -> int:
        drawn = opportunity_chart([10.0, 20.0, 30.0], [1.0, -1.0, 0.5], [False, False, True],
                                  ["a", "b", "c"], {"a": "1"}, "x", "y", *labels)
        # Text stays text (svg.fonttype none, as in every chart of the report).
        ys = {re.search(rf'y="([\d.]+)"[^>]*>{re.escape(label)}</text>', drawn).group(1)
              for label in labels}
        return len(ys)

    assert rows("Specialised now", "Not yet specialised", "Best opportunities") == 1
    # The French labels ran off the figure in one row.
    assert rows("Déjà spécialisée", "Pas encore spécialisée",
                "Principales pistes de diversification, numérotées comme dans le tableau") == 2

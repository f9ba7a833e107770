"""The portfolio database: imports as transactions, waves, migrations, progress over time."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
import tinyhtml5

from reportgen.build import report_html
from reportgen.catalogue import load_catalogue
from reportgen.cli import main
from reportgen.errors import InputError, ReportgenError
from reportgen.inputs.validate import DEFAULT_COLUMNS, code_survey
from reportgen.report.settings import ReportSettings
from reportgen.store import SCHEMA_VERSION, connect
from reportgen.store import read as store
from reportgen.store import waves as store_waves
from reportgen.store.schema import APPLICATION_ID, migrate
from tests.conftest import DATA, read_rows

NS = "{http://www.w3.org/1999/xhtml}"
TINY = DATA / "tiny_catalogue.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def dump(db) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def cat():
    return load_catalogue(TINY)


@pytest.fixture
def wave2(write_survey, tiny_rows):
    """A resurvey: X's policy and operational level now answer q1 and q2 with 1 (score 0),
    and every X respondent answers q3 with Yes (score 4)."""
    rows = []
    for row in tiny_rows:
        row = dict(row, respondent_id=row["respondent_id"] + "-w2")
        if row["region"] == "X":
            if row["group"] in ("pol", "ops") and row["q1"]:
                row.update(q1="1", q2="1" if row["q2"] else "")
            row["q3"] = "1"
        rows.append(row)
    return write_survey(rows, name="wave2.csv")


@pytest.fixture
def db(tmp_path, tiny_survey):
    path = tmp_path / "p.db"
    code, out, err = run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "w1",
                         "--definitions", str(TINY), "--db", str(path))
    assert code == 0, err
    assert "imported 12 respondents as wave 'w1' of 2 regions" in out
    return path


def rows_of(html: str, cls: str) -> list[list[str]]:
    root = tinyhtml5.parse(html)
    table = next(t for t in root.iter(f"{NS}table") if cls in (t.get("class") or ""))
    return [[" ".join("".join(c.itertext()).split()) for c in tr]
            for tr in table.find(f"{NS}tbody")]


def test_resurvey_shows_hand_computed_deltas(db, wave2):
    assert run("portfolio", "import", "--survey", str(wave2), "--wave", "w2",
               "--definitions", str(TINY), "--db", str(db))[0] == 0
    # Without resampling every margin is the normal approximation's.
    html = report_html("X", db=db, definitions=TINY, settings=ReportSettings(resamples=0))
    rows = rows_of(html, "indicators")
    # i1: 1.75 (se 0.25) -> 0.00 (se 0): -1.75, margin 1.96 * 0.25 = 0.49, a real decline
    assert rows[1][0] == "Indicator one" and rows[1][1] == "0.00"
    assert rows[1][5] == "▼ −1.75 (±0.49)"
    # i2: 2.00 (se 1.414) -> 4.00 (se 0): +2.00 within the margin 1.96 * 1.414 = 2.77
    assert rows[2][5] == "● +2.00 (±2.77)"
    assert "Progress since wave\u00a0w1" in html
    # X has 2 policy, 3 operational and 1 intermediate respondent; the single one is below
    # the minimum of 2, so both waves' values rest on 5.
    assert ("The values of wave w1 and those of this wave rest on the answers of up to 5 "
            "respondents each.") in " ".join(html.split())
    # alpha: 1.875 -> 2.0, printed 1.88 -> 2.00: the printed change is their difference
    assert "Since wave w1 the composite has moved from 1.88\u00a0to 2.00 (+0.12)" in html
    # Lists of movers tell a whole dimension from an indicator.
    flat = " ".join(html.split())
    assert "<strong>Indicator one</strong>: 1.75 → 0.00" in flat


def test_changes_resting_on_small_groups_get_bootstrap_margins(db, wave2, tiny_survey, cat):
    import math

    import numpy as np

    from reportgen.inputs.validate import Columns
    from reportgen.scoring.aggregate import score
    from reportgen.sources import load_survey

    run("portfolio", "import", "--survey", str(wave2), "--wave", "w2", "--definitions",
        str(TINY), "--db", str(db))
    html = report_html("X", db=db, definitions=TINY,
                       settings=ReportSettings(resamples=300, seed=9))
    # Independently: each wave's X respondents resampled within their groups (stream b of
    # the seed's two spawned streams), scored the ordinary way, the differences' central 95 %.
    streams = np.random.SeedSequence(9).spawn(2)
    resampled = []
    for survey_file, stream in ((wave2, streams[0]), (tiny_survey, streams[1])):
        _, responses = load_survey(survey_file, TINY, Columns())
        mine = responses.meta["region"] == "X"
        meta = responses.meta[mine].reset_index(drop=True)
        items = responses.items[mine].reset_index(drop=True)
        order = meta["group"].map({g.id: k for k, g in enumerate(cat.groups)}).sort_values(
            kind="stable").index
        meta, items = meta.loc[order].reset_index(drop=True), items.loc[order].reset_index(
            drop=True)
        start = meta.groupby("group").cumcount().rsub(meta.index).to_numpy()
        size = meta["group"].map(meta["group"].value_counts()).to_numpy()
        u = np.random.default_rng(stream).random((300, len(meta)))
        values = []
        for b in range(300):
            rows = start + np.floor(u[b] * size).astype(int)
            again = replace(responses, meta=meta.loc[rows].reset_index(drop=True),
                            items=items.loc[rows].reset_index(drop=True))
            values.append(score(again, cat).values.at["X", "i1"])
        resampled.append(np.array(values))
    coverage = math.erf(1.96 / math.sqrt(2))
    low, high = np.percentile(resampled[0] - resampled[1],
                              [50 * (1 - coverage), 100 - 50 * (1 - coverage)])
    rows = rows_of(html, "indicators")
    assert rows[1][5] == f"▼ −1.75 (±{(high - low) / 2:.2f})"
    assert "so their margins come from resampling both waves (bootstrap)" in html


def test_portfolio_is_the_latest_wave_of_every_other_region(db, wave2, cat):
    run("portfolio", "import", "--survey", str(wave2), "--wave", "w2", "--definitions",
        str(TINY), "--db", str(db))
    conn = connect(db)
    values, _, members = store.portfolio(conn, store.latest_waves(conn, cat, "X"))
    assert members["Y"] == store.Member("Y", "w2", "", 6, "0.1")
    chosen = store.select_wave(conn, "X", None)
    assert chosen.label == "w2"
    assert [w.label for w in store.waves(conn, "X")] == ["w1", "w2"]
    conn.close()
    assert list(values.index) == ["Y"]  # never X's own earlier wave


def test_an_earlier_wave_is_compared_with_the_portfolio_as_it_stood(db, wave2, cat):
    from reportgen.sources import from_store

    run("portfolio", "import", "--survey", str(wave2), "--wave", "w2", "--definitions",
        str(TINY), "--db", str(db))
    conn = connect(db)
    assert store.latest_waves(conn, cat, "X", until="w1")["Y"].label == "w1"
    conn.close()
    quiet = lambda *_: None  # noqa: E731
    assert from_store(db, "X", quiet, definitions=TINY).members["Y"].wave == "w2"
    assert from_store(db, "X", quiet, wave="w1", definitions=TINY).members["Y"].wave == "w1"


def test_importing_the_same_file_twice_is_a_no_op(db, tiny_survey):
    before = dump(db)
    code, out, _ = run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "w9",
                       "--definitions", str(TINY), "--db", str(db))
    assert code == 0 and "is already imported (waves: X w1, Y w1); nothing changed" in out
    assert dump(db) == before


def test_a_refused_first_import_leaves_no_database_behind(tmp_path, write_survey, tiny_rows):
    tiny_rows[6]["q1"] = "seven"
    db = tmp_path / "new.db"
    code, _, err = run("portfolio", "import", "--survey", str(write_survey(tiny_rows)),
                       "--wave", "w1", "--definitions", str(TINY), "--db", str(db))
    assert code == 2 and "answer 'seven'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["survey.csv"]


@pytest.mark.parametrize("label", ["", "   ", "20\n26", "a\x1b[2Jb", "w" * 41])
def test_unusable_wave_labels_are_refused(db, tiny_survey, label):
    before = dump(db)
    code, _, err = run("portfolio", "import", "--survey", str(tiny_survey), "--wave", label,
                       "--definitions", str(TINY), "--db", str(db), "--replace")
    assert code == 2 and "a wave label needs 1 to 40 printable characters" in err
    assert "\x1b" not in err and dump(db) == before


def test_a_database_held_by_another_process_is_called_busy_not_broken(db, tiny_survey,
                                                                     monkeypatch):
    from reportgen.store import schema

    monkeypatch.setattr(schema, "LOCK_WAIT", 0.2)
    before = dump(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run("portfolio", "import", "--survey", str(tiny_survey), "--wave", "w2",
                           "--definitions", str(TINY), "--db", str(db), "--replace")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2
    assert err == (f"reportgen: {db}: the database is busy: another process has been writing "
                   "to it for 0.2 seconds (an import?); try again when it has finished. "
                   "Nothing was changed\n")
    assert dump(db) == before


def test_a_wave_without_region_names_keeps_the_stored_names(db, write_survey, tiny_rows):
    rows = [{k: v for k, v in dict(r, respondent_id=r["respondent_id"] + "-w2").items()
             if k != "region_name"} for r in tiny_rows]
    code, _, err = run("portfolio", "import", "--survey", str(write_survey(rows)), "--wave",
                       "w2", "--definitions", str(TINY), "--db", str(db))
    assert code == 0, err
    conn = sqlite3.connect(db)
    try:
        assert dict(conn.execute("SELECT code, name FROM regions")) == {"X": "Xland",
                                                                      "Y": "Yonder"}
    finally:
        conn.close()


@pytest.mark.parametrize("spelling,said", [("x", "'x' is stored region 'X'"),
                                           ("Xland", "'Xland' is stored region 'X'"),
                                           ("\uff38", "'\uff38' is stored region 'X'"),
                                           ("\uff38LAND", "'\uff38LAND' is stored region 'X'"),
                                           ("\u0425", "'\u0425' is stored region 'X'")])
def test_a_stored_region_written_another_way_is_refused(db, write_survey, tiny_rows,
                                                        spelling, said):
    rows = [dict(r, respondent_id=r["respondent_id"] + "-w2", region_name="",
                 region=spelling if r["region"] == "X" else r["region"]) for r in tiny_rows]
    before = dump(db)
    code, _, err = run("portfolio", "import", "--survey", str(write_survey(rows)), "--wave",
                       "w2", "--definitions", str(TINY), "--db", str(db))
    assert code == 2 and said in err and "give the stored code" in err
    assert dump(db) == before


def test_waves_imported_as_synthetic_make_every_report_on_them_say_so(db, tiny_survey,
                                                                     write_survey, tiny_rows):
    plain = report_html("X", db=db, definitions=TINY, settings=ReportSettings(resamples=0))
    assert "Synthetic example data." not in plain
    # Y's new wave is synthetic: X's report benchmarks against it, so it says so too.
    rows = [dict(r, respondent_id=r["respondent_id"] + "-s") for r in tiny_rows
            if r["region"] == "Y"]
    code, _, err = run("portfolio", "import", "--survey", str(write_survey(rows)), "--wave",
                       "w2", "--definitions", str(TINY), "--db", str(db), "--synthetic")
    assert code == 0, err
    marked = report_html("X", db=db, definitions=TINY, settings=ReportSettings(resamples=0))
    assert "Synthetic example data." in marked


def test_a_bad_row_in_the_middle_leaves_the_database_as_it_was(db, write_survey, tiny_rows):
    tiny_rows[6]["q1"] = "seven"
    before = dump(db)
    code, _, err = run("portfolio", "import", "--survey", str(write_survey(tiny_rows)),
                       "--wave", "w2", "--definitions", str(TINY), "--db", str(db))
    assert code == 2 and "row 8, column 'q1': error: answer 'seven'" in err
    assert dump(db) == before


def test_a_crash_inside_the_transaction_loses_nothing(db, wave2, cat, monkeypatch):
    before = dump(db)
    calls = []

    def crash_midway(values):
        # _reals converts the scores, written after the respondents and their answers
        calls.append(len(values))
        conn_rows = conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]
        calls.append(conn_rows)
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store_waves, "_reals", crash_midway)
    conn = connect(db)
    respondents_before = conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]
    with pytest.raises(KeyboardInterrupt):
        store_waves.import_survey(conn, wave2, cat, DEFAULT_COLUMNS, "w2")
    conn.close()
    assert calls[0] > 0
    assert calls[1] > respondents_before  # the crash came after the new respondents were in
    assert dump(db) == before


def test_replacing_a_wave_with_one_late_response_cautions(db, write_survey, tiny_rows):
    # The same export plus one late policy respondent of X: the two waves' policy values,
    # published side by side, would give that one response away.
    late = dict(next(r for r in tiny_rows if r["respondent_id"] == "p1"), respondent_id="p9")
    code, out, err = run("portfolio", "import", "--survey", str(write_survey([*tiny_rows, late])),
                         "--wave", "w1", "--replace", "--definitions", str(TINY), "--db", str(db))
    assert code == 0, err
    cautions = [line for line in out.splitlines() if "caution:" in line]
    assert cautions == ["  caution: wave 'w1' of X: group 'pol' differs from the replaced wave "
                        "by 1 respondent, fewer than the minimum of 2; publish reports of only "
                        "one of the two, or side by side they reveal those answers"]


def test_a_wave_is_replaced_only_on_request_and_can_be_restored(db, wave2):
    code, _, err = run("portfolio", "import", "--survey", str(wave2), "--wave", "w1",
                       "--definitions", str(TINY), "--db", str(db))
    assert code == 2 and "wave 'w1' already exists for X, Y" in err
    code, out, _ = run("portfolio", "import", "--survey", str(wave2), "--wave", "w1",
                       "--replace", "--definitions", str(TINY), "--db", str(db))
    assert code == 0 and "replaced the earlier wave 'w1' of X" in out
    assert "caution:" not in out  # every respondent is new: nothing to subtract
    code, out, _ = run("portfolio", "show", "X", "--db", str(db))
    assert [line.split()[2] for line in out.splitlines() if " w1 " in line] == ["replaced",
                                                                                "active"]
    assert run("portfolio", "restore", "X", "--wave", "w1", "--db", str(db))[0] == 0
    conn = connect(db)
    (active,) = store.waves(conn, "X")
    assert active.source_name == "tiny_survey.csv"
    conn.close()


def test_remove_needs_confirmation_and_keeps_a_backup(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run("portfolio", "remove", "Y", "--db", str(db))
    assert code == 2 and "refusing to remove without confirmation: pass --yes" in err
    code, out, _ = run("portfolio", "remove", "Y", "--yes", "--db", str(db))
    assert code == 0 and "removed wave(s) w1 of Y" in out
    backups = list(db.parent.glob("p.db.backup-*"))
    assert len(backups) == 1 and dump(backups[0]) != dump(db)
    code, out, _ = run("portfolio", "list", "--db", str(db))
    assert [line.split()[-2:] for line in out.splitlines()[1:]] == [["w1", "6"], ["none", "0"]]


def test_a_change_that_fails_leaves_no_backup_behind(db, monkeypatch):
    from reportgen.store import waves

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(waves, "set_status", read_only)
    before = dump(db)
    code, _, err = run("portfolio", "remove", "Y", "--yes", "--db", str(db))
    assert code == 2 and "the database was not changed" in err
    assert dump(db) == before and not list(db.parent.glob("p.db.backup-*"))


def old_database(path, version: int) -> sqlite3.Connection:
    """Make a database of an earlier schema version holding region X and its wave w1."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    conn.execute("INSERT INTO regions VALUES ('X', 'Xland', NULL, NULL)")
    conn.execute("INSERT INTO waves (region, label, source_name, source_hash, catalogue_id, "
                 "catalogue_version, imported_at) VALUES ('X', 'w1', 'f.csv', 'h', 'tiny', "
                 "'0.1', '2020-01-01')")
    return conn


def test_an_older_schema_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    old_database(path, version=1).close()
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("SELECT label, status, retired_at, synthetic FROM waves").fetchall() == [
        ("w1", "active", None, 0)]  # 7 -> 8: not synthetic unless imported so
    assert conn.execute("SELECT COUNT(*) FROM actions").fetchone() == (0,)  # 6 -> 7
    conn.close()


def test_answers_stored_one_row_each_move_onto_their_respondents(tmp_path):
    path = tmp_path / "v4.db"
    conn = old_database(path, version=4)
    conn.executemany("INSERT INTO respondents VALUES (1, ?, ?)", [("a", "pol"), ("b", "ops")])
    conn.executemany("INSERT INTO answers VALUES (1, ?, ?, ?)",
                     [("a", "q1", "4"), ("a", "q3", "Yes"), ("b", "q5", "1|2")])
    conn.close()
    conn = connect(path)
    stored = conn.execute("SELECT respondent, answers FROM respondents ORDER BY respondent")
    assert [(r, json.loads(a)) for r, a in stored] == [
        ("a", {"q1": "4", "q3": "Yes"}), ("b", {"q5": "1|2"})]
    assert "answers" not in {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    wave = store.Wave(1, "X", "w1", "active", "f.csv", "tiny", "0.1", "2020-01-01")
    raw = store.waves_answers(conn, [wave], ["q1", "q2", "q3", "q4", "q5", "q6", "q7"], "db")
    items = code_survey(raw, load_catalogue(TINY), DEFAULT_COLUMNS).items
    conn.close()
    assert items.loc["a", ["q1", "q3"]].tolist() == [3.0, 4.0]  # code 4 of 1..5 is 3; Yes is 4
    assert items.loc["b"].notna().sum() == 1


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(ReportgenError, match="schema version 99, newer than"):
        connect(path)


def test_export_writes_all_scores(db, tmp_path):
    target = tmp_path / "all.csv"
    code, out, _ = run("portfolio", "export", "--out", str(target), "--db", str(db),
                       "--definitions", str(TINY))
    assert code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("region,region_name,country,wave,catalogue,catalogue_version,level,kind,"
                        "dimension,id,value,n,se,note")
    assert any(line.startswith("X,Xland,,w1,tiny,0.1,region,indicator,alpha,i1,1.75,4,0.25")
               for line in lines)


def test_regeneration_is_reproducible(db, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = report_html("X", db=db, definitions=TINY)
    assert report_html("X", db=db, definitions=TINY) == first


def test_wave_must_match_the_catalogue(db):
    with pytest.raises(ReportgenError, match="imported with catalogue tiny 0.1"):
        report_html("X", db=db, definitions=DATA / "alt_catalogue.yaml")


def test_unknown_region_or_wave(db):
    with pytest.raises(ReportgenError, match="region 'Q' has no wave in the database"):
        report_html("Q", db=db, definitions=TINY)
    with pytest.raises(ReportgenError, match="region 'X' has no wave 'w7'; its waves: w1"):
        report_html("X", db=db, wave="w7", definitions=TINY)


def test_failed_validation_never_creates_a_wave(tmp_path, write_survey, tiny_rows, cat):
    tiny_rows[0]["group"] = "press"
    conn = connect(tmp_path / "fresh.db")
    with pytest.raises(InputError):
        store_waves.import_survey(conn, write_survey(tiny_rows), cat, DEFAULT_COLUMNS, "w1")
    assert conn.execute("SELECT COUNT(*) FROM waves").fetchone() == (0,)
    conn.close()


@pytest.mark.pdf
def test_batch_builds_every_region(db, tmp_path):
    out = tmp_path / "reports"
    code, stdout, _ = run("batch", "--db", str(db), "--definitions", str(TINY), "--out",
                          str(out), "--jobs", "2")
    assert code == 0, stdout
    assert sorted(p.name for p in out.glob("*.pdf")) == ["X-w1-stresstest-report.pdf",
                                                        "Y-w1-stresstest-report.pdf"]
    assert "2 of 2 reports built" in stdout and "] 2/2" in stdout
    # resumable: nothing changed, nothing rebuilt; a new wave anywhere rebuilds every report
    code, stdout, _ = run("batch", "--db", str(db), "--definitions", str(TINY), "--out",
                          str(out), "--jobs", "1")
    assert code == 0 and "2 reports are up to date and skipped" in stdout
    assert "0 of 0 reports built" in stdout and len(list(out.glob("*.pdf"))) == 2
    code, stdout, _ = run("batch", "--db", str(db), "--definitions", str(TINY), "--out",
                          str(out), "--jobs", "1", "--force")
    assert code == 0 and "2 of 2 reports built" in stdout and len(list(out.glob("*.pdf"))) == 2


def test_batch_shows_a_progress_bar_on_a_terminal(tmp_path):
    from reportgen.batch import Outcome, progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with progress(screen, 2, None) as say:
        say(1, Outcome("X", True, "x.pdf", 1.0))
        say(2, Outcome("Y\x1b[2J", False, "broken", 1.0))
    shown = screen.getvalue()
    assert "2/2" in shown and "FAILED Y\\x1b[2J: broken" in shown
    assert "\x1b[2J" not in shown.replace("\\x1b[2J", "")



@pytest.mark.pdf
def test_one_failing_region_does_not_stop_the_batch(db, tmp_path, catalogue_variant,
                                                    write_survey, tiny_rows):
    # Y's newest wave was imported with catalogue version 0.2, so building it with 0.1 fails.
    newer = catalogue_variant(lambda doc: doc.update(version="0.2"))
    y_only = write_survey([dict(r, respondent_id=r["respondent_id"] + "b") for r in tiny_rows
                           if r["region"] == "Y"], name="y.csv")
    assert run("portfolio", "import", "--survey", str(y_only), "--wave", "w2",
               "--definitions", str(newer), "--db", str(db))[0] == 0
    out = tmp_path / "reports"
    code, stdout, _ = run("batch", "--db", str(db), "--definitions", str(TINY), "--out",
                          str(out), "--jobs", "2")
    assert code == 1
    assert "FAILED Y: wave 'w2' of Y was imported with catalogue tiny 0.2" in stdout
    assert "1 of 2 reports built" in stdout
    assert [p.name for p in out.glob("*.pdf")] == ["X-w1-stresstest-report.pdf"]


def test_batch_refuses_unknown_regions(db, tmp_path):
    code, _, err = run("batch", "--db", str(db), "--regions", "X", "Q", "--out",
                       str(tmp_path), "--definitions", str(TINY))
    assert code == 2 and "no wave in" in err and "for Q" in err


def test_build_from_the_database_never_overwrites(db, tmp_path):
    out = tmp_path / "o"
    args = ["build", "--region", "X", "--db", str(db), "--definitions", str(TINY),
            "--out", str(out)]
    assert run(*args)[0] == 0
    first = (out / "X-w1-stresstest-report.pdf").read_bytes()
    assert run(*args)[0] == 0
    assert (out / "X-w1-stresstest-report-2.pdf").exists()
    assert (out / "X-w1-stresstest-report.pdf").read_bytes() == first


def test_export_applies_the_minimum_the_scores_were_computed_under(db, tmp_path,
                                                                  catalogue_variant):
    # Another catalogue's minimum (the shipped one: 3) could publish what the tiny
    # catalogue's rule withholds, or the reverse: without the right catalogue, no export.
    target = tmp_path / "all.csv"
    code, _, err = run("portfolio", "export", "--out", str(target), "--db", str(db))
    assert code == 2 and "other rules" in err and "--definitions" in err
    assert not target.exists()
    stricter = catalogue_variant(lambda doc: doc["rules"].update(min_respondents=5))
    code, _, err = run("portfolio", "export", "--out", str(target), "--db", str(db),
                       "--definitions", str(stricter))
    assert code == 2  # scored under min 2: a catalogue asking 5 is not theirs either
    # A new minimum scores the waves afresh, which needs their own catalogue.
    code, _, err = run("portfolio", "export", "--out", str(target), "--db", str(db),
                       "--min-respondents", "5")
    assert code == 2 and "no wave was imported with catalogue reportgen-stresstest" in err
    assert run("portfolio", "export", "--out", str(target), "--db", str(db),
               "--min-respondents", "5", "--definitions", str(TINY))[0] == 0
    groups = [r for r in read_rows(target) if r["level"] != "region"]
    assert groups and not any(r["value"] for r in groups)  # no group has 5 respondents
    assert run("portfolio", "export", "--out", str(target), "--db", str(db), "--force",
               "--definitions", str(TINY))[0] == 0
    shown = [r for r in read_rows(target) if r["level"] != "region" and r["value"]]
    assert shown and min(int(r["n"]) for r in shown) == 2  # the tiny catalogue's minimum


def test_export_writes_xlsx_too(db, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "all.xlsx"
    assert run("portfolio", "export", "--out", str(target), "--db", str(db),
               "--definitions", str(TINY))[0] == 0
    book = load_workbook(target, read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert header[:4] == ("region", "region_name", "country", "wave")
    code, _, err = run("portfolio", "export", "--out", str(tmp_path / "all.json"), "--db",
                       str(db))
    assert code == 2 and "--out must end in .csv or .xlsx" in err


def test_a_read_command_never_touches_another_applications_database(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = dump(other)
    for argv in (["portfolio", "list"], ["portfolio", "show", "X"],
                 ["portfolio", "import", "--survey", str(DATA / "tiny_survey.csv"),
                  "--definitions", str(TINY)]):
        code, _, err = run(*argv, "--db", str(other))
        assert code == 2 and "not a reportgen portfolio database" in err, argv
    assert dump(other) == before


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_gets_a_clear_message(db, damage):
    data = db.read_bytes()
    db.write_bytes(b"this is not sqlite at all" * 100 if damage == "garbage"
                   else data[: len(data) // 3])
    before = db.read_bytes()
    for argv in (["portfolio", "list"], ["build", "--region", "X", "--definitions", str(TINY),
                                         "--out", str(db.parent / "out")]):
        code, _, err = run(*argv, "--db", str(db))
        assert code == 2 and err.startswith("reportgen: ") and "Traceback" not in err, argv
    assert db.read_bytes() == before


def test_region_table_errors_are_located_and_change_nothing(db, tmp_path, wave2):
    before = dump(db)
    bad = tmp_path / "regions.csv"
    for text, message in (("name,country\nXland,AT\n", "missing column 'code'"),
                          ("code,country\nX,AT\nQQ,DE\n", "row 3, column 'code'")):
        bad.write_text(text, encoding="utf-8")
        code, _, err = run("portfolio", "import", "--survey", str(wave2), "--wave", "w2",
                           "--definitions", str(TINY), "--db", str(db), "--region-table",
                           str(bad))
        assert code == 2 and message in err and "Traceback" not in err
        assert dump(db) == before  # the import itself was not committed either


def test_two_imports_of_one_label_at_once_never_both_succeed(tmp_path, write_survey,
                                                             tiny_rows):
    import subprocess

    from tests.conftest import cli_env, entry_point

    path = tmp_path / "race.db"
    surveys = [write_survey([dict(r, respondent_id=f"{r['respondent_id']}-{k}")
                             for r in tiny_rows], name=f"s{k}.csv") for k in (1, 2)]
    assert run("portfolio", "list", "--db", str(path))[0] == 2  # nothing there yet
    procs = [subprocess.Popen([entry_point(), "portfolio", "import", "--survey", str(survey),
                               "--wave", "same", "--definitions", str(TINY), "--db",
                               str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=cli_env())
             for survey in surveys]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert sorted(code for code, _ in results) == [0, 2], results
    errors = " ".join(err for _, err in results)
    assert "already exists" in errors and "Traceback" not in errors
    conn = connect(path)
    active = conn.execute("SELECT COUNT(*) FROM waves WHERE label = 'same' AND status = "
                          "'active'").fetchone()[0]
    replaced = conn.execute("SELECT COUNT(*) FROM waves WHERE status = 'replaced'").fetchone()[0]
    conn.close()
    assert replaced == 0 and active == 2  # one import's two regions, never the other's


def test_backups_use_unique_names(db):
    from reportgen.cli.portfolio import backup

    # A killed backup's half copy (its pid is gone) is cleared, never left as a backup.
    stale = db.with_name(f".{db.name}.backup-20260101-000000.reportgen-4194399.partial")
    stale.write_bytes(b"half")
    conn = connect(db)
    first, second = backup(conn, db), backup(conn, db)
    conn.close()
    assert first != second and first.exists() and second.exists()
    assert second.name == first.name + "-2" or second.name[:-2] != first.name
    assert first.stat().st_mode & 0o777 == 0o600
    copy = sqlite3.connect(second)
    assert copy.execute("SELECT COUNT(*) FROM waves").fetchone()[0] == 2
    copy.close()
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".")) == []


def test_builds_rescore_portfolio_and_history_under_the_builds_rules(db, wave2):
    from reportgen.report.settings import ReportSettings

    assert run("portfolio", "import", "--survey", str(wave2), "--wave", "w2",
               "--definitions", str(TINY), "--db", str(db))[0] == 0
    usual = " ".join(report_html("X", db=db, definitions=TINY).split())
    assert "1 other region that" in usual and "Since wave w1 the composite" in usual
    # With a minimum of 3, no group of Y (2 each) nor of X's first wave enters a value: the
    # stored values, scored at import with the catalogue's minimum of 2, must not be used.
    strict = " ".join(report_html("X", db=db, definitions=TINY,
                                  settings=ReportSettings(min_respondents=3)).split())
    assert "0 other regions" in strict
    assert "Since wave w1 the composite" not in strict


def test_waves_of_another_catalogue_version_are_disclosed(db, tiny_survey, tmp_path):
    import yaml

    doc = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    doc["version"] = "0.2"
    newer = tmp_path / "tiny-0.2.yaml"
    newer.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    again = tmp_path / "again.csv"
    again.write_text(tiny_survey.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run("portfolio", "import", "--survey", str(again), "--wave", "w2",
               "--definitions", str(newer), "--db", str(db))[0] == 0
    said = " ".join(report_html("X", db=db, definitions=newer).split())
    assert "imported with another version of the catalogue" in said
    assert "Xland, w1 (version 0.1)" in said


def test_stored_scores_are_reused_only_under_the_same_rules(db):
    from reportgen.sources import from_store

    conn = sqlite3.connect(db)
    conn.execute("UPDATE scores SET value = 3.99 WHERE key = 'alpha' AND level = 'region' AND "
                 "wave_id = (SELECT id FROM waves WHERE region = 'Y')")
    conn.commit()
    conn.close()
    quiet = lambda *_: None  # noqa: E731
    # Without resampling (a draft), stored values made under the same rules are reused.
    same = from_store(db, "X", quiet, definitions=TINY, resamples=0)
    assert same.values.at["Y", "alpha"] == 3.99  # imported under these rules: stored value
    strict = from_store(db, "X", quiet, definitions=TINY, min_respondents=1, resamples=0)
    assert strict.values.at["Y", "alpha"] == pytest.approx((2 + 8 / 3) / 2)  # rescored
    # Resampling needs every region's answers: each is scored from them.
    resampled = from_store(db, "X", quiet, definitions=TINY)
    assert resampled.values.at["Y", "alpha"] == pytest.approx((2 + 8 / 3) / 2)
    assert resampled.responses is not None
    assert set(resampled.responses.meta["region"]) == {"X", "Y"}
    conn = sqlite3.connect(db)
    conn.execute("UPDATE waves SET rules = NULL")  # imported by an earlier reportgen
    conn.commit()
    conn.close()
    unknown = from_store(db, "X", quiet, definitions=TINY, resamples=0)
    assert unknown.values.at["Y", "alpha"] == pytest.approx((2 + 8 / 3) / 2)


def _open_together(path: str, barrier, errors) -> None:
    """Open the store in a child process once all siblings are ready; queue any error."""
    barrier.wait()
    try:
        connect(path).close()
    except Exception as exc:  # reported to the parent, which asserts on it
        errors.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_creating_one_database_at_once_all_succeed(tmp_path):
    import multiprocessing

    # Each process migrates a new file; before the lock was taken ahead of the version check,
    # a loser re-ran a step the winner had applied ("duplicate column name").
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(2):
        path = str(tmp_path / f"new{attempt}.db")
        barrier, errors = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_open_together, args=(path, barrier, errors))
                 for _ in range(6)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=120)
        assert [proc.exitcode for proc in procs] == [0] * 6
        assert errors.empty(), errors.get()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.close()



@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders unwritable even for root (chattr +i), or skip where we cannot."""
    import os

    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    if done.returncode:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=False)
        pytest.skip("root here, and the file system cannot mark files immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=True)


def test_a_read_only_database_is_read_and_never_changed(db, wave2):
    folder = db.parent / "ro"
    folder.mkdir()
    target = folder / "p.db"
    target.write_bytes(db.read_bytes())
    before = dump(target)
    with read_only(target, folder):
        code, out, _ = run("portfolio", "list", "--db", str(target))
        assert code == 0 and "X" in out
        code, out, err = run("portfolio", "import", "--survey", str(wave2), "--wave", "w2",
                             "--definitions", str(TINY), "--db", str(target))
        assert code == 2, err
        assert "readonly database" in err and "the database was not changed" in err
        assert [p.name for p in folder.iterdir()] == ["p.db"]
    assert dump(target) == before


def test_a_full_disk_during_an_import_leaves_the_database_as_it_was(db, write_survey,
                                                                    tiny_rows, monkeypatch):
    # SQLite's own "disk full" (SQLITE_FULL), reached by capping the file at its current pages:
    # the same error a full disk gives, without filling one.
    many = [dict(row, respondent_id=f"{row['respondent_id']}-{k}") for k in range(300)
            for row in tiny_rows]
    survey = write_survey(many, name="many.csv")
    original = sqlite3.connect

    def capped(*args, **kwargs):
        conn = original(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    before = dump(db)
    monkeypatch.setattr(sqlite3, "connect", capped)
    code, _, err = run("portfolio", "import", "--survey", str(survey), "--wave", "w2",
                       "--definitions", str(TINY), "--db", str(db))
    monkeypatch.undo()
    assert code == 2, err
    assert "database or disk is full" in err and "the database was not changed" in err
    assert "Traceback" not in err
    assert dump(db) == before
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(db.name)] == [db.name]


def test_exporting_under_a_higher_minimum_rescores_so_nothing_follows_by_subtraction(
        tmp_path, write_survey, tiny_rows):
    # X: three policy respondents answer q1/q2 with 5 (4.0), two operational ones lower.
    rows = [dict(tiny_rows[0], respondent_id=f"a{k}", group="pol", q1="5", q2="5")
            for k in range(3)]
    rows += [dict(tiny_rows[0], respondent_id=f"b{k}", group="ops", q1=v, q2=v)
             for k, v in enumerate(("1", "2"))]
    db = tmp_path / "p.db"
    assert run("portfolio", "import", "--survey", str(write_survey(rows)), "--wave", "w1",
               "--definitions", str(TINY), "--db", str(db))[0] == 0
    out = tmp_path / "x.csv"
    code, _, err = run("portfolio", "export", "--db", str(db), "--definitions", str(TINY),
                       "--out", str(out), "--min-respondents", "3")
    assert code == 0, err
    got = {(r["level"], r["id"]): r for r in read_rows(out)}
    # Stored, the region value 2.25 (n 5) held the operational level: with the policy
    # level's 4.0 shown it revealed 0.5. Rescored, it rests on the policy level alone.
    assert (got[("region", "i1")]["value"], got[("region", "i1")]["n"]) == ("4.0", "3")
    assert got[("ops", "i1")]["value"] == "" and got[("pol", "i1")]["value"] == "4.0"


def test_import_and_score_print_what_validation_noted(tmp_path, write_survey, tiny_rows):
    for row in tiny_rows:
        row["region_name"] = row["region_name"].replace("Xland", "Xländ")
    survey = write_survey(tiny_rows, encoding="cp1252")
    code, out, err = run("portfolio", "import", "--survey", str(survey), "--wave", "w1",
                         "--definitions", str(TINY), "--db", str(tmp_path / "n.db"))
    assert code == 0, err
    assert "warning: not UTF-8, read as Windows-1252: check that 'Xländ'" in out
    code, out, err = run("score", "--survey", str(survey), "--definitions", str(TINY),
                         "--out", str(tmp_path / "s.csv"))
    assert code == 0 and "warning: not UTF-8" in out

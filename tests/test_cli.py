"""The command line through main(argv) and, once, through its installed entry point."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.build import report_html
from reportgen.cli import main
from tests.conftest import DATA, REPO, cli, cli_env, read_rows

TINY = ["--definitions", str(DATA / "tiny_catalogue.yaml")]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_validate_ok_prints_respondents_per_region_and_group(tiny_survey):
    code, out, err = run("validate", "--survey", str(tiny_survey), *TINY)
    assert (code, err) == (0, "")
    assert "OK, 12 respondents in 2 regions (catalogue Tiny test catalogue)" in out
    assert out.splitlines()[-2].split() == ["X", "2", "3", "1"]


def test_validate_bad_export_exits_2_with_one_line_per_problem(write_survey, tiny_rows):
    tiny_rows[3]["group"] = "nobody"
    path = write_survey(tiny_rows)
    code, out, err = run("validate", "--survey", str(path), *TINY)
    assert code == 2 and out == ""
    assert err == (f"reportgen: {path}, row 5, column 'group': error: unknown stakeholder group "
                   "'nobody'; expected one of: pol, ops, mid\n")


def test_malformed_catalogue_exits_2(tiny_survey, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    code, _, err = run("validate", "--survey", str(tiny_survey), "--definitions", str(bad))
    assert code == 2 and err.startswith(f"reportgen: {bad}, line 2: error: invalid YAML")
    assert "Traceback" not in err


def test_missing_survey_file_exits_2(tmp_path):
    code, _, err = run("validate", "--survey", str(tmp_path / "nope.csv"), *TINY)
    assert (code, err) == (2, f"reportgen: {tmp_path / 'nope.csv'}: error: file not found\n")


# Hand-computed from tests/data/tiny_survey.csv (see test_scoring.py for the working):
# (region, level, id) -> (value or None when blank, n)
HAND = {
    ("X", "region", "i1"): (1.75, 4), ("X", "region", "i2"): (2.0, 4),
    ("X", "region", "alpha"): ((1.75 + 2.0) / 2, 5), ("X", "region", "i3"): (2.625, 4),
    ("X", "region", "i4"): (3.0, 2), ("X", "region", "beta"): ((2.625 + 3.0) / 2, 4),
    ("X", "region", "i5"): (None, 0), ("X", "region", "gamma"): (None, 0),
    ("Y", "region", "i2"): (8 / 3, 6), ("Y", "region", "alpha"): ((2 + 8 / 3) / 2, 6),
    ("Y", "region", "beta"): ((2.5 + 2 + 2) / 3, 6), ("Y", "region", "gamma"): (2.0, 2),
    ("X", "pol", "i1"): (3.0, 2), ("X", "ops", "i1"): (0.5, 2), ("X", "pol", "i3"): (3.25, 2),
    # One respondent: neither value nor count is published (a count of 0 or 1 would tell
    # whether the one intermediate respondent answered at all).
    ("X", "mid", "i1"): (None, None), ("X", "mid", "i6"): (None, None),
    ("X", "pol", "i5"): (None, None),
    ("X", "pol", "beta"): (None, 2),  # would reveal i5: 2 * 2.125 - 3.25
}


def test_score_writes_the_tidy_table_with_hand_computed_values(tiny_survey, tmp_path):
    target = tmp_path / "scores.csv"
    code, out, _ = run("score", "--survey", str(tiny_survey), *TINY, "--out", str(target))
    assert code == 0 and "scores of 2 regions" in out
    rows = {(r["region"], r["level"], r["id"]): r for r in read_rows(target)}
    assert len(rows) == 2 * 4 * 9  # regions x (region + 3 groups) x (6 indicators + 3 dims)
    for key, (value, n) in HAND.items():
        row = rows[key]
        assert (row["n"] == "") if n is None else (int(row["n"]) == n), key
        if value is None:
            assert row["value"] == "", key
        else:
            assert float(row["value"]) == pytest.approx(value, rel=1e-12), key
    # full precision, rounded only for display (METHOD §3.6)
    assert rows[("Y", "region", "i2")]["value"] == repr(8 / 3)
    assert rows[("X", "mid", "i1")]["note"] == "not shown: rests on fewer than 2 respondents"
    # The intermediate level is never asked about i3, nor the operational level about i5 or
    # i6: their rows say so instead of blaming too few respondents, in every region.
    for region, group, key in [("X", "mid", "i3"), ("Y", "mid", "i3"), ("X", "ops", "i5"),
                               ("Y", "ops", "i6")]:
        row = rows[(region, group, key)]
        assert (row["value"], row["n"]) == ("", "")
        assert row["note"] == "not asked: the group's questionnaire has no question on it"
    assert rows[("X", "ops", "gamma")]["note"].startswith("not asked")
    assert not rows[("X", "mid", "gamma")]["note"].startswith("not asked")


def test_a_large_group_without_a_value_says_so_and_a_small_one_says_nothing(
        tmp_path, write_survey, tiny_rows):
    import tinyhtml5

    # Both operational respondents of X leave q5 (i4) blank: the group (2, the minimum) has
    # no value there, for want of answers, not because a value is hidden.
    rows = [dict(r, q5="") if (r["region"], r["group"]) == ("X", "ops") else r
            for r in tiny_rows]
    survey = write_survey(rows)
    target = tmp_path / "scores.csv"
    assert run("score", "--survey", str(survey), *TINY, "--out", str(target))[0] == 0
    got = {(r["region"], r["level"], r["id"]): r for r in read_rows(target)}
    assert (got[("X", "ops", "i4")]["value"], got[("X", "ops", "i4")]["n"],
            got[("X", "ops", "i4")]["note"]) == ("", "0", "not enough data")
    # The intermediate level of X has one respondent: every blank reads alike.
    assert got[("X", "mid", "i4")]["note"] == got[("X", "mid", "i1")]["note"] == \
        "not shown: rests on fewer than 2 respondents"
    html = report_html("X", survey=survey, definitions=Path(TINY[1]))
    root = tinyhtml5.parse(html)
    ns = "{http://www.w3.org/1999/xhtml}"
    table = [t for t in root.iter(f"{ns}table") if "indicators" in (t.get("class") or "")][1]
    row = next(tr for tr in table.find(f"{ns}tbody")
               if "".join(tr[0].itertext()).strip() == "Indicator four")
    cells = [" ".join("".join(c.itertext()).split()) for c in row]
    assert cells[-4:] == ["not asked", "–", "n < 2", "n < 2"]  # pol, ops, mid, merged


def test_score_never_overwrites_silently(tiny_survey, tmp_path):
    target = tmp_path / "scores.csv"
    target.write_text("keep me", encoding="utf-8")
    code, out, _ = run("score", "--survey", str(tiny_survey), *TINY, "--out", str(target))
    assert code == 0 and target.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "scores-2.csv").exists() and "scores-2.csv" in out


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_score_refuses_to_write_over_its_own_input(tiny_survey, tmp_path, force):
    survey = tmp_path / "answers.csv"
    survey.write_bytes(tiny_survey.read_bytes())
    code, _, err = run("score", "--survey", str(survey), *TINY, "--out",
                       str(tmp_path / "." / "answers.csv"), *force)
    assert code == 2 and "is the --survey input" in err
    assert survey.read_bytes() == tiny_survey.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv"]


def test_score_out_must_name_a_table_file(tiny_survey, tmp_path):
    (tmp_path / "scores.csv").mkdir()
    for out, message in ((tmp_path / "scores.csv", "is a folder"),
                         (tmp_path / "scores.txt", "must end in .csv or .xlsx")):
        code, _, err = run("score", "--survey", str(tiny_survey), *TINY, "--out", str(out))
        assert code == 2 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]


def test_build_refuses_fewer_invited_than_answered(tiny_survey, tmp_path):
    targets = tmp_path / "invited.csv"
    targets.write_text("region,group,invited\nX,pol,9\nX,ops,2\nY,ops,1\n", encoding="utf-8")
    code, _, err = run("build", "--survey", str(tiny_survey), *TINY, "--region", "X",
                       "--targets", str(targets), "--out", str(tmp_path / "out"))
    assert code == 2 and not (tmp_path / "out").exists()
    # Only the report's region is checked: Y's row is not this report's business.
    assert err == (f"reportgen: {targets}, row 3, column 'invited': error: 2 invited in X/ops, "
                   "but the survey holds 3 complete responses there\n")


def test_language_versions_of_one_report_get_their_own_names(tiny_survey, tmp_path):
    out = tmp_path / "out"
    for lang in ([], ["--lang", "de", "--allow-fallback"]):
        code, _, err = run("build", "--survey", str(tiny_survey), *TINY, "--region", "X",
                           "--out", str(out), *lang)
        assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "X-de-scores.csv", "X-de-stresstest-report.pdf", "X-scores.csv",
        "X-stresstest-report.pdf"]


def test_unknown_region_exits_2(tiny_survey, tmp_path):
    code, _, err = run("build", "--survey", str(tiny_survey), *TINY, "--region", "Q",
                       "--out", str(tmp_path / "out"))
    assert code == 2
    assert err == f"reportgen: region 'Q' is not in {tiny_survey}; regions there: X, Y\n"


def test_failed_build_leaves_no_partial_output(tiny_survey, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases: [{id: c, region: Y}]\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run("build", "--survey", str(tiny_survey), *TINY, "--region", "X",
                       "--cases", str(cases), "--out", str(out_dir))
    assert code == 2 and "cases[0].dimension: required key is missing" in err
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_benchmark_tables_join_the_portfolio(tiny_survey, tmp_path, write_survey, tiny_rows):
    table = tmp_path / "more.csv"
    assert run("score", "--survey", str(tiny_survey), *TINY, "--out", str(table))[0] == 0
    x_only = write_survey([r for r in tiny_rows if r["region"] == "X"], name="x.csv")
    code, _, err = run("build", "--survey", str(x_only), *TINY, "--region", "X",
                       "--benchmark", str(table), "--out", str(tmp_path / "o"))
    assert code == 2 and "regions ['X'] are already in the survey export" in err


def test_a_benchmark_table_scored_under_a_looser_minimum_is_refused(tmp_path, write_survey,
                                                                   tiny_rows):
    # X's intermediate level has one respondent: under a minimum of 1 it enters X's values.
    x_only = write_survey([r for r in tiny_rows if r["region"] == "X"], name="x.csv")
    y_only = write_survey([r for r in tiny_rows if r["region"] == "Y"], name="y.csv")
    loose, strict = tmp_path / "loose.csv", tmp_path / "strict.csv"
    assert run("score", "--survey", str(x_only), *TINY, "--min-respondents", "1",
               "--out", str(loose))[0] == 0
    assert run("score", "--survey", str(x_only), *TINY, "--out", str(strict))[0] == 0
    rows = list(csv.DictReader(loose.read_text(encoding="utf-8").splitlines()))
    mid = next(k for k, r in enumerate(rows, start=2) if r["level"] == "mid" and r["value"])
    code, _, err = run("build", "--survey", str(y_only), *TINY, "--region", "Y",
                       "--benchmark", str(loose), "--out", str(tmp_path / "o"))
    assert code == 2 and f"{loose}, row {mid}, column 'n': error: group 'mid'" in err
    assert "scored under a minimum below 2" in err and not (tmp_path / "o").exists()
    # Under the build's own minimum the same survey joins the portfolio.
    html = report_html("Y", survey=y_only, definitions=Path(TINY[1]), benchmark_tables=[strict])
    assert "Xland" in html


@pytest.mark.parametrize("command", ["demo", "build", "score", "validate"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "usage: reportgen " + command in capsys.readouterr().out


def test_installed_entry_point_answers():
    done = cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("reportgen ")
    done = subprocess.run([sys.executable, "-m", "reportgen", "validate", "--survey",
                           "missing.csv"], capture_output=True, text=True, check=False,
                          env=cli_env())
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_cli_subprocesses_run_the_working_tree_with_warnings_as_errors():
    done = subprocess.run([sys.executable, "-c", "import reportgen, sys; "
                           "print(reportgen.__file__); print(sys.warnoptions)"],
                          capture_output=True, text=True, check=True, env=cli_env())
    where, options = done.stdout.splitlines()
    assert Path(where).resolve() == (REPO / "reportgen" / "__init__.py").resolve()
    assert options == "['error']"


def _unknown_column(rows):
    for row in rows:
        row["Q99"] = ""


def _outside_scale(rows):
    rows[0]["q2"] = "6"


def _unknown_group(rows):
    rows[0]["group"] = "press"


def _duplicate_id(rows):
    rows[1]["respondent_id"] = rows[0]["respondent_id"]


@pytest.mark.parametrize("command", ["build", "score"])
@pytest.mark.parametrize("breakage,message", [
    (_unknown_column, "column 'Q99': error: unknown question column"),
    (_outside_scale, "row 2, column 'q2': error: answer '6' is not on scale 'agree'"),
    (_unknown_group, "row 2, column 'group': error: unknown stakeholder group 'press'"),
    (_duplicate_id, "row 3, column 'respondent_id': error: duplicate respondent id 'p1'"),
])
def test_each_bad_input_gives_one_message_exit_2_and_no_output(
        command, breakage, message, write_survey, tiny_rows, tmp_path):
    breakage(tiny_rows)
    survey = write_survey(tiny_rows)
    out = tmp_path / "out"
    target = ["--out", str(out)] if command == "build" else ["--out", str(out / "s.csv")]
    region = ["--region", "X"] if command == "build" else []
    code, stdout, err = run(command, "--survey", str(survey), *TINY, *region, *target)
    assert code == 2
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_a_name_taken_while_building_is_not_overwritten(tmp_path):
    from reportgen.output import staged

    out = tmp_path / "out"
    with staged(out) as stage:
        stage("report.pdf").write_text("mine", encoding="utf-8")
        (out / "report.pdf").write_text("a racing build's", encoding="utf-8")
    assert (out / "report.pdf").read_text(encoding="utf-8") == "a racing build's"
    assert stage.final["report.pdf"] == out / "report-2.pdf"
    assert (out / "report-2.pdf").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["report-2.pdf", "report.pdf"]


def test_racing_builds_keep_both_files(tmp_path):
    import threading

    from reportgen.output import staged

    out, barrier = tmp_path / "out", threading.Barrier(8)

    def build(k: int) -> None:
        with staged(out) as stage:
            stage("same.csv").write_text(str(k), encoding="utf-8")
            barrier.wait()

    threads = [threading.Thread(target=build, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    contents = sorted(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert contents == [str(k) for k in range(8)]


def test_the_library_never_freezes_the_callers_garbage(tmp_path, monkeypatch):
    import gc

    from reportgen.build import build_report

    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    build_report("X", tmp_path, survey=DATA / "tiny_survey.csv",
                 definitions=DATA / "tiny_catalogue.yaml", parallel=False)
    assert calls == []


def test_an_unexpected_batch_error_keeps_its_traceback(tmp_path, monkeypatch):
    from reportgen import batch, build

    def broken(*args, **kwargs):
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(build, "build_report", broken)
    outcomes = batch.run_batch(["X", "X"], tmp_path, 1, {}, out=io.StringIO())
    assert len(outcomes) == 1 and not outcomes[0].ok
    log = tmp_path / "X-error.log"
    assert f"traceback in {log}" in outcomes[0].detail
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "a bug deep inside" in text and "broken" in text


def test_a_damaged_database_fails_a_batch_region_without_a_traceback_log(tmp_path,
                                                                        monkeypatch):
    import sqlite3

    from reportgen import batch, build

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(build, "build_report", damaged)
    [outcome] = batch.run_batch(["X"], tmp_path, 1, {}, out=io.StringIO())
    assert not outcome.ok and outcome.detail == "database error: database disk image is malformed"
    assert not list(tmp_path.iterdir())


def test_a_batch_worker_freezes_its_inherited_objects_once_not_per_report(tmp_path,
                                                                         monkeypatch):
    import gc
    import multiprocessing
    from types import SimpleNamespace

    from reportgen import batch, build

    # Freezing before every report made each report's uncollected garbage immortal: a
    # worker's memory grew by about 45 MB per report over a long batch.
    made = SimpleNamespace(pdf=tmp_path / "r.pdf")
    monkeypatch.setattr(build, "build_report", lambda *a, **k: made)
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    frozen = gc.get_freeze_count()
    try:
        batch._start_worker()
        once = gc.get_freeze_count()
        for region in ("A", "B", "C"):
            garbage: list[object] = []
            garbage.append(garbage)  # a cycle only the collector frees
            del garbage
            assert batch._build_one(region, tmp_path, {}).ok
        assert gc.get_freeze_count() == once >= frozen
    finally:
        gc.unfreeze()


def test_one_builds_files_share_one_number(tmp_path):
    from reportgen.output import staged

    out = tmp_path / "out"
    out.mkdir()
    # An earlier report whose scores file was deleted, and a stray report-3.pdf: the new
    # set becomes report-2/scores-2, never report-2.pdf beside a plain scores.csv.
    for name in ("report.pdf", "scores-3.csv"):
        (out / name).write_text("old", encoding="utf-8")
    with staged(out) as stage:
        for name in ("report.pdf", "scores.csv"):
            stage(name).write_text("new", encoding="utf-8")
    assert stage.final == {"report.pdf": out / "report-2.pdf", "scores.csv": out / "scores-2.csv"}
    (out / "report-2.pdf").unlink()
    with staged(out) as stage:
        for name in ("report.pdf", "scores.csv"):
            stage(name).write_text("newer", encoding="utf-8")
    assert stage.final == {"report.pdf": out / "report-4.pdf", "scores.csv": out / "scores-4.csv"}


def test_a_line_break_in_an_output_path_keeps_the_printed_path_on_one_line(tiny_survey,
                                                                           tmp_path):
    folder = tmp_path / "a\nb"
    folder.mkdir()
    code, out, _ = run("score", "--survey", str(tiny_survey), *TINY, "--out",
                       str(folder / "scores.csv"))
    assert code == 0 and (folder / "scores.csv").exists()
    assert out.splitlines() == [f"scores of 2 regions: {tmp_path}/a\\nb/scores.csv"]


@pytest.mark.parametrize("regions, cores, workers", [(["A", "B"], 8, 2), (list("ABCDEF"), 2, 2)])
def test_a_batch_starts_no_more_workers_than_cores_and_regions(tmp_path, monkeypatch, regions,
                                                               cores, workers):
    from concurrent.futures import Future

    from reportgen import batch

    started: list[int] = []

    class CountingPool:
        """Stand in for the process pool: record its size, run nothing in other processes."""

        def __init__(self, max_workers, **kwargs):
            started.append(max_workers)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, *args):
            future: Future = Future()
            future.set_result(batch.Outcome(args[0], True, "built", 0.0))
            return future

    # --jobs 100000 forked that many whole builds and took the machine's memory.
    monkeypatch.setattr(batch, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(batch, "_preload", lambda: None)
    monkeypatch.setattr(batch.os, "cpu_count", lambda: cores)
    outcomes = batch.run_batch(regions, tmp_path, 100_000, {}, out=io.StringIO())
    assert started == [workers] and len(outcomes) == len(regions)


def test_another_questionnaires_export_is_named_as_such_in_one_line():
    code, _, err = run("validate", "--survey", str(DATA / "alt_survey.csv"))
    assert code == 2 and err.count("\n") == 1
    assert ("alt_survey.csv, row 1: error: 8 of 8 question columns are not questions of "
            "catalogue 'reportgen-stresstest' ('A1', 'A2', 'A3', 'A4', 'A5', …): is this the "
            "export of another questionnaire?") in err


def test_an_export_whose_groups_are_all_unknown_is_named_as_such_in_one_line(tmp_path):
    # Question columns that happen to share the catalogue's ids, but none of its groups: a
    # forgotten --definitions printed one error per row and answer.
    rows = ["respondent_id,region,group,Q01,Q02"] + [
        f"r{k},R1,{'hub' if k % 2 else 'sme'},5,4" for k in range(12)]
    survey = tmp_path / "dih.csv"
    survey.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run("validate", "--survey", str(survey))
    assert code == 2 and err.count("\n") == 1
    assert ("column 'group': error: none of the stakeholder groups in the export ('sme', "
            "'hub') is a group of catalogue 'reportgen-stresstest' (policy, operational, "
            "intermediate): is this the export of another questionnaire? Name its catalogue "
            "with --definitions") in err


@pytest.mark.parametrize(("argv", "said"), [
    (["validate", "--max-input-mb", "0"], "--max-input-mb / max_input_mb: expected a number "
     "from 1 to 1,000,000, got 0"),
    (["validate", "--max-input-mb", "-5"], "got -5"),
    (["batch", "--jobs", "0"], "--jobs / jobs: expected a number from 1 to 1,024, got 0"),
])
def test_limits_out_of_bounds_are_refused_before_any_work(argv, said, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--survey" if argv[0] == "validate" else "--db",
                 str(DATA / "tiny_survey.csv" if argv[0] == "validate" else tmp_path / "x.db"),
                 *(["--out", str(tmp_path / "out")] if argv[0] == "batch" else [])],
                stdout=out, stderr=err)
    assert code == 2 and said in err.getvalue() and "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.db").exists()

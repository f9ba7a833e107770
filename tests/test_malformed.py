"""Every malformed input of tests/data/malformed/ through the real CLI: exit 2, one clear message.

Each case of `cases.yaml` runs in-process through `reportgen.cli.main`. The message must name
the offending file (and the row/line and column/key where the problem has them), carry no
traceback, and no output file may be left behind. Cases marked `xfail` in the manifest are
known bugs, kept so that a fix turns them into passes (strict xfail).
"""

from __future__ import annotations

import io
import traceback
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.cli import main
from reportgen.inputs.raw import MAX_SURVEY_BYTES
from reportgen.yamlio import MAX_YAML_BYTES
from tests.conftest import DATA, REPO

MANIFEST = DATA / "malformed" / "cases.yaml"
TINY_SURVEY = DATA / "tiny_survey.csv"
TINY_CATALOGUE = DATA / "tiny_catalogue.yaml"
KINDS = {"survey", "catalogue", "cases", "config", "benchmark"}
SURVEY_COMMANDS = ("validate", "score", "build")


def _oversize_survey(path: Path) -> None:
    """A valid header and row, then padded (sparse) to one byte over the survey limit."""
    with path.open("wb") as f:
        f.write(TINY_SURVEY.read_bytes())
        f.truncate(MAX_SURVEY_BYTES + 1)


def _oversize_catalogue(path: Path) -> None:
    """The tiny catalogue followed by comment lines, one byte over the YAML limit."""
    text = TINY_CATALOGUE.read_bytes()
    filler = b"# padding\n" * ((MAX_YAML_BYTES - len(text)) // 10 + 1)
    path.write_bytes(text + filler)
    assert path.stat().st_size > MAX_YAML_BYTES


GENERATORS = {"oversize_survey": _oversize_survey, "oversize_catalogue": _oversize_catalogue}


def load_manifest() -> list[dict[str, Any]]:
    entries = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries
    for entry in entries:
        assert entry["kind"] in KINDS, entry
        assert entry["expect"] and all(isinstance(x, str) for x in entry["expect"]), entry
        assert set(entry.get("commands", SURVEY_COMMANDS)) <= set(SURVEY_COMMANDS), entry
        assert entry.get("generate") in (None, *GENERATORS), entry
        if "generate" not in entry:
            assert (REPO / entry["file"]).is_file(), entry["file"]
    return entries


def params() -> list[Any]:
    out = []
    for entry in load_manifest():
        marks = ([pytest.mark.xfail(strict=True, reason=entry["xfail"])]
                 if entry.get("xfail") else [])
        out.append(pytest.param(entry, id=Path(entry["file"]).name, marks=marks))
    return out


def run(argv: list[str]) -> tuple[object, str, str]:
    """Run the CLI in-process; an escaping exception is returned as its traceback text."""
    out, err = io.StringIO(), io.StringIO()
    try:
        code: object = main(argv, stdout=out, stderr=err)
    except BaseException as exc:  # report whatever escapes, SystemExit included
        code = f"raised {type(exc).__name__}"
        err.write("".join(traceback.format_exception(exc)))
    return code, out.getvalue(), err.getvalue()


def commands(entry: dict[str, Any], file: Path, tmp: Path) -> list[tuple[list[str], Path]]:
    """Return (argv, folder that must stay empty) for every command the case runs."""
    tiny = ["--definitions", str(TINY_CATALOGUE), *entry.get("args", [])]
    kind = entry["kind"]
    if kind == "catalogue":
        return [(["validate", "--survey", str(TINY_SURVEY), "--definitions", str(file)],
                 tmp / "unused")]
    if kind == "survey":
        runs = {
            "validate": (["validate", "--survey", str(file), *tiny], tmp / "unused"),
            "score": (["score", "--survey", str(file), *tiny, "--out",
                       str(tmp / "score" / "s.csv")], tmp / "score"),
            "build": (["build", "--survey", str(file), *tiny, "--region", "X", "--out",
                       str(tmp / "out")], tmp / "out"),
        }
        return [runs[name] for name in entry.get("commands", SURVEY_COMMANDS)]
    flag = {"cases": "--cases", "config": "--config", "benchmark": "--benchmark"}[kind]
    return [(["build", "--survey", str(TINY_SURVEY), *tiny, "--region", "X", flag, str(file),
              "--out", str(tmp / "out")], tmp / "out")]


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("entry", params())
def test_malformed_input_exits_2_with_a_located_message(entry, tmp_path, monkeypatch):
    # Work in an empty folder: no reportgen.yaml or reportgen.db of the caller is picked up.
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    if "generate" in entry:
        file = tmp_path / "input" / entry["file"]
        file.parent.mkdir()
        GENERATORS[entry["generate"]](file)
    else:
        file = REPO / entry["file"]
    for argv, out_dir in commands(entry, file, tmp_path / "run"):
        code, _, err = run(argv)
        shown = f"reportgen {' '.join(argv)}\n--- stderr ---\n{err[:3000]}"
        assert code == 2, shown
        assert err.strip(), shown
        assert "Traceback" not in err, shown
        assert str(file) in err, f"message does not name {file}\n{shown}"
        for fragment in entry["expect"]:
            assert fragment in err, f"missing {fragment!r}\n{shown}"
        assert leftovers(out_dir) == [], f"output left behind in {out_dir}\n{shown}"
        if argv[0] == "score":
            assert not (out_dir / "s.csv").exists()

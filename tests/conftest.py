"""Shared fixtures: test data files and small builders named after what they vary."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def entry_point() -> str:
    """Find the installed `reportgen` script, beside this interpreter or on PATH."""
    beside = Path(sys.executable).parent / "reportgen"
    return str(beside) if beside.exists() else shutil.which("reportgen") or "reportgen"


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a CLI subprocess: the working tree's code, warnings as errors.

    PYTHONPATH puts this checkout before site-packages, so the installed entry point runs
    the code under review rather than whatever was last pip-installed.
    """
    env = dict(os.environ, PYTHONWARNINGS="error", **extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def cli(*args: str, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess:
    """Run the real `reportgen` entry point on the working tree's code."""
    return subprocess.run([entry_point(), *args], capture_output=True, text=True, check=False,
                          cwd=cwd, env=cli_env(**extra))


@pytest.fixture(autouse=True, scope="session")
def private_template_cache(tmp_path_factory) -> Path:
    """Keep the compiled-template cache out of the user's home, here and in subprocesses."""
    folder = tmp_path_factory.mktemp("template-cache")
    os.environ["REPORTGEN_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def tiny_catalogue() -> Path:
    return DATA / "tiny_catalogue.yaml"


@pytest.fixture
def tiny_survey() -> Path:
    return DATA / "tiny_survey.csv"


@pytest.fixture
def alt_catalogue() -> Path:
    return DATA / "alt_catalogue.yaml"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def write_survey(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (dicts) as an export; vary delimiter, encoding and BOM."""

    def write(rows: list[dict[str, str]], name: str = "survey.csv", delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding=encoding) as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=delimiter)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def tiny_rows(tiny_survey: Path) -> list[dict[str, str]]:
    return read_rows(tiny_survey)


@pytest.fixture
def catalogue_variant(tmp_path: Path, tiny_catalogue: Path) -> Callable[..., Path]:
    """Write a copy of the tiny catalogue changed by `edit(doc)`."""

    def variant(edit: Callable[[dict], None], name: str = "variant.yaml") -> Path:
        doc = yaml.safe_load(tiny_catalogue.read_text(encoding="utf-8"))
        edit(doc)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        return path

    return variant

"""Shared fixtures: test data files and small builders named after what they vary."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


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

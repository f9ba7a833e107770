"""Locate the folders that ship with reportgen: templates, catalogues, example inputs."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the packaged folder `name`, in an installed wheel or a source checkout."""
    # A wheel maps the top-level folders into the package; a checkout keeps them beside it.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"reportgen is installed without its {name!r} folder")


def templates_dir() -> Path:
    """Return the packaged templates folder."""
    return data_dir("templates")


def default_catalogue() -> Path:
    """Return the path of the shipped StressTest catalogue."""
    return data_dir("indicator_definitions") / "stresstest_v1.yaml"


def example_inputs() -> Path:
    """Return the folder of the synthetic example inputs."""
    return data_dir("example_inputs")

"""The README stays true: its option table and its two set-up commands."""

from __future__ import annotations

import re

from reportgen.options import options_markdown
from tests.conftest import REPO


def test_readme_option_table_matches_the_cli():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- options:start.*?-->\n(.*?)<!-- options:end -->", readme, re.S)
    assert table and table.group(1).strip() == options_markdown()


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Everyday use")[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2
    assert commands[0].endswith("reportgen demo")
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_subpackage_ships_in_the_wheel():
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts)
             for p in (REPO / "reportgen").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"


def test_docs_list_every_block_of_every_template():
    docs = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    for template in sorted((REPO / "templates").glob("*.html")):
        blocks = re.findall(r"{% block (\w+) %}", template.read_text(encoding="utf-8"))
        for block in blocks:
            assert f"`{block}`" in docs, f"{template.name}: block {block} is not documented"
        if not template.name.startswith("_"):
            assert f"`{template.name}`" in docs, f"{template.name} is not documented"


def test_docs_name_every_attribute_templates_get_from_the_report():
    import dataclasses

    from reportgen.report.views import Report

    docs = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    listed = docs.split("## What templates can use")[1].split("- each `dim`")[0]
    missing = [f.name for f in dataclasses.fields(Report) if f"`{f.name}`" not in listed]
    assert not missing, f"docs/templates.md does not list report.{missing}"

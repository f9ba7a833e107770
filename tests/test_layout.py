"""The package keeps the shape of its pipeline: small modules, no cycles, views for templates."""

from __future__ import annotations

import statistics
from pathlib import Path

import grimp
from jinja2 import meta

from reportgen.report.html import environment
from reportgen.report.i18n import Lang
from reportgen.resources import templates_dir

PACKAGE = Path(__file__).resolve().parent.parent / "reportgen"


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("reportgen")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(imported=module, importer=imported):
                cycles.append((module, imported))
    # A package's __init__ importing its own modules is the one loop allowed.
    cycles = [(a, b) for a, b in cycles if not (b.startswith(a + ".") or a.startswith(b + "."))]
    assert cycles == []


def test_modules_stay_small():
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert statistics.median(sizes.values()) <= 150
    assert max(sizes.values()) <= 400, max(sizes, key=sizes.__getitem__)


def test_templates_see_the_report_views_only():
    env = environment(Lang())
    used: dict[str, set[str]] = {}
    for path in sorted(templates_dir().glob("*.html")):
        ast = env.parse(path.read_text(encoding="utf-8"))
        used[path.name] = meta.find_undeclared_variables(ast)
    assert not {name for name, names in used.items() if "cat" in names}
    assert "report" in used["report.html"]
    # Partials get their other names from the including template's loop variables.
    assert used["report.html"] <= {"report", "gettext", "ngettext", "_"}

"""Find the overrides in a user's template folder that Jinja would silently do nothing with."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import jinja2
from jinja2 import nodes

from reportgen.errors import Problem
from reportgen.resources import templates_dir

SUFFIXES = (".html", ".css")


def _blocks(env: jinja2.Environment, name: str, depth: int = 0) -> set[str] | None:
    """Return the blocks a template and the templates it extends define (None: unknown)."""
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        tree = env.parse(source, name, filename)
    except (jinja2.TemplateError, UnicodeDecodeError, OSError):
        return None  # the render names what is wrong with it
    found = {b.name for b in tree.find_all(nodes.Block)}
    parent = tree.find(nodes.Extends)
    if parent is not None and depth < 10:
        if not isinstance(parent.template, nodes.Const):
            return None
        more = _blocks(env, str(parent.template.value), depth + 1)
        if more is None:
            return None
        found |= more
    return found


def _shown_outside_blocks(tree: nodes.Template) -> int | None:
    """Return the line of the first text outside any block, which an extending template drops."""
    for node in tree.body:
        if isinstance(node, nodes.Output):
            for part in node.nodes:
                if not isinstance(part, nodes.TemplateData) or part.data.strip():
                    return node.lineno
    return None


def _extends(env: jinja2.Environment, path: Path, source: str) -> list[Problem]:
    """Check an extending template: each block must exist above it, no text outside blocks."""
    try:
        tree = env.parse(source, path.name, str(path))
    except jinja2.TemplateSyntaxError:
        return []  # the render reports it with its line
    parent = tree.find(nodes.Extends)
    if parent is None or not isinstance(parent.template, nodes.Const):
        return []
    above = str(parent.template.value)
    known = _blocks(env, above)
    if known is None:
        return []
    problems = []
    for block in (n for n in tree.body if isinstance(n, nodes.Block)):
        if block.name not in known:
            close = difflib.get_close_matches(block.name, sorted(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(str(path), f"block {block.name!r} is not in {above}, so "
                                    f"its content is never shown; {hint}its blocks are "
                                    f"{', '.join(sorted(known))}", row=block.lineno,
                                    unit="line"))
    if (line := _shown_outside_blocks(tree)) is not None:
        problems.append(Problem(str(path), f"text outside a block is never shown in a "
                                f"template that extends {above}; put it inside a block",
                                row=line, unit="line"))
    return problems


def template_problems(env: jinja2.Environment, user_dirs: list[Path]) -> list[Problem]:
    """List user template files that would be ignored, in whole or in part."""
    packaged = sorted(p.name for p in templates_dir().iterdir() if p.suffix in SUFFIXES)
    sources: dict[Path, str] = {}
    for folder in user_dirs:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix in SUFFIXES and path.is_file():
                try:
                    sources[path] = path.read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    continue  # the render reports a template that is no UTF-8 text
    mentioned = "\n".join(sources.values())
    problems = []
    for path, source in sources.items():
        if path.name not in packaged and not re.search(rf"[\"']{re.escape(path.name)}[\"']",
                                                       mentioned):
            close = difflib.get_close_matches(path.name, packaged, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(Problem(str(path), f"no packaged template is called {path.name} "
                                    f"and no template includes it, so it is never used{hint}"))
        if path.suffix == ".html":
            problems += _extends(env, path, source)
    return problems

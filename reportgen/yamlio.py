"""Read YAML safely, keeping the node tree so problems can name their line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from reportgen.errors import InputError, Problem, regular_file

MAX_YAML_BYTES = 5_000_000
MAX_ALIASES = 200
# Composing and constructing recurse per level (the C composer overflows the stack near
# 50,000 levels) and cost memory per node: both are bounded before any node is built.
MAX_DEPTH = 64
MAX_NODES = 250_000


class _NoDuplicates:
    """Mixin for safe loaders: refuse duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        # PyYAML keeps the last of two equal keys silently; a catalogue must not.
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if not isinstance(key, str | int | float | bool | None):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping",
                    key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _PyLoader(_NoDuplicates, yaml.SafeLoader):
    """The pure-Python parser: slower, with the more precise error messages."""


# The C parser when PyYAML has it: catalogues are parsed on every build, ten times faster.
_FastLoader: Any = type("_FastLoader", (_NoDuplicates, getattr(yaml, "CSafeLoader",
                                                               yaml.SafeLoader)), {})


@dataclass
class Located:
    """A parsed YAML document with its node tree, for locating problems."""

    file: str
    data: Any
    root: yaml.Node | None

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        """Build a problem for the YAML path `loc`, with the line it starts on."""
        return Problem(self.file, f"{format_path(loc)}: {message}", row=self.line_of(loc),
                       unit="line")

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """Return the 1-based line of the deepest node on `loc` that exists."""
        node, line = self.root, None
        for part in loc:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, part)
        if node is not None:
            line = node.start_mark.line + 1
        return line


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def format_path(loc: tuple[Any, ...]) -> str:
    """Write a location tuple as a YAML path: ('dims', 2, 'id') -> dims[2].id."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _check_shape(text: str, loader_class: Any, name: str) -> None:
    """Walk the parser's events (no recursion, no nodes) to bound nesting and node count."""
    loader = loader_class(text)
    depth = nodes = 0

    def line(event: Any) -> int | None:
        return event.start_mark.line + 1 if event.start_mark else None

    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError([Problem(name, f"nested deeper than {MAX_DEPTH} levels",
                                              line(event), unit="line")])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            elif not isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
                continue
            nodes += 1
            if nodes > MAX_NODES:
                raise InputError([Problem(name, f"more than {MAX_NODES:,} values; refusing "
                                          "a document this large", line(event),
                                          unit="line")])
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    """Return the keys and values of a mapping node, the items of a sequence node."""
    if isinstance(node, yaml.MappingNode):
        return [v for pair in node.value for v in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _refuse_bombs(root: yaml.Node, name: str) -> None:
    """Refuse a document with too many aliases, a loop, or an expansion beyond MAX_NODES.

    Measured on the node graph, each node once, so that neither a loop (an alias inside the
    value it names) nor a bomb (aliases of aliases, 10 x 10 x ...) is ever expanded.
    """
    def refused(message: str, line: int) -> InputError:
        return InputError([Problem(name, message, line, unit="line")])

    size: dict[int, int] = {}
    path: set[int] = set()  # the nodes being measured: an alias to one of them is a loop
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, measured = stack.pop()
        if measured:
            path.discard(id(node))
            # Capped: a bomb's true size has hundreds of digits, and any size over is refused.
            size[id(node)] = min(1 + sum(size[id(k)] for k in _children(node)), MAX_NODES + 1)
            continue
        if id(node) in size:  # met again: an alias
            aliases += 1
            if aliases > MAX_ALIASES:
                raise refused(f"more than {MAX_ALIASES} aliases; refusing a document that "
                              "could expand without limit", node.start_mark.line + 1)
            continue
        path.add(id(node))
        stack.append((node, True))
        for kid in _children(node):
            if id(kid) in path:
                raise refused("an alias refers to the value that contains it (a loop that "
                              "never ends)", kid.start_mark.line + 1)
            stack.append((kid, False))
    if size[id(root)] > MAX_NODES:
        raise refused(f"its aliases expand to more than {MAX_NODES:,} values; refusing a "
                      "document that could expand without limit", 1)


def _parse(text: str, loader_class: Any, name: str) -> tuple[yaml.Node | None, Any]:
    """Bound the document's shape, compose the node tree, refuse alias bombs, build data."""
    _check_shape(text, loader_class, name)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _refuse_bombs(root, name)
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, name: str) -> InputError:
    """Turn a YAML error into an InputError with its line and character."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark
        row = mark.line + 1 if mark else None
        where = f" at character {mark.column + 1}" if mark else ""
        return InputError([Problem(name, f"invalid YAML{where}: {exc.problem}", row,
                                   unit="line")])
    return InputError.single(name, f"invalid YAML: {exc}")


def read_yaml(path: str | Path, max_bytes: int = MAX_YAML_BYTES, *,
              empty_ok: bool = False) -> Located:
    """Parse the YAML file at `path` or raise an InputError naming file and line."""
    name = str(path)
    regular_file(path)
    try:
        # Read at most one byte over the limit: /dev/zero or a pipe never ends.
        with Path(path).open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError.single(name, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise InputError.single(name, f"file is larger than the limit of {max_bytes:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"not UTF-8 text (byte {exc.start})") from None
    try:
        root, data = _parse(text, _FastLoader, name)
    except yaml.YAMLError as fast_error:
        try:  # the Python parser explains syntax errors better; errors are rare, so reparse
            root, data = _parse(text, _PyLoader, name)
        except yaml.YAMLError as exc:
            raise _yaml_problem(exc, name) from None
        raise _yaml_problem(fast_error, name) from None
    if root is None and empty_ok:
        data = {}  # only comments: a config that sets nothing yet
    if not isinstance(data, dict):
        raise InputError.single(name, "expected a YAML mapping at the top level")
    doc = Located(name, data, root)
    if problems := _unwritable(doc):
        raise InputError(problems)
    return doc


# Control characters (bar tab and line breaks), surrogates and non-characters: escapes such as
# "\x1b" or "\ud800" in YAML produce them, and they break XML (.lss), PDFs and terminals.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _unwritable(doc: Located) -> list[Problem]:
    """List every key or text of `doc` holding a character no output can carry."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), doc.data)]
    while stack:
        loc, value = stack.pop()
        items = (value.items() if isinstance(value, dict)
                 else enumerate(value) if isinstance(value, list) else ())
        for key, child in items:
            stack.append(((*loc, key), child))
            for text in (key, child):
                if isinstance(text, str) and (bad := _UNWRITABLE.search(text)):
                    problems.append(doc.problem((*loc, key), f"character U+{ord(bad.group()):04X} "
                                                "is not allowed in text (only tab and line "
                                                "breaks)"))
    return sorted(problems, key=lambda p: (p.row or 0))


def _keys_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """Return the keys the schema allows beside the last part of `loc` (for suggestions)."""
    for part in loc[:-1]:
        field = model.model_fields.get(str(part)) if model else None
        kind = field.annotation if field else None
        model = kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None
    return sorted(model.model_fields) if model else []


def pydantic_problem(doc: Located, err: Any, model: type[BaseModel] | None = None) -> Problem:
    """Turn one pydantic error into a located 'expected X, got Y' problem."""
    loc = tuple(part for part in err["loc"] if not str(part).startswith("function-"))
    kind, msg, ctx = err["type"], err["msg"], err.get("ctx") or {}
    got = err.get("input")
    if kind == "missing":
        text = "required key is missing"
    elif kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), _keys_at(model, loc), n=1) if loc \
            else []
        text = "unknown key" + (f"; did you mean {close[0]!r}?" if close else "")
    elif kind == "too_short":
        text = f"expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}"
    elif kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        sign = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
                "less_than_equal": "<="}[kind]
        limit = next(iter(ctx.values()), "?")
        text = f"expected a number {sign} {limit}, got {got!r}"
    else:
        text = msg.removeprefix("Value error, ")
        # "input is not a valid path for <class 'pathlib.Path'>": the class means nothing here.
        text = re.sub(r" for <class '[\w.]+'>", "", text)
        text = text[0].lower() + text[1:] if text else "invalid value"
        text = text.replace("input should be", "expected")
        if not isinstance(got, dict | list):
            text += f", got {got!r}"
    return doc.problem(loc, text)


Model = TypeVar("Model", bound=BaseModel)


def read_model(path: str | Path, model: type[Model], *, empty_ok: bool = False
               ) -> tuple[Located, Model]:
    """Read YAML at `path` into `model`, or raise every problem with its YAML path and line."""
    doc = read_yaml(path, empty_ok=empty_ok)
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [pydantic_problem(doc, err, model) for err in exc.errors()]
        raise InputError(sorted(problems, key=lambda p: p.row or 0)) from None

"""The project config file: a schema made from the option table, validated like a catalogue."""

from __future__ import annotations

import argparse
import typing
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from reportgen.errors import InputError
from reportgen.options import OPTIONS
from reportgen.report.settings import check_values, refuse_bad_values
from reportgen.yamlio import read_model

DEFAULT_CONFIG = "reportgen.yaml"


@cache
def config_model() -> type[BaseModel]:
    """Build the config schema: one optional, documented key per configurable option."""
    fields: dict[str, Any] = {
        opt.dest: (_one_or_many(opt.config) | None, Field(None, description=opt.help))
        for opt in OPTIONS if opt.config is not None}
    return create_model("ProjectConfig", __config__=ConfigDict(extra="forbid"), **fields)


def _one_or_many(kind: Any) -> Any:
    """Let a list key take a single value too: `templates: my-templates` means one folder."""
    if typing.get_origin(kind) is not list:
        return kind
    return Annotated[kind, BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


def _resolve(value: Any, kind: Any, base: Path) -> Any:
    """Make paths in the file relative to the file's folder, not the working directory."""
    if kind is Path:
        return base / value
    if kind == list[Path]:
        return [base / v for v in value]
    return value


def load_config(path: Path) -> dict[str, Any]:
    """Read and validate a config file; return the values it sets, by option dest."""
    doc, parsed = read_model(path, config_model(), empty_ok=True)
    kinds = {opt.dest: opt.config for opt in OPTIONS if opt.config is not None}
    base = Path(path).resolve().parent
    values = {key: _resolve(value, kinds[key], base)
              for key, value in parsed.model_dump(exclude_none=True).items()}
    problems = [doc.problem(loc, message) for loc, message in check_values(values)]
    if problems:
        raise InputError(problems)
    return values


def apply(args: argparse.Namespace, command: str) -> argparse.Namespace:
    """Fill options the command line left unset: from the config file, else the defaults."""
    path = getattr(args, "config", None)
    if path is None and Path(DEFAULT_CONFIG).is_file() and hasattr(args, "config"):
        path = DEFAULT_CONFIG
    values = load_config(Path(path)) if path else {}
    # A key the command has no use for ("definitions" for demo) was ignored without a word.
    args.config_unused = [
        f"{path}: warning: {key} does not apply to '{command}' (used by "
        f"{', '.join(opt.commands)}); ignored"
        for opt in OPTIONS if (key := opt.dest) in values and command not in opt.commands]
    for opt in OPTIONS:
        if command not in opt.commands:
            continue
        given = getattr(args, opt.dest, None)
        # Identity, not equality: 0 == False, and `--resamples 0` is a value, not "unset".
        if given is None or given is False or (isinstance(given, list) and not given):
            fallback = values.get(opt.dest, opt.default)
            setattr(args, opt.dest, fallback if fallback is not None else opt.default)
    # Limits of commands that build no report settings (which check the rest themselves).
    refuse_bad_values({key: getattr(args, key, None) for key in ("max_input_mb", "jobs")})
    return args

"""One table of command-line options: it feeds the CLI parser and the README's option list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SURVEY = ("build", "score", "validate", "portfolio import")
CATALOGUE = (*SURVEY, "batch")
REPORT = ("build", "demo", "batch")
DATABASE = ("build", "batch", "portfolio import", "portfolio list", "portfolio show",
            "portfolio remove", "portfolio restore", "portfolio export")


@dataclass(frozen=True)
class Option:
    """A command-line option and the commands that take it."""

    flags: tuple[str, ...]
    dest: str
    help: str
    commands: tuple[str, ...]
    default: Any = None
    required: tuple[str, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()


def _flag(name: str, dest: str, help_text: str, commands: tuple[str, ...]) -> Option:
    return Option((name,), dest, help_text, commands, False, kwargs=(("action", "store_true"),))


OPTIONS: list[Option] = [
    Option(("--survey",), "survey", "survey export: CSV (comma, semicolon or tab; UTF-8 or "
           "Windows-1252) or XLSX, one row per respondent; without it, build reads the "
           "database", SURVEY, required=("score", "validate", "portfolio import"),
           kwargs=(("metavar", "FILE"),)),
    Option(("--region",), "region", "region code (as in the export's region column) to "
           "report on", ("build",), required=("build",), kwargs=(("metavar", "CODE"),)),
    Option(("--regions",), "regions", "region codes to build (default: every region with a "
           "wave)", ("batch",), default=[], kwargs=(("nargs", "+"), ("metavar", "CODE"))),
    Option(("--definitions",), "definitions", "indicator catalogue YAML (default: the shipped "
           "reportgen StressTest catalogue v1)", CATALOGUE, kwargs=(("metavar", "YAML"),)),
    Option(("--cases",), "cases", "good-practice case library YAML", ("build", "batch"),
           kwargs=(("metavar", "FILE"),)),
    Option(("--benchmark",), "benchmark", "extra score tables written by 'reportgen score' "
           "whose regions join the benchmarking portfolio", ("build",), default=[],
           kwargs=(("nargs", "+"), ("metavar", "FILE"))),
    Option(("--db",), "db", "portfolio database (SQLite)", DATABASE, default="reportgen.db",
           kwargs=(("metavar", "PATH"),)),
    Option(("--wave",), "wave", "wave label: of the import (default: today's date), or the "
           "stored wave to build or remove (default: the latest)",
           ("build", "portfolio import", "portfolio remove", "portfolio restore"),
           required=("portfolio restore",), kwargs=(("metavar", "LABEL"),)),
    _flag("--replace", "replace", "replace the region's active wave of the same label (the "
          "old one is kept as 'replaced')", ("portfolio import",)),
    Option(("--region-table",), "region_table", "CSV with code,name,country,nuts to fill in "
           "the regions' country and NUTS code", ("portfolio import",),
           kwargs=(("metavar", "CSV"),)),
    _flag("--any-catalogue-version", "any_version", "let regions imported with another "
          "version of the same catalogue join the portfolio", ("build", "batch")),
    _flag("--yes", "yes", "do not ask for confirmation", ("portfolio remove",)),
    Option(("--jobs",), "jobs", "parallel worker processes", ("batch",), default=2,
           kwargs=(("type", int), ("metavar", "N"))),
    Option(("--out",), "out", "output folder (build, demo, batch) or file (score: CSV; "
           "portfolio export: CSV or XLSX)", ("build", "score", "demo", "batch",
                                              "portfolio export"),
           required=("build", "score", "batch", "portfolio export"),
           kwargs=(("metavar", "PATH"),)),
    _flag("--html", "html", "also write the report as self-contained HTML", REPORT),
    _flag("--force", "force", "overwrite existing output files instead of choosing a new name",
          (*REPORT, "score", "portfolio export")),
    _flag("--synthetic", "synthetic", "label the report as based on synthetic example data",
          ("build", "batch")),
    Option(("--templates",), "templates", "folder with template overrides, searched before "
           "the packaged templates", REPORT, default=[],
           kwargs=(("action", "append"), ("metavar", "DIR"))),
    Option(("--id-column",), "id_column", "export column with the respondent id",
           SURVEY, default="respondent_id", kwargs=(("metavar", "NAME"),)),
    Option(("--region-column",), "region_column", "export column with the region code",
           SURVEY, default="region", kwargs=(("metavar", "NAME"),)),
    Option(("--group-column",), "group_column", "export column with the stakeholder group",
           SURVEY, default="group", kwargs=(("metavar", "NAME"),)),
    Option(("--region-name-column",), "region_name_column", "export column with the region's "
           "display name (optional)", SURVEY, default="region_name",
           kwargs=(("metavar", "NAME"),)),
    Option(("--ignore-column",), "ignore_columns", "export column to skip (repeatable), e.g. "
           "a timestamp", SURVEY, default=[],
           kwargs=(("action", "append"), ("metavar", "NAME"))),
    _flag("--timings", "timings", "print the time each pipeline stage took", ("build", "demo")),
]


def options_markdown() -> str:
    """Return the option table as Markdown, for the README."""
    lines = ["| option | commands | default | meaning |", "|---|---|---|---|"]
    for opt in OPTIONS:
        if opt.required:
            default = ("required" if set(opt.required) == set(opt.commands)
                       else f"required for {', '.join(opt.required)}")
        else:
            default = "" if opt.default in (None, [], False) else f"`{opt.default}`"
        lines.append(f"| `{', '.join(opt.flags)}` | {', '.join(opt.commands)} | {default} | "
                     f"{opt.help} |")
    return "\n".join(lines)

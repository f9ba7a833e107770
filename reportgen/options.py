"""One table of command-line options: it feeds the CLI parser and the README's option list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SURVEY_CMDS = ("build", "score", "validate")


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


OPTIONS: list[Option] = [
    Option(("--survey",), "survey", "survey export: CSV (comma, semicolon or tab; UTF-8 or "
           "Windows-1252) or XLSX, one row per respondent", SURVEY_CMDS,
           required=SURVEY_CMDS, kwargs=(("metavar", "FILE"),)),
    Option(("--region",), "region", "region code (as in the export's region column) to "
           "report on", ("build",), required=("build",), kwargs=(("metavar", "CODE"),)),
    Option(("--definitions",), "definitions", "indicator catalogue YAML (default: the shipped "
           "reportgen StressTest catalogue v1)", SURVEY_CMDS, kwargs=(("metavar", "YAML"),)),
    Option(("--cases",), "cases", "good-practice case library YAML", ("build",),
           kwargs=(("metavar", "FILE"),)),
    Option(("--benchmark",), "benchmark", "extra score tables written by 'reportgen score' "
           "whose regions join the benchmarking portfolio", ("build",), default=[],
           kwargs=(("nargs", "+"), ("metavar", "FILE"))),
    Option(("--out",), "out", "output folder (build, demo) or CSV file (score)",
           ("build", "score", "demo"), required=("build", "score"),
           kwargs=(("metavar", "PATH"),)),
    Option(("--html",), "html", "also write the report as self-contained HTML",
           ("build", "demo"), default=False, kwargs=(("action", "store_true"),)),
    Option(("--force",), "force", "overwrite existing output files instead of choosing a new "
           "name", ("build", "score", "demo"), default=False,
           kwargs=(("action", "store_true"),)),
    Option(("--synthetic",), "synthetic", "label the report as based on synthetic example data",
           ("build",), default=False, kwargs=(("action", "store_true"),)),
    Option(("--templates",), "templates", "folder with template overrides, searched before "
           "the packaged templates", ("build", "demo"), default=[],
           kwargs=(("action", "append"), ("metavar", "DIR"))),
    Option(("--id-column",), "id_column", "export column with the respondent id",
           SURVEY_CMDS, default="respondent_id", kwargs=(("metavar", "NAME"),)),
    Option(("--region-column",), "region_column", "export column with the region code",
           SURVEY_CMDS, default="region", kwargs=(("metavar", "NAME"),)),
    Option(("--group-column",), "group_column", "export column with the stakeholder group",
           SURVEY_CMDS, default="group", kwargs=(("metavar", "NAME"),)),
    Option(("--region-name-column",), "region_name_column", "export column with the region's "
           "display name (optional)", SURVEY_CMDS, default="region_name",
           kwargs=(("metavar", "NAME"),)),
    Option(("--ignore-column",), "ignore_columns", "export column to skip (repeatable), e.g. "
           "a timestamp", SURVEY_CMDS, default=[],
           kwargs=(("action", "append"), ("metavar", "NAME"))),
    Option(("--timings",), "timings", "print the time each pipeline stage took",
           ("build", "demo"), default=False, kwargs=(("action", "store_true"),)),
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

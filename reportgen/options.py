"""One table of options: it feeds the CLI parser, the project config schema and the docs.

An option with a `config` type may also be set in `reportgen.yaml` under its `dest` name; an
option without flags exists only there. Command-line flags override the file, and the file
overrides the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

SURVEY = ("build", "score", "validate", "portfolio import", "survey status")
CATALOGUE = (*SURVEY, "batch", "workshop record", "questionnaire", "translations check",
             "portfolio export")
REPORT = ("build", "demo", "batch")
CONFIGURABLE = ("build", "demo", "batch", "score", "validate", "portfolio import",
                "translations check", "workshop", "questionnaire")
DATABASE = ("build", "batch", "portfolio import", "portfolio list", "portfolio show",
            "portfolio remove", "portfolio restore", "portfolio export", "knowledge import",
            "knowledge export", "workshop record")


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
    config: Any = None


def _flag(name: str, dest: str, help_text: str, commands: tuple[str, ...],
          config: Any = None) -> Option:
    return Option((name,), dest, help_text, commands, False, kwargs=(("action", "store_true"),),
                  config=config)


OPTIONS: list[Option] = [
    Option(("--survey",), "survey", "survey export: CSV (comma, semicolon or tab; UTF-8, UTF-16 or "
           "Windows-1252) or XLSX, one row per respondent; without it, build reads the "
           "database", SURVEY, required=("score", "validate", "portfolio import",
                                         "survey status"),
           kwargs=(("metavar", "FILE"),)),
    Option(("--mapping",), "mapping", "mapping file (YAML) for a LimeSurvey, Qualtrics or SPSS "
           "export: which columns and codes are which questions", SURVEY,
           kwargs=(("metavar", "YAML"),), config=Path),
    Option(("--region",), "region", "region code (as in the export's region column) to "
           "report on; questionnaire: the one region a survey is for (no region question)",
           ("build", "workshop record", "questionnaire", "translations check"),
           required=("build", "workshop record"),
           kwargs=(("metavar", "CODE"),)),
    Option(("--regions",), "regions", "region codes to build (default: every region with a "
           "wave)", ("batch",), default=[], kwargs=(("nargs", "+"), ("metavar", "CODE"))),
    Option(("--definitions",), "definitions", "indicator catalogue YAML (default: the shipped "
           "reportgen StressTest catalogue, version 1)", CATALOGUE, kwargs=(("metavar", "YAML"),),
           config=Path),
    Option(("--cases",), "cases", "good-practice case library YAML; texts in other languages in "
           "<name>.<lang>.yaml beside it", ("build", "batch", "translations check"),
           kwargs=(("metavar", "FILE"),), config=Path),
    Option(("--benchmark",), "benchmark", "extra score tables written by 'reportgen score' "
           "whose regions join the benchmarking portfolio", ("build",), default=[],
           kwargs=(("nargs", "+"), ("metavar", "FILE"))),
    Option(("--db",), "db", "portfolio database (SQLite)", DATABASE, default="reportgen.db",
           kwargs=(("metavar", "PATH"),), config=Path),
    Option(("--wave",), "wave", "wave label: of the import (default: today's date), or the "
           "stored wave to build or remove (default: the latest)",
           ("build", "portfolio import", "portfolio remove", "portfolio restore",
            "workshop record"),
           required=("portfolio restore", "workshop record"), kwargs=(("metavar", "LABEL"),)),
    _flag("--replace", "replace", "replace the region's active wave of the same label (the "
          "old one is kept as 'replaced'); knowledge import: replace a stored period's counts, "
          "after a backup of the database; workshop record: replace the wave's recorded fields "
          "of action, after a backup", ("portfolio import", "knowledge import",
                                        "workshop record")),
    Option(("--worksheet",), "worksheet", "the priority worksheet (XLSX) written by "
           "'reportgen workshop' and filled in at the workshop", ("workshop record",),
           required=("workshop record",), kwargs=(("metavar", "FILE"),)),
    Option(("--counts",), "counts", "activity counts by region and class (CSV or XLSX): "
           "region, technology, count and optionally period; build: for the knowledge chapter "
           "of a --survey build", ("knowledge import", "build"),
           required=("knowledge import",), kwargs=(("metavar", "FILE"),)),
    Option(("--labels",), "labels", "labels of the classes (CSV or XLSX): technology, label",
           ("knowledge import", "build"), kwargs=(("metavar", "FILE"),)),
    Option(("--period",), "period", "period of counts given without a period column, e.g. "
           "2015-2019", ("knowledge import", "build"), kwargs=(("metavar", "LABEL"),)),
    Option(("--region-table",), "region_table", "CSV with code,name,country,nuts to fill in "
           "the regions' country and NUTS code", ("portfolio import",),
           kwargs=(("metavar", "CSV"),)),
    _flag("--any-catalogue-version", "any_version", "let regions imported with another "
          "version of the same catalogue join the portfolio", ("build", "batch")),
    _flag("--yes", "yes", "do not ask for confirmation", ("portfolio remove",)),
    Option(("--jobs",), "jobs", "parallel worker processes (at most one per CPU core and "
           "region)", ("batch",), default=2,
           kwargs=(("type", int), ("metavar", "N"))),
    Option(("--out",), "out", "output folder (build, demo, batch) or file (score, portfolio "
           "export, knowledge export, survey status: CSV or XLSX)",
           ("build", "score", "demo", "batch", "portfolio export", "knowledge export",
            "questionnaire", "survey status"),
           required=("build", "score", "batch", "portfolio export", "knowledge export",
                     "questionnaire"),
           kwargs=(("metavar", "PATH"),)),
    _flag("--html", "html", "also write the report as self-contained HTML", REPORT),
    _flag("--handout", "handout", "also write the 'At a glance' page as a stand-alone PDF "
          "handout (REGION-WAVE-at-a-glance.pdf)", REPORT, config=bool),
    _flag("--force", "force", "overwrite existing output files instead of choosing a new name",
          (*REPORT, "score", "portfolio export", "knowledge export", "templates export",
           "questionnaire", "survey status")),
    _flag("--synthetic", "synthetic", "label the report as based on synthetic example data "
          "(portfolio import: store the waves as such, so every report on them says so)",
          ("build", "batch", "portfolio import")),
    Option(("--templates",), "templates", "folder with template overrides, searched before "
           "the packaged templates", (*REPORT, "questionnaire", "translations check"),
           default=[],
           kwargs=(("action", "append"), ("metavar", "DIR")), config=list[Path]),
    Option(("--id-column",), "id_column", "export column with the respondent id",
           SURVEY, default="respondent_id", kwargs=(("metavar", "NAME"),)),
    Option(("--region-column",), "region_column", "export column with the region code",
           SURVEY, default="region", kwargs=(("metavar", "NAME"),)),
    Option(("--group-column",), "group_column", "export column with the stakeholder group",
           SURVEY, default="group", kwargs=(("metavar", "NAME"),)),
    Option(("--region-name-column",), "region_name_column", "export column with the region's "
           "display name (optional)", SURVEY, default="region_name",
           kwargs=(("metavar", "NAME"),)),
    Option(("--max-input-mb",), "max_input_mb", "largest survey export to read, in MB (an "
           "XLSX may unpack to three times as much); protects memory from oversized files",
           SURVEY, default=300, kwargs=(("type", int), ("metavar", "MB")), config=int),
    Option(("--ignore-column",), "ignore_columns", "export column to skip (repeatable), e.g. "
           "a timestamp", SURVEY, default=[],
           kwargs=(("action", "append"), ("metavar", "NAME"))),
    _flag("--timings", "timings", "print the time each pipeline stage took", ("build", "demo")),
    Option(("--config",), "config", "project config file (default: reportgen.yaml in the "
           "working directory, if there is one)", CONFIGURABLE, kwargs=(("metavar", "YAML"),)),
    Option(("--title",), "title", "report title on the cover and in the metadata (default: "
           "the catalogue's report name, `report: name`, in the report's language)", REPORT,
           kwargs=(("metavar", "TEXT"),), config=str),
    Option(("--organisation",), "organisation", "organisation named as the report's author",
           REPORT, kwargs=(("metavar", "TEXT"),), config=str),
    Option(("--logo",), "logo", "logo image for the cover (PNG, JPEG or SVG, at most 2 MB)",
           REPORT, kwargs=(("metavar", "FILE"),), config=Path),
    Option((), "colours", "report colours: `primary` (headings) and `accent` (numbers, the "
           "region's marker), as #rrggbb", REPORT, default={}, config=dict[str, str]),
    Option((), "font", "font family of the report text, as installed on the machine", REPORT,
           config=str),
    Option(("--lang",), "language", "language of the report: en, one shipped in "
           "reportgen/locale, or one whose messages a template folder translates "
           "(messages.<code>.po)",
           (*REPORT, "translations check"),
           default="en", kwargs=(("metavar", "CODE"),), config=str),
    _flag("--allow-fallback", "allow_fallback", "build even when the report language lacks "
          "texts (messages, catalogue, cases, commentary): they stay in their own language, "
          "with a warning, and are marked with it for screen readers", REPORT, config=bool),
    Option(("--targets",), "targets", "CSV or XLSX of the people invited, columns region, "
           "group, invited: survey status shows response rates; a report states them per "
           "group in its approach chapter", ("survey status", "build", "batch"),
           kwargs=(("metavar", "FILE"),), config=Path),
    Option(("--languages",), "languages", "survey languages, the first the survey's own "
           "(default: the catalogue's language and every language it translates completely)",
           ("questionnaire",), default=[], kwargs=(("nargs", "+"), ("metavar", "CODE"))),
    Option(("--format",), "formats", "questionnaire files to write (default: all): lss "
           "(LimeSurvey survey structure), txt (the same, in LimeSurvey's tab-separated "
           "structure format), html and pdf (printable, one per group and language); the "
           "mapping is always written", ("questionnaire",), default=[],
           kwargs=(("nargs", "+"), ("choices", ("lss", "txt", "html", "pdf")))),
    Option(("--skip-chapter",), "skip_chapters", "chapter to leave out (repeatable): "
           "glance, introduction, context, approach, results, knowledge, summary, annex", REPORT,
           default=[],
           kwargs=(("action", "append"), ("metavar", "ID")), config=list[str]),
    Option(("--region-texts",), "region_texts", "folder of analyst commentary, "
           "<REGION>/<dimension id>.md and <REGION>/summary.md, in Markdown (per language: "
           "<dimension id>.<lang>.md)", (*REPORT, "translations check"),
           kwargs=(("metavar", "DIR"),), config=Path),
    Option(("--min-respondents",), "min_respondents", "respondents a stakeholder group needs "
           "to enter a region's values (default: the catalogue's rule)",
           (*REPORT, "score", "portfolio export", "survey status"),
           kwargs=(("type", int), ("metavar", "N")),
           config=int),
    Option(("--resamples",), "resamples", "bootstrap resamples of the respondents behind the "
           "intervals, rank bands and sensitivity analysis (default: the catalogue's "
           "rules.uncertainty.resamples, 1000); 0 leaves them out, for quick drafts", REPORT,
           kwargs=(("type", int), ("metavar", "N")), config=int),
    Option(("--seed",), "seed", "seed of the resampling: the same seed and answers give the "
           "same intervals (default: the catalogue's rules.uncertainty.seed)", REPORT,
           kwargs=(("type", int), ("metavar", "N")), config=int),
    _flag("--include-small-groups", "include_small_groups", "write the full internal table, "
          "with values of groups below the minimum marked 'INTERNAL, not for publication'",
          ("score", "portfolio export")),
    Option((), "pins", "good-practice case to show regardless of the selection rule, by "
           "region and dimension: {R07: {portfolio: case-id}}", REPORT, default={},
           config=dict[str, dict[str, str]]),
    Option(("--pdf-variant",), "pdf_variant", "PDF standard: pdf/ua-1 (tagged, accessible), "
           "pdf/a-3u or pdf/a-3a (archival, with the attachments), or plain", REPORT,
           default="pdf/ua-1", kwargs=(("metavar", "NAME"),), config=str),
    _flag("--debug-templates", "debug_templates", "mark in the HTML which template file "
          "served each chapter", REPORT),
]

# The workshop pack is built from the same context as the report: it takes build's options,
# except those about the report's own output files.
_NOT_WORKSHOP = ("html", "handout", "timings", "pdf_variant", "debug_templates")
OPTIONS = [replace(o, commands=(*o.commands, "workshop"))
           if "build" in o.commands and o.dest not in _NOT_WORKSHOP and "workshop" not in
           o.commands else o for o in OPTIONS]


def default(dest: str) -> Any:
    """Return an option's default: the table is the one place where defaults are written."""
    return next(o.default for o in OPTIONS if o.dest == dest)


def spelled(dest: str, key: str | None = None) -> str:
    """Name an option as a user writes it: "--skip-chapter / skip_chapters[1]"."""
    flags = next((o.flags for o in OPTIONS if o.dest == dest), ())
    return f"{flags[0]} / {key or dest}" if flags else key or dest


def options_markdown() -> str:
    """Return the option table as Markdown, for the README."""
    lines = ["| option | config key | commands | default | meaning |", "|---|---|---|---|---|"]
    for opt in OPTIONS:
        if opt.required:
            default = ("required" if set(opt.required) == set(opt.commands)
                       else f"required for {', '.join(opt.required)}")
        else:
            default = "" if opt.default in (None, [], False) else f"`{opt.default}`"
        flags = f"`{', '.join(opt.flags)}`" if opt.flags else "(config only)"
        key = f"`{opt.dest}`" if opt.config is not None else ""
        lines.append(f"| {flags} | {key} | {', '.join(opt.commands)} | {default} | "
                     f"{opt.help} |")
    return "\n".join(lines)

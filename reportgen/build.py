"""The pipeline: load survey -> validate -> score -> benchmark -> chart -> narrate -> HTML -> PDF."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reportgen.benchmark import benchmark
from reportgen.cases import Case, load_cases
from reportgen.context import build_context
from reportgen.definitions import Catalogue, load_catalogue
from reportgen.errors import InputError, UsageError
from reportgen.output import free_name, staged
from reportgen.render import render_html
from reportgen.resources import default_catalogue
from reportgen.scoretable import read_benchmark, tidy
from reportgen.scoring import Scores, score
from reportgen.survey import read_survey
from reportgen.validate import Columns, Responses, code_survey

Log = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build wrote, and how long each stage took (seconds)."""

    pdf: Path
    scores_csv: Path
    html: Path | None
    timings: dict[str, float] = field(default_factory=dict)


def today() -> dt.date:
    """Return the report date; SOURCE_DATE_EPOCH pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def load_survey(survey: Path, definitions: Path | None, columns: Columns
                ) -> tuple[Catalogue, Responses]:
    """Load the catalogue and the export, and validate one against the other."""
    cat = load_catalogue(definitions or default_catalogue())
    return cat, code_survey(read_survey(survey), cat, columns)


def portfolio(scores: Scores, extra: Sequence[Path], cat: Catalogue
              ) -> tuple[pd.DataFrame, dict[str, str]]:
    """Join the export's regions with regions from extra score tables."""
    values, names = scores.values, dict(scores.region_names)
    for path in extra:
        more, more_names = read_benchmark(path, cat)
        clash = sorted(set(more.index) & set(values.index))
        if clash:
            raise InputError.single(str(path), f"regions {clash} are already in the survey "
                                    "export or another benchmark table", column="region")
        values = pd.concat([values, more[values.columns]])
        names.update(more_names)
    return values, names


def build_report(survey: Path, region: str, out_dir: Path, *, definitions: Path | None = None,
                 cases: Path | None = None, benchmark_tables: Sequence[Path] = (),
                 html: bool = False, synthetic: bool = False, force: bool = False,
                 columns: Columns = Columns(), templates: Sequence[Path] = (),
                 log: Log = lambda _msg: None) -> BuildResult:
    """Build the StressTest-Report of `region`; write PDF, scores CSV and optionally HTML."""
    from reportgen import __version__

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def step(name: str, message: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        log(message)

    log("1/7 loading and validating the survey")
    cat, responses = load_survey(survey, definitions, columns)
    for warning in responses.warnings:
        log(f"    {warning}")
    if region not in responses.region_names:
        known = ", ".join(sorted(responses.region_names))
        raise UsageError(f"region {region!r} is not in {survey}; regions there: {known}")
    case_list: list[Case] = load_cases(cases, cat) if cases else []
    step("load", "2/7 scoring indicators")
    scores = score(responses, cat)
    step("score", "3/7 benchmarking against the portfolio")
    values, names = portfolio(scores, benchmark_tables, cat)
    positions = benchmark(values, region, cat.score.span)
    step("benchmark", "4/7 drawing charts and writing the text")
    report = build_context(cat, scores, region, values, names, positions, case_list,
                           synthetic=synthetic, survey_file=Path(survey).name,
                           generator=f"reportgen {__version__}", today=today())
    step("charts", "5/7 rendering HTML")
    document = render_html(report, list(templates))
    step("html", "6/7 writing the PDF")
    from reportgen.pdf import write_pdf

    out_dir = Path(out_dir)
    pdf_path = free_name(out_dir / f"{region}-stresstest-report.pdf", force)
    csv_path = free_name(out_dir / f"{region}-scores.csv", force)
    html_path = free_name(out_dir / f"{region}-stresstest-report.html", force) if html else None
    with staged(out_dir) as stage:
        write_pdf(document, stage(pdf_path.name), list(templates))
        step("pdf", "7/7 writing the scores table")
        tidy(scores, cat, [region]).to_csv(stage(csv_path.name), index=False)
        if html_path:
            stage(html_path.name).write_text(document, encoding="utf-8")
    step("write", f"wrote {pdf_path}")
    return BuildResult(pdf_path, csv_path, html_path, timings)

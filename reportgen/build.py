"""The pipeline: load survey, validate, score, benchmark, chart, narrate, HTML, PDF."""

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
from reportgen.figures import draw_share, portfolio_label
from reportgen.output import free_name, staged
from reportgen.parallel import chart_pool
from reportgen.render import render_html
from reportgen.resources import default_catalogue
from reportgen.scoretable import read_benchmark, tidy
from reportgen.scoring import Scores, score
from reportgen.survey import read_survey
from reportgen.validate import DEFAULT_COLUMNS, Columns, Responses, code_survey

Log = Callable[[str], None]
# Chart workers: two on the two cores this tool is sized for, one on a single core.
WORKERS = max(1, min(2, os.cpu_count() or 1))


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


class Stopwatch:
    """Log numbered pipeline steps and time each one."""

    def __init__(self, log: Log, total: int):
        self.log, self.total, self.count = log, total, 0
        self.timings: dict[str, float] = {}
        self._name: str | None = None
        self._start = time.perf_counter()

    def step(self, name: str, message: str) -> None:
        """Close the running stage and start `name`."""
        self.stop()
        self.count += 1
        self._name = name
        self.log(f"{self.count}/{self.total} {message}")

    def stop(self) -> None:
        """Close the running stage."""
        now = time.perf_counter()
        if self._name:
            self.timings[self._name] = now - self._start
        self._name, self._start = None, now


@dataclass
class Composed:
    """A rendered report and the scores behind it."""

    html: str
    catalogue: Catalogue
    scores: Scores


def compose(survey: Path, region: str, *, definitions: Path | None = None,
            cases: Path | None = None, benchmark_tables: Sequence[Path] = (),
            synthetic: bool = False, columns: Columns = DEFAULT_COLUMNS,
            templates: Sequence[Path] = (), watch: Stopwatch | None = None) -> Composed:
    """Run the pipeline up to the HTML document of `region`'s report."""
    from reportgen import __version__

    watch = watch or Stopwatch(lambda _msg: None, 5)
    with chart_pool(WORKERS) as pool:
        watch.step("load", "loading and validating the survey")
        cat, responses = load_survey(survey, definitions, columns)
        for warning in responses.warnings:
            watch.log(f"    {warning}")
        if region not in responses.region_names:
            known = ", ".join(sorted(responses.region_names))
            raise UsageError(f"region {region!r} is not in {survey}; regions there: {known}")
        case_list: list[Case] = load_cases(cases, cat) if cases else []
        watch.step("score", "scoring indicators")
        scores = score(responses, cat)
        watch.step("benchmark", "benchmarking against the portfolio")
        values, names = portfolio(scores, benchmark_tables, cat)
        positions = benchmark(values, region, cat.score.span)
        watch.step("charts", "drawing charts and writing the text")
        args = (cat, positions, region, names.get(region, region), scores.group_values,
                scores.group_counts, portfolio_label(len(values) - 1))
        if pool is None:
            charts = draw_share(0, 1, *args)
        else:
            shares = [pool.apply_async(draw_share, (k, WORKERS, *args)) for k in range(WORKERS)]
            import weasyprint  # noqa: F401  # loads while the workers draw

            charts = {key: chart for share in shares for key, chart in share.get().items()}
    report = build_context(cat, scores, region, values, names, positions, case_list, charts,
                           synthetic=synthetic, survey_file=Path(survey).name,
                           generator=f"reportgen {__version__}", today=today())
    watch.step("html", "rendering HTML")
    html = render_html(report, list(templates))
    watch.stop()
    return Composed(html, cat, scores)


def build_report(survey: Path, region: str, out_dir: Path, *, definitions: Path | None = None,
                 cases: Path | None = None, benchmark_tables: Sequence[Path] = (),
                 html: bool = False, synthetic: bool = False, force: bool = False,
                 columns: Columns = DEFAULT_COLUMNS, templates: Sequence[Path] = (),
                 log: Log = lambda _msg: None) -> BuildResult:
    """Build the StressTest-Report of `region`; write PDF, scores CSV and optionally HTML."""
    from reportgen.pdf import write_pdf

    watch = Stopwatch(log, 7)
    done = compose(survey, region, definitions=definitions, cases=cases,
                   benchmark_tables=benchmark_tables, synthetic=synthetic, columns=columns,
                   templates=templates, watch=watch)
    out_dir = Path(out_dir)
    pdf_path = free_name(out_dir / f"{region}-stresstest-report.pdf", force)
    csv_path = free_name(out_dir / f"{region}-scores.csv", force)
    html_path = free_name(out_dir / f"{region}-stresstest-report.html", force) if html else None
    with staged(out_dir) as stage:
        watch.step("pdf", "writing the PDF")
        write_pdf(done.html, stage(pdf_path.name), list(templates))
        watch.step("write", "writing the scores table")
        tidy(done.scores, done.catalogue, [region]).to_csv(stage(csv_path.name), index=False)
        if html_path:
            stage(html_path.name).write_text(done.html, encoding="utf-8")
        watch.stop()
    return BuildResult(pdf_path, csv_path, html_path, watch.timings)

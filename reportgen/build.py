"""The pipeline: load survey, validate, score, benchmark, chart, narrate, HTML, PDF."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import interrupt
from reportgen.benchmark.cases import Case, Cases, load_cases, pinned_case
from reportgen.benchmark.compare import benchmark
from reportgen.catalogue.schema import Catalogue
from reportgen.catalogue.translate import localise
from reportgen.clock import today
from reportgen.errors import UsageError
from reportgen.inputs.targets import read_targets
from reportgen.inputs.validate import DEFAULT_COLUMNS, Columns
from reportgen.marks import marked
from reportgen.options import default
from reportgen.output import staged
from reportgen.parallel import WORKERS, chart_pool, reuse
from reportgen.report.assemble import Facts, build_context
from reportgen.report.commentary import load_commentary
from reportgen.report.figures import ChartData, collect, draw_share
from reportgen.report.fonts import missing_font
from reportgen.report.gaps import MissingTexts, report_gaps
from reportgen.report.html import render_html
from reportgen.report.i18n import Lang, check_language
from reportgen.report.knowledge import knowledge_view
from reportgen.report.settings import ReportSettings
from reportgen.report.views import Report
from reportgen.resources import default_catalogue
from reportgen.safenames import distinct_name
from reportgen.scoring.aggregate import Scores
from reportgen.scoring.disclosure import disclose, minimum, translated_notes
from reportgen.scoring.tables import tidy
from reportgen.sources import CountsFiles, Inputs, Step, from_export, from_store, load_survey
from reportgen.spreadsheet import csv_safe
from reportgen.terminal import counted, printable
from reportgen.uncertainty.assess import Certainty, assess, plan, with_certainty
from reportgen.uncertainty.changes import change_margins, only
from reportgen.uncertainty.table import certainty_columns

if TYPE_CHECKING:
    import pandas as pd

Log = Callable[[str], None]
DEFAULT_SETTINGS = ReportSettings()
__all__ = ["BuildResult", "build_report", "compose", "load_survey", "report_html", "source"]


@dataclass
class BuildResult:
    """What a build wrote, and how long each stage took (seconds)."""

    pdf: Path
    scores_csv: Path
    html: Path | None
    timings: dict[str, float] = field(default_factory=dict)
    handout: Path | None = None  # the one-page overview as its own PDF


class Stopwatch:
    """Log numbered pipeline steps and time each one."""

    def __init__(self, log: Log, total: int):
        self.log, self.total, self.count = log, total, 0
        self.timings: dict[str, float] = {}
        self._name: str | None = None
        self._start = time.perf_counter()

    def step(self, name: str, message: str) -> None:
        """Close the running stage and start `name`."""
        interrupt.check()  # a stop signal Python swallowed ends the build here
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
    """A rendered report and the inputs behind it."""

    html: str
    inputs: Inputs
    scores: Scores  # as published: through disclosure.disclose
    report: Report  # the template context, for further renderings (the handout)
    lang: Lang
    certainty: Certainty | None = None  # the bootstrap and sensitivity analysis, if run


def compose(region: str, load: Callable[[Step], Inputs], *, cases: Path | None = None,
            synthetic: bool = False, templates: Sequence[Path] = (),
            settings: ReportSettings = DEFAULT_SETTINGS, watch: Stopwatch | None = None,
            parallel: bool = True, pool: Pool | None = None,
            definitions: Path | None = None) -> Composed:
    """Run the pipeline from `load` (a source of Inputs) up to the report's HTML.

    `pool` is a chart pool the caller started early (the CLI starts it before importing the
    pipeline, so that matplotlib loads in the workers meanwhile); without one, compose starts
    its own.
    """
    from reportgen import __version__

    watch = watch or Stopwatch(lambda _msg: None, 7)
    # An unknown language fails before any work is done; a template folder may bring one.
    check_language(settings.language, templates)
    with reuse(pool) if pool is not None else chart_pool(WORKERS if parallel else 0) as pool:
        got = load(watch.step)
        library = load_cases(cases, got.catalogue) if cases else None
        cat, case_list, lang = _in_language(got.catalogue, library, settings, region, watch,
                                            definitions or default_catalogue(), cases,
                                            templates)
        # A pin that cannot hold fails now, not after resampling and charts.
        for dim_id, case_id in settings.pins.get(region, {}).items():
            pinned_case(case_list, dim_id, region, case_id, set(got.values.index))
        watch.step("disclose", "applying the disclosure rule")
        scores = disclose(got.scores, cat)
        watch.step("benchmark", "benchmarking against the portfolio")
        if missing_font(settings.font):
            watch.log(f"    warning: font {settings.font!r} is not installed; the report uses "
                      "the default font (fc-list shows the installed families)")
        if len(got.values) < 2:
            watch.log("    warning: no other region to compare with; the benchmark sections "
                      "will be empty (pass --benchmark score tables, or use the database)")
        positions = benchmark(got.values, region,
                              cat.score.span * cat.rules.spread_floor_share)
        watch.step("uncertainty", "no resampling (--resamples 0)" if settings.resamples == 0
                   else "resampling respondents for intervals and rank bands")
        certainty = (assess(got.responses, got.values, region, cat,
                            resamples=settings.resamples, seed=settings.seed)
                     if got.responses is not None else None)
        positions = with_certainty(positions, certainty, region)
        margins = _margins(got, region, cat, settings)
        watch.step("charts", "drawing charts and writing the text")
        # A name from an export may hold control characters: every output shows their
        # visible escapes (a raw ESC broke the PDF's text layer).
        names = {code: printable(name) for code, name in got.names.items()}
        # Charts are pictures: a passage kept in another language cannot be tagged there, so
        # they get the texts without marks.
        plain = (localise(got.catalogue, lang.code, got.catalogue.translations)
                 if lang.fallback else cat)
        data = ChartData(plain, positions, region, names.get(region, region),
                         scores.group_values, minimum(cat), replace(lang, fallback=False),
                         got.history, got.wave)
        if pool is None:
            charts = collect(draw_share(0, 1, data))
        else:
            shares = [pool.apply_async(draw_share, (k, WORKERS, data)) for k in range(WORKERS)]
            import weasyprint  # noqa: F401  # loads while the workers draw

            charts = collect({key: chart for share in shares
                              for key, chart in share.get().items()})
    commentary = load_commentary(settings.region_texts, region,
                                 [d.id for d in cat.dimensions] + ["summary"], lang.code)
    knowledge = knowledge_view(got.knowledge, region, names.get(region, region), lang,
                               got.class_labels)
    facts = Facts(cat, scores, region, got.values, names, positions, case_list, charts,
                  got.wave, got.history, got.members, settings.pins.get(region, {}), commentary,
                  knowledge=knowledge, actions=got.actions, answer_counts=got.answer_counts,
                  invited=_invited(settings.targets, got.catalogue, region,
                                   scores.respondents),
                  certainty=certainty, margins=margins)
    # Synthetic waves in the database make a synthetic report, flag or not.
    report = build_context(facts, settings, lang, synthetic=synthetic or got.synthetic,
                           survey_file=got.source,
                           generator=f"reportgen {__version__}", today=today())
    watch.step("html", "rendering HTML")
    html = render_html(report, lang, list(templates))
    watch.stop()
    return Composed(html, got, scores, report, lang, certainty)


def _in_language(raw: Catalogue, library: Cases | None, settings: ReportSettings, region: str,
                 watch: Stopwatch, cat_path: Path, cases: Path | None,
                 templates: Sequence[Path] = ()) -> tuple[Catalogue, list[Case], Lang]:
    """Put the catalogue, cases and messages into the report's language, or refuse.

    A missing text stops the build, so that no report silently mixes languages; with
    allow_fallback it stays in its own language, marked so the HTML can tag it.
    """
    code = settings.language
    gaps = report_gaps(code, raw, cat_path, library, cases, settings.region_texts, region,
                       templates)
    if gaps and not settings.allow_fallback:
        raise MissingTexts(gaps, code)
    if gaps:
        missing = counted(len(gaps), "text is", "texts are")
        watch.log(f"    warning: {missing} missing in {code!r}; they are shown in their own "
                  "language (--allow-fallback)")
    cat = localise(raw, code, raw.translations, marked(raw.language) if gaps else None)
    case_list = (library.localised(code, marked(library.language) if gaps else None)
                 if library else [])
    # With allow_fallback, also a user template's own untranslated text is shown marked.
    return cat, case_list, Lang(code, cat.score.decimals, fallback=settings.allow_fallback,
                                own=tuple(str(t) for t in templates))


def _margins(got: Inputs, region: str, cat: Catalogue, settings: ReportSettings
             ) -> dict[str, float]:
    """Bootstrap the margins of changes since the previous wave, where the rules ask for it."""
    count, seed = plan(cat, settings.resamples, settings.seed)
    if got.previous is None or got.responses is None or count <= 0:
        return {}
    return change_margins(only(got.responses, region), got.previous, cat, resamples=count,
                          seed=seed, z=cat.rules.margin_z)


def _invited(targets: Path | None, cat: Catalogue, region: str,
             respondents: pd.DataFrame) -> dict[str, int]:
    """Read how many people of each group of `region` were invited (none without a list)."""
    if targets is None:
        return {}
    answered = {(region, str(g)): int(n) for g, n in respondents.loc[region].items()}
    table = read_targets(targets, cat, answered)
    return {group: int(n) for (code, group), n in table.items() if code == region}


def output_names(region: str, wave: str | None, lang: str | None = None,
                 file: str = "report") -> tuple[str, str, str]:
    """Name the report, scores and HTML files; a stored wave's label becomes part of them.

    `lang` is given for a report in another language than its catalogue's, so that the
    English and French reports of one wave sit side by side (not as "…-report-2.pdf").
    `file` is the catalogue's name for its report (`report: file:`).
    """
    stem = file_stem(region, wave, lang)
    return f"{stem}-{file}.pdf", f"{stem}-scores.csv", f"{stem}-{file}.html"


def file_stem(region: str, wave: str | None, lang: str | None = None) -> str:
    """Return the part every output name of one region, wave and language starts with."""
    return "-".join(distinct_name(part) for part in (region, wave, lang) if part)


def handout_name(region: str, wave: str | None, lang: str | None = None) -> str:
    """Name the stand-alone overview beside the report."""
    return f"{file_stem(region, wave, lang)}-at-a-glance.pdf"


def language_tag(done: Composed) -> str | None:
    """Return the report's language code when it is not its catalogue's own language."""
    return None if done.lang.code == done.inputs.catalogue.language else done.lang.code


def source(region: str, *, survey: Path | None = None, db: Path | None = None,
           wave: str | None = None, definitions: Path | None = None,
           columns: Columns = DEFAULT_COLUMNS, benchmark_tables: Sequence[Path] = (),
           same_version: bool = True, min_respondents: int | None = None,
           mapping: Path | None = None, counts: CountsFiles | None = None,
           resamples: int | None = None, log: Log = lambda _msg: None
           ) -> Callable[[Step], Inputs]:
    """Choose the input stages: an export file when `survey` is given, else the database."""
    if counts is not None and survey is None:
        raise UsageError("--counts goes with --survey; a database build uses the counts "
                         "stored with 'reportgen knowledge import'")
    if survey is not None:
        if wave is not None:
            raise UsageError("--wave selects a stored wave; it cannot be used with --survey")
        export = survey
        return lambda step: from_export(export, region, step, definitions=definitions,
                                        columns=columns, benchmark_tables=benchmark_tables,
                                        min_respondents=min_respondents, mapping=mapping,
                                        counts=counts, log=log)
    return lambda step: from_store(db or Path(default("db")), region, step, wave=wave,
                                   definitions=definitions, same_version=same_version,
                                   benchmark_tables=benchmark_tables,
                                   min_respondents=min_respondents, resamples=resamples)


def report_html(region: str, *, cases: Path | None = None, synthetic: bool = False,
                templates: Sequence[Path] = (), settings: ReportSettings = DEFAULT_SETTINGS,
                **where: Any) -> str:
    """Return the HTML of `region`'s report; `where` as for source()."""
    load = source(region, min_respondents=settings.min_respondents,
                  resamples=settings.resamples, **where)
    return compose(region, load, cases=cases, synthetic=synthetic, templates=templates,
                   settings=settings, parallel=False, definitions=where.get("definitions")).html


def scores_table(done: Composed, region: str) -> bytes:
    """Return the region's tidy scores as CSV bytes, names in the report's language."""
    cat = done.inputs.catalogue
    # The ids stay the catalogue's; the names are what the report next to the file prints.
    named = localise(cat, done.lang.code, cat.translations)
    table = certainty_columns(tidy(done.scores, named, [region]), done.certainty, region)
    table["note"] = translated_notes(table["note"], done.lang._, minimum(named))
    return csv_safe(table).to_csv(index=False).encode()


def build_report(region: str, out_dir: Path, *, survey: Path | None = None,
                 db: Path | None = None, wave: str | None = None,
                 definitions: Path | None = None, cases: Path | None = None,
                 benchmark_tables: Sequence[Path] = (), same_version: bool = True,
                 html: bool = False, synthetic: bool = False, force: bool = False,
                 columns: Columns = DEFAULT_COLUMNS, templates: Sequence[Path] = (),
                 settings: ReportSettings = DEFAULT_SETTINGS, mapping: Path | None = None,
                 counts: CountsFiles | None = None, log: Log = lambda _msg: None,
                 parallel: bool = True, pool: Pool | None = None) -> BuildResult:
    """Build `region`'s report from an export (`survey`) or the database (`db`)."""
    from reportgen import __version__
    from reportgen.report.pdf import write_pdf
    from reportgen.report.provenance import evidence

    load = source(region, survey=survey, db=db, wave=wave, definitions=definitions,
                  columns=columns, benchmark_tables=benchmark_tables,
                  same_version=same_version, min_respondents=settings.min_respondents,
                  mapping=mapping, counts=counts, resamples=settings.resamples, log=log)
    watch = Stopwatch(log, 9)
    done = compose(region, load, cases=cases, synthetic=synthetic, templates=templates,
                   settings=settings, watch=watch, parallel=parallel, pool=pool,
                   definitions=definitions)
    out_dir = Path(out_dir)
    tag = language_tag(done)
    # Plain names: staged() gives the whole set one free number (report-2.pdf, scores-2.csv).
    pdf_name, csv_name, html_name = output_names(region, done.inputs.wave, tag,
                                                 done.inputs.catalogue.report.file)
    handout = handout_name(region, done.inputs.wave, tag) if settings.handout else None
    scores_csv = scores_table(done, region)
    attachments = evidence(region, done.inputs, scores_csv, definitions, cases, settings,
                           f"reportgen {__version__}", settings.pdf_variant, csv_name)
    with staged(out_dir, force) as stage:
        watch.step("pdf", "writing the PDF")
        write_pdf(done.html, stage(pdf_name), list(templates),
                  variant=settings.pdf_variant, attachments=attachments)
        watch.step("write", "writing the scores table")
        stage(csv_name).write_bytes(scores_csv)
        if html:
            stage(html_name).write_text(done.html, encoding="utf-8")
        if handout:
            # The same overview page, rendered alone (no cover, contents or links into a
            # report the reader of a handout does not hold).
            alone = render_html(replace(done.report, handout=True), done.lang, list(templates))
            write_pdf(alone, stage(handout), list(templates), variant=settings.pdf_variant,
                      one_page=True)
        watch.stop()
    final = stage.final
    return BuildResult(final[pdf_name], final[csv_name], final[html_name] if html else None,
                       watch.timings, final[handout] if handout else None)

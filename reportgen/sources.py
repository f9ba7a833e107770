"""The first stages, from either source: a survey export file or the portfolio database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from reportgen.catalogue import Catalogue, load_catalogue
from reportgen.digest import sha256_bytes, sha256_file
from reportgen.errors import InputError, Problem, UsageError
from reportgen.inputs.exports import read_input
from reportgen.inputs.validate import DEFAULT_COLUMNS, Columns, Responses, code_survey, left_out
from reportgen.knowledge.analysis import Degenerate, Space, analyse
from reportgen.knowledge.space import Counts
from reportgen.resources import default_catalogue
from reportgen.scored import Inputs
from reportgen.scoring.aggregate import rules_fingerprint, score
from reportgen.scoring.distribution import answer_counts
from reportgen.scoring.records import Member, WaveValues
from reportgen.scoring.tables import read_benchmark
from reportgen.store.actions import latest_actions
from reportgen.store.knowledge import labels as stored_labels
from reportgen.store.read import Wave
from reportgen.terminal import printable
from reportgen.uncertainty.assess import plan

Step = Callable[[str, str], None]


@dataclass(frozen=True)
class CountsFiles:
    """Activity counts (and class labels) given as files, for builds from an export."""

    counts: Path
    labels: Path | None = None
    period: str | None = None  # for a counts file without a period column

    def spaces(self) -> tuple[list[tuple[str, Space]], dict[str, str]]:
        """Validate both files and analyse every period, oldest first, as the store does."""
        from reportgen.inputs.counts import read_counts, read_labels

        table = read_counts(self.counts, self.period)
        names = read_labels(self.labels) if self.labels else {}
        return analysable(table, self.counts.name), names


def analysed_periods(table: pd.DataFrame) -> tuple[list[tuple[str, Space]], dict[str, str]]:
    """Analyse a tidy counts table per period, in label order; say why a period gives none."""
    spaces, problems = [], {}
    for p, part in table.groupby("period", sort=True):
        try:
            spaces.append((str(p), analyse(Counts.from_table(part.drop(columns="period")))))
        except Degenerate as exc:
            problems[str(p)] = str(exc)
    return spaces, problems


def analysable(table: pd.DataFrame, name: str) -> list[tuple[str, Space]]:
    """Analyse the counts read from file `name`; refuse periods that give no knowledge space."""
    spaces, problems = analysed_periods(table)
    if problems:
        raise InputError([Problem(name, f"period {p}: {why}") for p, why in problems.items()])
    return spaces


def spaces_of(table: pd.DataFrame) -> list[tuple[str, Space]]:
    """Analyse stored counts per period, leaving out those that give no knowledge space.

    Such a period was stored before imports checked for it; it must not stop every build.
    """
    return analysed_periods(table)[0]


def catalogue(definitions: Path | None, min_respondents: int | None = None) -> Catalogue:
    """Load the catalogue, with the project's group threshold in place of its own."""
    cat = load_catalogue(definitions or default_catalogue())
    if min_respondents is None:
        return cat
    rules = cat.rules.model_copy(update={"min_respondents": min_respondents})
    return cat.model_copy(update={"rules": rules})


def load_survey(survey: Path, definitions: Path | None, columns: Columns,
                min_respondents: int | None = None, mapping: Path | None = None
                ) -> tuple[Catalogue, Responses]:
    """Load the catalogue and the export, and validate one against the other.

    With a mapping file the export may be a LimeSurvey, Qualtrics or SPSS file; the mapping
    names its columns, so `columns` does not apply.
    """
    cat = catalogue(definitions, min_respondents)
    raw = read_input(survey, cat, mapping)
    return cat, code_survey(raw, cat, columns if mapping is None else DEFAULT_COLUMNS)


def join_benchmarks(values: pd.DataFrame, names: dict[str, str], extra: Sequence[Path],
                    cat: Catalogue) -> tuple[pd.DataFrame, dict[str, str]]:
    """Add the regions of extra score tables to the portfolio."""
    names = dict(names)
    for path in extra:
        more, more_names = read_benchmark(path, cat)
        clash = sorted(set(more.index) & set(values.index))
        if clash:
            raise InputError.single(str(path), f"regions {clash} are already in the survey "
                                    "export or another benchmark table", column="region")
        values = pd.concat([values, more.reindex(columns=values.columns)])
        names.update(more_names)
    return values, names


def from_export(survey: Path, region: str, step: Step, *, definitions: Path | None = None,
                columns: Columns = DEFAULT_COLUMNS, benchmark_tables: Sequence[Path] = (),
                min_respondents: int | None = None, mapping: Path | None = None,
                counts: CountsFiles | None = None,
                log: Callable[[str], None] = lambda _m: None) -> Inputs:
    """Read, validate and score an export; every region in it forms the portfolio."""
    step("load", "loading and validating the survey")
    cat = catalogue(definitions, min_respondents)
    knowledge, class_labels = counts.spaces() if counts else ([], {})
    raw = read_input(survey, cat, mapping)
    responses = code_survey(raw, cat, columns if mapping is None else DEFAULT_COLUMNS)
    for warning in responses.warnings:
        log(f"    {warning}")
    for line in left_out(responses.dropped, len(responses.meta)):
        log(f"    {line}")
    if region not in responses.region_names:
        known = ", ".join(sorted(responses.region_names))
        raise UsageError(f"region {region!r} is not in {survey}; regions there: {known}")
    step("score", "scoring indicators")
    scores = score(responses, cat)
    values, names = join_benchmarks(scores.values, scores.region_names, benchmark_tables, cat)
    members = {str(r): Member(str(r), None, "", int(scores.respondents.loc[r].sum()))
               for r in scores.values.index}
    return Inputs(cat, scores, values, names, printable(Path(survey).name),
                  source_hash=sha256_file(survey), members=members, knowledge=knowledge,
                  class_labels=class_labels, answer_counts=answer_counts(responses, region),
                  responses=responses)


def from_store(db: Path, region: str, step: Step, *, wave: str | None = None,
               definitions: Path | None = None, same_version: bool = True,
               benchmark_tables: Sequence[Path] = (), min_respondents: int | None = None,
               resamples: int | None = None) -> Inputs:
    """Score a stored wave; the latest wave of every other region forms the portfolio.

    For an earlier wave of the region, only the other regions' waves labelled no later count.

    Every value compared is made under this build's rules (catalogue, `min_respondents`,
    scoring version): stored scores are used where they were computed under the same rules
    (the common case, and what keeps a Europe-wide batch fast), other waves are scored afresh
    from their stored answers. Only waves of another catalogue version (admitted with
    --any-catalogue-version, or history) keep their own values; the report says so. When
    the report resamples respondents (`resamples`, else the catalogue's rule, above 0), every
    wave of this version is read from its answers, so that each region can be resampled.
    """
    from reportgen.store import read as store
    from reportgen.store import session

    step("load", "loading the waves from the portfolio database")
    cat = catalogue(definitions, min_respondents)
    with session(db, create=False) as conn:
        chosen = store.select_wave(conn, region, wave)
        store.check_catalogue(chosen, cat)
        # An earlier wave of the region is compared with the portfolio as it stood then.
        newest = store.select_wave(conn, region, None)
        latest = store.latest_waves(conn, cat, region, same_version,
                                    until=None if chosen.id == newest.id else chosen.label)
        rules = rules_fingerprint(cat)
        same = [w for w in latest.values() if w.catalogue_version == cat.version]
        count, _seed = plan(cat, resamples)
        again_now = same if count > 0 else [w for w in same if w.rules != rules]
        stored, names, members = store.portfolio(conn, latest)
        questions = [q.id for q in cat.questions]
        answers = store.waves_answers(conn, [chosen, *again_now], questions,
                                      f"{Path(db).name}: wave {chosen.label} and portfolio")
        earlier = store.earlier_waves(conn, chosen)
        again = [w for w in earlier if w.catalogue_version == cat.version and w.rules != rules]
        past_answers = (store.waves_answers(conn, again, questions, f"{Path(db).name}: "
                                            "earlier waves", key=lambda w: str(w.id))
                        if again else None)
        kept = {h.label: h for h in store.history(conn, earlier)}
        last = earlier[-1] if earlier and count > 0 else None
        last_answers = (store.waves_answers(conn, [last], questions, f"{Path(db).name}: wave "
                                            f"{last.label}")
                        if last is not None and last.catalogue_version == cat.version else None)
        knowledge = knowledge_spaces(conn)
        class_labels = stored_labels(conn)
        actions = latest_actions(conn, earlier)
    # Stored answers are validated like an export, under this build's catalogue and rules.
    responses = code_survey(answers, cat, DEFAULT_COLUMNS)
    past = code_survey(past_answers, cat, DEFAULT_COLUMNS) if past_answers else None
    previous = code_survey(last_answers, cat, DEFAULT_COLUMNS) if last_answers else None
    step("score", "scoring indicators")
    scores = score(responses, cat)
    history = _history(earlier, past, kept, cat, rules)
    rescored = {w.id for w in again_now}
    foreign = [r for r, w in latest.items() if w.id not in rescored]
    values = pd.concat([scores.values,
                        stored.reindex(index=foreign, columns=scores.values.columns)])
    values, names = join_benchmarks(values, names, benchmark_tables, cat)
    return Inputs(cat, scores, values, names, f"{Path(db).name}, {chosen.source_name}",
                  chosen.label, history, chosen.source_hash, members, knowledge, class_labels,
                  actions, answer_counts(responses, region), responses, previous,
                  synthetic=any(w.synthetic for w in [chosen, *latest.values()]))


def knowledge_spaces(conn: sqlite3.Connection) -> list[tuple[str, Space]]:
    """Analyse the stored activity counts of every period, oldest first."""
    from reportgen.store.knowledge import stored_counts

    table = stored_counts(conn)
    # A batch builds hundreds of reports from the same counts in one worker: analyse each
    # distinct table once (keyed by its content, so a later import is never missed).
    key = sha256_bytes(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    if key not in _ANALYSED:
        _ANALYSED.clear()  # one portfolio at a time: memory stays flat
        _ANALYSED[key] = spaces_of(table)
    return _ANALYSED[key]


_ANALYSED: dict[str, list[tuple[str, Space]]] = {}


def _history(earlier: list[Wave], past: Responses | None, kept: dict[str, WaveValues],
             cat: Catalogue, rules: str) -> list[WaveValues]:
    """Values of the earlier waves under this build's rules, where the version allows it."""
    rescored = score(past, cat) if past is not None else None
    out = []
    for w in earlier:
        if w.rules == rules:
            out.append(kept[w.label])
            continue
        if rescored is None or str(w.id) not in rescored.values.index:
            out.append(replace(kept[w.label], catalogue_version=w.catalogue_version))
            continue
        row, n, se = (t.loc[str(w.id)] for t in (rescored.values, rescored.counts,
                                                 rescored.errors))
        out.append(WaveValues(w.label, {k: None if pd.isna(v) else float(v)
                                        for k, v in row.items()},
                              {k: int(v) for k, v in n.items()},
                              {k: None if pd.isna(v) else float(v) for k, v in se.items()}))
    return out


def rescored_scores(conn: sqlite3.Connection, cat: Catalogue) -> tuple[pd.DataFrame, list[str]]:
    """Score every active wave of `cat` afresh from its stored answers, under `cat`'s rules.

    Returns the table in the shape of store.overview.all_scores, and the waves of other
    catalogues or versions that cannot be scored so (the caller leaves them out). Stored
    region values include every group that reached the minimum at import; a higher minimum
    must leave them out, or a hidden group value follows by subtraction.
    """
    from reportgen.scoring.tables import tidy
    from reportgen.store import read as store

    everything = store.waves(conn)
    mine = [w for w in everything
            if (w.catalogue_id, w.catalogue_version) == (cat.id, cat.version)]
    others = [f"{w.region} {w.label}" for w in everything if w not in mine]
    if not mine:
        return pd.DataFrame(), others
    raw = store.waves_answers(conn, mine, [q.id for q in cat.questions], "stored answers",
                              key=lambda w: str(w.id))
    table = tidy(score(code_survey(raw, cat, DEFAULT_COLUMNS), cat), cat)
    by_id = {str(w.id): w for w in mine}
    regions = {code: (name, country) for code, name, country in conn.execute(
        "SELECT code, name, COALESCE(country, '') FROM regions")}
    wave_of = table["region"].map(lambda k: by_id[str(k)])
    table = table.assign(region=wave_of.map(lambda w: w.region),
                         wave=wave_of.map(lambda w: w.label))
    table = table.assign(region_name=table["region"].map(lambda r: regions[r][0]),
                         country=table["region"].map(lambda r: regions[r][1]))
    return table[["region", "region_name", "country", "wave", "catalogue", "catalogue_version",
                  "level", "kind", "dimension", "id", "value", "n", "se"]], others

"""The Policy Learning Workshop pack of a region: built from the same context as its report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportgen.build import compose, file_stem, language_tag, source
from reportgen.output import staged_folder
from reportgen.report.charts import rasters
from reportgen.report.settings import ReportSettings
from reportgen.workshop.pack import Pack, write_pack

__all__ = ["build_workshop"]


def build_workshop(region: str, out_dir: Path, *, settings: ReportSettings,
                   cases: Path | None = None, synthetic: bool = False,
                   templates: Sequence[Path] = (), force: bool = False,
                   **where: Any) -> tuple[Path, Pack]:
    """Write `region`'s workshop pack into a new folder in `out_dir`; return it and its files.

    `where` selects the source as for build_report (survey or db, wave, definitions, …).
    """
    load = source(region, min_respondents=settings.min_respondents,
                  resamples=settings.resamples, **where)
    # Charts are drawn in this process, so that each is also kept as PNG for the slides.
    with rasters() as pngs:
        done = compose(region, load, cases=cases, synthetic=synthetic, templates=templates,
                       settings=settings, parallel=False)
    stem = file_stem(region, done.inputs.wave, language_tag(done))
    # A failed run removes the folder it made: nothing half-written stays behind.
    with staged_folder(Path(out_dir) / f"{stem}-workshop", force) as (folder, stage):
        pack = write_pack(done.report, done.lang, pngs, stage, templates)
    return folder, pack

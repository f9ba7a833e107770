"""The evidence a report carries: its scores, its catalogue and how it was made."""

from __future__ import annotations

import json
from pathlib import Path

from reportgen.clock import now
from reportgen.digest import sha256_bytes as sha256
from reportgen.report.pdf import Attached
from reportgen.report.settings import ReportSettings
from reportgen.resources import default_catalogue
from reportgen.scored import Inputs


def evidence(region: str, inputs: Inputs, scores_csv: bytes, definitions: Path | None,
             cases: Path | None, settings: ReportSettings, generator: str,
             variant: str, scores_name: str) -> list[Attached]:
    """Return the attachments: scores CSV (as `scores_name`), catalogue YAML, the translation
    file the report's texts come from if any, and a provenance manifest."""
    catalogue_path = Path(definitions or default_catalogue())
    catalogue_yaml = catalogue_path.read_bytes()
    cat, rules = inputs.catalogue, inputs.catalogue.rules
    # The report's wording in another language is part of the catalogue it rests on.
    wording = catalogue_path.with_name(f"{catalogue_path.stem}.{settings.language}.yaml")
    translation = (wording.read_bytes() if settings.language != cat.language
                   and wording.is_file() else None)
    manifest = {
        "generator": generator,
        "generated_at": now().isoformat(),
        "region": region,
        "wave": inputs.wave,
        "previous_waves": [w.label for w in inputs.history],
        "language": settings.language,
        "pdf_variant": variant,
        "catalogue": {"id": cat.id, "version": cat.version, "title": cat.title,
                      "file": catalogue_path.name, "sha256": sha256(catalogue_yaml),
                      "translation": {"file": wording.name, "sha256": sha256(translation)}
                      if translation is not None else None},
        "inputs": {"survey": inputs.source, "survey_sha256": inputs.source_hash,
                   "cases": cases.name if cases else None,
                   "cases_sha256": sha256(cases.read_bytes()) if cases else None},
        "thresholds": {"min_respondents": rules.min_respondents,
                       "min_items_share": rules.min_items_share,
                       "composite_min_share": rules.composite_min_share},
        "portfolio_regions": sorted(str(r) for r in inputs.values.index if r != region),
        "scores_sha256": sha256(scores_csv),
    }
    texts = ([Attached(wording.name, translation, f"Texts of catalogue {cat.id} "
                       f"{cat.version} in {settings.language}", relationship="Source")]
             if translation is not None else [])
    return [
        Attached(scores_name, scores_csv, "Scores of the region: one row per "
                 "indicator, composite and stakeholder group, with respondent counts"),
        Attached(catalogue_path.name, catalogue_yaml, f"Indicator catalogue {cat.id} "
                 f"{cat.version}", relationship="Source"),
        *texts,
        Attached("provenance.json", json.dumps(manifest, indent=2).encode(), "How this "
                 "report was made: tool version, catalogue, input hashes, wave, thresholds, "
                 "time", relationship="Supplement"),
    ]

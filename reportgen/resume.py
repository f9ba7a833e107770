"""Resumable batches: a report whose inputs have not changed since its build is skipped."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from reportgen.digest import sha256_bytes, sha256_file

MANIFEST = ".reportgen-batch.json"


def _digest(path: Path | None) -> str:
    return sha256_file(path) if path else ""


def input_keys(conn: sqlite3.Connection, regions: list[str], options: dict[str, Any],
               generator: str) -> dict[str, str]:
    """Fingerprint each region's report inputs: every active wave, files, settings, version.

    Any new or replaced wave anywhere changes every key, since it changes the portfolio that
    each report is benchmarked against.
    """
    waves = conn.execute("SELECT id, region, label, source_hash FROM waves WHERE status = "
                         "'active' ORDER BY id").fetchall()
    places = conn.execute("SELECT code, name, country, nuts FROM regions ORDER BY code").fetchall()
    files = [_digest(options.get(k)) for k in ("definitions", "cases")]
    settings = {k: repr(v) for k, v in sorted(options.items()) if k not in ("db", "force")}
    shared = json.dumps([waves, places, files, settings, generator], default=str)
    return {r: sha256_bytes(f"{shared}\n{r}".encode()) for r in regions}


def load(out_dir: Path) -> dict[str, dict[str, str]]:
    """Read the manifest of earlier batches in `out_dir` (empty when there is none)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(manifest: dict[str, dict[str, str]], region: str, key: str) -> bool:
    """Tell whether the region's last report was built from the same inputs and still exists."""
    entry = manifest.get(region)
    return (isinstance(entry, dict) and entry.get("key") == key
            and Path(entry.get("pdf", "")).is_file())


def save(out_dir: Path, manifest: dict[str, dict[str, str]]) -> None:
    """Write the manifest atomically (a killed batch leaves the previous one intact)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(out_dir / MANIFEST)

"""Fingerprint files and bytes: the SHA-256 every provenance and no-op check uses."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return sha256_bytes(Path(path).read_bytes())

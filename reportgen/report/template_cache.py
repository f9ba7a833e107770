"""Cache compiled packaged templates per user, in a folder no one else can write."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

import jinja2

from reportgen.resources import templates_dir


class PrivateCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache of the packaged templates only; it never fails a build.

    User templates are compiled afresh each time: a template that fails (or is changed, or
    is hostile) never leaves an entry behind. A read-only home just means no cache.
    """

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        packaged = filename is not None and Path(filename).resolve().is_relative_to(
            templates_dir().resolve())
        bucket.reportgen_packaged = packaged  # type: ignore[attr-defined]
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if getattr(bucket, "reportgen_packaged", True):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if getattr(bucket, "reportgen_packaged", False):
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)


def _private(folder: Path) -> bool:
    """Tell whether `folder` is ours alone: owned by us, writable by no one else."""
    info = folder.lstat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return (stat.S_ISDIR(info.st_mode) and owner_ok
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def bytecode_cache() -> Any:
    """Return the per-user cache (compiling costs a tenth of a second a build), or None.

    The folder is created 0700; an existing one that another user owns or could write is
    never loaded from, since cached bytecode runs as code.
    """
    root = os.environ.get("REPORTGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "reportgen")
    folder = Path(root) / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not (_private(folder) and _private(folder.parent)):
            return None
    except OSError:
        return None
    # Entries are keyed by template name and a checksum of its source, so upgrades never
    # see a stale template.
    return PrivateCache(str(folder))

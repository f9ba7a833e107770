"""Write output files all-or-nothing, never overwriting an earlier report silently."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def free_name(path: Path, force: bool) -> Path:
    """Return `path`, or with --force off and the file present, the next `stem-N` name."""
    if force or not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


@contextmanager
def staged(out_dir: Path) -> Iterator[Callable[[str], Path]]:
    """Stage files in a temporary folder beside `out_dir`; move them in only on success.

    Yields `stage(name)`, which returns the temporary path to write `name` to. If the block
    raises, every staged file is removed and `out_dir` is untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".reportgen-", dir=out_dir))
    staged_files: dict[str, Path] = {}

    def stage(name: str) -> Path:
        staged_files[name] = tmp / name
        return staged_files[name]

    try:
        yield stage
        for name, src in staged_files.items():
            os.replace(src, out_dir / name)
    finally:
        for leftover in tmp.iterdir():
            leftover.unlink()
        tmp.rmdir()

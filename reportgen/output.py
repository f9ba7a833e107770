"""Write output files all-or-nothing, never overwriting an earlier report silently."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.errors import UsageError
from reportgen.interrupt import deferred
from reportgen.terminal import one_line


def free_name(path: Path, force: bool) -> Path:
    """Return `path`, or with --force off and the file present, the next `stem-N` name."""
    return path if force else path.parent / numbered(path.name, free_number(path.parent,
                                                                              [path.name]))


def numbered(name: str, n: int) -> str:
    """Return `name` with `-n` before its extension; n = 0 leaves it as it is."""
    path = Path(name)
    return name if n == 0 else str(path.with_name(f"{path.stem}-{n}{path.suffix}"))


def free_number(folder: Path, names: list[str]) -> int:
    """Return 0 if every name is free in `folder`, else the first n free for all of them.

    One number for the whole set: a report-2.pdf beside the scores.csv of an older build
    would pair files of two builds.
    """
    n = 0
    while any((folder / numbered(name, n)).exists() for name in names):
        n = 2 if n == 0 else n + 1
    return n


def claim(src: Path, target: Path, after: Callable[[Path], Path] | None = None) -> Path:
    """Move `src` to `target`, or to the next free name if `target` exists by then.

    A hard link creates the name only if it is free, atomically, so two builds racing for
    one name both keep their file. `after` gives the name to try after a taken one
    (default: the next `stem-N`).
    """
    step = after or (lambda taken: free_name(taken, False))
    while True:
        try:
            os.link(src, target)
        except FileExistsError:
            target = step(target)
            continue
        except OSError as exc:  # no hard links here (some network or FAT file systems)
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise
            try:
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                target = step(target)
                continue
            os.replace(src, target)
            return target
        src.unlink()
        return target


class Stage:
    """Temporary paths for the files of one output, and their final names once moved."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.files: dict[str, Path] = {}
        self.final: dict[str, Path] = {}

    def __call__(self, name: str) -> Path:
        """Return the temporary path to write `name` to."""
        self.files[name] = self.tmp / name
        return self.files[name]


@contextmanager
def staged(out_dir: Path, force: bool = False) -> Iterator[Stage]:
    """Stage files in a temporary folder beside `out_dir`; move them in only on success.

    Yields `stage(name)`, which returns the temporary path to write `name` to; afterwards
    `stage.final[name]` is where the file went (another name if a racing build took it,
    unless `force`). If the block raises, every staged file is removed.
    """
    made = _missing_folders(out_dir)
    make_folder(out_dir)
    _sweep(out_dir)
    # The pid in the name lets a later build tell a killed build's folder from a running one.
    stage = Stage(Path(tempfile.mkdtemp(prefix=f".reportgen-{os.getpid()}-", dir=out_dir)))
    done = False
    try:
        yield stage
        # The set arrives whole or not at all: a signal waits until every file is moved in.
        with deferred():
            n = 0 if force else free_number(out_dir, list(stage.files))
            for name, src in stage.files.items():
                target = out_dir / numbered(name, n)
                stage.final[name] = target if force else claim(src, target)
                if force:
                    os.replace(src, target)
            done = True
    finally:
        for leftover in stage.tmp.iterdir():
            leftover.unlink()
        stage.tmp.rmdir()
        if not done:
            for folder in made:  # folders this build created stay only with its files
                with contextlib.suppress(OSError):
                    folder.rmdir()


@contextmanager
def staged_folder(folder: Path, force: bool = False) -> Iterator[tuple[Path, Stage]]:
    """Stage the files of a new folder: `folder`, or the next free `folder-N`.

    A folder that a killed run left holding only its staging folder is cleared first, so
    the name is free again rather than skipped for ever.
    """
    if folder.parent.is_dir():
        for old in folder.parent.glob(f"{glob.escape(folder.name)}*"):
            if old.is_dir() and not old.is_symlink() and _sweep(old):
                with contextlib.suppress(OSError):
                    old.rmdir()  # only if the killed run's staging was all it held
    target = free_name(folder, force)
    with staged(target, force) as stage:
        yield target, stage


def partial(target: Path) -> Path:
    """Return the hidden name to write `target` under until it is whole (pid inside)."""
    for stale in target.parent.glob(".*.reportgen-*.partial"):
        pid = stale.name.rsplit(".", 2)[-2].removeprefix("reportgen-")
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)  # a killed run's half-written copy
    return target.with_name(f".{target.name}.reportgen-{os.getpid()}.partial")


def make_folder(path: Path) -> Path:
    """Create the output folder `path` (and its parents); refuse a path that is a file."""
    for part in (path, *path.parents):
        if part.exists() and not part.is_dir():
            raise UsageError(f"{one_line(path)}: the output folder cannot be made: "
                             f"{one_line(part)} is a file, not a folder")
        if part.exists():
            break
    path.mkdir(parents=True, exist_ok=True)
    return path


def _missing_folders(path: Path) -> list[Path]:
    """List `path` and its missing parents that mkdir would create, deepest first."""
    made = []
    while not path.exists() and path != path.parent:
        made.append(path)
        path = path.parent
    return made


def _sweep(out_dir: Path) -> int:
    """Remove staging folders of builds that were killed (SIGKILL leaves them behind).

    Return how many were removed.
    """
    removed = 0
    for old in out_dir.glob(".reportgen-*-*"):
        pid = old.name.split("-")[1]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            for leftover in old.iterdir():
                leftover.unlink()
            old.rmdir()
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: alive
    return True

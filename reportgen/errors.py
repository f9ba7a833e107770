"""User-facing errors: one hierarchy that the CLI turns into a message and exit code 2."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from reportgen.terminal import one_line


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    fatal: bool = True
    unit: str = "row"

    def __str__(self) -> str:
        # One problem, one line: a file name with a line break must not split it.
        where = one_line(self.file)
        if self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        level = "error" if self.fatal else "warning"
        return f"{where}: {level}: {self.message}"


class ReportgenError(Exception):
    """Base for every mistake a user can fix; never shown as a traceback."""

    exit_code = 2

    @property
    def lines(self) -> list[str]:
        """Return the message as the lines the CLI prints."""
        return [str(self)]


class InputError(ReportgenError):
    """One or more problems in an input file; all are reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(
        cls, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> InputError:
        """Build an error for a single problem."""
        return cls([Problem(file, message, row, column)])

    @property
    def lines(self) -> list[str]:
        """Return one line per problem."""
        return [str(p) for p in self.problems]


class UsageError(ReportgenError):
    """The command line asks for something that cannot be done."""


def regular_file(path: str | Path) -> Path:
    """Return `path` if it is an ordinary file; refuse devices, pipes and folders.

    Reading /dev/zero fills memory, and opening a named pipe waits for a writer forever.
    """
    found = Path(path)
    try:
        mode = found.stat().st_mode
    except FileNotFoundError:
        raise InputError.single(str(path), "file not found") from None
    except OSError as exc:
        raise InputError.single(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise InputError.single(str(path), "not a regular file (a folder, device or pipe)")
    return found

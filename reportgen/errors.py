"""User-facing errors: one hierarchy that the CLI turns into a message and exit code 2."""

from __future__ import annotations

from dataclasses import dataclass


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
        where = self.file
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

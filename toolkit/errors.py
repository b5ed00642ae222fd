"""Exceptions raised by the toolkit.

Every error the toolkit raises on purpose derives from :class:`ToolkitError`, so a caller can
catch them all at once. Validation errors carry the full list of problems rather than stopping
at the first one.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "DataValidationError",
    "FormatError",
    "Problem",
    "ToolkitError",
]


class ToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class Problem(NamedTuple):
    """One thing wrong with one value of one row of one file.

    ``row`` is the line number in the CSV file (the header is line 1, so the first data row is
    line 2); for a DataFrame that did not come from a file it is the DataFrame's index label.
    Immutable and light (a named tuple), so a large table's thousands of problems are cheap to
    build, and they are written as JSON where pandas saves ``.attrs``.
    """

    file: str
    row: object
    column: str
    value: object
    expected: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}" if self.row is not None else self.file
        column = f", column {self.column!r}" if self.column else ""
        return f"{where}{column}: {self.value!r} {self.expected}"


class DataValidationError(ToolkitError, ValueError):
    """A table broke the schema; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: list[Problem], *, limit: int = 25):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f"\n  ... and {more} more (see .problems)" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) found:\n{shown}{tail}")


class FormatError(ToolkitError, ValueError):
    """A file or argument is not in the form a function expects (the message says what is)."""

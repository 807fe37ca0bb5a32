"""The one error hierarchy of okrkit.

    OkrkitError                 anything okrkit reports to a person instead of a traceback
    ├── InvalidInput            the user's input is wrong: a file, a flag, a field
    │   └── BadRows             many rows of a file are wrong; lists every one
    ├── NotFound                a key names nothing that exists (or nothing the person
    │                           may see: a private objective is not there for others)
    ├── Forbidden               the person may see it but not do this to it
    ├── Conflict                a write was based on a stale version
    ├── RuleViolated            the input is well formed but breaks a business rule
    └── SourceUnavailable       an external source (file, database, URL) cannot be read

Catch `OkrkitError` at an interface (CLI, web) and render it; catch a subclass where a
caller can do something about that case. Domain errors carry no HTTP status and no exit
code: the interfaces map each class to theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BadRows",
    "Busy",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "OkrkitError",
    "RowError",
    "RuleViolated",
    "SourceUnavailable",
]


class OkrkitError(Exception):
    """Root of every error okrkit reports to a person in one line."""


class InvalidInput(OkrkitError):
    """The user's input is wrong; says where (source, line, field) and what.

    Args:
        message: what is wrong, in the user's words ("value 'abc' is not a number").
        source: the file or input the error is in (a path, "--green", "request body").
        line: 1-based line in `source`, when the input has lines.
        field: the column, flag or field that is wrong.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


@dataclass(frozen=True)
class RowError:
    """One thing wrong with one row of a file: where (line or row number, column) and what.

    `unit` says how `line` counts: "line" for a text file's line (the header is line 1),
    "row" for the 1-based row of a Parquet or JSON file. `column` is None when the row
    as a whole is wrong (a CSV line with too many fields).
    """

    line: int
    column: str | None
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        column = f"{self.column}: " if self.column else ""
        return f"{self.unit} {self.line}: {column}{self.reason}"


class BadRows(InvalidInput):
    """Rows of an input file are wrong; `rows` names every one, in file order.

    Raised when a whole file was checked and several rows fail, so a person can fix them
    all at once. The message summarises the first few; `rows` holds up to a cap (see
    `count` for the total number of errors and `bad_rows` for the rows they are on).
    Catch `InvalidInput` to treat it like any other bad input.
    """

    SHOWN = 5

    def __init__(
        self,
        rows: Sequence[RowError],
        *,
        source: str | None = None,
        count: int | None = None,
        bad_rows: int | None = None,
    ) -> None:
        self.rows = tuple(rows)
        self.count = len(self.rows) if count is None else count
        self.bad_rows = len({(r.unit, r.line) for r in self.rows}) if bad_rows is None else bad_rows
        shown = "; ".join(str(row) for row in self.rows[: self.SHOWN])
        more = self.count - min(len(self.rows), self.SHOWN)
        rest = f"; … and {more} more" if more > 0 else ""
        noun = "bad row" if self.bad_rows == 1 else "bad rows"
        super().__init__(f"{self.bad_rows} {noun}: {shown}{rest}", source=source)

    @property
    def truncated(self) -> bool:
        """Whether more errors were found than `rows` lists."""
        return self.count > len(self.rows)


class NotFound(OkrkitError):
    """A key (team, KPI, objective …) names nothing that exists."""


class Forbidden(OkrkitError):
    """The person acting may not do this: their role does not allow it (a viewer
    editing, an editor of another team, a read-only token writing)."""


class Conflict(OkrkitError):
    """A write was based on a version someone else has changed since."""


class RuleViolated(OkrkitError):
    """Well-formed input that a business rule forbids."""


class SourceUnavailable(OkrkitError):
    """An external source cannot be read: a missing file, an unreachable database."""


class Busy(OkrkitError):
    """The workspace's database is busy with another write (on SQLite, one writer at a
    time) and stayed busy longer than a write waits: nothing was written; try again."""

"""The one error hierarchy of okrkit.

    OkrkitError                 anything okrkit reports to a person instead of a traceback
    ├── InvalidInput            the user's input is wrong: a file, a flag, a field
    ├── NotFound                a key names nothing that exists
    ├── Conflict                a write was based on a stale version
    ├── RuleViolated            the input is well formed but breaks a business rule
    └── SourceUnavailable       an external source (file, database, URL) cannot be read

Catch `OkrkitError` at an interface (CLI, web) and render it; catch a subclass where a
caller can do something about that case. Domain errors carry no HTTP status and no exit
code: the interfaces map each class to theirs.
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "InvalidInput",
    "NotFound",
    "OkrkitError",
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


class NotFound(OkrkitError):
    """A key (team, KPI, objective …) names nothing that exists."""


class Conflict(OkrkitError):
    """A write was based on a version someone else has changed since."""


class RuleViolated(OkrkitError):
    """Well-formed input that a business rule forbids."""


class SourceUnavailable(OkrkitError):
    """An external source cannot be read: a missing file, an unreachable database."""

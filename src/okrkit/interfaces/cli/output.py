"""Shared output for CLI commands: consoles, JSON, the --format option, dates."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Status
from okrkit.domain.values import check_day
from okrkit.interfaces.documents import finite

__all__ = [
    "STATUS_STYLE",
    "FormatOption",
    "OutputFormat",
    "TodayOption",
    "console",
    "parse_date",
    "error_console",
    "print_json",
    "today_or_now",
]

# Piped output has no terminal width; tables stay readable at a generous fixed one.
console = Console(
    highlight=False, width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 140
)
error_console = Console(stderr=True, highlight=False)

# Colour is never the only signal: every styled status is printed with its word.
STATUS_STYLE = {
    Status.GREEN: "bold green",
    Status.YELLOW: "bold yellow",
    Status.RED: "bold red",
    Status.UNKNOWN: "dim",
}


class OutputFormat(StrEnum):
    """How a command prints its result."""

    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="table for people, json for scripts.", case_sensitive=False),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="Judge as of this date (YYYY-MM-DD) instead of the clock.",
        metavar="YYYY-MM-DD",
    ),
]


def parse_date(text: str, option: str) -> date:
    """A YYYY-MM-DD option value in the years okrkit keeps, or a one-line error naming
    the option."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=option) from None
    return check_day(day, option)


def today_or_now(today: str | None) -> datetime:
    """The moment a command judges as of: `--today` at midnight UTC, else the clock."""
    if today is not None:
        day = parse_date(today, "--today")
        return datetime(day.year, day.month, day.day)
    return datetime.now(UTC).replace(tzinfo=None)


def print_json(document: Any) -> None:
    """Exact JSON on stdout: full-precision numbers, NaN as null, one trailing newline."""
    sys.stdout.write(json.dumps(finite(document), ensure_ascii=False) + "\n")

"""Which database, and a connection pool to it.

The embedded default is SQLite in WAL mode in the platform's data directory
(`~/.local/share/okrkit/okrkit.db` on Linux); `OKRKIT_DATABASE_URL` selects another,
PostgreSQL included (`postgresql+psycopg://user@host/db`).
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import ArgumentError, DBAPIError

from okrkit.domain.errors import Busy, InvalidInput, SourceUnavailable

__all__ = [
    "BUSY_WAIT_SECONDS",
    "BUSY_WAIT_VARIABLE",
    "DATABASE_URL_VARIABLE",
    "configured_busy_wait",
    "data_folder",
    "database_url",
    "make_engine",
]

DATABASE_URL_VARIABLE = "OKRKIT_DATABASE_URL"


def data_folder() -> Path:
    """The platform data directory, which holds the embedded SQLite file (created)."""
    folder = Path(platformdirs.user_data_dir("okrkit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url() -> str:
    """`OKRKIT_DATABASE_URL`, or the embedded SQLite file in the platform data directory.
    A database in memory is refused: a workspace there is gone when the command ends."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url.split("?", 1)[0] in ("sqlite://", "sqlite:///", "sqlite:///:memory:"):
        raise InvalidInput(
            f"{url!r} is a database in memory, gone when the command ends: give a file, "
            "sqlite:///PATH",
            field=DATABASE_URL_VARIABLE,
        )
    if url:
        return url
    return f"sqlite:///{data_folder() / 'okrkit.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_wait: float) -> None:
    # WAL lets readers (the web app) work while an import writes; foreign keys are off
    # by default in SQLite; a busy writer is waited for rather than failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={round(busy_wait * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# How long a write waits for SQLite's one write lock before it is answered "busy"
# (`OKRKIT_BUSY_WAIT_SECONDS` sets another, in seconds).
BUSY_WAIT_SECONDS = 10
BUSY_WAIT_VARIABLE = "OKRKIT_BUSY_WAIT_SECONDS"


def configured_busy_wait() -> float:
    """`OKRKIT_BUSY_WAIT_SECONDS` (a number of seconds above 0 and at most an hour), or
    `BUSY_WAIT_SECONDS`."""
    text = os.environ.get(BUSY_WAIT_VARIABLE, "").strip()
    if not text:
        return BUSY_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= 3600:
        raise InvalidInput(
            f"{text!r} is not a number of seconds from 0 to 3600", field=BUSY_WAIT_VARIABLE
        )
    return seconds


def _in_words(context: ExceptionContext, *, busy_wait: float) -> Exception | None:
    """The driver's errors a person can act on, as okrkit's own (the interfaces answer
    them: 503 "busy, try again", 422 naming the byte), instead of a failure: SQLite's
    write lock still held after the wait, and a NUL byte PostgreSQL's text cannot hold
    (SQLite would store it; every edge refuses it before, this is the last guard)."""
    cause = str(context.original_exception)
    if "database is locked" in cause or "database table is locked" in cause:
        return Busy(
            f"the workspace is busy with another write (waited {busy_wait:g} s): "
            "nothing was written; try again in a moment"
        )
    if isinstance(context.original_exception, OverflowError) or "integer out of range" in cause:
        # Stored integers are 64-bit (SQLite) or narrower columns (PostgreSQL): an id or
        # version above them names nothing that exists.
        return InvalidInput(
            "a number is too large to be an id or a version (at most 9,223,372,036,854,775,807)"
        )
    if "cannot contain NUL" in cause:
        return InvalidInput("a text holds a NUL byte (\\x00), which no text can hold")
    if context.connection is None and isinstance(context.sqlalchemy_exception, DBAPIError):
        # Opening a connection failed: no such folder, no server, refused, no database.
        url = context.engine.url.render_as_string(hide_password=True) if context.engine else ""
        reason = (cause.strip().splitlines() or ["it could not be opened"])[-1].strip()
        return SourceUnavailable(
            f"{DATABASE_URL_VARIABLE}: cannot open the database {url}: {reason}"
        )
    return None


def make_engine(url: str | None = None, *, busy_wait: float | None = None) -> Engine:
    """An engine for the URL (default: `database_url()`), set up for okrkit's use; on
    SQLite a write waits `busy_wait` seconds (default: `configured_busy_wait()`) for
    another write's lock, then is `Busy`."""
    url = url or database_url()
    wait = configured_busy_wait() if busy_wait is None else busy_wait
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith(("sqlite", "postgresql+psycopg")):
        raise InvalidInput(
            f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:///PATH or "
            "postgresql://USER@HOST/DB",
            field=DATABASE_URL_VARIABLE,
        )
    try:
        return _engine(url, wait)
    except (ArgumentError, ValueError) as error:
        raise InvalidInput(
            f"not a database URL okrkit can read ({error}): use sqlite:///PATH or "
            "postgresql://USER@HOST/DB",
            field=DATABASE_URL_VARIABLE,
        ) from None


def _engine(url: str, wait: float) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", functools.partial(_sqlite_pragmas, busy_wait=wait))
        event.listen(engine, "handle_error", functools.partial(_in_words, busy_wait=wait))
        return engine
    # Times are stored and read as UTC whatever the server's or the user's time zone.
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"options": "-c timezone=UTC"},
    )
    event.listen(engine, "handle_error", functools.partial(_in_words, busy_wait=wait))
    return engine

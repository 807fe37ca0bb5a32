"""Which database, and a connection pool to it.

The embedded default is SQLite in WAL mode in the platform's data directory
(`~/.local/share/okrkit/okrkit.db` on Linux); `OKRKIT_DATABASE_URL` selects another,
PostgreSQL included (`postgresql+psycopg://user@host/db`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event

from okrkit.domain.errors import InvalidInput

__all__ = ["DATABASE_URL_VARIABLE", "data_folder", "database_url", "make_engine"]

DATABASE_URL_VARIABLE = "OKRKIT_DATABASE_URL"


def data_folder() -> Path:
    """The platform data directory, which holds the embedded SQLite file (created)."""
    folder = Path(platformdirs.user_data_dir("okrkit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url() -> str:
    """`OKRKIT_DATABASE_URL`, or the embedded SQLite file in the platform data directory."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url:
        return url
    return f"sqlite:///{data_folder() / 'okrkit.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the web app) work while an import writes; foreign keys are off
    # by default in SQLite; a busy writer is waited for rather than failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL (default: `database_url()`), set up for okrkit's use."""
    url = url or database_url()
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
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Times are stored and read as UTC whatever the server's or the user's time zone.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"options": "-c timezone=UTC"},
    )

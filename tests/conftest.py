"""Settings and fixtures shared by every test tier.

Store-backed tests run twice: on SQLite (the embedded default most users run) and on a
real PostgreSQL server that this session starts itself. A tier that cannot run fails
with the reason; nothing is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.tables import metadata
from okrkit.adapters.store.uow import SqlUnitOfWork
from tests.support import postgres

# Adds up the API fuzz's figures over its tests (and xdist's workers).
pytest_plugins = ["tests.support.api_fuzz", "tests.support.matrix_report"]

# The terminal the CLI's output is written for, set before anything imports the CLI (its
# consoles read it once): wide, for readable tables, and without colour.
os.environ.update({"COLUMNS": "160", "NO_COLOR": "1"})

# CI machines are small and shared: a slow example is not a failure, a wrong one is.
settings.register_profile("okrkit", deadline=None, print_blob=True)
settings.load_profile("okrkit")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    """One real PostgreSQL server for the whole session, migrated to head."""
    server = postgres.start()
    engine = make_engine(server.url)
    upgrade(engine)
    engine.dispose()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_engine(postgres_server: postgres.PostgresServer) -> Iterator[Engine]:
    engine = make_engine(postgres_server.url)
    yield engine
    engine.dispose()


def empty_postgres(engine: Engine) -> None:
    """Remove every row (fast: one TRUNCATE), keeping the migrated schema."""
    tables = ", ".join(t.name for t in reversed(metadata.sorted_tables))
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def postgres_url(postgres_server: postgres.PostgresServer, postgres_engine: Engine) -> str:
    """The URL of the session's PostgreSQL database, emptied for this test."""
    empty_postgres(postgres_engine)
    return postgres_server.url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        sqlite = make_engine(f"sqlite:///{tmp_path / 'okrkit.db'}")
        upgrade(sqlite)
        yield sqlite
        sqlite.dispose()
    else:
        pg: Engine = request.getfixturevalue("postgres_engine")
        empty_postgres(pg)
        yield pg


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    """A unit of work on the test database (each `with` is one transaction)."""
    return SqlUnitOfWork(engine)

"""The engine's settings that every connection relies on."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.errors import Busy, InvalidInput
from okrkit.services.teams import CreateTeam, create_team, list_teams
from tests.support.actors import as_actor

NOW = datetime(2026, 11, 23, 9, 30)


def test_postgresql_sessions_read_times_in_utc_whatever_the_server_zone(
    postgres_url: str,
) -> None:
    """A naive UTC time written through okrkit reads back as the same UTC moment, even
    when the database's own time zone is New York."""
    admin = make_engine(postgres_url)
    database = admin.url.database
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"ALTER DATABASE \"{database}\" SET timezone = 'America/New_York'"))
    admin.dispose()
    engine = make_engine(postgres_url)
    try:
        with engine.begin() as connection:
            assert connection.execute(text("SHOW timezone")).scalar_one() == "UTC"
            stored = connection.execute(
                text("SELECT CAST(:moment AS timestamptz)"),
                {"moment": datetime(2026, 11, 23, 9, 30)},
            ).scalar_one()
        assert stored == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    finally:
        engine.dispose()
        admin = make_engine(postgres_url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" RESET timezone'))
        admin.dispose()


def test_a_write_that_meets_another_writes_lock_is_busy_and_writes_nothing(tmp_path) -> None:
    """SQLite has one writer at a time: a write that still finds the lock held after its
    wait is `Busy` (the interfaces answer 503 / exit 75), never "database is locked",
    and nothing of it is written."""
    path = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{path}", busy_wait=0.2)
    upgrade(engine)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write
    try:
        began = time.monotonic()
        with pytest.raises(Busy, match=r"busy with another write \(waited 0.2 s\)"):
            create_team(SqlUnitOfWork(engine), CreateTeam("ops", "Ops"), as_actor("maya"), NOW)
        assert time.monotonic() - began < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list_teams(SqlUnitOfWork(engine)) == []
    engine.dispose()


def test_a_nul_byte_postgresql_cannot_store_is_invalid_input(postgres_url: str) -> None:
    """PostgreSQL's text cannot hold a NUL byte; should one reach it past every edge,
    it is refused as invalid input naming the byte, not a driver's failure."""
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection, pytest.raises(InvalidInput, match="NUL byte"):
            connection.execute(text("SELECT CAST(:name AS text)"), {"name": "O\x00ps"})
    finally:
        engine.dispose()

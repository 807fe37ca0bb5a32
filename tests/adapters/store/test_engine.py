"""The engine's settings that every connection relies on."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from okrkit.adapters.store.engine import make_engine


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

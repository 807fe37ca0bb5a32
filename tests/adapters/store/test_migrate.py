"""The migrations build exactly the tables the store's code describes, and keep data."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import current_revision, head_revision, upgrade
from okrkit.adapters.store.tables import metadata


def test_migrated_schema_is_the_code_s_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    assert current_revision(engine) == head_revision()


def _table_sql(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(
            connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'kpi_values'")
            ).scalar_one()
        )


def test_sqlite_values_move_to_a_clustered_table_and_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'okrkit.db'}")
    assert upgrade(engine, "0001") == "0001"
    now = "2026-11-23 09:00:00"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO teams (key, name, version, created_at, updated_at, updated_by) "
                "VALUES ('growth', 'Growth', 1, :now, :now, 'test')"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO kpis (key, name, direction, cadence, team_id, version, "
                "created_at, updated_at, updated_by) "
                "VALUES ('dau', 'DAU', 'higher', 'daily', 1, 1, :now, :now, 'test')"
            ),
            {"now": now},
        )
        connection.execute(
            text("INSERT INTO kpi_values (kpi_id, segment, ts, value) VALUES (1, :s, :ts, :v)"),
            [{"s": s, "ts": ts, "v": ts / 10} for s in ("", "eu") for ts in (30, 10, 20)],
        )
    assert "WITHOUT ROWID" not in _table_sql(engine)

    assert upgrade(engine, "0002") == "0002"
    assert "WITHOUT ROWID" in _table_sql(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT kpi_id, segment, ts, value FROM kpi_values ORDER BY segment, ts")
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, s, ts, ts / 10) for s in ("", "eu") for ts in (10, 20, 30)
    ]
    # The key and the cascade from the KPI survive the rebuild.
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM kpis WHERE key = 'dau'"))
        assert connection.execute(text("SELECT count(*) FROM kpi_values")).scalar_one() == 0
    engine.dispose()

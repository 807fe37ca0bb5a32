"""KPI values stored in their key's order on SQLite (a WITHOUT ROWID table).

A rowid table keeps the values apart from the primary key (kpi_id, segment, ts), so
reading a KPI's window looked every row up twice; clustered by the key, a window is one
range of the B-tree and the file is about half the size. PostgreSQL keeps its heap
table and primary-key index: nothing changes there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = """
    kpi_id INTEGER NOT NULL,
    segment VARCHAR(200) DEFAULT '' NOT NULL,
    ts BIGINT NOT NULL,
    value FLOAT NOT NULL,
    CONSTRAINT pk_kpi_values PRIMARY KEY (kpi_id, segment, ts),
    CONSTRAINT fk_kpi_values_kpi_id_kpis FOREIGN KEY(kpi_id) REFERENCES kpis (id)
        ON DELETE CASCADE
"""


def _rebuild(clustered: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    layout = " WITHOUT ROWID" if clustered else ""
    op.execute(f"CREATE TABLE kpi_values_new ({_COLUMNS}){layout}")
    op.execute(
        "INSERT INTO kpi_values_new (kpi_id, segment, ts, value) "
        "SELECT kpi_id, segment, ts, value FROM kpi_values ORDER BY kpi_id, segment, ts"
    )
    op.execute("DROP TABLE kpi_values")
    op.execute("ALTER TABLE kpi_values_new RENAME TO kpi_values")


def upgrade() -> None:
    _rebuild(clustered=True)


def downgrade() -> None:
    _rebuild(clustered=False)

"""Corrections of KPI values: every import recorded, every value it replaced kept, and
the plausible range a KPI may override.

- `value_imports`: one row per write of values — a file or request body imported, a
  value typed in, a value deleted — with who, when, from where and its counts; an undone
  one says when and by whom.
- `value_import_kpis`: the KPIs each one touched (a KPI's imports are listed from it).
- `kpi_values.import_id`: the write that last set each value (none for values written
  before this migration), so undoing an import finds the values it still holds.
- `value_history`: every value replaced or deleted, with what it was and which write
  had set it. A trigger on `kpi_values` writes it for every change of a value, whoever
  makes it (a bulk upsert, a COPY merge), so nothing is overwritten without a trace; a
  deletion writes its row itself.
- `pending_imports`: a file uploaded on a page, kept between its preview and the
  person's confirmation (or until it expires).
- `kpis.lowest` and `kpis.highest`: a KPI's own plausible range, when its unit's is
  wrong for it (a retention of 120 %).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_HISTORY_COLUMNS = "import_id, kpi_id, segment, ts, before, before_import, after"
_HISTORY_VALUES = (
    "NEW.import_id, OLD.kpi_id, OLD.segment, OLD.ts, OLD.value, OLD.import_id, NEW.value"
)


def upgrade() -> None:
    op.add_column("kpis", sa.Column("lowest", sa.Float, nullable=True))
    op.add_column("kpis", sa.Column("highest", sa.Float, nullable=True))
    op.create_table(
        "value_imports",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("replaced", sa.Integer, nullable=False),
        sa.Column("first", sa.BigInteger, nullable=True),
        sa.Column("last", sa.BigInteger, nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(254), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_value_imports"),
    )
    op.create_table(
        "value_import_kpis",
        sa.Column("kpi_id", sa.Integer, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("kpi_id", "import_id", name="pk_value_import_kpis"),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_value_import_kpis_kpi_id_kpis", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["value_imports.id"],
            name="fk_value_import_kpis_import_id_value_imports",
            ondelete="CASCADE",
        ),
    )
    op.add_column("kpi_values", sa.Column("import_id", sa.Integer, nullable=True))
    op.create_table(
        "value_history",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=True),
        sa.Column("kpi_id", sa.Integer, nullable=False),
        sa.Column("segment", sa.String(200), nullable=False),
        sa.Column("ts", sa.BigInteger, nullable=False),
        sa.Column("before", sa.Float, nullable=True),
        sa.Column("before_import", sa.Integer, nullable=True),
        sa.Column("after", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_value_history"),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_value_history_kpi_id_kpis", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_value_history_import_id", "value_history", ["import_id"])
    op.create_table(
        "pending_imports",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("kpi", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_pending_imports"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION kpi_values_history() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN INSERT INTO value_history ({_HISTORY_COLUMNS}) "
            f"VALUES ({_HISTORY_VALUES}); RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER kpi_values_history AFTER UPDATE OF value ON kpi_values "
            "FOR EACH ROW WHEN (OLD.value IS DISTINCT FROM NEW.value) "
            "EXECUTE FUNCTION kpi_values_history()"
        )
    else:
        op.execute(
            "CREATE TRIGGER kpi_values_history AFTER UPDATE OF value ON kpi_values "
            "FOR EACH ROW WHEN OLD.value IS NOT NEW.value BEGIN "
            f"INSERT INTO value_history ({_HISTORY_COLUMNS}) VALUES ({_HISTORY_VALUES}); END"
        )


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS kpi_values_history"
        + (" ON kpi_values" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS kpi_values_history()")
    op.drop_table("pending_imports")
    op.drop_index("ix_value_history_import_id", table_name="value_history")
    op.drop_table("value_history")
    with op.batch_alter_table("kpi_values") as batch:
        batch.drop_column("import_id")
    op.drop_table("value_import_kpis")
    op.drop_table("value_imports")
    with op.batch_alter_table("kpis") as batch:
        batch.drop_column("highest")
        batch.drop_column("lowest")

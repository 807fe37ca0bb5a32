"""Each KPI's dashboard tile as last judged: a read model the pages read instead of
judging every window on every request, and the KPIs' values version it is checked
against (bumped by every write of a KPI's values).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "kpis", sa.Column("values_version", sa.BigInteger, nullable=False, server_default="0")
    )
    op.create_table(
        "kpi_health",
        sa.Column("kpi_id", sa.Integer, nullable=False),
        sa.Column("format", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("kpi_id", name="pk_kpi_health"),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_kpi_health_kpi_id_kpis", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("kpi_health")
    with op.batch_alter_table("kpis") as batch:
        batch.drop_column("values_version")

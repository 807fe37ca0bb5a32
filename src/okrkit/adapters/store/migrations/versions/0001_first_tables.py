"""The first tables: teams, KPIs, KPI values, alerts and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _edited() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_key", sa.String(64), nullable=True),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="0"),
        *_edited(),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("key", name="uq_teams_key"),
    )
    op.create_table(
        "kpis",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("team_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("unit", sa.String(32), nullable=False, server_default=""),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("target", sa.Float, nullable=True),
        sa.Column("green", sa.Float, nullable=True),
        sa.Column("red", sa.Float, nullable=True),
        sa.Column("cadence", sa.String(100), nullable=False),
        sa.Column("owner", sa.String(254), nullable=True),
        sa.Column("kind", sa.String(8), nullable=False, server_default="lagging"),
        sa.Column("north_star", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("guardrail", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("formula", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("window_periods", sa.Integer, nullable=False, server_default="60"),
        sa.Column("baseline_from", sa.BigInteger, nullable=True),
        sa.Column("baseline_to", sa.BigInteger, nullable=True),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="0"),
        *_edited(),
        sa.PrimaryKeyConstraint("id", name="pk_kpis"),
        sa.UniqueConstraint("key", name="uq_kpis_key"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_kpis_team_id_teams"),
    )
    op.create_index("ix_kpis_team_id", "kpis", ["team_id"])
    op.create_table(
        "kpi_values",
        sa.Column("kpi_id", sa.Integer, nullable=False),
        sa.Column("segment", sa.String(200), nullable=False, server_default=""),
        sa.Column("ts", sa.BigInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("kpi_id", "segment", "ts", name="pk_kpi_values"),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_kpi_values_kpi_id_kpis", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kpi_id", sa.Integer, nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(8), nullable=False, server_default="open"),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_alerts_kpi_id_kpis", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_alerts_kpi_open", "alerts", ["kpi_id", "status"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_key", sa.String(64), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_key"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("alerts")
    op.drop_table("kpi_values")
    op.drop_index("ix_kpis_team_id", "kpis")
    op.drop_table("kpis")
    op.drop_table("teams")

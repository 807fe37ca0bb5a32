"""The OKR side: cycles, objectives, key results, their check-ins and initiatives.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
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
        "cycles",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        *_edited(),
        sa.PrimaryKeyConstraint("id", name="pk_cycles"),
        sa.UniqueConstraint("key", name="uq_cycles_key"),
    )
    op.create_table(
        "objectives",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("cycle_id", sa.Integer, nullable=False),
        sa.Column("team_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("type", sa.String(16), nullable=False, server_default="aspirational"),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("owner", sa.String(254), nullable=True),
        sa.Column("north_star", sa.String(64), nullable=True),
        sa.Column("private", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("parent_key", sa.String(64), nullable=True),
        sa.Column("parent_key_result_id", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("retrospective", sa.Text, nullable=False, server_default=""),
        sa.Column("carried_from", sa.String(64), nullable=True),
        *_edited(),
        sa.PrimaryKeyConstraint("id", name="pk_objectives"),
        sa.UniqueConstraint("key", name="uq_objectives_key"),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name="fk_objectives_cycle_id_cycles"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_objectives_team_id_teams"),
    )
    op.create_index("ix_objectives_parent_key", "objectives", ["parent_key"])
    op.create_index("ix_objectives_cycle_team", "objectives", ["cycle_id", "team_id"])
    op.create_table(
        "key_results",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("objective_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("type", sa.String(16), nullable=False, server_default="numeric"),
        sa.Column("unit", sa.String(32), nullable=False, server_default=""),
        sa.Column("start", sa.Float, nullable=True),
        sa.Column("target", sa.Float, nullable=True),
        sa.Column("owner", sa.String(254), nullable=True),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("guardrail", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("direction", sa.String(8), nullable=True),
        sa.Column("steps", sa.String(10000), nullable=True),
        sa.Column("kpi_id", sa.Integer, nullable=True),
        sa.Column("original_target", sa.Float, nullable=True),
        sa.Column("recalibration", sa.Text, nullable=False, server_default=""),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("score_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("final_value", sa.Float, nullable=True),
        *_edited(),
        sa.PrimaryKeyConstraint("id", name="pk_key_results"),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name="fk_key_results_objective_id_objectives",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpis.id"], name="fk_key_results_kpi_id_kpis"),
    )
    op.create_index("ix_key_results_objective_id", "key_results", ["objective_id"])
    op.create_index("ix_key_results_kpi_id", "key_results", ["kpi_id"])
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key_result_id", sa.Integer, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(254), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_check_ins"),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_results.id"],
            name="fk_check_ins_key_result_id_key_results",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_check_ins_key_result_at", "check_ins", ["key_result_id", "at"])
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key_result_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        *_edited(),
        sa.PrimaryKeyConstraint("id", name="pk_initiatives"),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_results.id"],
            name="fk_initiatives_key_result_id_key_results",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_initiatives_key_result_id", "initiatives", ["key_result_id"])


def downgrade() -> None:
    for table in ("initiatives", "check_ins", "key_results", "objectives", "cycles"):
        op.drop_table(table)

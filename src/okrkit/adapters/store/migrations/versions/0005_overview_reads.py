"""The cycle overview's reads: teams indexed by name (a page of a cycle's objectives goes
by team name, then title, without sorting the whole cycle), a cycle's owners (the owner
filter reads them from the index alone), and each objective's kept summary (the part of
its judgement that does not depend on the clock, with what it was judged on).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_teams_name_key", "teams", ["name", "key"])
    op.create_index("ix_objectives_cycle_owner", "objectives", ["cycle_id", "owner"])
    op.create_table(
        "objective_summaries",
        sa.Column("objective_id", sa.Integer, nullable=False),
        sa.Column("stamp", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("objective_id", name="pk_objective_summaries"),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name="fk_objective_summaries_objective_id_objectives",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("objective_summaries")
    op.drop_index("ix_objectives_cycle_owner", table_name="objectives")
    op.drop_index("ix_teams_name_key", table_name="teams")

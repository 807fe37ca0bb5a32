"""Indexes for the OKR listings: teams by name (a page of a cycle's objectives goes by
team name, then title, without sorting the whole cycle) and a cycle's owners (the
overview's owner filter reads them from the index alone).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_teams_name_key", "teams", ["name", "key"])
    op.create_index("ix_objectives_cycle_owner", "objectives", ["cycle_id", "owner"])


def downgrade() -> None:
    op.drop_index("ix_objectives_cycle_owner", table_name="objectives")
    op.drop_index("ix_teams_name_key", table_name="teams")

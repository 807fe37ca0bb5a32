"""Goals as code and the full linter.

- `objectives.archived`: an objective the goals files no longer name is archived by
  `okrkit apply` (kept with its history, left out of listings), as teams and KPIs are.
- `workspace_settings`: the workspace's settings, one TOML document (its `[lint]`
  section switches rules off for the workspace), versioned and audited like every edit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("objectives") as batch:
        batch.add_column(
            sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_table(
        "workspace_settings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workspace_settings"),
    )


def downgrade() -> None:
    op.drop_table("workspace_settings")
    with op.batch_alter_table("objectives") as batch:
        batch.drop_column("archived")

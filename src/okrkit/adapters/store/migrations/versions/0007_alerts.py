"""Alerts, drafts and notifications: the bridge from a KPI that slips to its OKR.

- `alerts` (replacing the unused table of 0001): one row per alert a KPI raised — its
  kind (`status`: it turned yellow or red or showed a signal in the bad direction;
  `data`: its data went stale or broke), its level, what kind of problem it is and why
  in words, the value it was raised on, the draft objective it proposed, and its life
  (open → acknowledged → resolved). A partial unique index keeps one unresolved alert
  per KPI and kind, whoever writes it.
- `objectives.urgent`: a draft proposed by a red KPI, shown above every other objective
  of its team.
- `subscriptions`: who is told, per team or per KPI (or everything): a webhook signed as
  Standard Webhooks says, a Slack incoming webhook, or an e-mail address.
- `deliveries`: the outbox. One row per message to one subscription, written in the
  transaction that raised the alert, so a crash can delay a message but never lose it;
  `payload` is the notice as it was then and `message_id` the `webhook-id` every
  attempt of it carries.
- `delivery_attempts`: every attempt, its answer and how long it took (the delivery log).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_UNRESOLVED = sa.text("state <> 'resolved'")


def upgrade() -> None:
    op.drop_index("ix_alerts_kpi_open", table_name="alerts")
    op.drop_table("alerts")
    with op.batch_alter_table("objectives") as batch:
        batch.add_column(sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kpi_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("problem", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("value_at", sa.BigInteger, nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("objective_id", sa.Integer, nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(254), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(254), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_alerts_kpi_id_kpis", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name="fk_alerts_objective_id_objectives",
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        "ux_alerts_unresolved",
        "alerts",
        ["kpi_id", "kind"],
        unique=True,
        sqlite_where=_UNRESOLVED,
        postgresql_where=_UNRESOLVED,
    )
    op.create_index("ix_alerts_state_opened", "alerts", ["state", "opened_at"])
    op.create_index("ix_alerts_objective_id", "alerts", ["objective_id"])
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("team_id", sa.Integer, nullable=True),
        sa.Column("kpi_id", sa.Integer, nullable=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("target", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=True),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("disabled_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name="fk_subscriptions_team_id_teams", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name="fk_subscriptions_kpi_id_kpis", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_subscriptions_team_id", "subscriptions", ["team_id"])
    op.create_index("ix_subscriptions_kpi_id", "subscriptions", ["kpi_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("message_id", sa.String(40), nullable=False),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("alert_id", sa.Integer, nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer, nullable=True),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("message_id", name="uq_deliveries_message_id"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_deliveries_subscription_id_subscriptions",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name="fk_deliveries_alert_id_alerts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_deliveries_state_next", "deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id"])
    op.create_index("ix_deliveries_alert_id", "deliveries", ["alert_id"])
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("delivery_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_attempts"),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name="fk_delivery_attempts_delivery_id_deliveries",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_delivery_attempts_delivery_id", "delivery_attempts", ["delivery_id"])


def downgrade() -> None:
    op.drop_index("ix_delivery_attempts_delivery_id", table_name="delivery_attempts")
    op.drop_table("delivery_attempts")
    for index in (
        "ix_deliveries_alert_id",
        "ix_deliveries_subscription_id",
        "ix_deliveries_state_next",
    ):
        op.drop_index(index, table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_subscriptions_kpi_id", table_name="subscriptions")
    op.drop_index("ix_subscriptions_team_id", table_name="subscriptions")
    op.drop_table("subscriptions")
    for index in ("ix_alerts_objective_id", "ix_alerts_state_opened", "ux_alerts_unresolved"):
        op.drop_index(index, table_name="alerts")
    op.drop_table("alerts")
    with op.batch_alter_table("objectives") as batch:
        batch.drop_column("urgent")
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

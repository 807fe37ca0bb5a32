"""Subscriptions in the store: who is told about alerts, by which channel, with the
state of each one's newest delivery for the listing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select, update

from okrkit.adapters.store.kpis import KpiIds
from okrkit.adapters.store.tables import deliveries, kpis, subscriptions, teams
from okrkit.domain.errors import NotFound
from okrkit.domain.notifications import Channel, DeliveryState
from okrkit.domain.versions import Revision
from okrkit.services.ports import StoredSubscription

__all__ = ["SubscriptionRepository", "naive_utc", "subscription_from_row", "with_keys"]


def naive_utc(moment: datetime | None) -> datetime | None:
    """A stored moment as the services keep it (PostgreSQL reads an aware one)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def subscription_from_row(row: Row[Any]) -> StoredSubscription:
    """A `subscriptions` row joined with its team's and KPI's keys (`team_key`,
    `kpi_key`) as the services see it."""
    mapping = row._mapping
    last_state = mapping.get("last_state")
    return StoredSubscription(
        id=int(row.id),
        channel=Channel(row.channel),
        target=row.target,
        team=row.team_key,
        kpi=row.kpi_key,
        secret=row.secret,
        enabled=bool(row.enabled),
        disabled_reason=row.disabled_reason,
        revision=Revision(row.version, naive_utc(row.updated_at), row.updated_by or ""),  # type: ignore[arg-type]
        created_at=naive_utc(row.created_at),  # type: ignore[arg-type]
        last_state=None if last_state is None else DeliveryState(last_state),
        last_at=naive_utc(mapping.get("last_at")),
    )


def with_keys() -> Any:
    """Subscriptions with the keys of the team and the KPI they are limited to."""
    return (
        select(
            subscriptions,
            teams.c.key.label("team_key"),
            kpis.c.key.label("kpi_key"),
        )
        .select_from(subscriptions)
        .outerjoin(teams, teams.c.id == subscriptions.c.team_id)
        .outerjoin(kpis, kpis.c.id == subscriptions.c.kpi_id)
    )


class SubscriptionRepository:
    """Reads and writes subscriptions on one connection."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids

    def get(self, id: int) -> StoredSubscription:
        row = self._c.execute(with_keys().where(subscriptions.c.id == id)).one_or_none()
        if row is None:
            raise NotFound(f"no subscription {id}")
        return subscription_from_row(row)

    def list(self) -> list[StoredSubscription]:
        # The newest delivery of each subscription: its highest id.
        newest = (
            select(deliveries.c.subscription_id, func.max(deliveries.c.id).label("id"))
            .group_by(deliveries.c.subscription_id)
            .subquery()
        )
        last = deliveries.alias("last")
        query = (
            with_keys()
            .add_columns(
                last.c.state.label("last_state"),
                func.coalesce(last.c.delivered_at, last.c.created_at).label("last_at"),
            )
            .outerjoin(newest, newest.c.subscription_id == subscriptions.c.id)
            .outerjoin(last, last.c.id == newest.c.id)
            .order_by(subscriptions.c.id)
        )
        return [subscription_from_row(row) for row in self._c.execute(query)]

    def add(
        self,
        channel: Channel,
        target: str,
        secret: str | None,
        team: str | None,
        kpi: str | None,
        actor: str,
        now: datetime,
    ) -> StoredSubscription:
        team_id = kpi_id = None
        if team is not None:
            team_id = self._c.execute(select(teams.c.id).where(teams.c.key == team)).scalar()
            if team_id is None:
                raise NotFound(f"no team {team!r}")
        if kpi is not None:
            kpi_id = self._ids.one(kpi)
            if kpi_id is None:
                raise NotFound(f"no KPI {kpi!r}")
        new_id = self._c.execute(
            subscriptions.insert()
            .values(
                team_id=team_id,
                kpi_id=kpi_id,
                channel=channel.value,
                target=target,
                secret=secret,
                enabled=True,
                disabled_reason="",
                version=1,
                created_at=now,
                updated_at=now,
                updated_by=actor,
            )
            .returning(subscriptions.c.id)
        ).scalar_one()
        return self.get(int(new_id))

    def switch(
        self,
        id: int,
        expected_version: int | None,
        enabled: bool,
        reason: str,
        actor: str,
        now: datetime,
    ) -> StoredSubscription:
        which = subscriptions.c.id == id
        if expected_version is not None:
            which = which & (subscriptions.c.version == expected_version)
        changed = self._c.execute(
            update(subscriptions)
            .where(which)
            .values(
                enabled=enabled,
                disabled_reason="" if enabled else reason,
                version=subscriptions.c.version + 1,
                updated_at=now,
                updated_by=actor,
            )
        ).rowcount
        stored = self.get(id)
        if changed != 1:
            assert expected_version is not None
            raise stored.revision.conflict(f"subscription {id}", expected_version)
        return stored

    def delete(self, id: int, expected_version: int) -> None:
        gone = self._c.execute(
            delete(subscriptions).where(
                subscriptions.c.id == id, subscriptions.c.version == expected_version
            )
        ).rowcount
        if gone != 1:
            raise self.get(id).revision.conflict(f"subscription {id}", expected_version)

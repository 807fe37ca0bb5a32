"""The delivery outbox in the store: one row per notice to one subscription.

A notice is written here in the transaction that moved its alert, so a crash can delay
it but never lose it; what a consumer sends later is this row's `payload`, the notice as
it was then, under its `message_id` (the `webhook-id` every attempt carries).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, and_, func, insert, or_, select, update

from okrkit.adapters.store.kpis import KpiIds, hidden_kpi_ids
from okrkit.adapters.store.subscriptions import naive_utc, subscription_from_row, with_keys
from okrkit.adapters.store.tables import (
    alerts,
    deliveries,
    delivery_attempts,
    kpis,
    subscriptions,
    teams,
)
from okrkit.domain.notifications import Channel, ChartData, DeliveryState, Event, Notice, Outcome
from okrkit.services.ports import ClaimedDelivery, DeliveryLogEntry

__all__ = ["DeliveryRepository", "decode_notice", "encode_notice"]

_MOMENTS = ("at", "value_at")


def encode_notice(notice: Notice) -> str:
    """A notice as the outbox keeps it (JSON; its message id is the row's own). orjson
    writes the dataclass, its enums and its moments itself (ISO 8601, as read back)."""
    return orjson.dumps(replace(notice, message_id="")).decode()


def decode_notice(payload: str, message_id: str) -> Notice:
    """The notice an outbox row keeps."""
    data: dict[str, Any] = orjson.loads(payload)
    data.pop("message_id", None)
    for name in _MOMENTS:
        if data[name] is not None:
            data[name] = datetime.fromisoformat(data[name])
    chart = data.pop("chart")
    if chart is not None:
        chart = ChartData(
            timestamps=tuple(datetime.fromisoformat(t) for t in chart.pop("timestamps")),
            values=tuple(chart.pop("values")),
            **chart,
        )
    return Notice(message_id=message_id, event=Event(data.pop("event")), chart=chart, **data)


def _message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


_PENDING = DeliveryState.PENDING.value
_SENDING = DeliveryState.SENDING.value


def _due(now: datetime, claimed_before: datetime) -> Any:
    """The condition of a due delivery: waiting and its time has come, or being sent
    under a claim older than the claim timeout (its consumer died mid-send)."""
    return or_(
        and_(deliveries.c.state == _PENDING, deliveries.c.next_attempt_at <= now),
        and_(deliveries.c.state == _SENDING, deliveries.c.claimed_at < claimed_before),
    )


class DeliveryRepository:
    """The outbox, on one connection; KPIs and teams by key."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids
        # How many rows this unit of work wrote to the outbox (the unit of work wakes
        # the queue after a commit that wrote some).
        self.written = 0

    def enqueue(self, notices: Sequence[tuple[Notice, str, str]], now: datetime) -> int:
        """Write each notice (with the keys of its KPI and its team) once for every
        enabled subscription that covers it, due now: one to its KPI, to its team, or to
        every alert — unless the KPI is private, whose notices go to its own team's and
        its own subscriptions only. Return how many rows were written. Two queries,
        whatever the number of notices, and a third when some subscription covers
        every alert."""
        if not notices:
            return 0
        kpi_ids = self._ids.of({kpi for _, kpi, _ in notices})
        team_keys = {team for _, _, team in notices}
        team_ids = {
            row.key: row.id
            for row in self._c.execute(
                select(teams.c.key, teams.c.id).where(teams.c.key.in_(team_keys))
            )
        }
        found = self._c.execute(
            select(subscriptions.c.id, subscriptions.c.kpi_id, subscriptions.c.team_id).where(
                subscriptions.c.enabled,
                or_(
                    subscriptions.c.kpi_id.in_(kpi_ids.values()),
                    subscriptions.c.team_id.in_(team_ids.values()),
                    (subscriptions.c.kpi_id.is_(None) & subscriptions.c.team_id.is_(None)),
                ),
            )
        ).all()
        if not found:
            return 0
        # Each notice meets only the subscriptions that cover it: by KPI, by team, all.
        by_kpi: dict[int, list[int]] = {}
        by_team: dict[int, list[int]] = {}
        everything: list[int] = []
        for sub in found:
            if sub.kpi_id is not None:
                by_kpi.setdefault(sub.kpi_id, []).append(sub.id)
            elif sub.team_id is not None:
                by_team.setdefault(sub.team_id, []).append(sub.id)
            else:
                everything.append(sub.id)
        # A private KPI's notices name it and what ails it: never to every alert.
        private: set[int] = set()
        if everything:
            private = set(
                self._c.execute(
                    select(kpis.c.id).where(
                        kpis.c.id.in_(kpi_ids.values()), kpis.c.private.is_(True)
                    )
                ).scalars()
            )
        rows = []
        for notice, kpi, team in notices:
            kpi_id, team_id = kpi_ids.get(kpi), team_ids.get(team)
            told = [
                *(by_kpi.get(kpi_id, ()) if kpi_id is not None else ()),
                *(by_team.get(team_id, ()) if team_id is not None else ()),
                *(everything if kpi_id not in private else ()),
            ]
            if not told:
                continue
            payload = encode_notice(notice)
            for subscription_id in dict.fromkeys(told):
                rows.append(
                    {
                        "message_id": _message_id(),
                        "subscription_id": subscription_id,
                        "alert_id": notice.alert_id,
                        "event": notice.event.value,
                        "payload": payload,
                        "state": DeliveryState.PENDING.value,
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                )
        if rows:
            self._c.execute(insert(deliveries), rows)
            self.written += len(rows)
        return len(rows)

    def due(self, now: datetime, claimed_before: datetime, limit: int) -> list[int]:
        query = (
            select(deliveries.c.id)
            .where(_due(now, claimed_before))
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
        )
        return [int(i) for i in self._c.execute(query).scalars()]

    def claim(self, id: int, now: datetime, claimed_before: datetime) -> ClaimedDelivery | None:
        # A read first: a delivery that is not due (sent, or claimed by another consumer
        # — a queue may hand out one id twice) costs no write lock.
        which = and_(deliveries.c.id == id, _due(now, claimed_before))
        if self._c.execute(select(deliveries.c.id).where(which)).first() is None:
            return None
        claimed = self._c.execute(
            update(deliveries).where(which).values(state=_SENDING, claimed_at=now)
        ).rowcount
        if claimed != 1:
            return None
        row = self._c.execute(
            select(
                deliveries.c.message_id, deliveries.c.payload, deliveries.c.attempts,
                deliveries.c.subscription_id,
            ).where(deliveries.c.id == id)
        ).one()  # fmt: skip
        subscription = self._c.execute(
            with_keys().where(subscriptions.c.id == row.subscription_id)
        ).one()
        return ClaimedDelivery(
            id=id,
            notice=decode_notice(row.payload, row.message_id),
            attempts=int(row.attempts),
            claimed_at=now,
            subscription=subscription_from_row(subscription),
        )

    def record_attempt(self, id: int, at: datetime, outcome: Outcome) -> None:
        self._c.execute(
            delivery_attempts.insert().values(
                delivery_id=id,
                at=at,
                status=outcome.status,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )

    def finish(
        self,
        id: int,
        claimed_at: datetime,
        *,
        state: DeliveryState,
        attempts: int,
        next_attempt_at: datetime | None,
        status: int | None,
        error: str,
        delivered_at: datetime | None,
    ) -> bool:
        values: dict[str, Any] = {
            "state": state.value,
            "attempts": attempts,
            "claimed_at": None,
            "last_status": status,
            "last_error": error,
            "delivered_at": delivered_at,
        }
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        # The claim's moment fences a consumer that comes back after its claim timed out
        # and another consumer claimed the delivery again: its result is only logged.
        moved = self._c.execute(
            update(deliveries)
            .where(
                deliveries.c.id == id,
                deliveries.c.state == _SENDING,
                deliveries.c.claimed_at == claimed_at,
            )
            .values(**values)
        ).rowcount
        return bool(moved == 1)

    def fail_waiting(self, subscription: int, error: str, now: datetime) -> int:
        return int(
            self._c.execute(
                update(deliveries)
                .where(
                    deliveries.c.subscription_id == subscription,
                    deliveries.c.state == _PENDING,
                )
                .values(state=DeliveryState.FAILED.value, last_error=error)
            ).rowcount
        )

    def log(
        self,
        subscription: int | None,
        limit: int,
        offset: int,
        *,
        seen_by: Collection[str] | None = None,
    ) -> tuple[list[DeliveryLogEntry], int]:
        last_attempt = (
            select(func.max(delivery_attempts.c.at))
            .where(delivery_attempts.c.delivery_id == deliveries.c.id)
            .scalar_subquery()
        )
        query = (
            select(
                deliveries,
                subscriptions.c.channel,
                subscriptions.c.target,
                last_attempt.label("last_attempt_at"),
            )
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .order_by(deliveries.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        count = select(func.count()).select_from(deliveries)
        if subscription is not None:
            query = query.where(deliveries.c.subscription_id == subscription)
            count = count.where(deliveries.c.subscription_id == subscription)
        if seen_by is not None:
            # The deliveries of alerts of private KPIs the reader may not see.
            hidden = select(alerts.c.id).where(alerts.c.kpi_id.in_(hidden_kpi_ids(seen_by)))
            query = query.where(deliveries.c.alert_id.not_in(hidden))
            count = count.where(deliveries.c.alert_id.not_in(hidden))
        entries = []
        for row in self._c.execute(query):
            notice: dict[str, Any] = orjson.loads(row.payload)
            state = DeliveryState(row.state)
            entries.append(
                DeliveryLogEntry(
                    id=int(row.id),
                    message_id=row.message_id,
                    subscription_id=int(row.subscription_id),
                    channel=Channel(row.channel),
                    target=row.target,
                    alert_id=int(row.alert_id),
                    event=Event(row.event),
                    kpi=notice["kpi_key"],
                    kpi_name=notice["kpi_name"],
                    summary=notice["summary"],
                    state=state,
                    attempts=int(row.attempts),
                    last_status=row.last_status,
                    last_error=row.last_error,
                    created_at=naive_utc(row.created_at),  # type: ignore[arg-type]
                    last_attempt_at=naive_utc(row.last_attempt_at),
                    next_attempt_at=(
                        naive_utc(row.next_attempt_at) if state is DeliveryState.PENDING else None
                    ),
                    delivered_at=naive_utc(row.delivered_at),
                )
            )
        return entries, int(self._c.execute(count).scalar_one())

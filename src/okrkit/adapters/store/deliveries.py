"""The delivery outbox in the store: one row per notice to one subscription.

A notice is written here in the transaction that moved its alert, so a crash can delay
it but never lose it; what a consumer sends later is this row's `payload`, the notice as
it was then, under its `message_id` (the `webhook-id` every attempt carries).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, or_, select

from okrkit.adapters.store.kpis import KpiIds
from okrkit.adapters.store.tables import deliveries, subscriptions, teams
from okrkit.domain.notifications import ChartData, DeliveryState, Event, Notice

__all__ = ["DeliveryRepository", "decode_notice", "encode_notice"]

_MOMENTS = ("at", "value_at")


def encode_notice(notice: Notice) -> str:
    """A notice as the outbox keeps it (JSON; its message id is the row's own)."""
    data = asdict(notice)
    del data["message_id"]
    for name in _MOMENTS:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    if notice.chart is not None:
        data["chart"]["timestamps"] = [t.isoformat() for t in notice.chart.timestamps]
    return orjson.dumps(data).decode()


def decode_notice(payload: str, message_id: str) -> Notice:
    """The notice an outbox row keeps."""
    data: dict[str, Any] = orjson.loads(payload)
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


class DeliveryRepository:
    """The outbox, on one connection; KPIs and teams by key."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids

    def enqueue(self, notices: Sequence[tuple[Notice, str, str]], now: datetime) -> int:
        """Write each notice (with the keys of its KPI and its team) once for every
        enabled subscription to its KPI, to its team or to everything, due now; return
        how many rows were written. Two queries, whatever the number of notices."""
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
        rows = []
        for notice, kpi, team in notices:
            kpi_id, team_id = kpi_ids.get(kpi), team_ids.get(team)
            payload = encode_notice(notice)
            for sub in found:
                everything = sub.kpi_id is None and sub.team_id is None
                if everything or sub.kpi_id == kpi_id or sub.team_id == team_id:
                    rows.append(
                        {
                            "message_id": _message_id(),
                            "subscription_id": sub.id,
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
        return len(rows)

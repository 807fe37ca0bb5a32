"""Alerts in the store: what each KPI raised, its draft objective and its life.

One unresolved alert per KPI and kind is kept by a partial unique index (migration
0007), so two judgements racing each other can't both open one: the second insert fails
and its transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from okrkit.adapters.store.kpis import KpiIds, hidden_kpi_ids
from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import alerts, kpis, objectives, teams
from okrkit.adapters.store.versions import update_versioned
from okrkit.domain.alerts import Alert, AlertKind, AlertLevel, AlertState, Problem, StoredAlert
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import Conflict, NotFound
from okrkit.domain.health import Status
from okrkit.domain.versions import Revision
from okrkit.services.ports import AlertQuery

__all__ = ["AlertRepository"]

# Who wrote a version no person wrote (services.alerts.ACTOR, the audit log's name).
_TRIGGER = "okrkit"
# The order unresolved alerts are listed in, worst first.
_LEVEL_RANK = {AlertLevel.RED.value: 0, AlertLevel.YELLOW.value: 1, AlertLevel.DATA.value: 2}

_COLUMNS = (
    alerts,
    kpis.c.key.label("kpi_key"),
    objectives.c.key.label("objective_key"),
)


# One statement for every new alert, compiled once (an import may open thousands).
_OPEN = insert(alerts)


def _from(query: Select[Any]) -> Select[Any]:
    return query.select_from(
        alerts.join(kpis, kpis.c.id == alerts.c.kpi_id).outerjoin(
            objectives, objectives.c.id == alerts.c.objective_id
        )
    )


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


def _alert(row: Row[Any]) -> StoredAlert:
    return StoredAlert(
        id=row.id,
        alert=Alert(
            kpi=row.kpi_key,
            kind=AlertKind(row.kind),
            level=AlertLevel(row.level),
            problem=Problem(row.problem),
            reason=row.reason,
            status=Status(row.status),
            value=row.value,
            value_at=None if row.value_at is None else moment(row.value_at),
        ),
        state=AlertState(row.state),
        opened_at=as_utc(row.opened_at),
        # A version the trigger wrote (no person) is okrkit's, as the audit log says.
        revision=Revision(row.version, row.updated_at, row.updated_by or _TRIGGER),
        objective=row.objective_key,
        acknowledged_at=_utc(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        resolved_at=_utc(row.resolved_at),
        resolved_by=row.resolved_by,
        note=row.note,
    )


def _said(alert: Alert) -> dict[str, Any]:
    return {
        "level": alert.level.value,
        "problem": alert.problem.value,
        "reason": alert.reason,
        "status": alert.status.value,
        "value": alert.value,
        "value_at": None if alert.value_at is None else seconds(alert.value_at),
    }


@dataclass
class AlertRepository:
    """Reads and writes alerts on one connection; KPIs and objectives by key."""

    _c: Connection
    _ids: KpiIds

    def get(self, id: int) -> StoredAlert:
        row = self._c.execute(_from(select(*_COLUMNS)).where(alerts.c.id == id)).one_or_none()
        if row is None:
            raise NotFound(f"no alert {id}")
        return _alert(row)

    def unresolved(self, keys: Collection[str]) -> dict[str, dict[AlertKind, StoredAlert]]:
        """The unresolved alerts of these KPIs, by KPI and kind."""
        ids = self._ids.of(keys)
        found: dict[str, dict[AlertKind, StoredAlert]] = {}
        if not ids:
            return found
        rows = self._c.execute(
            _from(select(*_COLUMNS)).where(
                alerts.c.kpi_id.in_(ids.values()), alerts.c.state != AlertState.RESOLVED.value
            )
        )
        for row in rows:
            stored = _alert(row)
            found.setdefault(stored.alert.kpi, {})[stored.alert.kind] = stored
        return found

    def open(self, alert: Alert, now: datetime) -> int:
        """Store a new open alert; its id."""
        kpi_id = self._ids.one(alert.kpi)
        if kpi_id is None:
            raise NotFound(f"no KPI {alert.kpi!r}")
        try:
            result = self._c.execute(
                _OPEN,
                {
                    "kpi_id": kpi_id,
                    "kind": alert.kind.value,
                    "state": AlertState.OPEN.value,
                    "opened_at": now,
                    "note": "",
                    "version": 1,
                    "updated_at": now,
                    "updated_by": None,
                    **_said(alert),
                },
            )
        except IntegrityError:
            # Another transaction opened this KPI's alert of this kind first.
            raise Conflict(
                f"KPI {alert.kpi!r} has an unresolved {alert.kind} alert already"
            ) from None
        inserted = result.inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    def escalate(self, id: int, alert: Alert, now: datetime) -> None:
        """Say anew what an unresolved alert is (its level rose)."""
        self._c.execute(
            update(alerts)
            .where(alerts.c.id == id)
            .values(**_said(alert), version=alerts.c.version + 1, updated_at=now, updated_by=None)
        )

    def resolve(self, id: int, now: datetime, by: str | None, note: str) -> None:
        """Resolve an alert (`by` None: it resolved by itself)."""
        self._c.execute(
            update(alerts)
            .where(alerts.c.id == id)
            .values(
                state=AlertState.RESOLVED.value,
                resolved_at=now,
                resolved_by=by,
                note=note,
                version=alerts.c.version + 1,
                updated_at=now,
                updated_by=by,
            )
        )

    def link(self, id: int, objective: str) -> None:
        """Record the draft objective an alert proposed."""
        self._c.execute(
            update(alerts)
            .where(alerts.c.id == id)
            .values(
                objective_id=select(objectives.c.id)
                .where(objectives.c.key == objective)
                .scalar_subquery()
            )
        )

    def acknowledge(
        self, id: int, expected_version: int, actor: str, now: datetime, note: str
    ) -> StoredAlert:
        """A person has seen an alert (and said why, when dismissing its draft); a
        stale version is a conflict."""
        changes = {
            "state": AlertState.ACKNOWLEDGED.value,
            "acknowledged_at": now,
            "acknowledged_by": actor,
            "note": note,
        }
        if not update_versioned(self._c, alerts, id, expected_version, changes, actor, now):
            raise self.get(id).revision.conflict(f"alert {id}", expected_version)
        return self.get(id)

    def close(
        self, id: int, expected_version: int, actor: str, now: datetime, note: str
    ) -> StoredAlert:
        """A person resolves an alert; a stale version is a conflict."""
        changes = {
            "state": AlertState.RESOLVED.value,
            "resolved_at": now,
            "resolved_by": actor,
            "note": note,
        }
        if not update_versioned(self._c, alerts, id, expected_version, changes, actor, now):
            raise self.get(id).revision.conflict(f"alert {id}", expected_version)
        return self.get(id)

    def record(
        self, id: int, opened_at: datetime, by: str, acknowledged_at: datetime, note: str
    ) -> None:
        """Give a loaded workspace's alert its history: when it opened, and who
        acknowledged it when, saying what."""
        self._c.execute(
            update(alerts)
            .where(alerts.c.id == id)
            .values(
                opened_at=opened_at,
                state=AlertState.ACKNOWLEDGED.value,
                acknowledged_at=acknowledged_at,
                acknowledged_by=by,
                note=note,
                updated_at=acknowledged_at,
                updated_by=by,
            )
        )

    def of_objectives(self, keys: Collection[str]) -> dict[str, StoredAlert]:
        """The alert that proposed each of these objectives (those drafted by one)."""
        if not keys:
            return {}
        rows = self._c.execute(_from(select(*_COLUMNS)).where(objectives.c.key.in_(list(keys))))
        return {row.objective_key: _alert(row) for row in rows}

    def list(self, query: AlertQuery) -> tuple[list[StoredAlert], int]:
        """One page of alerts, newest first (red, yellow, then data first when only
        unresolved states are asked for), and how many match in all."""
        where: list[ColumnElement[bool]] = []
        if query.states:
            where.append(alerts.c.state.in_([s.value for s in query.states]))
        if query.kpi is not None:
            where.append(kpis.c.key == query.kpi)
        if query.team is not None:
            where.append(
                kpis.c.team_id
                == select(teams.c.id).where(teams.c.key == query.team).scalar_subquery()
            )
        if query.level is not None:
            where.append(alerts.c.level == query.level.value)
        if query.seen_by is not None:
            where.append(alerts.c.kpi_id.not_in(hidden_kpi_ids(query.seen_by)))
        total = self._c.execute(_from(select(func.count())).where(*where)).scalar_one()
        order: list[ColumnElement[Any]] = [alerts.c.opened_at.desc(), alerts.c.id.desc()]
        if query.states and not set(query.states) & {AlertState.RESOLVED}:
            # What still waits for someone: red first (its draft is urgent), then yellow,
            # then data; a resolved alert is history, newest first.
            order.insert(0, case(_LEVEL_RANK, value=alerts.c.level, else_=len(_LEVEL_RANK)))
        rows = self._c.execute(
            _from(select(*_COLUMNS))
            .where(*where)
            .order_by(*order)
            .limit(query.limit)
            .offset(query.offset)
        )
        return [_alert(row) for row in rows], int(total)

    def counts(
        self, team: str | None = None, *, seen_by: Collection[str] | None = None
    ) -> Mapping[AlertState, int]:
        """How many alerts are in each state (of one team's KPIs); with `seen_by`, not
        counting those of other teams' private KPIs."""
        query = _from(select(alerts.c.state, func.count()))
        if team is not None:
            query = query.where(
                kpis.c.team_id == select(teams.c.id).where(teams.c.key == team).scalar_subquery()
            )
        if seen_by is not None:
            query = query.where(alerts.c.kpi_id.not_in(hidden_kpi_ids(seen_by)))
        rows = self._c.execute(query.group_by(alerts.c.state))
        return {AlertState(state): int(n) for state, n in rows}

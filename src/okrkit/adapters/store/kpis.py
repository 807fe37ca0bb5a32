"""KPI definitions in the store: rows to domain objects and back."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select, update

from okrkit.adapters.store.tables import kpis, teams
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import NotFound
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind, StoredKpi
from okrkit.domain.versions import Revision

__all__ = ["KpiRepository", "kpi_columns", "kpi_from_row"]


def _moment(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _seconds(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def kpi_from_row(row: Row[Any]) -> StoredKpi:
    """A `kpis` row joined with its team's key, as a domain object."""
    thresholds = None
    if row.green is not None and row.red is not None:
        thresholds = Thresholds(row.green, row.red)
    start, end = _moment(row.baseline_from), _moment(row.baseline_to)
    return StoredKpi(
        kpi=Kpi(
            key=row.key,
            name=row.name,
            unit=row.unit,
            direction=Direction(row.direction),
            cadence=Cadence.parse(row.cadence),
            team=row.team_key,
            description=row.description,
            target=row.target,
            thresholds=thresholds,
            owner=row.owner,
            kind=KpiKind(row.kind),
            north_star=bool(row.north_star),
            guardrail=bool(row.guardrail),
            formula=row.formula,
            source=row.source,
        ),
        revision=Revision(row.version, row.updated_at, row.updated_by),
        window_periods=row.window_periods,
        baseline=None if start is None or end is None else (start, end),
        archived=bool(row.archived),
        values_version=int(row.values_version),
    )


def kpi_columns(kpi: Kpi) -> dict[str, Any]:
    """The columns a KPI definition writes (its team is written as an id separately)."""
    return {
        "key": kpi.key,
        "name": kpi.name,
        "description": kpi.description,
        "unit": kpi.unit,
        "direction": kpi.direction.value,
        "target": kpi.target,
        "green": None if kpi.thresholds is None else kpi.thresholds.green,
        "red": None if kpi.thresholds is None else kpi.thresholds.red,
        "cadence": str(kpi.cadence),
        "owner": kpi.owner,
        "kind": kpi.kind.value,
        "north_star": kpi.north_star,
        "guardrail": kpi.guardrail,
        "formula": kpi.formula,
        "source": kpi.source,
    }


_WITH_TEAM = select(kpis, teams.c.key.label("team_key")).join(teams, teams.c.id == kpis.c.team_id)
# The pages' reads, built once (building a statement costs more than running it).
_BY_KEY = _WITH_TEAM.where(kpis.c.key == bindparam("key"))
_IDS = select(kpis.c.key, kpis.c.id).where(kpis.c.key.in_(bindparam("keys", expanding=True)))


@functools.cache
def _listing(team: bool, archived: bool, keys: bool) -> Any:
    """`KpiRepository.list`'s statement; parameters `team` and `keys` when asked."""
    query = _WITH_TEAM.order_by(kpis.c.north_star.desc(), kpis.c.name, kpis.c.key)
    if team:
        query = query.where(teams.c.key == bindparam("team"))
    if not archived:
        query = query.where(kpis.c.archived.is_(False))
    if keys:
        query = query.where(kpis.c.key.in_(bindparam("keys", expanding=True)))
    return query


class KpiRepository:
    """Reads and writes KPI definitions on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, key: str) -> StoredKpi:
        """The KPI with this key; NotFound names the key."""
        row = self._c.execute(_BY_KEY, {"key": key}).one_or_none()
        if row is None:
            raise NotFound(f"no KPI {key!r}")
        return kpi_from_row(row)

    def ids(self, keys: Iterable[str]) -> dict[str, int]:
        """Row ids of the KPIs among `keys` that exist (one query)."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        rows = self._c.execute(_IDS, {"keys": wanted})
        return {row.key: int(row.id) for row in rows}

    def list(
        self,
        *,
        team: str | None = None,
        archived: bool = False,
        keys: Collection[str] | None = None,
    ) -> list[tuple[int, StoredKpi]]:
        """KPIs (of one team, or of those `keys`) with their row ids, North Star first
        then by name; one query (one per 5,000 keys)."""
        query = _listing(team is not None, archived, keys is not None)
        params = {} if team is None else {"team": team}
        if keys is None:
            return [(int(row.id), kpi_from_row(row)) for row in self._c.execute(query, params)]
        wanted = sorted(set(keys))
        found = [
            (int(row.id), kpi_from_row(row))
            for first in range(0, len(wanted), 5_000)
            for row in self._c.execute(query, {**params, "keys": wanted[first : first + 5_000]})
        ]
        found.sort(key=lambda item: (not item[1].kpi.north_star, item[1].kpi.name, item[1].kpi.key))
        return found

    def touch_values(self, kpi_ids: Iterable[int]) -> None:
        """Count a write of those KPIs' values (their definitions' versions stay)."""
        ids = sorted(set(kpi_ids))
        for first in range(0, len(ids), 5_000):
            self._c.execute(
                update(kpis)
                .where(kpis.c.id.in_(ids[first : first + 5_000]))
                .values(values_version=kpis.c.values_version + 1)
            )

    def add(self, kpi: Kpi, team_id: int, actor: str, now: datetime) -> StoredKpi:
        self._c.execute(
            kpis.insert().values(
                **kpi_columns(kpi),
                team_id=team_id,
                archived=False,
                version=1,
                created_at=now,
                updated_at=now,
                updated_by=actor,
            )
        )
        return self.get(kpi.key)

    def update(
        self,
        key: str,
        expected_version: int,
        new: StoredKpi,
        team_id: int,
        actor: str,
        now: datetime,
    ) -> StoredKpi:
        """Apply column changes when the KPI is still at `expected_version`, bumping it.

        One UPDATE … WHERE version = expected: of two concurrent edits, one wins and the
        other gets a Conflict naming who changed it and when.
        """
        changes = {
            **kpi_columns(new.kpi),
            **_baseline_columns(new.baseline),
            "team_id": team_id,
            "window_periods": new.window_periods,
            "archived": new.archived,
        }
        result = self._c.execute(
            update(kpis)
            .where(kpis.c.key == key, kpis.c.version == expected_version)
            .values(**changes, version=kpis.c.version + 1, updated_at=now, updated_by=actor)
        )
        if result.rowcount != 1:
            raise self.get(key).revision.conflict(f"KPI {key!r}", expected_version)
        return self.get(key)


def _baseline_columns(baseline: tuple[datetime, datetime] | None) -> dict[str, Any]:
    """Columns of a locked baseline period (None unlocks it)."""
    if baseline is None:
        return {"baseline_from": None, "baseline_to": None}
    return {"baseline_from": _seconds(baseline[0]), "baseline_to": _seconds(baseline[1])}

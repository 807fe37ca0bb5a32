"""KPI definitions in the store: rows to domain objects and back, and the one place that
turns KPI keys into row ids (`KpiIds`, shared by the repositories of a unit of work)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, select, update

from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import KPI_SKIPPED, kpis, teams
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.errors import NotFound
from okrkit.domain.fields import Declared, data_of, fields_of, trusted_reader
from okrkit.domain.keys import is_key
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.versions import Revision

__all__ = ["KpiIds", "KpiRepository", "hidden_kpi_ids", "kpi_columns", "kpi_from_row"]


_DECLARED = fields_of(Kpi)


def _column_reader(field: Declared) -> Callable[[Row[Any]], Any]:
    """How one declared field of a KPI is read from its row (a group from its parts)."""
    read = trusted_reader(field)
    if field.parts:
        parts = field.parts

        def group(row: Row[Any]) -> Any:
            values = {part: getattr(row, part) for part in parts}
            return read(None if None in values.values() else values)

        return group
    column = "team_key" if field.name == "team" else field.name
    return lambda row: read(getattr(row, column))


# Built once: a listing of 10,000 KPIs reads each row through these.
_READERS = tuple((f.name, _column_reader(f)) for f in _DECLARED)


def kpi_from_row(row: Row[Any]) -> StoredKpi:
    """A `kpis` row joined with its team's key, as a domain object."""
    start, end = row.baseline_from, row.baseline_to
    return StoredKpi(
        kpi=Kpi(**{name: read(row) for name, read in _READERS}),
        revision=Revision(row.version, row.updated_at, row.updated_by),
        window_periods=row.window_periods,
        baseline=None if start is None or end is None else (moment(start), moment(end)),
        archived=bool(row.archived),
        values_version=int(row.values_version),
    )


def kpi_columns(kpi: Kpi) -> dict[str, Any]:
    """The columns a KPI definition writes (its team is written as an id separately)."""
    columns: dict[str, Any] = {"key": kpi.key}
    for field, value in zip(_DECLARED, data_of(kpi).values(), strict=True):
        if field.name in KPI_SKIPPED:
            continue
        if field.parts:
            columns.update({part: None if value is None else value[part] for part in field.parts})
        else:
            columns[field.name] = value
    return columns


_WITH_TEAM = select(kpis, teams.c.key.label("team_key")).join(teams, teams.c.id == kpis.c.team_id)
# The pages' reads, built once (building a statement costs more than running it).
_BY_KEY = _WITH_TEAM.where(kpis.c.key == bindparam("key"))
_IDS = select(kpis.c.key, kpis.c.id).where(kpis.c.key.in_(bindparam("keys", expanding=True)))
_TEAM_ID = select(teams.c.id).where(teams.c.key == bindparam("key"))


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


def hidden_kpi_ids(seen_by: Collection[str]) -> Select[Any]:
    """The ids of the KPIs a reader who is a member of the teams `seen_by` may not see
    (the private KPIs of other teams, archived ones too), as a subquery: a read of
    alerts, deliveries or imports leaves out the rows of these KPIs in SQL, so its
    pages and counts stay right."""
    return (
        select(kpis.c.id)
        .join(teams, teams.c.id == kpis.c.team_id)
        .where(kpis.c.private.is_(True), teams.c.key.not_in(sorted(seen_by)))
    )


# Keys per statement: well under both databases' limits on bound parameters.
_CHUNK = 5_000


class KpiIds:
    """The row ids of KPI keys, for the repositories of one unit of work: what a read
    of KPIs learnt is kept, so a page that lists KPIs and then reads their values sends
    no query for the ids; a key met first by a value read is looked up once."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._ids: dict[str, int] = {}

    def learn(self, key: str, row_id: int) -> None:
        self._ids[key] = row_id

    def of(self, keys: Iterable[str]) -> dict[str, int]:
        """The ids of those keys that name a KPI (one query for those not known yet)."""
        wanted = set(keys)
        missing = sorted(wanted - self._ids.keys())
        for first in range(0, len(missing), _CHUNK):
            for row in self._c.execute(_IDS, {"keys": missing[first : first + _CHUNK]}):
                self._ids[row.key] = int(row.id)
        return {key: self._ids[key] for key in wanted if key in self._ids}

    def one(self, key: str) -> int | None:
        """The id of one key, or None when it names no KPI."""
        return self.of([key]).get(key)


def _team_id(connection: Connection, key: str) -> int:
    found = connection.execute(_TEAM_ID, {"key": key}).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no team {key!r}")
    return int(found)


class KpiRepository:
    """Reads and writes KPI definitions on one connection."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids

    def _stored(self, row: Row[Any]) -> StoredKpi:
        self._ids.learn(row.key, int(row.id))
        return kpi_from_row(row)

    def get(self, key: str) -> StoredKpi:
        """The KPI with this key; NotFound names the key."""
        row = self._c.execute(_BY_KEY, {"key": key}).one_or_none()
        if row is None:
            raise NotFound(f"no KPI {key!r}")
        return self._stored(row)

    def private_outside(self, teams_in: Collection[str]) -> set[str]:
        """The keys of the private KPIs (archived ones too) of teams not in `teams_in`."""
        query = (
            select(kpis.c.key)
            .join(teams, teams.c.id == kpis.c.team_id)
            .where(kpis.c.private.is_(True), teams.c.key.not_in(sorted(teams_in)))
        )
        return set(self._c.execute(query).scalars())

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` name a KPI (one query per 5,000 keys not seen yet)."""
        return set(self._ids.of(key for key in keys if is_key(key)))

    def list(
        self,
        *,
        team: str | None = None,
        archived: bool = False,
        keys: Collection[str] | None = None,
    ) -> list[StoredKpi]:
        """KPIs (of one team, or of those `keys`), North Star first then by name; one
        query (one per 5,000 keys)."""
        query = _listing(team is not None, archived, keys is not None)
        params = {} if team is None else {"team": team}
        if keys is None:
            return [self._stored(row) for row in self._c.execute(query, params)]
        wanted = sorted(set(keys))
        found = [
            self._stored(row)
            for first in range(0, len(wanted), _CHUNK)
            for row in self._c.execute(query, {**params, "keys": wanted[first : first + _CHUNK]})
        ]
        found.sort(key=lambda stored: (not stored.kpi.north_star, stored.kpi.name, stored.kpi.key))
        return found

    def touch_values(self, keys: Iterable[str]) -> None:
        """Count a write of those KPIs' values (their definitions' versions stay)."""
        ids = sorted(self._ids.of(keys).values())
        for first in range(0, len(ids), _CHUNK):
            self._c.execute(
                update(kpis)
                .where(kpis.c.id.in_(ids[first : first + _CHUNK]))
                .values(values_version=kpis.c.values_version + 1)
            )

    def add(self, kpi: Kpi, actor: str, now: datetime) -> StoredKpi:
        """Store a new KPI of an existing team (`NotFound` names a missing team)."""
        self._c.execute(
            kpis.insert().values(
                **kpi_columns(kpi),
                team_id=_team_id(self._c, kpi.team),
                archived=False,
                **created(actor, now),
            )
        )
        return self.get(kpi.key)

    def update(
        self,
        key: str,
        expected_version: int,
        new: StoredKpi,
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
            "team_id": _team_id(self._c, new.kpi.team),
            "window_periods": new.window_periods,
            "archived": new.archived,
        }
        if not update_versioned(self._c, kpis, key, expected_version, changes, actor, now):
            raise self.get(key).revision.conflict(f"KPI {key!r}", expected_version)
        return self.get(key)


def _baseline_columns(baseline: tuple[datetime, datetime] | None) -> dict[str, Any]:
    """Columns of a locked baseline period (None unlocks it)."""
    if baseline is None:
        return {"baseline_from": None, "baseline_to": None}
    return {"baseline_from": seconds(baseline[0]), "baseline_to": seconds(baseline[1])}

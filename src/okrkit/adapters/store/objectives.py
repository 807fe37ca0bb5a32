"""Objectives in the store: rows to domain objects and back.

An objective's cycle and team are row ids in its row and keys in the domain; what it
aligns to is the parent's key and, for one key result of it, that key result's id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Row, Select, delete, func, insert, or_, select

from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import (
    OBJECTIVE_SKIPPED,
    check_ins,
    cycles,
    declared_reader,
    declared_values,
    key_results,
    kpis,
    objective_summaries,
    objectives,
    teams,
)
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.errors import NotFound
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus, StoredObjective
from okrkit.domain.versions import Revision
from okrkit.services.ports import KeptSummary, ObjectiveQuery

__all__ = ["ObjectiveRepository", "objective_from_row"]

_READ = declared_reader(Objective)
_WITH_KEYS = (
    select(
        objectives,
        cycles.c.key.label("cycle_key"),
        teams.c.key.label("team_key"),
        teams.c.name.label("team_name"),
    )
    .join(cycles, cycles.c.id == objectives.c.cycle_id)
    .join(teams, teams.c.id == objectives.c.team_id)
)


def _alignment(row: Any) -> Alignment | None:
    if row.parent_key is None:
        return None
    return Alignment(row.parent_key, row.parent_key_result_id)


# The layout of a kept summary's document; one of another layout reads as missing.
_SUMMARY_LAYOUT = 1


def _encode(summary: KeptSummary) -> str:
    moments = [None if at is None else seconds(at) for at in summary.last_check_ins]
    return orjson.dumps(
        {
            "layout": _SUMMARY_LAYOUT,
            "key_results": summary.key_results,
            "progress": summary.progress,
            "forecast_progress": summary.forecast_progress,
            "fewest_points": summary.fewest_points,
            "deadlines": [d.isoformat() for d in summary.deadlines],
            "breached": list(summary.breached),
            "last_check_ins": moments,
        }
    ).decode()


def _decode(stamp: str, document: str) -> KeptSummary | None:
    data = orjson.loads(document)
    if data.get("layout") != _SUMMARY_LAYOUT:
        return None
    return KeptSummary(
        stamp=stamp,
        key_results=int(data["key_results"]),
        progress=float(data["progress"]),
        forecast_progress=data["forecast_progress"],
        fewest_points=data["fewest_points"],
        deadlines=tuple(date.fromisoformat(d) for d in data["deadlines"]),
        breached=tuple(data["breached"]),
        last_check_ins=tuple(None if at is None else moment(at) for at in data["last_check_ins"]),
    )


def objective_from_row(row: Row[Any]) -> StoredObjective:
    """An `objectives` row joined with its cycle's and team's keys, as a domain object."""
    objective = _READ(
        row, {"cycle": row.cycle_key, "team": row.team_key, "parent": _alignment(row)}
    )
    return StoredObjective(
        objective=objective,
        status=ObjectiveStatus(row.status),
        revision=Revision(row.version, row.updated_at, row.updated_by),
        score=row.score,
        retrospective=row.retrospective,
        carried_from=row.carried_from,
        urgent=row.urgent,
        archived=bool(row.archived),
    )


class ObjectiveRepository:
    """Reads and writes objectives on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, key: str) -> StoredObjective:
        row = self._c.execute(_WITH_KEYS.where(objectives.c.key == key)).one_or_none()
        if row is None:
            raise NotFound(f"no objective {key!r}")
        return objective_from_row(row)

    def private_outside(self, teams_in: Collection[str]) -> set[str]:
        """The keys of the private objectives (archived ones too) of teams not in
        `teams_in`."""
        query = (
            select(objectives.c.key)
            .join(teams, teams.c.id == objectives.c.team_id)
            .where(objectives.c.private.is_(True), teams.c.key.not_in(sorted(teams_in)))
        )
        return set(self._c.execute(query).scalars())

    def exists(self, key: str) -> bool:
        found = self._c.execute(select(objectives.c.id).where(objectives.c.key == key)).first()
        return found is not None

    def _where(self, query: Select[Any], q: ObjectiveQuery) -> Select[Any]:
        if not q.archived:
            query = query.where(objectives.c.archived.is_(False))
        if q.cycle is not None:
            query = query.where(cycles.c.key == q.cycle)
        if q.team is not None:
            query = query.where(teams.c.key == q.team)
        if q.owner is not None:
            query = query.where(objectives.c.owner == q.owner)
        if q.type is not None:
            query = query.where(objectives.c.type == q.type)
        if q.status is not None:
            query = query.where(objectives.c.status == q.status)
        if q.carried_from is not None:
            query = query.where(objectives.c.carried_from == q.carried_from)
        if q.keys is not None:
            query = query.where(objectives.c.key.in_(list(q.keys)))
        if q.seen_by is not None:
            query = query.where(
                or_(objectives.c.private.is_(False), teams.c.key.in_(sorted(q.seen_by)))
            )
        return query

    def list(
        self, query: ObjectiveQuery, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[StoredObjective], int]:
        # An urgent draft (proposed by a red KPI) comes before every other objective of
        # its team; paging by team below is unchanged by it.
        ordered = self._where(_WITH_KEYS, query).order_by(
            teams.c.name, teams.c.key, objectives.c.urgent.desc(), objectives.c.title,
            objectives.c.key,
        )  # fmt: skip
        if limit is None and not offset:
            rows = [objective_from_row(row) for row in self._c.execute(ordered).all()]
            return rows, len(rows)
        # A page: how many objectives each team has (read from an index), then only the
        # teams the page spans are sorted — not every objective of a large cycle.
        counted = (
            self._where(
                select(objectives.c.team_id, func.count().label("objectives"))
                .select_from(objectives)
                .join(cycles, cycles.c.id == objectives.c.cycle_id)
                .join(teams, teams.c.id == objectives.c.team_id),
                query,
            )
            .group_by(objectives.c.team_id)
            .subquery()
        )
        per_team = (
            select(teams.c.id, counted.c.objectives)
            .join(counted, counted.c.team_id == teams.c.id)
            .order_by(teams.c.name, teams.c.key)
        )
        end = None if limit is None else offset + limit
        spanned: list[int] = []
        before = total = 0
        for team, count in self._c.execute(per_team).all():
            if total + count <= offset:
                before += count
            elif end is None or total < end:
                spanned.append(team)
            total += count
        if not spanned:
            return [], total
        page = ordered.where(objectives.c.team_id.in_(spanned)).offset(offset - before)
        if limit is not None:
            page = page.limit(limit)
        return [objective_from_row(row) for row in self._c.execute(page).all()], total

    def alignments(self, cycles_: Collection[str] | None = None) -> dict[str, Alignment | None]:
        query = select(
            objectives.c.key, objectives.c.parent_key, objectives.c.parent_key_result_id
        ).join(cycles, cycles.c.id == objectives.c.cycle_id)
        if cycles_ is not None:
            query = query.where(cycles.c.key.in_(list(cycles_)))
        return {row.key: _alignment(row) for row in self._c.execute(query)}

    def owners(
        self, cycle: str, *, limit: int | None = None, seen_by: Collection[str] | None = None
    ) -> tuple[str, ...]:
        query = (
            select(objectives.c.owner)
            .distinct()
            .join(cycles, cycles.c.id == objectives.c.cycle_id)
            .where(
                cycles.c.key == cycle,
                objectives.c.owner.is_not(None),
                objectives.c.archived.is_(False),
            )
            .order_by(objectives.c.owner)
            .limit(limit)
        )
        if seen_by is not None:
            mine = select(teams.c.id).where(teams.c.key.in_(sorted(seen_by)))
            query = query.where(
                or_(objectives.c.private.is_(False), objectives.c.team_id.in_(mine))
            )
        return tuple(str(owner) for owner in self._c.execute(query).scalars())

    def stamps(self, keys: Collection[str]) -> dict[str, str]:
        if not keys:
            return {}
        owners = self._c.execute(
            select(objectives.c.id, objectives.c.key, objectives.c.version, cycles.c.version)
            .join(cycles, cycles.c.id == objectives.c.cycle_id)
            .where(objectives.c.key.in_(list(keys)))
        ).all()
        parts = {id: [f"{version}/{cycle_version}"] for id, _, version, cycle_version in owners}
        krs = self._c.execute(
            select(
                key_results.c.objective_id,
                key_results.c.id,
                key_results.c.version,
                kpis.c.values_version,
            )
            .outerjoin(kpis, kpis.c.id == key_results.c.kpi_id)
            .where(key_results.c.objective_id.in_(list(parts)))
            .order_by(key_results.c.objective_id, key_results.c.id)
        ).all()
        counted = {
            kr: (count, newest)
            for kr, count, newest in self._c.execute(
                select(check_ins.c.key_result_id, func.count(), func.max(check_ins.c.id))
                .where(check_ins.c.key_result_id.in_([row[1] for row in krs]))
                .group_by(check_ins.c.key_result_id)
            ).all()
        }
        for objective, kr, version, values_version in krs:
            count, newest = counted.get(kr, (0, 0))
            parts[objective].append(f"{kr}:{version}:{count}:{newest}:{values_version}")
        return {key: " ".join(parts[id]) for id, key, _, _ in owners}

    def summaries(self, keys: Collection[str]) -> dict[str, KeptSummary]:
        if not keys:
            return {}
        rows = self._c.execute(
            select(objectives.c.key, objective_summaries.c.stamp, objective_summaries.c.payload)
            .join(objective_summaries, objective_summaries.c.objective_id == objectives.c.id)
            .where(objectives.c.key.in_(list(keys)))
        ).all()
        found = {key: _decode(stamp, payload) for key, stamp, payload in rows}
        return {key: summary for key, summary in found.items() if summary is not None}

    def keep_summaries(self, summaries: Mapping[str, KeptSummary]) -> None:
        if not summaries:
            return
        ids = dict(
            self._c.execute(
                select(objectives.c.key, objectives.c.id).where(
                    objectives.c.key.in_(list(summaries))
                )
            ).all()
        )
        self._c.execute(
            delete(objective_summaries).where(
                objective_summaries.c.objective_id.in_(list(ids.values()))
            )
        )
        rows = [
            {"objective_id": ids[key], "stamp": s.stamp, "payload": _encode(s)}
            for key, s in summaries.items()
            if key in ids
        ]
        if rows:
            self._c.execute(insert(objective_summaries), rows)

    def aligned_to(self, key: str) -> tuple[str, ...]:
        query = (
            select(objectives.c.key)
            .where(objectives.c.parent_key == key)
            .order_by(objectives.c.key)
        )
        return tuple(self._c.execute(query).scalars())

    def _ids(self, objective: Objective) -> dict[str, int]:
        cycle = self._c.execute(select(cycles.c.id).where(cycles.c.key == objective.cycle)).first()
        if cycle is None:
            raise NotFound(f"no cycle {objective.cycle!r}")
        team = self._c.execute(select(teams.c.id).where(teams.c.key == objective.team)).first()
        if team is None:
            raise NotFound(f"no team {objective.team!r}")
        return {"cycle_id": cycle.id, "team_id": team.id}

    @staticmethod
    def _parent(objective: Objective) -> dict[str, Any]:
        parent = objective.parent
        return {
            "parent_key": None if parent is None else parent.objective,
            "parent_key_result_id": None if parent is None else parent.key_result,
        }

    def add(
        self,
        objective: Objective,
        status: ObjectiveStatus,
        carried_from: str | None,
        actor: str,
        now: datetime,
        *,
        urgent: bool = False,
    ) -> StoredObjective:
        self._c.execute(
            objectives.insert().values(
                key=objective.key,
                **self._ids(objective),
                **declared_values(objective, skip=OBJECTIVE_SKIPPED),
                **self._parent(objective),
                status=status.value,
                retrospective="",
                carried_from=carried_from,
                urgent=urgent,
                **created(actor, now),
            )
        )
        return self.get(objective.key)

    def update(
        self, key: str, expected_version: int, new: StoredObjective, actor: str, now: datetime
    ) -> StoredObjective:
        team = self._ids(new.objective)["team_id"]
        changes = {
            "team_id": team,
            **declared_values(new.objective, skip=OBJECTIVE_SKIPPED),
            **self._parent(new.objective),
            "status": new.status.value,
            "score": new.score,
            "retrospective": new.retrospective,
            "urgent": new.urgent,
            "archived": new.archived,
        }
        if not update_versioned(self._c, objectives, key, expected_version, changes, actor, now):
            raise self.get(key).revision.conflict(f"objective {key!r}", expected_version)
        return self.get(key)

    def remove_draft(self, key: str) -> None:
        """Delete a draft objective and its key results (a dismissed proposal; the audit
        log keeps what it was)."""
        self._c.execute(
            delete(objectives).where(
                objectives.c.key == key, objectives.c.status == ObjectiveStatus.DRAFT.value
            )
        )

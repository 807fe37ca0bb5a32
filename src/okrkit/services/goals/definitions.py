"""Applying goals: the teams, KPIs and cycles of the workspace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.goals import (
    CycleSpec,
    Goals,
    KpiSpec,
    Location,
    TeamSpec,
)
from okrkit.domain.keys import check_key
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.objectives import (
    ObjectiveStatus,
)
from okrkit.domain.teams import StoredTeam, Team, checked_team_name
from okrkit.services.cycles import cycle_record
from okrkit.services.goals.changes import Action
from okrkit.services.goals.recording import (
    Recorder,
    at,
    placed,
)
from okrkit.services.kpis import check_inputs, kpi_record, validate_kpi
from okrkit.services.ports import ObjectiveQuery
from okrkit.services.teams import team_record
from okrkit.services.tiles import keep_health

__all__ = ["DefinitionWriter"]


class DefinitionWriter(Recorder):
    """Writes the teams, KPIs and cycles goals name (and archives the teams and KPIs they
    leave out)."""

    # --- teams and KPIs -------------------------------------------------------------------

    def teams(self, specs: Sequence[TeamSpec]) -> None:
        stored = {t.team.key: t for t in self.uow.teams.list(archived=True)}
        for spec in specs:
            key = spec.team.key
            with at(spec.location):
                check_key(key)
                team = Team(key, checked_team_name(spec.team.name))
                if spec.parent == key:
                    raise InvalidInput("a team cannot be its own parent", field="parent")
                before = stored.get(key)
                if before is None:
                    added = self.uow.teams.add(team, spec.parent, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "team", key, spec.location, None,
                        team_record(added),
                    )  # fmt: skip
                else:
                    self._team(before, replace(before, team=team, parent=spec.parent,
                                               archived=False), spec.location)  # fmt: skip
        for spec in specs:
            if spec.parent is not None and not self.uow.teams.exists(spec.parent):
                raise placed(f"no team {spec.parent!r}", spec.location, "parent")
        named = {spec.team.key for spec in specs}
        for key, before in stored.items():
            if key not in named and not before.archived:
                self._team(before, replace(before, archived=True), Location.page(f"/teams/{key}"))

    def _team(self, before: StoredTeam, wanted: StoredTeam, location: Location) -> None:
        if wanted == before:
            return
        key = before.team.key
        after = self.uow.teams.update(key, before.revision.version, wanted, self.actor, self.now)
        action = _archiving(before.archived, after.archived)
        self.record(
            action, _audited(action), "team", key, location, team_record(before),
            team_record(after),
        )  # fmt: skip

    def kpis(self, specs: Sequence[KpiSpec]) -> dict[str, StoredKpi]:
        """Create, change and restore the KPIs the files name; return every KPI as it
        was found (those the files leave out are archived last)."""
        stored = {k.kpi.key: k for k in self.uow.kpis.list(archived=True)}
        judged = []
        for spec in specs:
            key = spec.kpi.key
            with at(spec.location):
                kpi = validate_kpi(spec.kpi)
                before = stored.get(key)
                if before is None:
                    added = self.uow.kpis.add(kpi, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "kpi", key, spec.location, None,
                        kpi_record(added),
                    )  # fmt: skip
                    continue
                wanted = replace(before, kpi=kpi, archived=False)
                if wanted == before:
                    continue
                after = self.uow.kpis.update(
                    key, before.revision.version, wanted, self.actor, self.now
                )
                action = _archiving(before.archived, after.archived)
                self.record(
                    action, _audited(action), "kpi", key, spec.location, kpi_record(before),
                    kpi_record(after),
                )  # fmt: skip
                judged.append(after)
        for spec in specs:
            with at(spec.location):
                check_inputs(self.uow, spec.kpi)
        if judged:
            keep_health(self.uow, judged, self.now)
        return stored

    def archive_kpis(self, stored: Mapping[str, StoredKpi], named: set[str]) -> None:
        gone = [k for key, k in stored.items() if key not in named and not k.archived]
        for before in gone:
            key = before.kpi.key
            after = self.uow.kpis.update(
                key, before.revision.version, replace(before, archived=True), self.actor, self.now
            )
            self.record(
                Action.ARCHIVE, "archive", "kpi", key, Location.page(f"/kpis/{key}"),
                kpi_record(before), kpi_record(after),
            )  # fmt: skip
        if gone:
            self.uow.tiles.forget([k.kpi.key for k in gone])

    # --- cycles ---------------------------------------------------------------------------

    def cycles(self, goals: Goals) -> dict[str, StoredCycle]:
        """Create the cycles the files name (listed, or named by an objective: active
        when new) and start those they say are active; those they close are closed last,
        once their objectives are scored. Return every cycle by name."""
        stored = {c.cycle.name: c for c in self.uow.cycles.list()}
        listed = {spec.cycle.name for spec in goals.cycles}
        implied = {
            o.cycle.name: CycleSpec(o.cycle, CycleState.ACTIVE, o.location)
            for o in reversed(goals.objectives)
            if o.cycle.name not in listed
        }
        for spec in (*goals.cycles, *implied.values()):
            name = spec.cycle.name
            with at(spec.location, None if name in listed else "cycle"):
                c = spec.cycle
                cycle = Cycle.parse(c.name, c.start, c.end, field="name")
                before = stored.get(name)
                if before is None:
                    stored[name] = self.uow.cycles.add(cycle, spec.state, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "cycle", name, spec.location, None,
                        cycle_record(stored[name]),
                    )  # fmt: skip
                    continue
                if before.cycle != cycle:
                    raise InvalidInput(
                        f"cycle {name} runs from {before.cycle.start} to {before.cycle.end} "
                        "in the workspace: a cycle's dates do not change (give a cycle with "
                        "other dates another name)",
                        field="start" if name in listed else "cycle",
                    )
                if name not in listed or spec.state == before.state:
                    continue
                state = before.moved_to(spec.state)
                if state is CycleState.CLOSED:
                    self.closing.append((before, spec.location))
                    continue
                stored[name] = self.uow.cycles.update(
                    name, before.revision.version, replace(before, state=state), self.actor,
                    self.now,
                )  # fmt: skip
                self.record(
                    Action.CHANGE, "start", "cycle", name, spec.location, cycle_record(before),
                    cycle_record(stored[name]),
                )  # fmt: skip
        self.states = {name: c.state for name, c in stored.items()}
        self.states.update({before.cycle.name: CycleState.CLOSED for before, _ in self.closing})
        return stored

    def close_cycles(self) -> None:
        for before, location in self.closing:
            name = before.cycle.name
            with at(location, "state"):
                active, _ = self.uow.objectives.list(
                    ObjectiveQuery(cycle=name, status=ObjectiveStatus.ACTIVE.value)
                )
                if active:
                    keys = ", ".join(o.objective.key for o in active)
                    raise InvalidInput(
                        f"cycle {name} closes with its objectives scored: {keys} still active"
                    )
                after = self.uow.cycles.update(
                    name, before.revision.version, replace(before, state=CycleState.CLOSED),
                    self.actor, self.now,
                )  # fmt: skip
            self.record(
                Action.CHANGE, "close", "cycle", name, location, cycle_record(before),
                cycle_record(after),
            )  # fmt: skip


def _archiving(was: bool, now: bool) -> Action:
    if was == now:
        return Action.CHANGE
    return Action.ARCHIVE if now else Action.RESTORE


def _audited(action: Action) -> str:
    return {Action.CHANGE: "edit"}.get(action, action.value)

"""The KPI catalogue: create, edit, archive, list and read KPI definitions.

Each use case is one transaction; every change bumps the KPI's version (a change based
on an older version is refused with who changed it and when) and is appended to the
audit log with its before and after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.formula import Formula
from okrkit.domain.keys import check_key
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.services.ports import UnitOfWork
from okrkit.services.tiles import keep_health

__all__ = [
    "EDITABLE",
    "EditKpi",
    "archive_kpi",
    "create_kpi",
    "edit_kpi",
    "get_kpi",
    "kpi_record",
    "list_kpis",
    "validate_kpi",
]

# The fields of a KPI definition an edit may change.
EDITABLE = frozenset(
    {
        "name", "description", "unit", "direction", "target", "thresholds", "cadence", "owner",
        "team", "kind", "north_star", "guardrail", "formula", "source",
    }
)  # fmt: skip
MAX_WINDOW_PERIODS = 1000


def kpi_record(stored: StoredKpi) -> dict[str, Any]:
    """A KPI as the audit log keeps it (JSON-ready)."""
    kpi = stored.kpi
    return {
        "key": kpi.key,
        "name": kpi.name,
        "description": kpi.description,
        "unit": kpi.unit,
        "direction": kpi.direction.value,
        "target": kpi.target,
        "thresholds": None
        if kpi.thresholds is None
        else {"green": kpi.thresholds.green, "red": kpi.thresholds.red},
        "cadence": str(kpi.cadence),
        "owner": kpi.owner,
        "team": kpi.team,
        "kind": kpi.kind.value,
        "north_star": kpi.north_star,
        "guardrail": kpi.guardrail,
        "formula": kpi.formula,
        "source": kpi.source,
        "window_periods": stored.window_periods,
        "baseline": None
        if stored.baseline is None
        else [stored.baseline[0].isoformat(), stored.baseline[1].isoformat()],
        "archived": stored.archived,
    }


def validate_kpi(kpi: Kpi) -> Kpi:
    """The rules a KPI definition must follow, each error naming its field."""
    check_key(kpi.key)
    if not kpi.name.strip():
        raise InvalidInput("a KPI needs a name", field="name")
    if kpi.target is not None and not math.isfinite(kpi.target):
        raise InvalidInput(f"{kpi.target} is not a finite number", field="target")
    if kpi.thresholds is not None:
        kpi.thresholds.check(kpi.direction)
    if kpi.formula:
        Formula.parse(kpi.formula)
    return kpi


def create_kpi(uow: UnitOfWork, kpi: Kpi, actor: str, now: datetime) -> StoredKpi:
    """Add a KPI to a team's dashboard; its key is unique and its team must exist."""
    validate_kpi(kpi)
    with uow:
        team_id = uow.teams.id_of(kpi.team)
        if uow.kpis.ids([kpi.key]):
            raise Conflict(f"KPI {kpi.key!r} already exists")
        stored = uow.kpis.add(kpi, team_id, actor, now)
        uow.audit.append(
            actor=actor, action="create", entity="kpi", key=kpi.key, before=None,
            after=kpi_record(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


@dataclass(frozen=True)
class EditKpi:
    """Change a KPI seen at `version`: definition fields, window, or locked baseline."""

    key: str
    version: int
    changes: dict[str, Any] = field(default_factory=dict)
    window_periods: int | None = None
    baseline: tuple[datetime, datetime] | None = None
    unlock_baseline: bool = False


def edit_kpi(uow: UnitOfWork, command: EditKpi, actor: str, now: datetime) -> StoredKpi:
    """Apply an edit if nobody changed the KPI since `version`; audit before and after."""
    unknown = sorted(set(command.changes) - EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(unknown)}", field=unknown[0])
    if command.window_periods is not None and not 2 <= command.window_periods <= MAX_WINDOW_PERIODS:
        raise InvalidInput(
            f"the window must be 2 to {MAX_WINDOW_PERIODS} periods", field="window_periods"
        )
    if command.baseline is not None and command.baseline[0] >= command.baseline[1]:
        raise InvalidInput("the baseline must start before it ends", field="baseline")
    with uow:
        before = uow.kpis.get(command.key)
        kpi = validate_kpi(replace(before.kpi, **command.changes))
        baseline = None if command.unlock_baseline else command.baseline or before.baseline
        after_state = replace(
            before,
            kpi=kpi,
            window_periods=command.window_periods or before.window_periods,
            baseline=baseline,
        )
        after = uow.kpis.update(
            command.key, command.version, after_state, uow.teams.id_of(kpi.team), actor, now
        )
        uow.audit.append(
            actor=actor, action="edit", entity="kpi", key=command.key,
            before=kpi_record(before), after=kpi_record(after), at=now,
        )  # fmt: skip
        keep_health(uow, [(uow.kpis.ids([command.key])[command.key], after)], now)
        uow.commit()
    return after


def archive_kpi(uow: UnitOfWork, key: str, version: int, actor: str, now: datetime) -> StoredKpi:
    """Archive a KPI: it leaves the dashboards; its values and history stay."""
    with uow:
        before = uow.kpis.get(key)
        after = uow.kpis.update(
            key,
            version,
            replace(before, archived=True),
            uow.teams.id_of(before.kpi.team),
            actor,
            now,
        )
        uow.audit.append(
            actor=actor, action="archive", entity="kpi", key=key,
            before=kpi_record(before), after=kpi_record(after), at=now,
        )  # fmt: skip
        uow.tiles.forget(uow.kpis.ids([key]).values())
        uow.commit()
    return after


def list_kpis(
    uow: UnitOfWork, team: str | None = None, *, archived: bool = False
) -> list[StoredKpi]:
    """KPIs (of one team, or all), North Star first, then by name."""
    with uow:
        if team is not None:
            uow.teams.get(team)
        return [stored for _, stored in uow.kpis.list(team=team, archived=archived)]


def get_kpi(uow: UnitOfWork, key: str) -> StoredKpi:
    """One KPI's definition; NotFound names the key."""
    with uow:
        return uow.kpis.get(key)

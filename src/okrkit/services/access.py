"""Who may change what, applied inside a use case's transaction: the one rule of
`domain.access`, with the store's answer to "whose is this?".

A thing they may not see (a private KPI or objective of a team they are not in, or
something under one) is refused as not found, in the words the store uses for a key
that names nothing; one they may see but not change is refused as forbidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from okrkit.domain.access import EVERYTHING, Actor, Sight
from okrkit.domain.errors import NotFound
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.objectives import StoredObjective
from okrkit.services.ports import UnitOfWork

__all__ = [
    "require_coverage_edit",
    "require_key_result_edit",
    "require_kpi_edit",
    "require_kpi_edits",
    "require_kpi_sight",
    "require_objective_edit",
    "require_objective_sight",
    "seen_by",
    "sight",
]


def sight(uow: UnitOfWork, viewer: Actor) -> Sight:
    """What `viewer` may not see, for a read that meets KPIs and objectives by key: an
    admin's is nothing (no query); anyone else's, two small queries."""
    if viewer.admin:
        return EVERYTHING
    return Sight(
        frozenset(uow.kpis.private_outside(viewer.member_of)),
        frozenset(uow.objectives.private_outside(viewer.member_of)),
    )


def seen_by(viewer: Actor) -> frozenset[str] | None:
    """An `ObjectiveQuery`'s `seen_by` for `viewer`: None (everything) for an admin,
    else the teams whose private objectives they see."""
    return None if viewer.admin else viewer.member_of


def require_kpi_sight(viewer: Actor, stored: StoredKpi, missing: str | None = None) -> None:
    """Refuse as not found (`missing`, the KPI by default) a read of a private KPI, or of
    something of it, that `viewer` may not see."""
    kpi = stored.kpi
    viewer.require_sight(kpi.team, kpi.private, missing or f"no KPI {kpi.key!r}")


def require_objective_sight(
    viewer: Actor, stored: StoredObjective, missing: str | None = None
) -> None:
    """Refuse as not found (`missing`, the objective by default) a read of a private
    objective, or of something under it, that `viewer` may not see."""
    o = stored.objective
    viewer.require_sight(o.team, o.private, missing or f"no objective {o.key!r}")


def require_kpi_edit(who: Actor, stored: StoredKpi, what: str, missing: str | None = None) -> None:
    """Refuse a change to this KPI (or to something of it — an alert it raised:
    `missing` then names that thing) unless they may make it."""
    kpi = stored.kpi
    who.require_edit(kpi.team, what, private=kpi.private, missing=missing or f"no KPI {kpi.key!r}")


def require_kpi_edits(
    uow: UnitOfWork, who: Actor, keys: Iterable[str], what: str, missing: str | None = None
) -> None:
    """Refuse a change to these KPIs' values unless they may make it to every one (an
    admin's is never looked up; anyone else's in one query, however many KPIs). A KPI
    they may not see is not found, in the words `missing` (the KPI by default: say what
    the caller named when it named something else, an import, so no KPI is named)."""
    if who.admin and who.writes:
        return
    wanted = set(keys)
    found = {k.kpi.key: k for k in uow.kpis.list(keys=wanted, archived=True)}
    for key in sorted(wanted):
        if key not in found:
            raise NotFound(missing or f"no KPI {key!r}")
        require_kpi_edit(who, found[key], f"{what} of the KPI {key!r}", missing)


def require_objective_edit(
    who: Actor, stored: StoredObjective, what: str, missing: str | None = None
) -> None:
    """Refuse a change to this objective (or to something under it — its key results,
    their check-ins and initiatives: `missing` then names that thing, so a refusal as
    not found says nothing of the objective) unless they may make it."""
    o = stored.objective
    who.require_edit(o.team, what, private=o.private, missing=missing or f"no objective {o.key!r}")


def require_key_result_edit(
    uow: UnitOfWork, who: Actor, key_result: int, what: str, missing: str | None = None
) -> None:
    """Refuse a change to a key result (a check-in, an initiative under it) unless they
    may change its objective; not found says `missing` (the key result by default)."""
    stored = uow.key_results.get(key_result)
    objective = uow.objectives.get(stored.objective)
    require_objective_edit(who, objective, what, missing or f"no key result {key_result}")


def require_coverage_edit(
    uow: UnitOfWork, who: Actor, team: str | None, kpi: str | None, what: str, missing: str
) -> None:
    """Refuse a change to what covers a team's alerts (a subscription) unless they edit
    the team; one KPI's, unless they may change the KPI; every alert, unless an admin.
    One they may not see is refused as `missing`."""
    if kpi is not None:
        require_kpi_edit(who, uow.kpis.get(kpi), what, missing)
    elif team is not None:
        who.require_edit(team, what)
    else:
        who.require_admin(what)

"""A workspace where KPIs have slipped, for the tests of the alert pages, API and CLI:
team growth watches trial-to-paid conversion (higher is better, green above 15 %, red
below 12 %) and activation (the same bounds). Eleven green weeks each, then conversion
slips to 13.1 % (yellow: a signal) and activation to 8 % (red), each imported at `NOW`:

- alert `YELLOW` (1) on trial_to_paid, its draft `YELLOW_DRAFT` asking for a hypothesis;
- alert `RED` (2) on activation, its draft `RED_DRAFT` urgent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.cadence import Cadence
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.services.cycles import CreateCycle, create_cycle
from okrkit.services.kpis import create_kpi
from okrkit.services.ports import UnitOfWork
from okrkit.services.teams import CreateTeam, create_team
from okrkit.services.values import import_values
from tests.support.actors import as_actor

__all__ = ["NOW", "RED", "RED_DRAFT", "YELLOW", "YELLOW_DRAFT", "build", "healthy", "slip"]

NOW = datetime(2026, 11, 23, 9, 30)
START = datetime(2026, 8, 31)  # a Monday; the eleventh week after it is 2026-11-16
GREEN = [16.0, 16.4, 15.9, 16.2, 16.5, 16.0, 16.3, 15.9, 16.4, 16.1, 16.2]
ACTOR = "maya@example.com"
YELLOW, RED = 1, 2
YELLOW_DRAFT, RED_DRAFT = "trial_to_paid-2026-11-23", "activation-2026-11-23"


def _kpi(key: str, name: str) -> Kpi:
    return Kpi(
        key, name, Direction.HIGHER, Cadence.parse("weekly"), "growth", unit="percent",
        target=16.0, thresholds=Thresholds(green=15.0, red=12.0), owner=ACTOR,
    )  # fmt: skip


def slip(uow: UnitOfWork, kpi: str, value: float, at: datetime = NOW) -> None:
    """Import the weeks of green values, then `value` in the week of 2026-11-16."""
    rows = [ValueRow(START + timedelta(weeks=n), v) for n, v in enumerate(GREEN)]
    rows.append(ValueRow(START + timedelta(weeks=len(GREEN)), value))
    import_values(uow, ValueRows(rows), as_actor(ACTOR), at, default_kpi=kpi)


def healthy(uow: UnitOfWork) -> None:
    """The workspace before anything slipped: both KPIs' green weeks up to 2026-11-09,
    and the quarter planned (drafts go into the open cycle of today)."""
    create_team(uow, CreateTeam("growth", "Growth"), as_actor(ACTOR), START)
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor(ACTOR), START)
    for key, name in (
        ("trial_to_paid", "Trial-to-paid conversion"),
        ("activation", "Activation rate"),
    ):
        create_kpi(uow, _kpi(key, name), as_actor(ACTOR), START)
        rows = [ValueRow(START + timedelta(weeks=n), v) for n, v in enumerate(GREEN)]
        import_values(
            uow, ValueRows(rows), as_actor(ACTOR), NOW - timedelta(days=7), default_kpi=key
        )


def build(uow: UnitOfWork) -> None:
    """The workspace above: one yellow alert, then one red."""
    healthy(uow)
    slip(uow, "trial_to_paid", 13.1)
    slip(uow, "activation", 8.0)

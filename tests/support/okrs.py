"""A small OKR workspace for tests, written through the services as a user would: the
seeds' growth team, its trial-to-paid KPI with weekly values, the cycle 2026-Q3 (active),
a company objective and the onboarding objective aligned under it, with check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from okrkit.domain.cadence import Cadence
from okrkit.domain.cycles import CycleState
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import Alignment, Objective
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.check_ins import RecordCheckIn, record_week
from okrkit.services.cycles import CreateCycle, create_cycle
from okrkit.services.objectives import CreateObjective, create_objective
from okrkit.services.ports import UnitOfWork
from okrkit.services.workspace import load_workspace
from tests.support.actors import as_actor

__all__ = ["CYCLE_START", "NOW", "Okrs", "build"]

CYCLE_START = date(2026, 7, 1)
# Six weeks into 2026-Q3.
NOW = datetime(2026, 8, 12, 9, 0)
ACTOR = "maya@example.com"

TRIAL_TO_PAID = Kpi(
    key="trial_to_paid",
    name="Trial-to-paid conversion rate",
    unit="percent",
    direction=Direction.HIGHER,
    cadence=Cadence.parse("weekly"),
    team="growth",
    target=16,
    thresholds=Thresholds(15, 12),
    owner=ACTOR,
)
DAU = Kpi(
    key="dau",
    name="Daily active users",
    unit="count",
    direction=Direction.HIGHER,
    cadence=Cadence.parse("daily"),
    team="company",
    north_star=True,
)

WIZARD = KeyResultDefinition(
    title="Increase setup wizard completion rate from 40% to 70%",
    start=40,
    target=70,
    unit="percent",
    owner="noah@example.com",
)
FIRST_ACTION = KeyResultDefinition(
    title="Cut time to first key action from 8 to 3 minutes",
    start=8,
    target=3,
    unit="min",
    owner="noah@example.com",
    weight=2,
)
CONVERSION = KeyResultDefinition(
    title="Lift trial-to-paid conversion from 12% back to 16%",
    start=12,
    target=16,
    unit="percent",
    owner=ACTOR,
    kpi="trial_to_paid",
)
TICKETS = KeyResultDefinition(
    title="Keep support tickets per 100 trials at or under 5",
    start=5,
    target=5,
    unit="count",
    owner=ACTOR,
    guardrail=True,
    direction=Direction.LOWER,
)


@dataclass(frozen=True)
class Okrs:
    """The ids of what `build` made."""

    company: str
    onboarding: str
    wizard: int
    first_action: int
    conversion: int
    tickets: int


def build(uow: UnitOfWork, *, check_ins: bool = True) -> Okrs:
    """Write the workspace through the services; check-ins weekly from the cycle start
    (wizard 43, 46, … ; first action 7.5, 7, …) up to `NOW`."""
    weeks = [datetime(2026, 7, 5) + timedelta(weeks=w) for w in range(6)]
    values = Series.from_points(
        [(datetime(2026, 5, 3) + timedelta(weeks=w), 12.0 + 0.1 * w) for w in range(15)]
    )
    load_workspace(
        uow,
        [Team("company", "Company"), Team("growth", "Growth")],
        [DAU, TRIAL_TO_PAID],
        {"trial_to_paid": values},
        as_actor("demo"),
        datetime(2026, 6, 30),
    )
    create_cycle(
        uow, CreateCycle("2026-Q3", state=CycleState.ACTIVE), as_actor(ACTOR), datetime(2026, 6, 30)
    )
    create_objective(
        uow,
        CreateObjective(
            Objective(
                key="grow-paying-customers",
                title="Grow paying customers profitably",
                cycle="2026-Q3",
                team="company",
                type=ObjectiveType.COMMITTED,
                owner="ceo@example.com",
                north_star="dau",
            ),
            (
                KeyResultDefinition(
                    title="Grow paying customers from 1000 to 1300",
                    start=1000,
                    target=1300,
                    owner="ceo@example.com",
                ),
            ),
        ),
        as_actor(ACTOR),
        datetime(2026, 6, 30),
    )
    create_objective(
        uow,
        CreateObjective(
            Objective(
                key="streamline-onboarding",
                title="Streamline onboarding to drive high-value conversions",
                cycle="2026-Q3",
                team="growth",
                owner=ACTOR,
                parent=Alignment("grow-paying-customers"),
            ),
            (WIZARD, FIRST_ACTION, CONVERSION, TICKETS),
        ),
        as_actor(ACTOR),
        datetime(2026, 6, 30),
    )
    with uow:
        krs = uow.key_results.of(["grow-paying-customers", "streamline-onboarding"])
    wizard, first, conversion, tickets = (kr.id for kr in krs["streamline-onboarding"])
    if check_ins:
        # A week's check-ins in one transaction each, as My week records them.
        for n, at in enumerate(weeks, start=1):
            record_week(
                uow,
                [
                    RecordCheckIn(wizard, 40 + 3 * n, 6, f"week {n}"),
                    RecordCheckIn(first, 8 - 0.5 * n, 5),
                    RecordCheckIn(tickets, 4.5 + 0.1 * (n % 2)),
                ],
                as_actor("noah@example.com"),
                at,
            )
    return Okrs(
        "grow-paying-customers", "streamline-onboarding", wizard, first, conversion, tickets
    )

"""The demo workspace: a SaaS product's teams, KPIs with a year of history, and one OKR.

Generated deterministically from a fixed seed, so everyone sees the same numbers; the
dates are anchored to the day it is shown, so the data is always fresh. Values are
dated at the end of the period they cover (a week on its Sunday, a month on its last
day) and the newest one is the last complete period before today.

The story it tells (from the seeds): trial-to-paid conversion slid from 15 % to 12 %
over the last two months — yellow, with a real downward signal — and the growth team
answered with the objective "Streamline onboarding to drive high-value conversions".
Finance watches a derived KPI, average revenue per account (`arpa = mrr /
paying_customers`): in the latest month a discount campaign brought in customers on
cheaper plans, so ARPA fell while MRR still grew, and its page says which input moved it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence
from okrkit.domain.goals import (
    CheckIn,
    Cycle,
    Goals,
    KeyResultSpec,
    KpiSpec,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind
from okrkit.domain.teams import Team
from okrkit.domain.values import Series

__all__ = ["DemoKeyResult", "DemoObjective", "Workspace", "build", "goals"]

SEED = 208  # chosen so only the intended KPIs show signals, whatever the weekday
HISTORY_DAYS = 365
CYCLE_WEEKS = 13
# How far into its cycle the demo objective is: far enough for a forecast.
WEEKS_INTO_CYCLE = 5

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DemoKeyResult:
    """A numeric key result of the demo with its weekly check-ins."""

    title: str
    start: float
    target: float
    unit: str
    owner: str
    check_ins: Series
    kpi: str | None = None


@dataclass(frozen=True)
class DemoObjective:
    """The demo's objective, its cycle and key results."""

    key: str
    title: str
    team: str
    north_star: str
    owner: str
    cycle: str
    cycle_start: date
    cycle_end: date
    objective_type: ObjectiveType
    key_results: tuple[DemoKeyResult, ...]


@dataclass(frozen=True)
class Workspace:
    """Everything the demo holds: teams, KPI definitions, their values, the objective."""

    today: date
    teams: tuple[Team, ...]
    kpis: tuple[Kpi, ...]
    values: dict[str, Series]
    objective: DemoObjective


def _period_ends(cadence: str, today: date) -> list[date]:
    """The end dates of a year of complete periods before today, oldest first."""
    last_day = today - timedelta(days=1)
    if cadence == "daily":
        return [last_day - timedelta(days=i) for i in range(HISTORY_DAYS)][::-1]
    if cadence == "weekly":
        sunday = last_day - timedelta(days=(last_day.weekday() + 1) % 7)
        return [sunday - timedelta(weeks=i) for i in range(52)][::-1]
    month_end = today.replace(day=1) - timedelta(days=1)
    ends = []
    for _ in range(12):
        ends.append(month_end)
        month_end = month_end.replace(day=1) - timedelta(days=1)
    return ends[::-1]


def _dau(rng: np.random.Generator, days: list[date]) -> FloatArray:
    growth = np.linspace(45_500, 50_500, len(days))
    weekend = np.array([0.94 if d.weekday() >= 5 else 1.0 for d in days])
    values: FloatArray = np.round(growth * weekend * rng.normal(1, 0.012, len(days)))
    return values


def _churn(rng: np.random.Generator, months: list[date]) -> FloatArray:
    return np.round(rng.normal(2.6, 0.22, len(months)), 2)


def _trial_to_paid(rng: np.random.Generator, weeks: list[date]) -> FloatArray:
    # Steady around 15.5 % for ten months, then a slide to 12 % over the last 8 weeks.
    values = rng.normal(15.5, 0.45, len(weeks))
    slide = np.linspace(15.0, 12.0, 8) + rng.normal(0, 0.15, 8)
    values[-8:] = slide
    values[-1] = 12.0
    return np.round(values, 1)


def _nps(rng: np.random.Generator, months: list[date]) -> FloatArray:
    return np.round(rng.normal(43, 2.5, len(months)))


def _latency(rng: np.random.Generator, days: list[date]) -> FloatArray:
    values: FloatArray = np.round(rng.gamma(40, 5.2, len(days)))
    return values


def _mrr(rng: np.random.Generator, months: list[date]) -> FloatArray:
    growth = 820_000 * 1.019 ** np.arange(len(months))
    values: FloatArray = np.round(growth * rng.normal(1, 0.006, len(months)), -2)
    return values


def _activation(rng: np.random.Generator, weeks: list[date]) -> FloatArray:
    return np.round(rng.normal(41.5, 1.2, len(weeks)), 1)


def _paying_customers(rng: np.random.Generator, mrr: FloatArray) -> FloatArray:
    # Revenue per account steady around $483, then 3 % lower in the latest month: the
    # campaign's customers pay less, so customers grow faster than MRR.
    per_account = rng.normal(483, 1.5, mrr.size)
    per_account[-1] = per_account[-2] * 0.97
    customers: FloatArray = np.round(mrr / per_account)
    return customers


def _first_response(rng: np.random.Generator, days: list[date]) -> FloatArray:
    weekend = np.array([1.35 if d.weekday() >= 5 else 1.0 for d in days])
    values: FloatArray = np.round(rng.gamma(16, 0.095, len(days)) * weekend, 2)
    return values


Generator = Callable[[np.random.Generator, list[date]], FloatArray]

TEAMS = (
    Team("growth", "Growth"),
    Team("product", "Product"),
    Team("platform", "Platform"),
    Team("support", "Customer support"),
    Team("finance", "Finance"),
)


def _kpi(
    key: str,
    name: str,
    team: str,
    unit: str,
    direction: Direction,
    cadence: str,
    target: float,
    green: float,
    red: float,
    owner: str,
    kind: KpiKind,
    description: str,
    *,
    north_star: bool = False,
    guardrail: bool = False,
    formula: str | None = None,
) -> Kpi:
    return Kpi(
        key=key,
        name=name,
        unit=unit,
        direction=direction,
        cadence=Cadence.parse(cadence),
        team=team,
        description=description,
        target=target,
        thresholds=Thresholds(green, red),
        owner=owner,
        kind=kind,
        north_star=north_star,
        guardrail=guardrail,
        formula=formula,
    )


HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
KPIS: tuple[tuple[Kpi, Generator], ...] = (
    (
        _kpi(
            "dau",
            "Daily active users",
            "product",
            "count",
            HIGHER,
            "daily",
            50_000,
            48_000,
            44_000,
            "lena@example.com",
            KpiKind.LEADING,
            "Distinct signed-in users who performed at least one core action that UTC day.",
            north_star=True,
        ),
        _dau,
    ),
    (
        _kpi(
            "churn",
            "Customer churn rate",
            "growth",
            "percent",
            LOWER,
            "monthly",
            2.0,
            2.5,
            3.5,
            "omar@example.com",
            KpiKind.LAGGING,
            "Paying customers at the start of the month who cancelled during it, "
            "divided by paying customers at the start of the month.",
        ),
        _churn,
    ),
    (
        _kpi(
            "trial_to_paid",
            "Trial-to-paid conversion rate",
            "growth",
            "percent",
            HIGHER,
            "weekly",
            16,
            15,
            12,
            "maya@example.com",
            KpiKind.LEADING,
            "Trials started in the week that became a paid plan within 14 days, "
            "divided by trials started in the week.",
        ),
        _trial_to_paid,
    ),
    (
        _kpi(
            "nps",
            "Net Promoter Score",
            "product",
            "score",
            HIGHER,
            "monthly",
            45,
            40,
            30,
            "lena@example.com",
            KpiKind.LAGGING,
            "Share of promoters (9–10) minus share of detractors (0–6) among the month's "
            "in-app survey answers, from −100 to 100.",
        ),
        _nps,
    ),
    (
        _kpi(
            "api_latency_p95",
            "p95 API latency",
            "platform",
            "ms",
            LOWER,
            "daily",
            250,
            300,
            450,
            "kenji@example.com",
            KpiKind.LEADING,
            "95th percentile of server-side response time of public API requests that UTC day.",
            guardrail=True,
        ),
        _latency,
    ),
    (
        _kpi(
            "mrr",
            "Monthly recurring revenue",
            "finance",
            "currency",
            HIGHER,
            "monthly",
            1_000_000,
            950_000,
            850_000,
            "ines@example.com",
            KpiKind.LAGGING,
            "Sum of the normalised monthly value of all active subscriptions at month end.",
        ),
        _mrr,
    ),
    (
        _kpi(
            "activation_rate",
            "Activation rate",
            "growth",
            "percent",
            HIGHER,
            "weekly",
            45,
            36,
            30,
            "maya@example.com",
            KpiKind.LEADING,
            "New sign-ups of the week who created a first project and invited a teammate "
            "within 7 days, divided by the week's sign-ups.",
        ),
        _activation,
    ),
    (
        _kpi(
            "support_first_response",
            "Support first-response time",
            "support",
            "hours",
            LOWER,
            "daily",
            2,
            2,
            4,
            "sam@example.com",
            KpiKind.LEADING,
            "Median business-hours time from a ticket's creation to the first human reply, "
            "for tickets opened that UTC day.",
        ),
        _first_response,
    ),
)

# Drawn after every other number of the demo (from MRR's months), so adding them left
# the other KPIs' values and the objective's check-ins as they were.
PAYING_CUSTOMERS = _kpi(
    "paying_customers",
    "Paying customers",
    "finance",
    "count",
    HIGHER,
    "monthly",
    2_200,
    2_000,
    1_800,
    "ines@example.com",
    KpiKind.LAGGING,
    "Customers with at least one active paid subscription at month end.",
)
ARPA = _kpi(
    "arpa",
    "Average revenue per account",
    "finance",
    "currency",
    HIGHER,
    "monthly",
    500,
    480,
    450,
    "ines@example.com",
    KpiKind.LAGGING,
    "Monthly recurring revenue at month end divided by the paying customers at month end.",
    formula="arpa = mrr / paying_customers",
)


def _cycle(today: date) -> tuple[str, date, date]:
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=WEEKS_INTO_CYCLE)
    end = start + timedelta(weeks=CYCLE_WEEKS, days=-1)
    # Not a calendar quarter (the demo's cycle follows the day it is shown): named by
    # its first day, as a custom cycle is.
    return start.isoformat(), start, end


def _objective(rng: np.random.Generator, today: date, trial_to_paid: Series) -> DemoObjective:
    name, start, end = _cycle(today)
    fridays = [
        start + timedelta(days=4, weeks=w)
        for w in range(CYCLE_WEEKS)
        if start + timedelta(days=4, weeks=w) < today
    ]
    wizard = np.round(
        40 + 2.6 * np.arange(1, len(fridays) + 1) + rng.normal(0, 0.8, len(fridays)), 1
    )
    in_cycle = trial_to_paid.timestamps >= np.datetime64(start)
    return DemoObjective(
        key="streamline-onboarding",
        title="Streamline onboarding to drive high-value conversions",
        team="growth",
        north_star="dau",
        owner="maya@example.com",
        cycle=name,
        cycle_start=start,
        cycle_end=end,
        objective_type=ObjectiveType.ASPIRATIONAL,
        key_results=(
            DemoKeyResult(
                "Increase setup wizard completion rate from 40% to 70%",
                40,
                70,
                "percent",
                "noah@example.com",
                Series.from_points(zip(fridays, wizard.tolist(), strict=True)),
            ),
            DemoKeyResult(
                "Lift trial-to-paid conversion from 12% back to 16%",
                12,
                16,
                "percent",
                "maya@example.com",
                Series(trial_to_paid.timestamps[in_cycle], trial_to_paid.values[in_cycle]),
                kpi="trial_to_paid",
            ),
        ),
    )


def build(today: date) -> Workspace:
    """The demo workspace as of `today`: the same numbers every time for the same day
    of the week, with the newest values from the last complete period."""
    rng = np.random.default_rng(SEED)
    values: dict[str, Series] = {}
    for kpi, generate in KPIS:
        ends = _period_ends(kpi.cadence.kind.value, today)
        values[kpi.key] = Series.from_points(zip(ends, generate(rng, ends).tolist(), strict=True))
    objective = _objective(rng, today, values["trial_to_paid"])
    mrr = values["mrr"]
    customers = _paying_customers(rng, mrr.values)
    values[PAYING_CUSTOMERS.key] = Series(mrr.timestamps, customers)
    values[ARPA.key] = Series(mrr.timestamps, np.round(mrr.values / customers, 2))
    return Workspace(
        today=today,
        teams=TEAMS,
        kpis=(*(kpi for kpi, _ in KPIS), PAYING_CUSTOMERS, ARPA),
        values=values,
        objective=objective,
    )


def goals(ws: Workspace) -> Goals:
    """The demo as a goals file would describe it: teams, KPIs, the objective and its
    key results with their check-ins (values stay in the KPIs' series)."""
    objective = ws.objective
    return Goals(
        teams=tuple(TeamSpec(team) for team in ws.teams),
        kpis=tuple(KpiSpec(kpi) for kpi in ws.kpis),
        objectives=(
            ObjectiveSpec(
                key=objective.key,
                title=objective.title,
                cycle=Cycle(objective.cycle, objective.cycle_start, objective.cycle_end),
                team=objective.team,
                type=objective.objective_type,
                owner=objective.owner,
                north_star=objective.north_star,
                key_results=tuple(
                    KeyResultSpec(
                        title=kr.title,
                        start=kr.start,
                        target=kr.target,
                        unit=kr.unit,
                        owner=kr.owner,
                        kpi=kr.kpi,
                        check_ins=tuple(
                            CheckIn(at.astype("datetime64[s]").item(), float(value))
                            for at, value in zip(
                                kr.check_ins.timestamps, kr.check_ins.values, strict=True
                            )
                        ),
                    )
                    for kr in objective.key_results
                ),
            ),
        ),
    )

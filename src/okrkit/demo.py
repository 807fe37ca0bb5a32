"""The demo workspace: a SaaS product's teams, KPIs with a year of history, and two
cycles of OKRs.

Generated deterministically (the KPIs from a fixed seed, the OKRs written out), so
everyone sees the same numbers; the dates are anchored to the day it is shown, so the
data is always fresh. Values are dated at the end of the period they cover (a week on
its Sunday, a month on its last day) and the newest one is the last complete period
before today.

The story it tells (from the seeds): trial-to-paid conversion slid from 15 % to 12 %
over the last two months — yellow, with a real downward signal — and the growth team
answered with the objective "Streamline onboarding to drive high-value conversions",
aligned under the company's objective on the North Star KPI (daily active users), with
the product and support teams' objectives under it, weekly check-ins with notes and
confidence, a guardrail and the work under each key result. The previous cycle is
closed: scored, with a retrospective per objective, and its unfinished sync objective
carried over. Finance watches a derived KPI, average revenue per account (`arpa = mrr /
paying_customers`): in the latest month a discount campaign brought in customers on
cheaper plans, so ARPA fell while MRR still grew, and its page says which input moved it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle, CycleState, next_cycle
from okrkit.domain.goals import (
    Goals,
    InitiativeSpec,
    KeyResultSpec,
    KpiSpec,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.initiatives import Initiative, InitiativeStatus
from okrkit.domain.key_results import KeyResultDefinition, Steps
from okrkit.domain.kpis import Kpi, KpiKind
from okrkit.domain.notifications import Channel
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.workspace import (
    AlertEntry,
    CycleEntry,
    KeyResultEntry,
    ObjectiveEntry,
    Okrs,
    SubscriptionEntry,
)

__all__ = ["COMPANY", "ONBOARDING", "Workspace", "build", "flagship", "goals"]

SEED = 208  # chosen so only the intended KPIs show signals, whatever the weekday
HISTORY_DAYS = 365
CYCLE_WEEKS = 13
# How far into its cycle the current cycle is: seven or eight weekly check-ins (eight
# from Saturday on), enough for a forecast and half a cycle's story.
WEEKS_INTO_CYCLE = 7

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Workspace:
    """Everything the demo holds: teams, KPI definitions, their values, the OKRs (as
    `services.workspace.load_workspace` loads them)."""

    today: date
    teams: tuple[Team, ...]
    kpis: tuple[Kpi, ...]
    values: dict[str, Series]
    okrs: Okrs


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
    values: FloatArray = rng.gamma(16, 0.095, len(days)) * weekend
    # A backlog since four days ago (a new plan's launch doubled the tickets): red, and
    # waiting for a person to accept the urgent draft it proposed.
    values[-4:] *= np.array([1.9, 2.2, 2.5, 2.7])
    return np.round(values, 2)


Generator = Callable[[np.random.Generator, list[date]], FloatArray]

TEAMS = (
    Team("company", "Company"),
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
# the other KPIs' values as they were.
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


# --- The OKR side -----------------------------------------------------------------------
#
# Two cycles of 13 weeks, the current one seven weeks in: the demo is anchored to the
# day it is shown, so its cycles are custom spans rather than calendar quarters (a
# quarter would be a week old on some days and nearly over on others). Each is named
# by its first day as `domain.cycles.next_cycle` names the cycle after a custom span
# (`from-2026-10-05`), so the current cycle is exactly the one after the previous: the
# product's own "carry over" of a previous objective lands in it.

CHECK_IN_TIME = time(16, 0)  # Friday afternoon, UTC
ONBOARDING = "streamline-onboarding"
# The demo's webhook: loopback's discard port, where nothing listens.
DEMO_HOOK = "http://127.0.0.1:9/okrkit-demo-hook"
COMPANY = "grow-customers-who-stay"


def _cycles(today: date) -> tuple[Cycle, Cycle]:
    """The previous cycle (closed) and the current one (active, seven weeks in)."""
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=WEEKS_INTO_CYCLE)
    first = start - timedelta(weeks=CYCLE_WEEKS)
    previous = Cycle(f"from-{first.isoformat()}", first, start - timedelta(days=1))
    return previous, next_cycle(previous)


def _fridays(cycle: Cycle, today: date) -> list[datetime]:
    """The weekly check-in moments of a cycle before today."""
    days = (cycle.start + timedelta(days=4, weeks=w) for w in range(CYCLE_WEEKS))
    return [datetime.combine(day, CHECK_IN_TIME) for day in days if day < today]


def _tracker(issue: str) -> str:
    return f"https://tracker.example.com/browse/{issue}"


def _work(*items: tuple[str, InitiativeStatus, str]) -> tuple[Initiative, ...]:
    return tuple(Initiative(title, status, _tracker(issue)) for title, status, issue in items)


def _weekly(
    moments: Sequence[datetime],
    author: str,
    values: Sequence[float],
    confidence: Sequence[float],
    notes: Sequence[str],
) -> tuple[CheckIn, ...]:
    """One check-in a week: the story's weeks run further than the weeks elapsed on
    some days of the week, so the longer lists are cut at the moments."""
    return tuple(
        CheckIn(at, float(value), float(c), note, author)
        for at, value, c, note in zip(moments, values, confidence, notes, strict=False)
    )


def _kpi_value_at(series: Series, at: datetime) -> float:
    """A KPI's newest value at a moment: what a check-in on a key result it feeds shows."""
    i = int(np.searchsorted(series.timestamps, np.datetime64(at, "s"), side="right"))
    return float(series.values[i - 1])


def _kpi_check_ins(
    moments: Sequence[datetime],
    author: str,
    series: Series,
    confidence: Sequence[float],
    notes: Sequence[str],
) -> tuple[CheckIn, ...]:
    """Weekly check-ins on a key result a KPI feeds: they annotate its value then."""
    values = [_kpi_value_at(series, at) for at in moments]
    return _weekly(moments, author, values, confidence, notes)


def _numeric(
    title: str, start: float, target: float, unit: str, owner: str, **more: Any
) -> KeyResultDefinition:
    return KeyResultDefinition(
        title=title, start=start, target=target, unit=unit, owner=owner, **more
    )


def _guardrail(
    title: str, line: float, unit: str, owner: str, direction: Direction, **more: Any
) -> KeyResultDefinition:
    return KeyResultDefinition(
        title=title,
        start=line,
        target=line,
        unit=unit,
        owner=owner,
        guardrail=True,
        direction=direction,
        **more,
    )


def _previous_cycle(cycle: Cycle, today: date) -> tuple[ObjectiveEntry, ...]:
    """The previous cycle, scored and closed: three objectives with 13 weekly check-ins
    each, a retrospective each, one key result scored below what its progress proposed
    (with the reason), and the unfinished sync objective that is carried over."""
    weeks = _fridays(cycle, today)
    quiet = [""] * CYCLE_WEEKS

    def notes(**by_week: str) -> list[str]:
        written = list(quiet)
        for week, note in by_week.items():
            written[int(week.removeprefix("w")) - 1] = note
        return written

    return (
        ObjectiveEntry(
            Objective(
                key="faster-first-answers",
                title="Answer customers while they still care",
                cycle=cycle.name,
                team="support",
                type=ObjectiveType.COMMITTED,
                owner="sam@example.com",
                north_star="dau",
                description="A customer who waits half a day for a first answer has already "
                "found a workaround, or a competitor.",
            ),
            (
                KeyResultEntry(
                    _numeric(
                        "Cut median first-response time from 4 h to 2 h",
                        4,
                        2,
                        "hours",
                        "sam@example.com",
                    ),
                    _weekly(
                        weeks,
                        "sam@example.com",
                        [3.9, 3.8, 3.6, 3.5, 3.3, 3.2, 3.0, 2.8, 2.7, 2.5, 2.3, 2.2, 2.1],
                        [7, 7, 7, 6, 6, 6, 6, 6, 7, 7, 8, 8, 8],
                        notes(
                            w1="Queue triage by topic started; the night shift answers the "
                            "simplest tickets first.",
                            w6="Behind: two people on leave. Asked platform for help on the queue.",
                            w10="Two engineers on the queue for three weeks: on track, but "
                            "that is borrowed time.",
                        ),
                    ),
                    _work(("Triage the queue by topic", InitiativeStatus.DONE, "SUP-58")),
                    score=0.8,
                    score_reason="Reached 2.1 h only with two engineers lent to the queue "
                    "for the last three weeks: not yet a level the team holds alone.",
                ),
                KeyResultEntry(
                    _numeric(
                        "Raise tickets solved by help-centre articles from 20% to 35%",
                        20,
                        35,
                        "percent",
                        "priya@example.com",
                    ),
                    _weekly(
                        weeks,
                        "priya@example.com",
                        [20.5, 21, 22, 22.4, 23.5, 24.1, 25, 26.2, 27, 28.1, 29.5, 30.2, 31],
                        [6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 5, 5, 5],
                        notes(
                            w3="Twenty new articles written for the commonest questions.",
                            w8="Search does not find the new articles for half the queries; "
                            "platform fixes it in week 10.",
                            w13="Ended at 31 %: the search fix came late.",
                        ),
                    ),
                    _work(
                        (
                            "Help-centre articles for the 20 commonest questions",
                            InitiativeStatus.DONE,
                            "SUP-61",
                        )
                    ),
                ),
            ),
            status=ObjectiveStatus.CLOSED,
            retrospective="Short of the commitment. First response reached 2.1 h, but only "
            "with two engineers lent to the queue for three weeks; help-centre deflection "
            "rose to 31 % and stopped short of 35 % because search did not find the new "
            "articles until week 10. The KPI now watches first-response time at its new "
            "level.",
        ),
        ObjectiveEntry(
            Objective(
                key="clarify-pricing",
                title="Make pricing easy to understand before a trial starts",
                cycle=cycle.name,
                team="growth",
                type=ObjectiveType.ASPIRATIONAL,
                owner="maya@example.com",
                north_star="dau",
            ),
            (
                KeyResultEntry(
                    _numeric(
                        "Lift pricing-page visitors who start a trial from 3.0% to 4.5%",
                        3.0,
                        4.5,
                        "percent",
                        "maya@example.com",
                    ),
                    _weekly(
                        weeks,
                        "maya@example.com",
                        [3.0, 3.1, 3.1, 3.2, 3.3, 3.5, 3.6, 3.6, 3.7, 3.8, 3.8, 3.9, 3.9],
                        [6, 6, 6, 6, 6, 7, 7, 6, 6, 6, 5, 5, 5],
                        notes(
                            w5="Comparison table live on the pricing page.",
                            w11="Trial starts up, but the new trials convert no better: "
                            "the drop in trial-to-paid happens later in the funnel.",
                        ),
                    ),
                    _work(("Pricing page comparison table", InitiativeStatus.DONE, "GROW-402")),
                ),
                KeyResultEntry(
                    _numeric(
                        "Cut pricing questions to support from 120 to 60 a month",
                        120,
                        60,
                        "count",
                        "sam@example.com",
                    ),
                    _weekly(
                        weeks,
                        "sam@example.com",
                        [118, 116, 115, 110, 104, 99, 95, 92, 90, 86, 84, 82, 80],
                        [6, 6, 6, 6, 6, 6, 6, 6, 5, 5, 5, 5, 5],
                        notes(w6="Questions about seats fell most since the table went live."),
                    ),
                ),
            ),
            status=ObjectiveStatus.CLOSED,
            retrospective="0.6 on a stretch: the comparison table lifted trial starts and "
            "cut pricing questions by a third. What we learned: trials started after the "
            "table convert no better, and trial-to-paid began to slide in the last weeks "
            "of the cycle — the problem sits in setup, not in pricing, so this cycle's "
            "onboarding objective goes after setup.",
        ),
        ObjectiveEntry(
            Objective(
                key="reliable-sync",
                title="Make data sync something nobody has to think about",
                cycle=cycle.name,
                team="platform",
                type=ObjectiveType.COMMITTED,
                owner="kenji@example.com",
                north_star="dau",
            ),
            (
                KeyResultEntry(
                    _numeric(
                        "Cut failed syncs from 2.0% to 0.5% of runs",
                        2.0,
                        0.5,
                        "percent",
                        "kenji@example.com",
                    ),
                    _weekly(
                        weeks,
                        "kenji@example.com",
                        [2.0, 1.9, 1.9, 1.8, 1.8, 1.7, 1.6, 1.6, 1.5, 1.3, 1.1, 1.0, 0.9],
                        [7, 7, 6, 6, 5, 5, 5, 4, 4, 5, 5, 5, 5],
                        notes(
                            w4="Queue rewrite two weeks behind: the old queue's retries "
                            "hide errors we now have to handle.",
                            w10="New queue live: failures falling fast.",
                            w13="Ended at 0.9 %; one connector (Salesforce) causes most "
                            "of what is left.",
                        ),
                    ),
                    _work(("Rewrite the sync queue", InitiativeStatus.DONE, "PLAT-64")),
                ),
                KeyResultEntry(
                    _numeric(
                        "Cut p95 sync delay from 40 s to 10 s",
                        40,
                        10,
                        "s",
                        "amara@example.com",
                    ),
                    _weekly(
                        weeks,
                        "amara@example.com",
                        [39, 37, 34, 31, 29, 26, 24, 21, 19, 16, 14, 13, 12],
                        [7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8],
                        notes(w7="Batching writes halved the delay of large accounts."),
                    ),
                ),
            ),
            status=ObjectiveStatus.CLOSED,
            retrospective="Short of the commitment: the queue rewrite landed two weeks "
            "late, so failed syncs fell from 2.0 % to 0.9 %, not 0.5 %; the delay nearly "
            "reached its target. Most remaining failures come from the Salesforce "
            "connector. Carried over with both key results, each starting where it ended.",
        ),
    )


def _current_cycle(
    cycle: Cycle, today: date, values: dict[str, Series]
) -> tuple[ObjectiveEntry, ...]:
    """The current cycle, seven weeks in: the company's objective on the North Star, the
    growth team's onboarding objective under it, two teams' objectives under that (one
    under its wizard key result), and the sync objective carried over."""
    weeks = _fridays(cycle, today)
    company = ObjectiveEntry(
        Objective(
            key=COMPANY,
            title="Grow a customer base that stays and pays",
            cycle=cycle.name,
            team="company",
            type=ObjectiveType.ASPIRATIONAL,
            owner="ana@example.com",
            north_star="dau",
            description="It serves our North Star, daily active users: customers who use "
            "the product every day renew. This cycle we grow paying customers and revenue "
            "without buying growth with discounts that hurt retention.",
        ),
        (
            KeyResultEntry(
                _numeric(
                    "Grow paying customers from 2,050 to 2,300",
                    2_050,
                    2_300,
                    "count",
                    "ines@example.com",
                    kpi="paying_customers",
                ),
                _kpi_check_ins(
                    weeks,
                    "ines@example.com",
                    values["paying_customers"],
                    [7, 7, 8, 8, 7, 7, 6, 6],
                    [
                        "",
                        "Sales pipeline for the quarter looks healthy.",
                        "",
                        "The discount campaign brought in more customers than planned, on "
                        "cheaper plans.",
                        "",
                        "",
                        "New customers slowing as the campaign ends.",
                        "",
                    ],
                ),
            ),
            KeyResultEntry(
                _numeric(
                    "Grow monthly recurring revenue from $990k to $1.03M",
                    990_000,
                    1_030_000,
                    "currency",
                    "ines@example.com",
                    kpi="mrr",
                ),
                _kpi_check_ins(
                    weeks,
                    "ines@example.com",
                    values["mrr"],
                    [7, 7, 8, 8, 7, 6, 6, 6],
                    [
                        "",
                        "",
                        "Annual upgrades carried the month.",
                        "",
                        "",
                        "The discount campaign brought cheaper plans: revenue per account "
                        "down, MRR still up.",
                        "",
                        "",
                    ],
                ),
            ),
            KeyResultEntry(
                _guardrail(
                    "Keep monthly customer churn at or under 2.8%",
                    2.8,
                    "percent",
                    "omar@example.com",
                    Direction.LOWER,
                    kpi="churn",
                ),
                _kpi_check_ins(
                    weeks,
                    "omar@example.com",
                    values["churn"],
                    [8, 8, 8, 7, 7, 7, 8, 8],
                    [
                        "",
                        "",
                        "",
                        "Holding. Two large accounts at risk; customer success is on both.",
                        "",
                        "",
                        "One of the two renewed for a year.",
                        "",
                    ],
                ),
            ),
        ),
    )
    onboarding = ObjectiveEntry(
        Objective(
            key=ONBOARDING,
            title="Streamline onboarding to drive high-value conversions",
            cycle=cycle.name,
            team="growth",
            type=ObjectiveType.ASPIRATIONAL,
            owner="maya@example.com",
            parent=Alignment(COMPANY),
            description="Trial-to-paid conversion slid from about 15 % to 12 % in two "
            "months: trials stall in setup before their first key action. This cycle we "
            "make the way from sign-up to that action short and obvious. Pricing and plans "
            "are out of scope.",
        ),
        (
            KeyResultEntry(
                _numeric(
                    "Increase setup wizard completion rate from 40% to 70%",
                    40,
                    70,
                    "percent",
                    "noah@example.com",
                ),
                _weekly(
                    weeks,
                    "noah@example.com",
                    [42.5, 45.1, 47.0, 49.8, 51.2, 54.6, 57.3, 59.0],
                    [6, 6, 5, 6, 6, 7, 7, 8],
                    [
                        "Tracking on every wizard step is live: the invite-teammates step "
                        "loses the most people (31 % drop). Next: draft a shorter flow.",
                        "Copy fixes on the workspace-name step helped a little. Blocker: the "
                        "three-step design waits on the brand review. Next: review on Tuesday.",
                        "A smaller gain than hoped; the invite step is still the wall. "
                        "Review done, three-step wizard in build. Next: 10 % of trials.",
                        "Three-step wizard on for 10 % of trials: they complete at 61 %. "
                        "Next: half of trials once support has the new help article.",
                        "Rollout to half of trials slipped two days (a Safari date-picker "
                        "bug, fixed Thursday). Next: watch tickets on the new step.",
                        "Half of trials on the new wizard, tickets back to normal. Next: "
                        "test skipping the invite step.",
                        "Skip-invite test started: early read +4 points completion, no "
                        "fewer invites sent later. Next: decide on full rollout.",
                        "New wizard at 100 %. The skip-invite test is positive and rolls "
                        "out Monday. Next: the first-project step, now the biggest drop.",
                    ],
                ),
                _work(
                    ("Three-step setup wizard", InitiativeStatus.DONE, "GROW-412"),
                    ("A/B test: skip the invite step", InitiativeStatus.IN_PROGRESS, "GROW-431"),
                ),
            ),
            KeyResultEntry(
                _numeric(
                    "Cut time to first key action from 8 to 3 minutes",
                    8,
                    3,
                    "min",
                    "noah@example.com",
                    weight=2,
                ),
                _weekly(
                    weeks,
                    "noah@example.com",
                    [7.9, 7.6, 7.6, 7.2, 6.9, 6.9, 6.5, 6.3],
                    [6, 5, 5, 5, 4, 4, 5, 5],
                    [
                        "Session replays confirm the baseline: most of the time goes to "
                        "finding 'New project'.",
                        "'New project' moved to the empty state: a small gain. Blocker: the "
                        "sample-project importer times out on large templates.",
                        "No change: the importer fix is in review.",
                        "Sample project preloaded for 20 % of new workspaces: they reach a "
                        "first key action in 5.1 min.",
                        "Sample project paused: it doubled storage per trial. Platform is "
                        "making a lighter template.",
                        "Lighter template ready, not yet on. Confidence down: 3 min needs the "
                        "inline tips too.",
                        "Sample project at 100 % with the lighter template; inline tips in design.",
                        "Inline tips in build. At this pace we land near 5 min: the tips have "
                        "to close the gap.",
                    ],
                ),
                _work(
                    (
                        "Preload a sample project in new workspaces",
                        InitiativeStatus.DONE,
                        "GROW-418",
                    ),
                    ("Inline tips on the first screen", InitiativeStatus.IN_PROGRESS, "GROW-440"),
                ),  # fmt: skip
            ),
            KeyResultEntry(
                _numeric(
                    "Lift trial-to-paid conversion from 12% back to 16%",
                    12,
                    16,
                    "percent",
                    "maya@example.com",
                    kpi="trial_to_paid",
                ),
                _kpi_check_ins(
                    weeks,
                    "maya@example.com",
                    values["trial_to_paid"],
                    [5, 5, 4, 4, 4, 3, 4, 4],
                    [
                        "Still sliding. Trials that finish the wizard convert at twice the "
                        "rate of those that do not: the bet holds.",
                        "Down again. No change in pricing or traffic mix, so the funnel is the "
                        "suspect.",
                        "Lowest in a year. Marketing paused the low-intent ad campaign to "
                        "rule it out.",
                        "Conversion lags the wizard by the 14-day trial: the first cohort on "
                        "the new wizard ends its trial next week.",
                        "First new-wizard cohort converts at 14.1 % against 11.8 % on the old "
                        "one (a small sample). Next: rewrite the trial-end emails.",
                        "Still low overall: only half of trials see the new wizard. Blocker: "
                        "the email rewrite waits on legal review of the offer.",
                        "Email rewrite approved, sending from Monday. The lift has to show in "
                        "the next four weeks.",
                        "New wizard at 100 % of trials: the whole next cohort gets it.",
                    ],
                ),
                _work(
                    ("Rewrite the trial-end emails", InitiativeStatus.IN_PROGRESS, "GROW-437"),
                    (
                        "Discount for annual plans at trial end",
                        InitiativeStatus.DROPPED,
                        "GROW-409",
                    ),
                ),  # fmt: skip
            ),
            KeyResultEntry(
                _guardrail(
                    "Keep support tickets per 100 trials at or under 5",
                    5,
                    "count",
                    "sam@example.com",
                    Direction.LOWER,
                ),
                _weekly(
                    weeks,
                    "sam@example.com",
                    [4.6, 4.7, 4.5, 5.4, 5.1, 4.8, 4.6, 4.5],
                    [8, 8, 8, 6, 7, 8, 8, 8],
                    [
                        "",
                        "",
                        "",
                        "Over the line: the new invite step confused people who skip it. "
                        "Help article rewritten.",
                        "Still over, falling; a third came from the Safari date-picker bug.",
                        "Back under the line.",
                        "",
                        "",
                    ],
                ),
                _work(("Help article for the new wizard", InitiativeStatus.DONE, "SUP-88")),
            ),
        ),
    )
    product = ObjectiveEntry(
        Objective(
            key="first-session-value",
            title="Make a new workspace useful in its first session",
            cycle=cycle.name,
            team="product",
            type=ObjectiveType.COMMITTED,
            owner="lena@example.com",
            parent=Alignment(ONBOARDING),
            description="Finishing the wizard is worth it only if the workspace is useful "
            "right after: product owns the first session, growth the way in.",
        ),
        (
            KeyResultEntry(
                _numeric(
                    "Raise new workspaces with a project in their first session from 35% to 50%",
                    35,
                    50,
                    "percent",
                    "lena@example.com",
                ),
                _weekly(
                    weeks,
                    "lena@example.com",
                    [36.0, 37.2, 38.1, 39.5, 40.2, 41.8, 42.9, 43.5],
                    [7, 7, 6, 6, 6, 6, 7, 7],
                    [
                        "",
                        "Templates for the five commonest uses in design.",
                        "",
                        "First two templates live.",
                        "",
                        "All five templates live; the sample project helps too.",
                        "",
                        "Slower than the line: at this pace we land just under 50 %.",
                    ],
                ),
                _work(
                    (
                        "Empty-state templates for the five commonest uses",
                        InitiativeStatus.IN_PROGRESS,
                        "PROD-221",
                    ),
                ),  # fmt: skip
            ),
            KeyResultEntry(
                _numeric(
                    "Cut first-session errors from 4.0 to 1.5 per 100 sessions",
                    4.0,
                    1.5,
                    "count",
                    "kenji@example.com",
                ),
                # Kenji missed the last two weeks: this key result is due a check-in.
                _weekly(
                    weeks[:-2],
                    "kenji@example.com",
                    [3.9, 3.6, 3.3, 3.0, 2.8, 2.6],
                    [6, 6, 7, 7, 7, 7],
                    [
                        "Top five errors listed from the logs.",
                        "",
                        "Two of the five fixed.",
                        "",
                        "Four of five fixed; the last needs the new editor.",
                        "",
                    ],
                ),
                _work(
                    (
                        "Fix the five commonest first-session errors",
                        InitiativeStatus.DONE,
                        "PROD-207",
                    ),
                ),  # fmt: skip
            ),
            KeyResultEntry(
                _guardrail(
                    "Keep crash-free sessions at or above 99.5%",
                    99.5,
                    "percent",
                    "amara@example.com",
                    Direction.HIGHER,
                ),
                _weekly(
                    weeks,
                    "amara@example.com",
                    [99.7, 99.6, 99.7, 99.6, 99.6, 99.4, 99.3, 99.3],
                    [8, 8, 8, 8, 8, 6, 5, 6],
                    [
                        "",
                        "",
                        "",
                        "",
                        "",
                        "Below the line: the new editor crashes on large pasted tables. "
                        "Fix in review.",
                        "Still below: the fix needs a change in the rendering library.",
                        "Hotfix shipped Thursday; next week's number will tell.",
                    ],
                ),
                _work(
                    (
                        "Hotfix: editor crash on large pasted tables",
                        InitiativeStatus.IN_PROGRESS,
                        "PROD-239",
                    ),
                ),  # fmt: skip
            ),
        ),
        parent_key_result=0,
    )
    support = ObjectiveEntry(
        Objective(
            key="first-week-tickets",
            title="Learn why trial users ask support for help in their first week",
            cycle=cycle.name,
            team="support",
            type=ObjectiveType.LEARNING,
            owner="sam@example.com",
            parent=Alignment(ONBOARDING),
        ),
        (
            KeyResultEntry(
                KeyResultDefinition(
                    title="Causes of first-week trial tickets known and agreed with growth",
                    type=KeyResultType.MILESTONE,
                    steps=Steps.parse(
                        "300 first-week tickets tagged by cause; 12 trial users interviewed; "
                        "Findings reviewed with growth and product"
                    ),
                    owner="sam@example.com",
                ),
                _weekly(
                    weeks,
                    "sam@example.com",
                    [0, 0, 1, 1, 1, 1, 2, 2],
                    [6, 6, 7, 7, 6, 6, 7, 7],
                    [
                        "",
                        "",
                        "300 tickets tagged: setup questions lead, then billing.",
                        "",
                        "Interviews are slow to book: offering a month free for 30 minutes.",
                        "",
                        "Twelve interviews done.",
                        "",
                    ],
                ),
            ),
            KeyResultEntry(
                _numeric(
                    "Raise first-week tickets with a known cause from 30% to 80%",
                    30,
                    80,
                    "percent",
                    "priya@example.com",
                ),
                _weekly(
                    weeks,
                    "priya@example.com",
                    [34, 41, 49, 55, 58, 63, 66, 70],
                    [6, 6, 7, 7, 7, 8, 8, 8],
                    [
                        "Cause field added to the ticket form.",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ],
                ),
            ),
        ),
    )
    sync = ObjectiveEntry(
        Objective(
            key="reliable-sync-continued",
            title="Make data sync something nobody has to think about",
            cycle=cycle.name,
            team="platform",
            type=ObjectiveType.COMMITTED,
            owner="kenji@example.com",
            parent=Alignment(COMPANY),
        ),
        (
            KeyResultEntry(
                _numeric(
                    "Cut failed syncs from 0.9% to 0.5% of runs",
                    0.9,
                    0.5,
                    "percent",
                    "kenji@example.com",
                ),
                _weekly(
                    weeks,
                    "kenji@example.com",
                    [0.88, 0.85, 0.86, 0.79, 0.74, 0.72, 0.70, 0.66],
                    [6, 6, 6, 7, 7, 7, 7, 8],
                    [
                        "Carried over from last cycle at 0.9 %.",
                        "",
                        "Salesforce connector moving to the new queue.",
                        "",
                        "",
                        "",
                        "",
                        "Salesforce connector on the new queue for half the accounts.",
                    ],
                ),
                _work(
                    (
                        "Move the Salesforce connector to the new queue",
                        InitiativeStatus.IN_PROGRESS,
                        "PLAT-77",
                    ),
                    ("Retry with backoff on rate-limited APIs", InitiativeStatus.DONE, "PLAT-71"),
                ),  # fmt: skip
            ),
            KeyResultEntry(
                _numeric(
                    "Cut p95 sync delay from 12 s to 10 s",
                    12,
                    10,
                    "s",
                    "amara@example.com",
                ),
                _weekly(
                    weeks,
                    "amara@example.com",
                    [12.1, 11.8, 11.9, 11.5, 11.2, 11.3, 11.0, 10.8],
                    [7, 7, 7, 7, 7, 7, 8, 8],
                    [""] * 8,
                ),
            ),
        ),
        carried_from="reliable-sync",
    )
    return company, onboarding, product, support, sync


def _okrs(today: date, values: dict[str, Series]) -> Okrs:
    previous, current = _cycles(today)
    return Okrs(
        cycles=(CycleEntry(previous, CycleState.CLOSED), CycleEntry(current, CycleState.ACTIVE)),
        objectives=(*_previous_cycle(previous, today), *_current_cycle(current, today, values)),
        alerts=(_onboarding_alert(current, values["trial_to_paid"]),),
        subscriptions=(
            # Every alert to a webhook where nothing listens: its delivery log shows the
            # retries backing off, as a dead endpoint's would.
            SubscriptionEntry(
                Channel.WEBHOOK, DEMO_HOOK, secret="whsec_b2tya2l0IGRlbW8gd2ViaG9vayBzZWNyZXQhIQ=="
            ),
        ),
    )


def _onboarding_alert(cycle: Cycle, conversion: Series) -> AlertEntry:
    """The seeds' story: trial-to-paid slid into yellow the week the cycle began (below
    the green bound of 15 %), its alert proposed a draft, and Maya accepted it as the
    onboarding objective the Monday after, with the hypothesis it now carries."""
    week = np.datetime64(cycle.start, "s")
    crossed = int(np.searchsorted(conversion.timestamps, week))
    opened = conversion.timestamps[min(crossed, len(conversion) - 1)].astype(datetime)
    accepted = datetime.combine(cycle.start + timedelta(days=7), time(9, 30))
    return AlertEntry(
        kpi="trial_to_paid",
        opened_at=opened + timedelta(hours=6),
        acknowledged_by="maya@example.com",
        acknowledged_at=max(accepted, opened + timedelta(days=1)),
        note=f"Draft accepted as {ONBOARDING}",
    )


def build(today: date) -> Workspace:
    """The demo workspace as of `today`: the same numbers every time for the same day
    of the week, with the newest values from the last complete period."""
    rng = np.random.default_rng(SEED)
    values: dict[str, Series] = {}
    for kpi, generate in KPIS:
        ends = _period_ends(kpi.cadence.kind.value, today)
        values[kpi.key] = Series.from_points(zip(ends, generate(rng, ends).tolist(), strict=True))
    # The first demo drew its objective's check-ins here (one a week, five or six): the
    # draws stay, so the finance KPIs drawn after them keep their values.
    rng.normal(0, 0.8, 5 + (today.weekday() >= 5))
    mrr = values["mrr"]
    customers = _paying_customers(rng, mrr.values)
    values[PAYING_CUSTOMERS.key] = Series(mrr.timestamps, customers)
    values[ARPA.key] = Series(mrr.timestamps, np.round(mrr.values / customers, 2))
    return Workspace(
        today=today,
        teams=TEAMS,
        kpis=(*(kpi for kpi, _ in KPIS), PAYING_CUSTOMERS, ARPA),
        values=values,
        okrs=_okrs(today, values),
    )


def flagship(ws: Workspace) -> tuple[ObjectiveEntry, Cycle]:
    """The seeds' objective, "Streamline onboarding to drive high-value conversions",
    with its cycle: the OKR the terminal demo shows."""
    entry = next(o for o in ws.okrs.objectives if o.objective.key == ONBOARDING)
    cycle = next(c.cycle for c in ws.okrs.cycles if c.cycle.name == entry.objective.cycle)
    return entry, cycle


def goals(ws: Workspace) -> Goals:
    """The demo as a goals file would describe it: teams, KPIs, and every objective with
    its key results, their check-ins and initiatives (values stay in the KPIs' series;
    scores and retrospectives are not a goals file's business)."""
    cycles = {c.cycle.name: c.cycle for c in ws.okrs.cycles}
    return Goals(
        teams=tuple(TeamSpec(team) for team in ws.teams),
        kpis=tuple(KpiSpec(kpi) for kpi in ws.kpis),
        objectives=tuple(
            ObjectiveSpec.of(
                entry.objective,
                cycles[entry.objective.cycle],
                status=entry.status,
                key_results=tuple(
                    KeyResultSpec.of(
                        kr.definition,
                        check_ins=kr.check_ins,
                        initiatives=tuple(InitiativeSpec(i) for i in kr.initiatives),
                    )
                    for kr in entry.key_results
                ),
            )
            for entry in ws.okrs.objectives
        ),
    )

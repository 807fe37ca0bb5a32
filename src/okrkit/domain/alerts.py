"""Alerts: a KPI that slips tells its team, and proposes the OKR that would lift it.

The trigger (`trigger`) reads one KPI's judgement and the alerts it has open, and says
what changes:

- data first: a KPI whose data is stale, broken (gaps, nulls or duplicates among its
  newest periods) or whose definition can't be judged raises one *data* alert — never a
  status alert, since a verdict on data that isn't trusted would be noise; the data
  alert resolves once the data is sound again;
- a KPI that is yellow or red, or shows a signal in the bad direction that reaches its
  newest period, raises one *status* alert when it has none unresolved — so a KPI that
  stays red raises nothing new on every refresh; one that goes from yellow to red
  escalates its alert (and its draft becomes urgent); a signal in the good direction
  raises nothing;
- an unresolved status alert resolves by itself once the KPI has been green for a full
  period of its cadence (`green_for_a_period`).

Each status alert says which kind of problem it is (`Problem`): a *signal* (something
changed: find what), routine variation of an *incapable* process (it will go red now
and then with nothing changed: the process must change — an OKR's job), or a
*threshold* crossed by routine variation of a process that is not known to be
incapable. Its draft objective (`draft_objective`) is for the KPI's team, with one key
result "Lift/Cut <KPI> from <current> to <target>" linked to the KPI; yellow asks for
the hypothesis, red is urgent. Nothing is activated without a person.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import Objective
from okrkit.domain.phrasing import number
from okrkit.domain.versions import Revision

__all__ = [
    "HYPOTHESIS_NEEDED",
    "PROBLEM_WORDS",
    "Action",
    "Alert",
    "AlertKind",
    "AlertLevel",
    "AlertState",
    "Draft",
    "Escalate",
    "Problem",
    "Raise",
    "Reading",
    "Resolve",
    "StoredAlert",
    "draft_cycle",
    "draft_key",
    "draft_objective",
    "green_for_a_period",
    "key_result_target",
    "trigger",
    "with_hypothesis",
]


class AlertKind(StrEnum):
    """What an alert is about: the KPI's health, or the data it is judged on."""

    STATUS = "status"
    DATA = "data"


class AlertLevel(StrEnum):
    """How bad: yellow (a hypothesis-driven draft), red (an urgent draft), or data."""

    YELLOW = "yellow"
    RED = "red"
    DATA = "data"


class AlertState(StrEnum):
    """An alert's life: open, acknowledged by a person, resolved (by itself when the
    KPI is healthy again, or by a person)."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Problem(StrEnum):
    """Which kind of problem an alert is, which says what to do about it."""

    SIGNAL = "signal"
    INCAPABLE = "incapable"
    THRESHOLD = "threshold"
    STALE = "stale"
    BROKEN = "broken"
    CANT_JUDGE = "cant_judge"


PROBLEM_WORDS: Mapping[Problem, str] = {
    Problem.SIGNAL: "a signal: something changed — find what",
    Problem.INCAPABLE: "routine variation of an incapable process — the process must change",
    Problem.THRESHOLD: "a threshold crossed by routine variation",
    Problem.STALE: "stale data",
    Problem.BROKEN: "broken data",
    Problem.CANT_JUDGE: "a definition that can't be judged",
}


@dataclass(frozen=True)
class Alert:
    """What an alert says: its kind, level, problem and why, in words, and the value it
    was raised on (None for a data alert without one)."""

    kpi: str
    kind: AlertKind
    level: AlertLevel
    problem: Problem
    reason: str
    status: Status
    value: float | None = None
    value_at: datetime | None = None


@dataclass(frozen=True)
class StoredAlert:
    """An alert as the workspace keeps it: what it says, its life and its draft."""

    id: int
    alert: Alert
    state: AlertState
    opened_at: datetime
    revision: Revision
    objective: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    note: str = ""

    @property
    def unresolved(self) -> bool:
        return self.state is not AlertState.RESOLVED


@dataclass(frozen=True)
class Reading:
    """One KPI's judgement as the trigger reads it.

    `data_problem` (with `data_kind`) says why its data can't be trusted, or is None;
    `signal` describes a signal in the bad direction that reaches the newest period (None
    without one); `incapable` whether routine variation alone produces red values;
    `green_for_a_period` whether it has been green for at least a full period.
    """

    kpi: str
    status: Status
    value: float | None
    value_at: datetime | None
    data_problem: str | None = None
    data_kind: Problem = Problem.STALE
    signal: str | None = None
    incapable: bool = False
    capability: str = ""
    green_for_a_period: bool = False


@dataclass(frozen=True)
class Raise:
    """Open a new alert."""

    alert: Alert


@dataclass(frozen=True)
class Escalate:
    """Raise an open alert's level to red (its draft becomes urgent)."""

    id: int
    alert: Alert


@dataclass(frozen=True)
class Resolve:
    """Close an alert: the KPI is healthy, or its data sound, again."""

    id: int
    reason: str


Action = Raise | Escalate | Resolve


def trigger(reading: Reading, unresolved: Mapping[AlertKind, StoredAlert]) -> list[Action]:
    """What one judgement of a KPI changes about its alerts (see the module's rules).
    `unresolved` maps each kind to the KPI's unresolved alert of that kind."""
    actions: list[Action] = []
    data = unresolved.get(AlertKind.DATA)
    status = unresolved.get(AlertKind.STATUS)
    if reading.data_problem is not None:
        if data is None:
            actions.append(
                Raise(
                    Alert(
                        reading.kpi,
                        AlertKind.DATA,
                        AlertLevel.DATA,
                        reading.data_kind,
                        reading.data_problem,
                        reading.status,
                        reading.value,
                        reading.value_at,
                    )  # fmt: skip
                )
            )
        return actions
    if data is not None:
        actions.append(Resolve(data.id, "the data is sound again"))
    level = _level(reading)
    if level is not None:
        alert = _status_alert(reading, level)
        if status is None:
            actions.append(Raise(alert))
        elif level is AlertLevel.RED and status.alert.level is AlertLevel.YELLOW:
            actions.append(Escalate(status.id, alert))
    elif status is not None and reading.status is Status.GREEN and reading.green_for_a_period:
        actions.append(Resolve(status.id, "green again for a full period"))
    return actions


def _level(reading: Reading) -> AlertLevel | None:
    if reading.status is Status.RED:
        return AlertLevel.RED
    if reading.status is Status.YELLOW or reading.signal is not None:
        return AlertLevel.YELLOW
    return None


def _status_alert(reading: Reading, level: AlertLevel) -> Alert:
    capability = reading.capability[:1].upper() + reading.capability[1:]
    if reading.signal is not None:
        problem = Problem.SIGNAL
        reason = f"Signal: {reading.signal}. Something changed: find what, and fix or keep it."
    elif reading.incapable:
        problem = Problem.INCAPABLE
        reason = (
            f"Routine variation of an incapable process. {capability} Nothing "
            "changed — the process itself must change, which is an OKR's job."
        )
    else:
        problem = Problem.THRESHOLD
        reason = (
            f"No signal: routine variation took it {reading.status}. "
            + (capability + " " if capability else "")
            + "Watch it, or aim an OKR at it."
        )
    return Alert(
        reading.kpi, AlertKind.STATUS, level, problem, reason, reading.status,
        reading.value, reading.value_at,
    )  # fmt: skip


def green_for_a_period(
    timestamps: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
    thresholds: Thresholds | None,
    direction: Direction,
    period: timedelta,
) -> bool:
    """Whether a series (sorted by time) ends in green values spanning at least one full
    period: its newest value is green, and so is every value back to one at least a
    period older."""
    if thresholds is None or not len(values):
        return False
    if direction is Direction.HIGHER:
        green = values > thresholds.green
    else:
        green = values < thresholds.green
    if not green[-1]:
        return False
    not_green = np.flatnonzero(~green)
    first = 0 if not not_green.size else int(not_green[-1]) + 1
    spanned = (timestamps[-1] - timestamps[first]).astype("timedelta64[s]").astype(np.int64)
    return bool(spanned >= period.total_seconds())


def key_result_target(kpi: Kpi, current: float, centre: float | None) -> float | None:
    """Where the draft's key result aims: the KPI's target, else its green bound, else
    the average its process ran at — the first that is better than `current`; None
    when none is."""
    higher = kpi.direction is Direction.HIGHER

    def better(x: float) -> bool:
        return x > current if higher else x < current

    green = None if kpi.thresholds is None else kpi.thresholds.green
    for candidate in (kpi.target, green, centre):
        if candidate is not None and better(candidate):
            return float(candidate)
    return None


def draft_key(kpi: str, today: date, taken: Sequence[str] = ()) -> str:
    """A free key for a draft: `<kpi>-<YYYY-MM-DD>`, then `-2`, `-3` … when taken."""
    stem = re.sub(r"[^a-z0-9_-]", "-", kpi)[: MAX_KEY_LENGTH - 15] + f"-{today.isoformat()}"
    key, n = stem, 1
    while key in taken:
        n += 1
        key = f"{stem}-{n}"
    return key


def draft_cycle(cycles: Sequence[StoredCycle], today: date) -> Cycle | None:
    """The cycle a draft goes into: the open cycle today falls in (an active one before a
    planned one, then the shortest), else the next planned one to start; None when there
    is neither (the alert is raised without a draft: cycles are planned by people)."""
    rank = {CycleState.ACTIVE: 0, CycleState.PLANNING: 1}
    holding = [c for c in cycles if c.cycle.contains(today) and c.state in rank]
    if holding:
        best = min(holding, key=lambda c: (rank[c.state], c.cycle.end - c.cycle.start))
        return best.cycle
    upcoming = [c for c in cycles if c.cycle.start > today and c.state is CycleState.PLANNING]
    if upcoming:
        return min(upcoming, key=lambda c: (c.cycle.start, c.cycle.name)).cycle
    return None


# How a yellow draft's description asks for its hypothesis (replaced once given).
HYPOTHESIS_NEEDED = "Hypothesis needed before you accept it"


def with_hypothesis(description: str, hypothesis: str) -> str:
    """A draft's description once its hypothesis is given: the hypothesis first, and
    the paragraph that asked for it gone."""
    kept = [p for p in description.split("\n\n") if not p.startswith(HYPOTHESIS_NEEDED)]
    return "\n\n".join([f"Hypothesis: {hypothesis}", *kept])


@dataclass(frozen=True)
class Draft:
    """A draft objective proposed by an alert, and its one key result."""

    objective: Objective
    key_result: KeyResultDefinition | None
    urgent: bool


def draft_objective(kpi: Kpi, alert: Alert, key: str, cycle: str, *, target: float | None) -> Draft:
    """The draft an alert proposes for the KPI's team (see the module's rules): its title
    names the change without numbers; its description says what kind of problem it is
    and, for yellow, asks for the hypothesis; its key result lifts (or cuts) the KPI from
    its current value to `target`, linked to it (none when nothing is better). A private
    KPI's draft is private too: it names the KPI and what ails it."""
    higher = kpi.direction is Direction.HIGHER
    verb = "Lift" if higher else "Cut"
    red = alert.level is AlertLevel.RED
    title = f"{'Urgently bring' if red else 'Bring'} {kpi.name} back to health"[:200]
    if red:
        ask = (
            f"Urgent: {kpi.name} is red. Decide what to change, give the key result an owner, "
            "and activate it — or dismiss the draft and say why."
        )
    else:
        ask = (
            f"{HYPOTHESIS_NEEDED}: we believe that <this change> will "
            f"{verb.lower()} {kpi.name} because <this evidence>."
        )
    kind = PROBLEM_WORDS[alert.problem]
    description = f"Proposed by an alert on {kpi.name}: {kind}.\n\n{alert.reason}\n\n{ask}"
    objective = Objective(
        key=key,
        title=title,
        cycle=cycle,
        team=kpi.team,
        type=ObjectiveType.COMMITTED if red else ObjectiveType.ASPIRATIONAL,
        description=description,
        owner=kpi.owner,
        private=kpi.private,
    )
    key_result = None
    if alert.value is not None and target is not None:
        key_result = KeyResultDefinition(
            title=(
                f"{verb} {kpi.name} from {number(alert.value, kpi.unit)} "
                f"to {number(target, kpi.unit)}"
            )[:200],
            unit=kpi.unit,
            start=alert.value,
            target=target,
            owner=kpi.owner,
            kpi=kpi.key,
        )
    return Draft(objective, key_result, urgent=red)

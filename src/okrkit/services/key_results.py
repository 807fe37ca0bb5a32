"""Key result use cases: where a key result is heading and whether it is on pace.

`forecast_key_result` answers the weekly check-in question — will we get there by the
deadline? — from the check-ins so far: the progress now, the least-squares forecast at
the deadline with its 95 % prediction interval and the probability of reaching the
target, the progress expected by now, and the pace verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from okrkit.domain.errors import InvalidInput
from okrkit.domain.forecast import Forecast, forecast
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.pace import Pace, expected_progress, pace
from okrkit.domain.progress import numeric_progress
from okrkit.domain.values import Series

__all__ = ["KeyResultForecast", "KeyResultPlan", "default_cycle_start", "forecast_key_result"]


@dataclass(frozen=True)
class KeyResultPlan:
    """What a numeric key result promised: from `start` to `target` by `deadline`."""

    start: float
    target: float
    deadline: date
    cycle_start: date | None = None
    objective_type: ObjectiveType = ObjectiveType.ASPIRATIONAL


@dataclass(frozen=True)
class KeyResultForecast:
    """A key result's trajectory: the read model behind a check-in page."""

    forecast: Forecast
    current: float
    progress: float
    forecast_progress: float | None
    expected_progress: float
    pace: Pace
    cycle_start: date
    deadline: date


def default_cycle_start(deadline: date, first_check_in: date) -> date:
    """Without a declared cycle: the start of the calendar quarter the deadline is in,
    or the first check-in when that came earlier (a cycle holds all its check-ins)."""
    quarter_start = date(deadline.year, 3 * ((deadline.month - 1) // 3) + 1, 1)
    return min(quarter_start, first_check_in)


def forecast_key_result(check_ins: Series, plan: KeyResultPlan, today: date) -> KeyResultForecast:
    """Forecast a numeric key result from its check-ins (value over time) as of today.

    Progress is the latest check-in's; the forecast is taken at the deadline; the pace
    follows docs/rules.md ("Pace"): with three or more check-ins it is judged on the forecast, with
    fewer on progress against the share of the cycle elapsed.
    """
    if not len(check_ins):
        raise InvalidInput("no check-ins", field="value")
    if plan.target == plan.start:
        raise InvalidInput(
            "the target equals the start: there is nothing to change", field="--target"
        )
    times: list[datetime] = [t.item() for t in check_ins.timestamps.astype("datetime64[s]")]
    cycle_start = plan.cycle_start or default_cycle_start(plan.deadline, times[0].date())
    if plan.deadline <= cycle_start:
        raise InvalidInput(
            f"the deadline {plan.deadline} is not after the cycle start {cycle_start}",
            field="--deadline",
        )
    result = forecast(
        times,
        check_ins.values.tolist(),
        deadline=plan.deadline,
        start=plan.start,
        target=plan.target,
    )
    current = float(check_ins.values[-1])
    progress = numeric_progress(plan.start, plan.target, current)
    forecast_progress = (
        None
        if result.forecast is None
        else numeric_progress(plan.start, plan.target, result.forecast)
    )
    return KeyResultForecast(
        forecast=result,
        current=current,
        progress=progress,
        forecast_progress=forecast_progress,
        expected_progress=expected_progress(cycle_start, plan.deadline, today),
        pace=pace(
            progress=progress,
            forecast_progress=forecast_progress,
            checkins=len(check_ins),
            cycle_start=cycle_start,
            deadline=plan.deadline,
            today=today,
            objective_type=plan.objective_type,
        ),
        cycle_start=cycle_start,
        deadline=plan.deadline,
    )

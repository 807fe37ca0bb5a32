"""Whether a key result is on pace to reach its target by the deadline.

The rule (docs/rules.md, "Pace"): the progress a key result should have made by now is the
fraction of its cycle that has elapsed. With at least three check-ins a key result is
judged on the progress its forecast reaches at the deadline; with fewer, on its
progress divided by the expected progress. The bars depend on the objective's type.
Before the first check-in, and in the cycle's first week, it is `not_started`: too
early to call anything off track.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from enum import StrEnum

from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import ObjectiveType

__all__ = [
    "FIRST_WEEK",
    "Pace",
    "expected_progress",
    "pace",
]

FIRST_WEEK = timedelta(days=7)
MIN_FORECAST_CHECKINS = 3
# (on track from, at risk from) per objective type; learning uses the aspirational bars.
_BARS: dict[ObjectiveType, tuple[float, float]] = {
    ObjectiveType.COMMITTED: (1.0, 0.7),
    ObjectiveType.ASPIRATIONAL: (0.7, 0.4),
    ObjectiveType.LEARNING: (0.7, 0.4),
}
# Measures are compared to nine decimals, so a ratio that comes out as
# 0.6999999999999999 is the 0.7 it means (the same tolerance as grading).
_MEASURE_DECIMALS = 9


class Pace(StrEnum):
    """A key result's pace towards its target by the deadline."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


def expected_progress(cycle_start: date, deadline: date, today: date) -> float:
    """The progress a key result should have made by today: the fraction of its cycle
    elapsed, (today − cycle start) / (deadline − cycle start), clamped to [0, 1].

    Before the cycle starts it is 0; on and after the deadline it is 1. A deadline on
    or before the cycle's start leaves no time to make progress and is rejected.
    """
    if deadline <= cycle_start:
        raise InvalidInput(
            f"deadline {deadline.isoformat()} is not after the cycle start "
            f"{cycle_start.isoformat()}",
            field="deadline",
        )
    elapsed = (today - cycle_start).days / (deadline - cycle_start).days
    return min(max(elapsed, 0.0), 1.0)


def pace(
    *,
    progress: float,
    forecast_progress: float | None,
    checkins: int,
    cycle_start: date,
    deadline: date,
    today: date,
    objective_type: ObjectiveType,
) -> Pace:
    """Whether a key result is on track, at risk or off track, or too early to say.

    - No check-in yet, or today inside the cycle's first week (before cycle start + 7
      days): `not_started`, however poor the progress looks.
    - From the deadline on: judged on actual progress (expected progress is 1).
    - With three or more check-ins and a forecast: judged on the progress the point
      forecast reaches at the deadline (clamped to [0, 1]). Three check-ins without a
      forecast (all at the same moment) fall back to the next rule.
    - Otherwise: judged on progress ÷ expected progress.

    Bars: aspirational and learning — on track from 0.7, at risk from 0.4; committed —
    on track from 1.0, at risk from 0.7; below the lower bar off track.
    """
    if not (math.isfinite(progress) and 0.0 <= progress <= 1.0):
        raise InvalidInput(f"progress {progress} is not between 0 and 1", field="progress")
    if checkins < 0:
        raise InvalidInput(f"{checkins} check-ins is not a count", field="checkins")
    if forecast_progress is not None and math.isnan(forecast_progress):
        raise InvalidInput("the forecast progress is not a number", field="forecast_progress")
    expected = expected_progress(cycle_start, deadline, today)
    if checkins == 0 or today < cycle_start + FIRST_WEEK:
        return Pace.NOT_STARTED
    if today >= deadline:
        measure = progress
    elif checkins >= MIN_FORECAST_CHECKINS and forecast_progress is not None:
        measure = min(max(forecast_progress, 0.0), 1.0)
    else:
        # expected > 0 here: at least seven days of the cycle have passed.
        measure = progress / expected
    on_track_from, at_risk_from = _BARS[objective_type]
    measure = round(measure, _MEASURE_DECIMALS)
    if measure >= on_track_from:
        return Pace.ON_TRACK
    if measure >= at_risk_from:
        return Pace.AT_RISK
    return Pace.OFF_TRACK

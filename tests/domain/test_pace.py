"""Expected progress and pace of a key result (docs/rules.md, "Pace")."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.pace import Pace, expected_progress, pace

# A 100-day cycle keeps the arithmetic readable: day 50 is half way.
START = date(2026, 1, 1)
DEADLINE = START + timedelta(days=100)
ASPIRATIONAL = ObjectiveType.ASPIRATIONAL
COMMITTED = ObjectiveType.COMMITTED
LEARNING = ObjectiveType.LEARNING


def day(n: int) -> date:
    return START + timedelta(days=n)


HALF_WAY = day(50)


def judge(
    *,
    progress: float = 0.0,
    forecast_progress: float | None = None,
    checkins: int = 1,
    today: date = HALF_WAY,
    objective_type: ObjectiveType = ASPIRATIONAL,
) -> Pace:
    return pace(
        progress=progress,
        forecast_progress=forecast_progress,
        checkins=checkins,
        cycle_start=START,
        deadline=DEADLINE,
        today=today,
        objective_type=objective_type,
    )


# --- expected progress -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [(day(0), 0.0), (day(25), 0.25), (day(50), 0.5), (day(100), 1.0)],
)
def test_expected_progress_is_the_fraction_of_the_cycle_elapsed(
    today: date, expected: float
) -> None:
    assert expected_progress(START, DEADLINE, today) == expected


def test_expected_progress_is_clamped_outside_the_cycle() -> None:
    assert expected_progress(START, DEADLINE, day(-10)) == 0.0
    assert expected_progress(START, DEADLINE, day(130)) == 1.0


@pytest.mark.parametrize("deadline", [START, day(-1)])
def test_a_deadline_not_after_the_cycle_start_is_rejected(deadline: date) -> None:
    with pytest.raises(InvalidInput) as caught:
        expected_progress(START, deadline, day(1))
    assert caught.value.field == "deadline"


# --- not started -----------------------------------------------------------------------


@pytest.mark.parametrize("today", [day(0), day(3), day(6)])
def test_the_first_week_is_not_started_even_with_poor_progress(today: date) -> None:
    assert judge(progress=0.0, checkins=1, today=today) == Pace.NOT_STARTED
    assert judge(forecast_progress=0.0, checkins=5, today=today) == Pace.NOT_STARTED
    assert judge(checkins=5, today=today, objective_type=COMMITTED) == Pace.NOT_STARTED


def test_the_first_week_ends_after_seven_days() -> None:
    assert judge(progress=0.0, checkins=1, today=day(7)) == Pace.OFF_TRACK


def test_before_the_cycle_starts_it_is_not_started() -> None:
    assert judge(progress=0.0, checkins=1, today=day(-5)) == Pace.NOT_STARTED


@pytest.mark.parametrize("today", [day(50), day(99), day(100), day(140)])
def test_without_a_check_in_it_is_not_started(today: date) -> None:
    assert judge(progress=0.0, checkins=0, today=today) == Pace.NOT_STARTED


# --- fewer than three check-ins: progress ÷ expected progress --------------------------


@pytest.mark.parametrize(
    ("progress", "checkins", "aspirational", "committed"),
    [
        (0.5, 1, Pace.ON_TRACK, Pace.ON_TRACK),  # ratio 1.0
        (0.35, 2, Pace.ON_TRACK, Pace.AT_RISK),  # ratio 0.7
        (0.3, 2, Pace.AT_RISK, Pace.OFF_TRACK),  # ratio 0.6
        (0.2, 1, Pace.AT_RISK, Pace.OFF_TRACK),  # ratio 0.4
        (0.15, 2, Pace.OFF_TRACK, Pace.OFF_TRACK),  # ratio 0.3
        (0.8, 1, Pace.ON_TRACK, Pace.ON_TRACK),  # ahead of schedule
    ],
)
def test_fewer_than_three_check_ins_use_the_ratio_rule(
    progress: float, checkins: int, aspirational: Pace, committed: Pace
) -> None:
    # A forecast passed along is ignored: two check-ins are too few to trust a line.
    for forecast_progress in (None, 0.0, 1.0):
        for objective_type, expected in ((ASPIRATIONAL, aspirational), (COMMITTED, committed)):
            result = judge(
                progress=progress,
                checkins=checkins,
                forecast_progress=forecast_progress,
                objective_type=objective_type,
            )
            assert result == expected


def test_the_ratio_rule_tolerates_float_noise_at_a_bar() -> None:
    # 90-day cycle, day 9: expected 0.1; 70 % of it computes as 0.06999999999999999,
    # and that ratio as 0.6999999999999998 — it is the bar, so on track.
    deadline = START + timedelta(days=90)
    expected = expected_progress(START, deadline, day(9))
    progress = 0.7 * expected
    assert progress / expected < 0.7
    result = pace(
        progress=progress,
        forecast_progress=None,
        checkins=2,
        cycle_start=START,
        deadline=deadline,
        today=day(9),
        objective_type=ASPIRATIONAL,
    )
    assert result == Pace.ON_TRACK


# --- three or more check-ins: the forecast decides -------------------------------------


def test_three_check_ins_are_judged_on_the_forecast() -> None:
    # Behind on the ratio (0.1 / 0.5 = 0.2), but the trend reaches 0.8 by the deadline.
    assert judge(progress=0.1, forecast_progress=0.8, checkins=3) == Pace.ON_TRACK
    # Ahead on the ratio, but the trend has flattened out at 0.3.
    assert judge(progress=0.5, forecast_progress=0.3, checkins=7) == Pace.OFF_TRACK


def test_the_forecast_progress_is_clamped() -> None:
    assert judge(forecast_progress=1.7, checkins=4, objective_type=COMMITTED) == Pace.ON_TRACK
    assert judge(progress=0.5, forecast_progress=-0.4, checkins=4) == Pace.OFF_TRACK


def test_three_check_ins_without_a_forecast_fall_back_to_the_ratio() -> None:
    # All check-ins at the same moment give no forecast.
    assert judge(progress=0.35, forecast_progress=None, checkins=3) == Pace.ON_TRACK


@pytest.mark.parametrize(
    ("objective_type", "measure", "expected"),
    [
        (ASPIRATIONAL, 1.0, Pace.ON_TRACK),
        (ASPIRATIONAL, 0.7, Pace.ON_TRACK),
        (ASPIRATIONAL, math.nextafter(0.7, 0.0), Pace.ON_TRACK),  # float noise
        (ASPIRATIONAL, 0.6999, Pace.AT_RISK),
        (ASPIRATIONAL, 0.4, Pace.AT_RISK),
        (ASPIRATIONAL, 0.3999, Pace.OFF_TRACK),
        (ASPIRATIONAL, 0.0, Pace.OFF_TRACK),
        (LEARNING, 0.7, Pace.ON_TRACK),
        (LEARNING, 0.6999, Pace.AT_RISK),
        (LEARNING, 0.4, Pace.AT_RISK),
        (LEARNING, 0.3999, Pace.OFF_TRACK),
        (COMMITTED, 1.0, Pace.ON_TRACK),
        (COMMITTED, 0.9999, Pace.AT_RISK),
        (COMMITTED, 0.7, Pace.AT_RISK),
        (COMMITTED, 0.6999, Pace.OFF_TRACK),
        (COMMITTED, 0.4, Pace.OFF_TRACK),
    ],
)
def test_the_bars_at_their_boundaries(
    objective_type: ObjectiveType, measure: float, expected: Pace
) -> None:
    assert judge(forecast_progress=measure, checkins=3, objective_type=objective_type) == expected


# --- after the deadline ----------------------------------------------------------------


@pytest.mark.parametrize("today", [day(100), day(101), day(200)])
@pytest.mark.parametrize(
    ("progress", "aspirational", "committed"),
    [
        (1.0, Pace.ON_TRACK, Pace.ON_TRACK),
        (0.7, Pace.ON_TRACK, Pace.AT_RISK),
        (0.5, Pace.AT_RISK, Pace.OFF_TRACK),
        (0.2, Pace.OFF_TRACK, Pace.OFF_TRACK),
    ],
)
def test_from_the_deadline_on_actual_progress_decides(
    today: date, progress: float, aspirational: Pace, committed: Pace
) -> None:
    # The forecast no longer matters: the deadline has come.
    for checkins, forecast_progress in ((1, None), (5, 1.0), (5, 0.0)):
        for objective_type, expected in ((ASPIRATIONAL, aspirational), (COMMITTED, committed)):
            result = judge(
                progress=progress,
                forecast_progress=forecast_progress,
                checkins=checkins,
                today=today,
                objective_type=objective_type,
            )
            assert result == expected


# --- input checks ----------------------------------------------------------------------


@pytest.mark.parametrize("progress", [-0.1, 1.1, math.nan])
def test_progress_must_be_between_0_and_1(progress: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        judge(progress=progress)
    assert caught.value.field == "progress"


def test_check_ins_are_a_count() -> None:
    with pytest.raises(InvalidInput) as caught:
        judge(checkins=-1)
    assert caught.value.field == "checkins"


def test_a_forecast_progress_must_be_a_number() -> None:
    with pytest.raises(InvalidInput) as caught:
        judge(forecast_progress=math.nan, checkins=3)
    assert caught.value.field == "forecast_progress"


def test_pace_rejects_a_deadline_before_the_cycle_start() -> None:
    with pytest.raises(InvalidInput):
        pace(
            progress=0.5,
            forecast_progress=None,
            checkins=1,
            cycle_start=START,
            deadline=START,
            today=day(10),
            objective_type=ASPIRATIONAL,
        )

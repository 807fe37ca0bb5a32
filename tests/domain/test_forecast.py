"""The least-squares forecast of a key result (docs/rules.md, "Forecast").

Every number is checked against an independent computation: statsmodels' OLS
prediction interval and scipy's t distribution, computed here in the test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from okrkit.domain.errors import InvalidInput
from okrkit.domain.forecast import Forecast, days, forecast, forecast_batch

CYCLE_START = date(2026, 7, 1)
DEADLINE = date(2026, 9, 30)
CEST = timezone(timedelta(hours=2))


@dataclass(frozen=True)
class Reference:
    slope: float
    forecast: float
    lower: float
    upper: float
    probability: float


def reference(
    times: Sequence[date | datetime],
    values: Sequence[float],
    *,
    deadline: date,
    start: float,
    target: float,
) -> Reference:
    """The same forecast from statsmodels, with the probability from scipy's t."""
    x = np.array([days(t) for t in times])
    fit = sm.OLS(np.asarray(values, dtype=float), sm.add_constant(x)).fit()
    prediction = fit.get_prediction(np.array([[1.0, days(deadline)]]))
    frame = prediction.summary_frame(alpha=0.05)
    mean = float(frame["mean"].iloc[0])
    se_obs = float(prediction.se_obs[0])
    # se_obs is statsmodels' own: s from its residuals, and the mean's standard error.
    assert se_obs == pytest.approx(math.sqrt(fit.scale + float(prediction.se_mean[0]) ** 2))
    df = fit.df_resid
    if target > start:
        probability = 1.0 - stats.t.cdf((target - mean) / se_obs, df)
    else:
        probability = stats.t.cdf((target - mean) / se_obs, df)
    return Reference(
        slope=float(fit.params[1]),
        forecast=mean,
        lower=float(frame["obs_ci_lower"].iloc[0]),
        upper=float(frame["obs_ci_upper"].iloc[0]),
        probability=float(probability),
    )


def assert_matches(result: Forecast, ref: Reference) -> None:
    assert result.reason is None
    assert result.slope_per_day == pytest.approx(ref.slope, rel=1e-9)
    assert result.forecast == pytest.approx(ref.forecast, rel=1e-9)
    assert result.lower == pytest.approx(ref.lower, rel=1e-9)
    assert result.upper == pytest.approx(ref.upper, rel=1e-9)
    assert result.probability == pytest.approx(ref.probability, rel=1e-8, abs=1e-12)


def weekly(n: int, first: datetime = datetime(2026, 7, 3, 9, 30)) -> list[date | datetime]:
    return [first + timedelta(days=7 * i) for i in range(n)]


# --- the time axis ---------------------------------------------------------------------


def test_days_counts_days_since_1970_utc() -> None:
    assert days(date(1970, 1, 1)) == 0.0
    assert days(date(1970, 1, 2)) == 1.0
    assert days(date(2026, 7, 1)) == (date(2026, 7, 1) - date(1970, 1, 1)).days


def test_a_datetime_keeps_its_fraction_of_a_day() -> None:
    assert days(datetime(2026, 7, 1, 12)) == days(date(2026, 7, 1)) + 0.5
    assert days(datetime(2026, 7, 1, 6, 0, 0, 0)) == days(date(2026, 7, 1)) + 0.25
    assert days(datetime(1970, 1, 1, 0, 0, 0, 864)) == pytest.approx(1e-8)


def test_a_naive_datetime_is_utc_and_an_aware_one_is_converted() -> None:
    midnight = days(date(2026, 7, 1))
    assert days(datetime(2026, 7, 1)) == midnight
    assert days(datetime(2026, 7, 1, tzinfo=UTC)) == midnight
    assert days(datetime(2026, 7, 1, 2, 0, tzinfo=CEST)) == midnight
    assert days(datetime(2026, 7, 1, 1, 0, tzinfo=CEST)) == midnight - 1 / 24


# --- against statsmodels ---------------------------------------------------------------


def test_an_increasing_target_matches_statsmodels() -> None:
    # Setup wizard completion 40 % → 75 % over 2026-Q3, weekly check-ins.
    times = weekly(6)
    values = [40.0, 43.1, 44.8, 48.9, 50.2, 53.7]
    result = forecast(times, values, deadline=DEADLINE, start=40, target=75)
    ref = reference(times, values, deadline=DEADLINE, start=40, target=75)
    assert_matches(result, ref)
    assert result.n == 6
    assert 0.05 < ref.probability < 0.95  # a case where the probability is informative


def test_a_decreasing_target_matches_statsmodels() -> None:
    # Monthly churn 5 % → 3 %: success is landing at or below the target.
    times = weekly(7)
    values = [5.0, 4.8, 4.9, 4.5, 4.4, 4.1, 4.15]
    result = forecast(times, values, deadline=DEADLINE, start=5, target=3)
    ref = reference(times, values, deadline=DEADLINE, start=5, target=3)
    assert_matches(result, ref)
    assert result.slope_per_day is not None
    assert result.slope_per_day < 0
    assert 0.05 < ref.probability < 0.95


def test_three_check_ins_match_statsmodels() -> None:
    times = weekly(3)
    values = [12.0, 12.9, 13.2]
    result = forecast(times, values, deadline=DEADLINE, start=12, target=16)
    assert result.n == 3
    assert_matches(result, reference(times, values, deadline=DEADLINE, start=12, target=16))


def test_irregular_check_ins_with_fractions_of_a_day_match_statsmodels() -> None:
    # Days 0, 3, 11, 12 and 30 of the cycle, at various hours, some in CEST.
    times: list[date | datetime] = [
        datetime(2026, 7, 1, 9, 15),
        datetime(2026, 7, 4, 17, 40, tzinfo=CEST),
        datetime(2026, 7, 12, 8, 5, 30),
        datetime(2026, 7, 13, 22, 30, tzinfo=UTC),
        datetime(2026, 7, 31, 13, 0, 0, 250_000, tzinfo=CEST),
    ]
    values = [210.0, 222.5, 231.0, 229.0, 262.0]
    result = forecast(times, values, deadline=DEADLINE, start=200, target=330)
    ref = reference(times, values, deadline=DEADLINE, start=200, target=330)
    assert_matches(result, ref)
    assert 0.05 < ref.probability < 0.95


def test_check_in_order_does_not_matter() -> None:
    times = weekly(6)
    values = [40.0, 43.1, 44.8, 48.9, 50.2, 53.7]
    ordered = forecast(times, values, deadline=DEADLINE, start=40, target=70)
    shuffled = forecast(times[::-1], values[::-1], deadline=DEADLINE, start=40, target=70)
    assert shuffled.forecast == pytest.approx(ordered.forecast, rel=1e-12)
    assert shuffled.probability == pytest.approx(ordered.probability, rel=1e-12)


# --- a perfect line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "probability"),
    [(85.5, 1.0), (80.0, 1.0), (85.6, 0.0), (100.0, 0.0)],
)
def test_a_perfect_increasing_line_is_certain(target: float, probability: float) -> None:
    # 40 + 0.5 per day on days 0, 7, 14 and 21 → 85.5 at the deadline, day 91.
    times = [CYCLE_START + timedelta(days=d) for d in (0, 7, 14, 21)]
    values = [40 + 0.5 * d for d in (0, 7, 14, 21)]
    result = forecast(times, values, deadline=DEADLINE, start=40, target=target)
    ref = reference(times, values, deadline=DEADLINE, start=40, target=target)
    assert result.forecast == pytest.approx(85.5, abs=1e-9)
    assert result.forecast == pytest.approx(ref.forecast, abs=1e-9)
    assert result.lower == result.upper == result.forecast  # zero width
    assert ref.lower == pytest.approx(ref.upper, abs=1e-9)
    assert result.probability == probability  # exactly 1.0 or 0.0, reaching it counts


@pytest.mark.parametrize(("target", "probability"), [(3.2, 1.0), (3.18, 1.0), (3.0, 0.0)])
def test_a_perfect_decreasing_line_is_certain(target: float, probability: float) -> None:
    # 5 − d/50 on irregular days is inexact in binary: its residuals are rounding noise.
    offsets = [0.0, 3.25, 11.5, 30.0]
    times = [datetime(2026, 7, 1) + timedelta(days=d) for d in offsets]
    values = [5 - d / 50 for d in offsets]
    result = forecast(times, values, deadline=DEADLINE, start=5, target=target)
    ref = reference(times, values, deadline=DEADLINE, start=5, target=target)
    assert result.forecast == pytest.approx(5 - 91 / 50, abs=1e-9)
    assert result.forecast == pytest.approx(ref.forecast, abs=1e-9)
    assert result.lower == result.upper == result.forecast
    assert result.probability == probability


def test_a_perfect_line_landing_exactly_on_the_target_reaches_it() -> None:
    # 0.1 per day: 9.1 at day 91, computed with rounding noise on either side.
    offsets = [0, 3, 7, 10]
    times = [CYCLE_START + timedelta(days=d) for d in offsets]
    values = [0.1 * d for d in offsets]
    result = forecast(times, values, deadline=DEADLINE, start=0, target=9.1)
    assert result.probability == 1.0
    assert result.lower == result.upper


# --- no forecast -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2])
def test_fewer_than_three_check_ins_give_no_forecast(n: int) -> None:
    times = weekly(n)
    values = [40.0 + i for i in range(n)]
    result = forecast(times, values, deadline=DEADLINE, start=40, target=70)
    assert result.n == n
    assert (result.forecast, result.lower, result.upper, result.probability) == (None,) * 4
    assert result.reason is not None
    assert "at least 3 check-ins" in result.reason
    assert f"{n}" in result.reason


def test_two_check_ins_still_report_the_slope() -> None:
    times = [CYCLE_START, CYCLE_START + timedelta(days=4)]
    result = forecast(times, [40.0, 42.0], deadline=DEADLINE, start=40, target=70)
    assert result.slope_per_day == 0.5
    assert result.forecast is None
    assert forecast(times[:1], [40.0], deadline=DEADLINE, start=40, target=70).slope_per_day is None


def test_check_ins_all_at_the_same_moment_give_no_forecast() -> None:
    # One moment written three ways: a date, its naive midnight, and 02:00 in CEST.
    times: list[date | datetime] = [
        CYCLE_START,
        datetime(2026, 7, 1),
        datetime(2026, 7, 1, 2, 0, tzinfo=CEST),
    ]
    result = forecast(times, [40.0, 41.0, 43.0], deadline=DEADLINE, start=40, target=70)
    assert result == Forecast(
        n=3,
        slope_per_day=None,
        forecast=None,
        lower=None,
        upper=None,
        probability=None,
        reason="all check-ins are at the same moment: there is no trend to extend",
    )


def test_two_check_ins_at_the_same_moment_have_no_slope() -> None:
    result = forecast([CYCLE_START] * 2, [1.0, 2.0], deadline=DEADLINE, start=0, target=5)
    assert result.slope_per_day is None
    assert result.reason is not None
    assert "at least 3" in result.reason


# --- input checks ----------------------------------------------------------------------


def test_a_target_equal_to_the_start_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="nothing to change") as caught:
        forecast(weekly(3), [1.0, 2.0, 3.0], deadline=DEADLINE, start=5, target=5)
    assert caught.value.field == "target"


@pytest.mark.parametrize("field", ["start", "target"])
def test_start_and_target_must_be_finite(field: str) -> None:
    bounds = {"start": 0.0, "target": 10.0} | {field: math.nan}
    with pytest.raises(InvalidInput) as caught:
        forecast(weekly(3), [1.0, 2.0, 3.0], deadline=DEADLINE, **bounds)
    assert caught.value.field == field


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_check_in_values_must_be_finite(bad: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        forecast(weekly(3), [1.0, bad, 3.0], deadline=DEADLINE, start=0, target=10)
    assert caught.value.field == "value"


def test_times_and_values_must_pair_up() -> None:
    with pytest.raises(ValueError, match="3 times but 2 values"):
        forecast(weekly(3), [1.0, 2.0], deadline=DEADLINE, start=0, target=10)


def test_a_deadline_given_as_a_datetime_counts_as_its_date() -> None:
    times = weekly(4)
    values = [40.0, 43.1, 44.8, 48.9]
    at_date = forecast(times, values, deadline=DEADLINE, start=40, target=70)
    for deadline in (
        datetime(2026, 9, 30, 18, 0),
        datetime(2026, 9, 30, 23, 30, tzinfo=UTC),
        datetime(2026, 10, 1, 1, 0, tzinfo=CEST),  # 23:00 UTC on the 30th
    ):
        assert forecast(times, values, deadline=deadline, start=40, target=70) == at_date


@pytest.mark.parametrize(
    "shapes",
    [
        ((2, 3), (2, 4), (2,), (2,), (2,)),
        ((6,), (6,), (1,), (1,), (1,)),
        ((2, 3), (2, 3), (3,), (2,), (2,)),
        ((2, 3), (2, 3), (2,), (2,), (1,)),
    ],
)
def test_forecast_batch_checks_shapes(shapes: tuple[tuple[int, ...], ...]) -> None:
    with pytest.raises(ValueError, match="shape"):
        forecast_batch(*(np.zeros(shape) for shape in shapes))


# --- the batch ---------------------------------------------------------------------------


def test_batch_equals_single_for_random_key_results() -> None:
    rng = np.random.default_rng(20260701)
    k, width = 400, 12
    epoch = datetime(2026, 7, 1, tzinfo=UTC)
    t_days = np.full((k, width), np.nan)
    values = np.full((k, width), np.nan)
    deadlines, starts, targets = np.empty(k), np.empty(k), np.empty(k)
    singles: list[Forecast] = []
    for row in range(k):
        n = int(rng.integers(0, width + 1))
        seconds = np.sort(rng.integers(0, 80 * 86_400 * 10**6, size=n))
        if row % 25 == 0:
            seconds[:] = seconds[:1]  # every check-in at one moment
        moments = [epoch + timedelta(microseconds=int(s)) for s in seconds]
        if row % 2:
            moments = [t.astimezone(CEST) for t in moments]
        times: list[date | datetime] = list(moments)
        start = float(rng.normal(50, 20))
        target = start + float(rng.choice([-1, 1]) * rng.uniform(1, 30))
        walk = start + np.cumsum(rng.normal((target - start) / 60, 2.0, size=n))
        deadline = DEADLINE + timedelta(days=int(rng.integers(-20, 20)))
        singles.append(
            forecast(times, walk.tolist(), deadline=deadline, start=start, target=target)
        )
        t_days[row, :n] = [days(t) for t in times]
        values[row, :n] = walk
        deadlines[row], starts[row], targets[row] = days(deadline), start, target

    batch = forecast_batch(t_days, values, deadlines, starts, targets)

    assert [s.n for s in singles] == batch.n.tolist()
    for field in ("slope_per_day", "forecast", "lower", "upper", "probability"):
        single = np.array(
            [np.nan if getattr(s, field) is None else getattr(s, field) for s in singles]
        )
        np.testing.assert_allclose(
            getattr(batch, field), single, rtol=1e-9, atol=1e-12, err_msg=field
        )
    assert sum(s.reason is None for s in singles) > k // 2  # most rows had a forecast


def test_the_batch_gives_no_probability_where_the_target_equals_the_start() -> None:
    t = np.array([[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]])
    y = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    batch = forecast_batch(
        t, y, np.array([10.0, 10.0]), np.array([0.0, 5.0]), np.array([20.0, 5.0])
    )
    np.testing.assert_allclose(batch.forecast, [11.0, 11.0])
    assert batch.probability[0] == 0.0  # perfect line ending at 11, short of 20
    assert np.isnan(batch.probability[1])


def test_the_batch_counts_only_finite_check_ins() -> None:
    t = np.array([[0.0, np.nan, 1.0, 2.0, 5.0]])
    y = np.array([[1.0, 7.0, 2.0, 3.0, np.nan]])
    batch = forecast_batch(t, y, np.array([10.0]), np.array([0.0]), np.array([20.0]))
    assert batch.n.tolist() == [3]
    np.testing.assert_allclose(batch.forecast, [11.0])


def test_huge_values_raise_no_warning() -> None:
    # pytest turns warnings into errors: overflow must stay silent (inf or NaN).
    t = np.array([[0.0, 1.0, 2.0]])
    y = np.array([[1e300, -1e300, 1e300]])
    forecast_batch(t, y, np.array([10.0]), np.array([0.0]), np.array([1.0]))


def test_an_empty_batch() -> None:
    empty = np.zeros((0, 12))
    batch = forecast_batch(empty, empty, np.zeros(0), np.zeros(0), np.zeros(0))
    assert batch.n.shape == batch.probability.shape == (0,)

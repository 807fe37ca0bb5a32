"""Status from thresholds (docs/rules.md, "Status from thresholds" and "Freshness")."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import (
    STATUS_CODES,
    Direction,
    Status,
    Thresholds,
    status,
    status_batch,
    toward_red,
)

# Trial-to-paid conversion, the seed example: green > 15 %, red < 12 %, higher is better.
CONVERSION = Thresholds(green=15.0, red=12.0)
# p95 latency: green < 200 ms, red > 400 ms, lower is better.
LATENCY = Thresholds(green=200.0, red=400.0)


# --- the rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (16.0, Status.GREEN),
        (15.01, Status.GREEN),
        (15.0, Status.YELLOW),  # the green bound itself belongs to yellow
        (13.5, Status.YELLOW),
        (12.0, Status.YELLOW),  # the red bound itself belongs to yellow
        (11.99, Status.RED),
        (8.0, Status.RED),
    ],
)
def test_higher_is_better_seed_example_trial_to_paid_conversion(
    value: float, expected: Status
) -> None:
    assert status(value, CONVERSION, Direction.HIGHER) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (150.0, Status.GREEN),
        (199.9, Status.GREEN),
        (200.0, Status.YELLOW),
        (300.0, Status.YELLOW),
        (400.0, Status.YELLOW),
        (400.1, Status.RED),
        (450.0, Status.RED),
    ],
)
def test_lower_is_better_mirrors_the_comparisons_p95_latency(
    value: float, expected: Status
) -> None:
    assert status(value, LATENCY, Direction.LOWER) is expected


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("value", [-1e9, 0.0, 13.0, 16.0, 1e9])
def test_no_thresholds_is_unknown_never_green(direction: Direction, value: float) -> None:
    assert status(value, None, direction) is Status.UNKNOWN
    assert status(value, None, direction, stale=True) is Status.UNKNOWN


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("value", [None, math.nan])
def test_no_value_is_unknown(direction: Direction, value: float | None) -> None:
    thresholds = CONVERSION if direction is Direction.HIGHER else LATENCY
    assert status(value, thresholds, direction) is Status.UNKNOWN
    assert status(value, thresholds, direction, stale=True) is Status.UNKNOWN


@pytest.mark.parametrize(
    ("value", "thresholds", "direction", "expected"),
    [
        (16.0, CONVERSION, Direction.HIGHER, Status.YELLOW),  # would be green
        (13.0, CONVERSION, Direction.HIGHER, Status.YELLOW),
        (8.0, CONVERSION, Direction.HIGHER, Status.RED),
        (150.0, LATENCY, Direction.LOWER, Status.YELLOW),  # would be green
        (300.0, LATENCY, Direction.LOWER, Status.YELLOW),
        (450.0, LATENCY, Direction.LOWER, Status.RED),
    ],
)
def test_a_stale_kpi_is_never_green_and_stale_red_stays_red(
    value: float, thresholds: Thresholds, direction: Direction, expected: Status
) -> None:
    assert status(value, thresholds, direction, stale=True) is expected


def test_fresh_is_the_default() -> None:
    assert status(16.0, CONVERSION, Direction.HIGHER) is Status.GREEN
    assert status(16.0, CONVERSION, Direction.HIGHER, stale=False) is Status.GREEN


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        (Direction.HIGHER, 10.5, Status.GREEN),
        (Direction.HIGHER, 10.0, Status.YELLOW),  # yellow is the single value 10
        (Direction.HIGHER, 9.5, Status.RED),
        (Direction.LOWER, 9.5, Status.GREEN),
        (Direction.LOWER, 10.0, Status.YELLOW),
        (Direction.LOWER, 10.5, Status.RED),
    ],
)
def test_equal_bounds_leave_yellow_as_that_single_value(
    direction: Direction, value: float, expected: Status
) -> None:
    thresholds = Thresholds(green=10.0, red=10.0).check(direction)
    assert status(value, thresholds, direction) is expected


def test_infinite_values_fall_on_the_side_they_point_to() -> None:
    assert status(math.inf, CONVERSION, Direction.HIGHER) is Status.GREEN
    assert status(-math.inf, CONVERSION, Direction.HIGHER) is Status.RED
    assert status(-math.inf, LATENCY, Direction.LOWER) is Status.GREEN
    assert status(math.inf, LATENCY, Direction.LOWER) is Status.RED


def test_status_with_a_nan_bound_is_unknown_as_in_status_batch() -> None:
    # A NaN bound means "no threshold" (status_batch's own contract), and without
    # thresholds the status is unknown — never a colour computed against NaN.
    for thresholds in (Thresholds(math.nan, math.nan), Thresholds(math.nan, 12.0)):
        assert status(16.0, thresholds, Direction.HIGHER) is Status.UNKNOWN
        assert status(8.0, thresholds, Direction.HIGHER) is Status.UNKNOWN


# --- checking thresholds -------------------------------------------------------------


@pytest.mark.parametrize(
    ("thresholds", "direction"),
    [
        (CONVERSION, Direction.HIGHER),
        (LATENCY, Direction.LOWER),
        (Thresholds(10.0, 10.0), Direction.HIGHER),
        (Thresholds(10.0, 10.0), Direction.LOWER),
        (Thresholds(-5.0, -20.0), Direction.HIGHER),
    ],
)
def test_check_accepts_bounds_in_the_right_order_and_returns_them(
    thresholds: Thresholds, direction: Direction
) -> None:
    assert thresholds.check(direction) is thresholds


@pytest.mark.parametrize(
    ("thresholds", "direction"),
    [
        (Thresholds(green=12.0, red=15.0), Direction.HIGHER),  # green below red
        (Thresholds(green=400.0, red=200.0), Direction.LOWER),  # green above red
    ],
)
def test_check_rejects_bounds_in_the_wrong_order_naming_the_thresholds_field(
    thresholds: Thresholds, direction: Direction
) -> None:
    with pytest.raises(InvalidInput) as caught:
        thresholds.check(direction, source="kpis.yaml")
    assert caught.value.field == "thresholds"
    assert caught.value.source == "kpis.yaml"
    assert str(caught.value).startswith("kpis.yaml: thresholds: ")


def test_the_right_order_for_one_direction_is_the_wrong_one_for_the_other() -> None:
    with pytest.raises(InvalidInput):
        CONVERSION.check(Direction.LOWER)
    with pytest.raises(InvalidInput):
        LATENCY.check(Direction.HIGHER)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize(
    ("thresholds", "field"),
    [
        (Thresholds(green=math.nan, red=12.0), "green"),
        (Thresholds(green=math.inf, red=12.0), "green"),
        (Thresholds(green=15.0, red=math.nan), "red"),
        (Thresholds(green=15.0, red=-math.inf), "red"),
    ],
)
def test_check_rejects_a_non_finite_bound_naming_it(
    thresholds: Thresholds, field: str, direction: Direction
) -> None:
    with pytest.raises(InvalidInput) as caught:
        thresholds.check(direction)
    assert caught.value.field == field


# --- Direction.parse -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("higher", Direction.HIGHER),
        ("  Higher ", Direction.HIGHER),
        ("LOWER", Direction.LOWER),
        ("lower\n", Direction.LOWER),
    ],
)
def test_direction_parse_ignores_case_and_whitespace(text: str, expected: Direction) -> None:
    assert Direction.parse(text) is expected


@pytest.mark.parametrize("text", ["up", "", "high", "higher is better"])
def test_direction_parse_error_names_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Direction.parse(text)
    assert caught.value.field == "direction"
    assert repr(text) in caught.value.message


def test_direction_parse_error_names_the_callers_field_and_source() -> None:
    with pytest.raises(InvalidInput) as caught:
        Direction.parse("down", source="kpis.csv", field="--direction")
    assert caught.value.field == "--direction"
    assert caught.value.source == "kpis.csv"


# --- status_batch --------------------------------------------------------------------


def test_status_codes_index_the_statuses() -> None:
    assert STATUS_CODES == (Status.UNKNOWN, Status.GREEN, Status.YELLOW, Status.RED)


def test_status_batch_on_the_seed_examples() -> None:
    values = np.array([16.0, 15.0, 12.0, 8.0, 150.0, 200.0, 400.0, 450.0, 16.0, np.nan, 16.0])
    green = np.array([15.0] * 4 + [200.0] * 4 + [15.0, 15.0, np.nan])
    red = np.array([12.0] * 4 + [400.0] * 4 + [12.0, 12.0, np.nan])
    higher = np.array([True] * 4 + [False] * 4 + [True, True, True])
    stale = np.array([False] * 8 + [True, False, False])
    codes = status_batch(values, green, red, higher, stale)
    assert codes.dtype == np.int8
    assert [STATUS_CODES[c] for c in codes] == [
        Status.GREEN,
        Status.YELLOW,
        Status.YELLOW,
        Status.RED,
        Status.GREEN,
        Status.YELLOW,
        Status.YELLOW,
        Status.RED,
        Status.YELLOW,  # stale, would be green
        Status.UNKNOWN,  # no value
        Status.UNKNOWN,  # no thresholds
    ]


def test_status_batch_handles_extreme_finite_values_without_warnings() -> None:
    # Any finite value is a valid input; comparing it with a bound must not overflow
    # (pytest turns a NumPy RuntimeWarning into an error).
    codes = status_batch(
        np.array([1.7e308, -1.7e308]),
        np.array([-1.7e308, 1.7e308]),
        np.array([-1.7e308, 1.7e308]),
        np.array([True, True]),
        np.array([False, False]),
    )
    assert [STATUS_CODES[c] for c in codes] == [Status.GREEN, Status.RED]


# Bounded so that value − bound cannot overflow; extremes have their own test above.
_finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)
_value = st.one_of(_finite, st.just(math.nan), st.sampled_from([12.0, 15.0, 200.0, 400.0]))
_bound = st.one_of(_finite, st.just(math.nan), st.sampled_from([12.0, 15.0, 200.0, 400.0]))


@given(
    st.lists(
        st.tuples(_value, _bound, _bound, st.booleans(), st.booleans()),
        min_size=0,
        max_size=30,
    )
)
def test_status_batch_equals_status_element_wise(
    rows: list[tuple[float, float, float, bool, bool]],
) -> None:
    values = np.array([r[0] for r in rows], dtype=np.float64)
    green = np.array([r[1] for r in rows], dtype=np.float64)
    red = np.array([r[2] for r in rows], dtype=np.float64)
    higher = np.array([r[3] for r in rows], dtype=np.bool_)
    stale = np.array([r[4] for r in rows], dtype=np.bool_)

    codes = status_batch(values, green, red, higher, stale)

    expected = []
    for value, g, r, is_higher, is_stale in rows:
        # A NaN bound is how the batch spells "no thresholds".
        thresholds = None if math.isnan(g) or math.isnan(r) else Thresholds(g, r)
        direction = Direction.HIGHER if is_higher else Direction.LOWER
        expected.append(status(value, thresholds, direction, stale=is_stale))
    assert [STATUS_CODES[c] for c in codes] == expected


@given(_finite, _finite, _finite, st.sampled_from(list(Direction)))
def test_stale_only_ever_turns_green_into_yellow(
    value: float, a: float, b: float, direction: Direction
) -> None:
    fresh = status(value, Thresholds(a, b), direction)
    stale = status(value, Thresholds(a, b), direction, stale=True)
    assert stale is (Status.YELLOW if fresh is Status.GREEN else fresh)


# --- toward red: the order within one standing --------------------------------------


def test_toward_red_is_0_at_the_green_bound_and_1_at_the_red_one() -> None:
    conversion = Thresholds(green=15.0, red=12.0)
    assert toward_red(15.0, conversion, Direction.HIGHER) == 0.0
    assert toward_red(12.0, conversion, Direction.HIGHER) == 1.0
    assert toward_red(13.5, conversion, Direction.HIGHER) == pytest.approx(0.5)
    assert toward_red(9.0, conversion, Direction.HIGHER) == pytest.approx(2.0)  # beyond red
    latency = Thresholds(green=200.0, red=400.0)
    assert toward_red(350.0, latency, Direction.LOWER) == pytest.approx(0.75)
    assert toward_red(None, latency, Direction.LOWER) == 0.0
    assert toward_red(300.0, None, Direction.LOWER) == 0.0


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=0.001, max_value=1e9),
    st.sampled_from(list(Direction)),
)
def test_a_worse_value_is_never_further_from_red(
    a: float, b: float, gap: float, direction: Direction
) -> None:
    green = 0.0
    red = -gap if direction is Direction.HIGHER else gap
    bounds = Thresholds(green=green, red=red)
    worse, better = (
        (min(a, b), max(a, b)) if direction is Direction.HIGHER else (max(a, b), min(a, b))
    )
    assert toward_red(worse, bounds, direction) >= toward_red(better, bounds, direction)

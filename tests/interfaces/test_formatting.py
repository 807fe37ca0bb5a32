"""The column-at-a-time writers of values and moments read exactly as the one-at-a-time
ones the rest of the product uses."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.interfaces import formatting as fmt

UNITS = [None, "percent", "currency", "ms", "hours", "count", "score", "ratio", "widgets"]


@pytest.mark.parametrize("unit", UNITS)
@given(values=st.lists(st.floats(allow_infinity=False, width=64), max_size=30))
def test_numbers_read_as_number_does(unit, values):
    assert fmt.numbers(values, unit) == [fmt.number(v, unit) for v in values]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12.04, "percent", "12.0%"),
        (-3.5, "percent", "\N{MINUS SIGN}3.5%"),
        (48_213.0, "currency", "$48.2k"),
        (212.4, "ms", "212 ms"),
        (0.045213, None, "0.04521"),
        (float("nan"), "count", "—"),
    ],
)
def test_numbers_in_their_units(value, unit, text):
    assert fmt.numbers([value], unit) == [text] == [fmt.number(value, unit)]


@given(
    seconds=st.lists(
        st.one_of(
            st.integers(0, 40_000).map(lambda day: day * 86_400),  # midnights
            st.integers(0, 40_000 * 86_400),
        ),
        max_size=30,
    )
)
def test_moments_read_as_moment_does(seconds):
    stamps = np.array(seconds, dtype=np.int64).astype("datetime64[s]")
    expected = [fmt.moment(datetime.fromtimestamp(s, UTC).replace(tzinfo=None)) for s in seconds]
    assert fmt.moments(stamps) == expected


def test_moments_of_a_day_and_of_a_time():
    stamps = np.array(["2026-11-23T00:00:00", "2026-11-23T09:30:00"], dtype="datetime64[s]")
    assert fmt.moments(stamps) == ["2026-11-23", "2026-11-23T09:30:00Z"]

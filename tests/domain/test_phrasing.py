"""Numbers, ranges and periods as people read them (domain/phrasing.py): any float,
in any unit, reads without raising, in its unit, never in scientific notation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.phrasing import change, number, percent_share, period_labels, span

UNITS = ["", "percent", "currency", "ms", "hours", "count", "score", "ratio", "widgets"]
# What each unit's number ends with (or starts with): the unit is never lost.
MARKS = {"percent": "%", "ms": " ms", "hours": " h", "widgets": " widgets"}
any_float = st.floats(allow_nan=True, allow_infinity=True, width=64)


def keeps_its_unit(text: str, unit: str) -> bool:
    if text == "—":
        return True
    if unit == "currency":
        return "$" in text
    return text.endswith(MARKS.get(unit, "")) and not (unit == "" and text.endswith(" "))


@pytest.mark.parametrize("unit", UNITS)
@given(value=any_float)
def test_any_float_reads_in_its_unit_never_in_scientific_notation(unit, value):
    text = number(value, unit)
    assert "e+" not in text
    assert "e-" not in text
    assert "inf" not in text
    assert "nan" not in text
    assert keeps_its_unit(text, unit)
    assert len(text) < 40  # 1e308 is not three hundred digits
    if not math.isnan(value) and value < 0 and any(c in "123456789∞" for c in text):
        assert text.startswith("\N{MINUS SIGN}")


@pytest.mark.parametrize("unit", UNITS)
@given(value=any_float)
def test_changes_and_shares_read_without_raising(unit, value):
    for text in (change(value, unit), percent_share(value)):
        assert "e+" not in text
        assert "e-" not in text


@pytest.mark.parametrize("unit", UNITS)
@given(low=any_float, high=any_float)
def test_ranges_read_without_raising_and_say_their_unit(unit, low, high):
    text = span(low, high, unit)
    assert "e+" not in text
    assert "e-" not in text
    assert keeps_its_unit(text, unit)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (45_450.0, "", "45,450"),  # reproduced: "4.545e+04"
        (45_450.0, "count", "45,450"),
        (1e308, "ms", "1.0 × 10³⁰⁸ ms"),  # reproduced: a traceback (OverflowError)
        (-1e308, "", "\N{MINUS SIGN}1.0 × 10³⁰⁸"),
        (math.inf, "percent", "∞%"),
        (-math.inf, "currency", "\N{MINUS SIGN}$∞"),
        (5e-324, "", "4.9 × 10⁻³²⁴"),
        (-0.0, "percent", "0.0%"),
        (-0.00001, "percent", "0.0%"),  # no "−0.0%"
        (1_234_567.0, "hours", "1,234,567.0 h"),
        (2_500_000.0, "currency", "$2.5M"),
        (7.0, "widgets", "7 widgets"),
    ],
)
def test_numbers_people_can_read(value, unit, text):
    assert number(value, unit) == text


@pytest.mark.parametrize(
    ("low", "high", "unit", "text"),
    [
        (14.2, 15.9, "percent", "14.2–15.9%"),
        (250.0, 289.6, "ms", "250–290 ms"),
        (1_200.0, 3_400.0, "currency", "$1.2k–$3.4k"),
        (-5.0, 3.0, "percent", "\N{MINUS SIGN}5.0 to 3.0%"),
        (999_999.468, 1_000_000.532, "", "999,999.5–1,000,000.5"),
    ],
)
def test_ranges_say_their_unit_once(low, high, unit, text):
    assert span(low, high, unit) == text


def test_periods_are_named_by_their_dates_in_the_cadence():
    days = np.array(["2026-10-11", "2026-11-01"], dtype="datetime64[s]")
    assert period_labels(days, "week") == ["11 Oct", "1 Nov"]
    assert period_labels(days, "month") == ["Oct 2026", "Nov 2026"]
    across = np.array(["2025-12-29", "2026-01-05"], dtype="datetime64[s]")
    assert period_labels(across, "day") == ["29 Dec 2025", "5 Jan 2026"]

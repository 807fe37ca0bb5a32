"""Check-ins: values by the key result's type, confidence, notes, and when one is due."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from okrkit.domain.check_ins import (
    check_in_due,
    check_value,
    checked_confidence,
    checked_note,
)
from okrkit.domain.errors import InvalidInput
from okrkit.domain.key_results import KeyResultDefinition, Steps
from okrkit.domain.progress import KeyResultType

NUMERIC = KeyResultDefinition(title="Wizard", start=40, target=70)
BOOLEAN = KeyResultDefinition(title="SOC 2", type=KeyResultType.BOOLEAN)
MILESTONE = KeyResultDefinition(
    title="Launch", type=KeyResultType.MILESTONE, steps=Steps.parse("beta; pilot; GA")
)


def test_a_value_fits_its_key_results_type():
    assert check_value(NUMERIC, 52) == 52.0
    assert check_value(BOOLEAN, 1) == 1.0
    assert check_value(MILESTONE, 2) == 2.0
    for definition, bad in [
        (NUMERIC, float("nan")),
        (NUMERIC, "52"),
        (BOOLEAN, 0.5),
        (MILESTONE, 4),
        (MILESTONE, 1.5),
        (MILESTONE, -1),
    ]:
        with pytest.raises(InvalidInput) as error:
            check_value(definition, bad)
        assert error.value.field == "value"


@pytest.mark.parametrize("bad", [11, -1, 10.5, float("nan"), float("inf"), True, "7"])
def test_confidence_runs_from_0_to_10(bad):
    with pytest.raises(InvalidInput, match="0") as error:
        checked_confidence(bad)
    assert error.value.field == "confidence"


def test_confidence_may_be_left_out_and_takes_halves():
    assert checked_confidence(None) is None
    assert checked_confidence(7.5) == 7.5
    assert checked_confidence(0) == 0.0


def test_a_note_is_trimmed_and_bounded():
    assert checked_note("  wizard shipped\n") == "wizard shipped"
    with pytest.raises(InvalidInput, match="longer than 5,000"):
        checked_note("x" * 5001)
    with pytest.raises(InvalidInput, match="NUL"):
        checked_note("a\x00b")


def test_a_check_in_is_due_after_seven_days_without_one():
    now = datetime(2026, 8, 12, 9, 0)
    assert check_in_due(None, now)
    assert not check_in_due(now - timedelta(days=6, hours=23), now)
    assert check_in_due(now - timedelta(days=7), now)

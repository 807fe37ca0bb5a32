"""Key results: a definition checked against its cycle, and end-of-cycle scores."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.cycles import Cycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction
from okrkit.domain.key_results import (
    KeyResultDefinition,
    Steps,
    objective_score,
    proposed_score,
    validate_key_result,
)
from okrkit.domain.progress import KeyResultType

Q3 = Cycle.parse("2026-Q3")
WIZARD = KeyResultDefinition(title="Wizard completion from 40% to 70%", start=40, target=70)


def field_of(definition: KeyResultDefinition) -> str | None:
    with pytest.raises(InvalidInput) as error:
        validate_key_result(definition, Q3)
    return error.value.field


def test_the_deadline_defaults_to_the_cycles_last_day_and_must_lie_in_it():
    assert validate_key_result(WIZARD, Q3).deadline == date(2026, 9, 30)
    assert validate_key_result(replace(WIZARD, deadline=date(2026, 8, 31)), Q3).deadline == date(
        2026, 8, 31
    )
    for outside in (date(2026, 10, 1), date(2026, 6, 30), date(2026, 7, 1)):
        assert field_of(replace(WIZARD, deadline=outside)) == "deadline"


@pytest.mark.parametrize("weight", [0.0, -1.0, float("inf"), float("nan")])
def test_a_weight_is_a_positive_number(weight):
    assert field_of(replace(WIZARD, weight=weight)) == "weight"


def test_a_numeric_key_result_needs_a_start_and_a_target_that_differ():
    assert field_of(replace(WIZARD, start=None)) == "start"
    assert field_of(replace(WIZARD, target=None)) == "target"
    assert field_of(replace(WIZARD, target=40)) == "target"
    assert field_of(replace(WIZARD, target=float("inf"))) == "target"


def test_a_guardrail_may_hold_its_start_when_it_says_which_way_is_worse():
    hold = replace(WIZARD, start=300, target=300, guardrail=True)
    assert field_of(hold) == "direction"
    assert validate_key_result(replace(hold, direction=Direction.LOWER), Q3).guardrail


def test_a_boolean_runs_from_not_done_to_done_and_a_milestone_through_its_steps():
    done = validate_key_result(
        KeyResultDefinition(title="SOC 2 report issued", type=KeyResultType.BOOLEAN), Q3
    )
    assert (done.start, done.target) == (0.0, 1.0)
    steps = Steps.parse("Beta shipped; 10 pilot customers;GA ")
    assert steps.names == ("Beta shipped", "10 pilot customers", "GA")
    assert str(steps) == "Beta shipped; 10 pilot customers; GA"
    milestone = validate_key_result(
        KeyResultDefinition(title="Launch", type=KeyResultType.MILESTONE, steps=steps), Q3
    )
    assert (milestone.start, milestone.target) == (0.0, 3.0)
    assert field_of(KeyResultDefinition(title="Launch", type=KeyResultType.MILESTONE)) == "steps"
    assert field_of(replace(milestone, guardrail=True, direction=Direction.HIGHER)) == "guardrail"
    assert field_of(replace(WIZARD, steps=steps)) == "steps"
    with pytest.raises(InvalidInput, match="at least one step"):
        Steps.parse(" ; ;")


def test_only_a_numeric_key_result_is_fed_by_a_kpi():
    boolean = KeyResultDefinition(title="Done", type=KeyResultType.BOOLEAN, kpi="churn")
    assert field_of(boolean) == "kpi"


def test_the_proposed_score_is_the_progress_to_two_decimals():
    assert proposed_score(0.6789) == 0.68
    assert proposed_score(1.0) == 1.0
    with pytest.raises(InvalidInput):
        proposed_score(1.2)


def test_an_objectives_score_is_the_weighted_mean_of_its_key_results_guardrails_apart():
    assert objective_score([(0.5, 1, False), (1.0, 3, False), (0.0, 5, True)]) == 0.875
    assert objective_score([(None, 1, False), (0.2, 1, True)]) is None


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(0.1, 10), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_an_objectives_score_stays_in_range_and_ignores_order(scores):
    score = objective_score(scores)
    assert score == objective_score(list(reversed(scores)))
    if score is not None:
        assert 0.0 <= score <= 1.0

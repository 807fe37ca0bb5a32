"""End-of-cycle grading (docs/rules.md, "Grading")."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import (
    NO_SCORE,
    Grade,
    GradeColour,
    ObjectiveType,
    closing_problem,
    grade,
)

RED, YELLOW, GREEN = GradeColour.RED, GradeColour.YELLOW, GradeColour.GREEN
ASPIRATIONAL = ObjectiveType.ASPIRATIONAL
COMMITTED = ObjectiveType.COMMITTED
LEARNING = ObjectiveType.LEARNING


@pytest.mark.parametrize(
    ("score", "display", "colour"),
    [
        # The four boundary scores: the colour follows the exact score, and a display
        # that would round into the next band keeps two decimals.
        (0.39, "0.39", RED),
        (0.4, "0.4", YELLOW),
        (0.69, "0.69", YELLOW),
        (0.7, "0.7", GREEN),
    ],
)
def test_grading_at_the_band_boundaries(score: float, display: str, colour: GradeColour) -> None:
    result = grade(score, ASPIRATIONAL)
    assert result.colour == colour
    assert result.display == display


@pytest.mark.parametrize(
    ("score", "display", "colour"),
    [
        (0.0, "0.0", RED),
        (0.04, "0.0", RED),
        (0.25, "0.3", RED),  # half up, not to even
        (0.35, "0.35", RED),  # "0.4" would read yellow
        (0.395, "0.395", RED),  # "0.4" and "0.40" would both read yellow
        (0.399999999, "0.399999999", RED),
        (0.45, "0.5", YELLOW),
        (0.64, "0.6", YELLOW),
        (0.65, "0.65", YELLOW),  # "0.7" would read green
        (0.74, "0.7", GREEN),
        (0.94, "0.9", GREEN),
        (0.96, "0.96", GREEN),  # only a full score reads "1.0"
        (1.0, "1.0", GREEN),
        (1, "1.0", GREEN),
    ],
)
def test_display_rounds_to_one_decimal_unless_that_crosses_a_boundary(
    score: float, display: str, colour: GradeColour
) -> None:
    result = grade(score, ASPIRATIONAL)
    assert (result.display, result.colour) == (display, colour)


def test_float_noise_counts_as_the_score_it_means() -> None:
    noisy = math.nextafter(0.7, 0.0)  # 0.6999999999999999: a weighted mean's 0.7
    assert noisy < 0.7
    result = grade(noisy, ASPIRATIONAL)
    assert (result.score, result.display, result.colour, result.success) == (
        0.7,
        "0.7",
        GREEN,
        True,
    )


@pytest.mark.parametrize(("score", "success"), [(0.69, False), (0.7, True), (1.0, True)])
def test_aspirational_succeeds_at_0_7(score: float, success: bool) -> None:
    result = grade(score, ASPIRATIONAL)
    assert result.success is success
    assert not result.needs_explanation
    assert closing_problem(score, ASPIRATIONAL) is None


@pytest.mark.parametrize("score", [0.0, 0.7, 0.99, 0.999999999])
def test_committed_under_1_needs_an_explanation(score: float) -> None:
    result = grade(score, COMMITTED)
    assert result.success is False
    assert result.needs_explanation
    problem = closing_problem(score, COMMITTED)
    assert problem is not None
    assert "explanation" in problem


def test_committed_under_1_with_an_explanation_can_be_closed() -> None:
    note = "The payment provider's migration slipped to next quarter."
    result = grade(0.8, COMMITTED, note)
    assert not result.needs_explanation
    assert result.success is False
    assert closing_problem(0.8, COMMITTED, note) is None


def test_a_blank_note_is_no_explanation() -> None:
    assert grade(0.8, COMMITTED, "  \n").needs_explanation


def test_committed_at_1_needs_no_explanation() -> None:
    assert grade(1.0, COMMITTED) == Grade(
        score=1.0, display="1.0", colour=GREEN, success=True, needs_explanation=False
    )


def test_learning_needs_a_note() -> None:
    result = grade(0.3, LEARNING)
    assert result.needs_explanation
    assert result.success is None  # judged on what was learned, not on the number
    assert result.colour == RED
    problem = closing_problem(0.3, LEARNING)
    assert problem is not None
    assert "learned" in problem


def test_learning_with_a_note_can_be_closed() -> None:
    note = "Self-serve buyers want annual plans; monthly churn is a pricing problem."
    assert not grade(0.3, LEARNING, note).needs_explanation
    assert closing_problem(None, LEARNING, note) is None


def test_learning_may_go_without_a_score() -> None:
    assert grade(None, LEARNING, "We learned that …") == Grade(
        score=None, display=NO_SCORE, colour=None, success=None, needs_explanation=False
    )
    assert grade(None, LEARNING).needs_explanation


@pytest.mark.parametrize("objective_type", [COMMITTED, ASPIRATIONAL])
def test_other_objectives_need_a_score(objective_type: ObjectiveType) -> None:
    with pytest.raises(InvalidInput, match="needs a score") as caught:
        grade(None, objective_type, "a note")
    assert caught.value.field == "score"


@pytest.mark.parametrize("score", [-0.01, 1.01, 7.0, math.nan, math.inf])
@pytest.mark.parametrize("objective_type", list(ObjectiveType))
def test_a_score_outside_0_to_1_is_rejected(score: float, objective_type: ObjectiveType) -> None:
    with pytest.raises(InvalidInput) as caught:
        grade(score, objective_type, "note")
    assert caught.value.field == "score"
    with pytest.raises(InvalidInput):
        closing_problem(score, objective_type, "note")


def colour_of(score: float) -> GradeColour:
    return RED if score < 0.4 else YELLOW if score < 0.7 else GREEN


scores = st.floats(min_value=0.0, max_value=1.0)


@given(score=scores)
def test_the_displayed_number_never_contradicts_the_colour(score: float) -> None:
    result = grade(score, COMMITTED, "note")
    assert result.colour == colour_of(float(result.display))
    assert (float(result.display) == 1.0) == (result.success is True)
    assert abs(float(result.display) - score) <= 0.05 + 1e-9


@given(low=scores, high=scores)
def test_a_higher_score_never_gets_a_worse_colour(low: float, high: float) -> None:
    low, high = sorted((low, high))
    order = [RED, YELLOW, GREEN]
    low_colour, high_colour = grade(low, ASPIRATIONAL).colour, grade(high, ASPIRATIONAL).colour
    assert low_colour is not None
    assert high_colour is not None
    assert order.index(low_colour) <= order.index(high_colour)

"""Key result progress, objective progress and guardrail breaches (docs/rules.md, "Progress")."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction
from okrkit.domain.progress import (
    KeyResult,
    KeyResultType,
    ObjectiveProgress,
    guardrail_breached,
    numeric_progress,
    objective_progress,
    progress,
)


def numeric(title: str = "kr", **fields: Any) -> KeyResult:
    return KeyResult(title=title, **fields)


# --- numeric progress ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (40, 70, 55, 0.5),  # setup wizard completion 40 % → 70 %, half way
        (40, 70, 40, 0.0),
        (40, 70, 70, 1.0),
        (5, 3, 4, 0.5),  # decreasing: churn 5 % → 3 %, at 4 % half way
        (5, 3, 4.5, 0.25),
        (5, 3, 3, 1.0),
        (300, 200, 250, 0.5),  # p95 latency 300 ms → 200 ms
    ],
)
def test_numeric_progress_is_the_share_of_the_way_from_start_to_target(
    start: float, target: float, current: float, expected: float
) -> None:
    assert numeric_progress(start, target, current) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("start", "target", "current"),
    [(40, 70, 85), (5, 3, 2.5), (300, 200, 120)],
)
def test_progress_beyond_the_target_is_clamped_to_1(
    start: float, target: float, current: float
) -> None:
    assert numeric_progress(start, target, current) == 1.0


@pytest.mark.parametrize(
    ("start", "target", "current"),
    [(40, 70, 35), (5, 3, 6), (300, 200, 310)],
)
def test_progress_behind_the_start_is_clamped_to_0(
    start: float, target: float, current: float
) -> None:
    result = numeric_progress(start, target, current)
    assert result == 0.0
    assert math.copysign(1.0, result) == 1.0  # never "-0.0" on a page


def test_a_target_equal_to_the_start_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="nothing to change") as caught:
        numeric_progress(10, 10, 12)
    assert caught.value.field == "target"


@pytest.mark.parametrize("field", ["start", "target", "current"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_rejected(field: str, bad: float) -> None:
    values = {"start": 1.0, "target": 2.0, "current": 1.5} | {field: bad}
    with pytest.raises(InvalidInput) as caught:
        numeric_progress(**values)
    assert caught.value.field == field


def test_values_near_the_float_limit_do_not_overflow() -> None:
    assert numeric_progress(-1e308, 1e308, 0.0) == 0.5
    assert numeric_progress(1e308, -1e308, -1e308) == 1.0


@given(
    start=st.floats(allow_nan=False, allow_infinity=False),
    target=st.floats(allow_nan=False, allow_infinity=False),
    current=st.floats(allow_nan=False, allow_infinity=False),
)
def test_numeric_progress_is_always_between_0_and_1(
    start: float, target: float, current: float
) -> None:
    if target == start:
        return
    assert 0.0 <= numeric_progress(start, target, current) <= 1.0


# --- progress of one key result --------------------------------------------------------


def test_a_numeric_key_result_without_a_check_in_has_no_progress() -> None:
    assert progress(numeric(start=40, target=70)) == 0.0


def test_a_numeric_key_result_follows_numeric_progress() -> None:
    assert progress(numeric(start=5, target=3, current=4)) == 0.5


@pytest.mark.parametrize(
    ("missing", "fields"), [("start", {"target": 70}), ("target", {"start": 40})]
)
def test_a_numeric_key_result_needs_a_start_and_a_target(
    missing: str, fields: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        progress(numeric(current=50, **fields))
    assert caught.value.field == missing


def test_a_key_result_without_a_check_in_is_still_checked() -> None:
    with pytest.raises(InvalidInput, match="nothing to change"):
        progress(numeric(start=10, target=10))


def test_a_direction_that_agrees_with_start_and_target_is_accepted() -> None:
    kr = numeric(start=5, target=3, current=4, direction=Direction.LOWER)
    assert progress(kr) == 0.5


def test_a_direction_that_contradicts_start_and_target_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="contradicts") as caught:
        progress(numeric(start=5, target=3, current=4, direction=Direction.HIGHER))
    assert caught.value.field == "direction"


@pytest.mark.parametrize(("current", "expected"), [(None, 0.0), (0.0, 0.0), (1.0, 1.0)])
def test_a_boolean_key_result_is_done_or_not(current: float | None, expected: float) -> None:
    kr = KeyResult(title="SOC 2 report signed", type=KeyResultType.BOOLEAN, current=current)
    assert progress(kr) == expected


def test_a_boolean_key_result_rejects_other_values() -> None:
    kr = KeyResult(title="SOC 2 report signed", type=KeyResultType.BOOLEAN, current=0.5)
    with pytest.raises(InvalidInput, match="done \\(1\\) or not \\(0\\)") as caught:
        progress(kr)
    assert caught.value.field == "current"


@pytest.mark.parametrize(("done", "total", "expected"), [(0, 4, 0.0), (3, 4, 0.75), (4, 4, 1.0)])
def test_a_milestone_key_result_is_done_over_total(done: int, total: int, expected: float) -> None:
    kr = KeyResult(
        title="Migrate the billing flows",
        type=KeyResultType.MILESTONE,
        milestones_done=done,
        milestones_total=total,
    )
    assert progress(kr) == expected


@pytest.mark.parametrize(
    ("done", "total", "field"),
    [(0, 0, "milestones_total"), (5, 4, "milestones_done"), (-1, 4, "milestones_done")],
)
def test_milestone_counts_are_checked(done: int, total: int, field: str) -> None:
    kr = KeyResult(
        title="m", type=KeyResultType.MILESTONE, milestones_done=done, milestones_total=total
    )
    with pytest.raises(InvalidInput) as caught:
        progress(kr)
    assert caught.value.field == field


# --- guardrails ----------------------------------------------------------------------


def test_a_guardrail_that_got_worse_is_breached_higher_is_better() -> None:
    # Retention must not drop below its 80 % start; the target 82 says higher is better.
    kr = numeric("Keep retention", start=80, target=82, current=79.9, guardrail=True)
    assert guardrail_breached(kr)
    assert progress(kr) == 0.0


def test_a_guardrail_that_got_worse_is_breached_lower_is_better() -> None:
    kr = numeric("Keep churn down", start=5, target=3, current=5.1, guardrail=True)
    assert guardrail_breached(kr)


def test_a_guardrail_with_target_equal_to_start_takes_its_direction() -> None:
    latency = numeric(
        "Hold p95 latency", start=300, target=300, guardrail=True, direction=Direction.LOWER
    )
    assert guardrail_breached(replace_current(latency, 320))
    assert not guardrail_breached(replace_current(latency, 280))


def test_holding_exactly_at_the_start_is_not_a_breach() -> None:
    kr = numeric(
        "Hold NPS", start=40, target=40, current=40, guardrail=True, direction=Direction.HIGHER
    )
    assert not guardrail_breached(kr)
    assert progress(kr) == 1.0


def test_a_guardrail_that_improved_is_held() -> None:
    kr = numeric("Keep churn down", start=5, target=3, current=4, guardrail=True)
    assert not guardrail_breached(kr)
    assert progress(kr) == 1.0


def test_a_guardrail_without_a_check_in_is_not_breached_and_has_no_progress_yet() -> None:
    kr = numeric("Keep churn down", start=5, target=3, guardrail=True)
    assert not guardrail_breached(kr)
    assert progress(kr) == 0.0


def test_an_explicit_direction_wins_over_a_tolerance_target() -> None:
    # "Churn may not rise above 3 %" from a 2.5 % start: still must not get worse than 2.5.
    kr = numeric(
        "Churn", start=2.5, target=3, current=2.8, guardrail=True, direction=Direction.LOWER
    )
    assert guardrail_breached(kr)


@pytest.mark.parametrize("target", [300.0, None])
def test_a_guardrail_without_any_direction_is_rejected(target: float | None) -> None:
    kr = numeric("Hold p95 latency", start=300, target=target, current=320, guardrail=True)
    with pytest.raises(InvalidInput, match="needs a direction") as caught:
        guardrail_breached(kr)
    assert caught.value.field == "direction"


def test_a_guardrail_needs_a_start() -> None:
    kr = numeric("Hold NPS", target=40, current=39, guardrail=True, direction=Direction.HIGHER)
    with pytest.raises(InvalidInput) as caught:
        guardrail_breached(kr)
    assert caught.value.field == "start"


def test_a_guardrail_current_value_must_be_finite() -> None:
    kr = numeric("Hold NPS", start=40, target=41, current=math.nan, guardrail=True)
    with pytest.raises(InvalidInput) as caught:
        guardrail_breached(kr)
    assert caught.value.field == "current"


def test_a_guardrail_target_must_be_finite() -> None:
    kr = numeric("Hold NPS", start=40, target=math.inf, current=41, guardrail=True)
    with pytest.raises(InvalidInput) as caught:
        guardrail_breached(kr)
    assert caught.value.field == "target"


def test_a_boolean_guardrail_breaks_when_it_flips_to_the_bad_side() -> None:
    kr = KeyResult(
        title="Still SOC 2 compliant",
        type=KeyResultType.BOOLEAN,
        start=1,
        target=1,
        guardrail=True,
        direction=Direction.HIGHER,
    )
    assert guardrail_breached(replace_current(kr, 0))
    assert not guardrail_breached(replace_current(kr, 1))
    with pytest.raises(InvalidInput):
        guardrail_breached(replace_current(kr, 0.5))


def test_a_milestone_cannot_be_a_guardrail() -> None:
    kr = KeyResult(
        title="m",
        type=KeyResultType.MILESTONE,
        milestones_done=1,
        milestones_total=2,
        guardrail=True,
    )
    with pytest.raises(InvalidInput) as caught:
        guardrail_breached(kr)
    assert caught.value.field == "guardrail"


def test_a_key_result_that_is_not_a_guardrail_is_never_breached() -> None:
    assert not guardrail_breached(numeric(start=40, target=70, current=10))


# --- objective progress --------------------------------------------------------------


def test_objective_progress_is_the_weighted_mean() -> None:
    krs = [
        numeric("a", start=0, target=100, current=25, weight=3),  # 0.25 × 3 = 0.75
        numeric("b", start=5, target=3, current=3, weight=1),  # 1.0 × 1 = 1.0
        KeyResult(title="c", type=KeyResultType.BOOLEAN, current=0, weight=2),  # 0 × 2
        KeyResult(
            title="d", type=KeyResultType.MILESTONE, milestones_done=1, milestones_total=2
        ),  # 0.5 × 1
    ]
    # (0.75 + 1.0 + 0 + 0.5) / (3 + 1 + 2 + 1) = 2.25 / 7
    result = objective_progress(krs)
    assert result.progress == pytest.approx(2.25 / 7)
    assert result == ObjectiveProgress(
        progress=result.progress, guardrail_breached=False, breached=()
    )


def test_equal_weights_give_the_plain_mean() -> None:
    krs = [
        numeric("a", start=0, target=10, current=2),
        numeric("b", start=0, target=10, current=6),
    ]
    assert objective_progress(krs).progress == pytest.approx(0.4)


def test_guardrails_are_left_out_of_the_mean() -> None:
    goal = numeric("Lift activation", start=20, target=30, current=25)
    held = numeric("Churn", start=5, target=3, current=4, guardrail=True, weight=10)
    breached = numeric("NPS", start=40, target=41, current=30, guardrail=True)
    assert objective_progress([goal]).progress == 0.5
    assert objective_progress([goal, held]).progress == 0.5
    result = objective_progress([goal, breached, held])
    assert result.progress == 0.5
    assert result.guardrail_breached
    assert result.breached == ("NPS",)


def test_breached_guardrails_are_listed_in_key_result_order() -> None:
    krs = [
        numeric("Churn", start=5, target=3, current=6, guardrail=True),
        numeric("Goal", start=0, target=1, current=1),
        numeric("NPS", start=40, target=41, current=30, guardrail=True),
    ]
    assert objective_progress(krs).breached == ("Churn", "NPS")


def test_an_objective_without_key_results_has_no_progress() -> None:
    assert objective_progress([]) == ObjectiveProgress(0.0, False, ())


def test_an_objective_with_only_guardrails_has_no_progress() -> None:
    only = [numeric("Churn", start=5, target=3, current=6, guardrail=True)]
    assert objective_progress(only) == ObjectiveProgress(0.0, True, ("Churn",))


@pytest.mark.parametrize("weight", [0.0, -1.0, math.nan, math.inf])
def test_weights_must_be_positive_numbers(weight: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        objective_progress([numeric("a", start=0, target=1, current=1, weight=weight)])
    assert caught.value.field == "weight"


def replace_current(kr: KeyResult, current: float) -> KeyResult:
    return KeyResult(**(vars(kr) | {"current": current}))


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def key_results(draw: st.DrawFn) -> KeyResult:
    title = draw(st.text(alphabet="abcxyz", max_size=5))
    weight = draw(st.floats(min_value=1e-3, max_value=1e3))
    kind = draw(st.sampled_from(["numeric", "boolean", "milestone", "guardrail"]))
    if kind == "boolean":
        current = draw(st.sampled_from([None, 0.0, 1.0]))
        return KeyResult(title, KeyResultType.BOOLEAN, current=current, weight=weight)
    if kind == "milestone":
        total = draw(st.integers(1, 10))
        done = draw(st.integers(0, total))
        return KeyResult(
            title,
            KeyResultType.MILESTONE,
            milestones_done=done,
            milestones_total=total,
            weight=weight,
        )
    start, target = draw(finite), draw(finite)
    current = draw(st.none() | finite)
    if kind == "guardrail":
        direction = draw(st.sampled_from(list(Direction)))
        return KeyResult(
            title, start=start, target=target, current=current, guardrail=True, direction=direction
        )
    if target == start:
        target = start + 1
    return KeyResult(title, start=start, target=target, current=current, weight=weight)


@given(krs=st.lists(key_results(), max_size=8), data=st.data())
def test_objective_progress_does_not_depend_on_key_result_order(
    krs: list[KeyResult], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(krs))
    before, after = objective_progress(krs), objective_progress(shuffled)
    assert before.progress == after.progress
    assert 0.0 <= before.progress <= 1.0
    assert before.guardrail_breached == after.guardrail_breached
    assert sorted(before.breached) == sorted(after.breached)

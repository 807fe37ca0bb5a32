"""A key result in one line, `okr add --kr` (`cli/objectives/key_result_line.py`): what a
product manager types, what it becomes, and the error naming the `--kr` and its field."""

from __future__ import annotations

from datetime import date

import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import fields_of
from okrkit.domain.health import Direction
from okrkit.domain.key_results import KeyResultDefinition, Steps
from okrkit.domain.progress import KeyResultType
from okrkit.interfaces.cli.objectives.key_result_line import KR_SYNTAX, KR_WORDS, parse_key_result


@pytest.mark.parametrize(
    ("line", "title", "start", "target", "unit"),
    [
        ("Increase wizard completion from 40% to 70%: 40 -> 70 percent",
         "Increase wizard completion from 40% to 70%", 40, 70, "percent"),
        ("Increase wizard completion: 40% -> 70%", "Increase wizard completion", 40, 70, "percent"),
        ("Wizard completion: 40 → 70 %", "Wizard completion", 40, 70, "percent"),
        ("Cut time to first key action: 8 to 3 min", "Cut time to first key action", 8, 3, "min"),
        ("Grow expansion revenue: $1200 -> $1500", "Grow expansion revenue", 1200, 1500,
         "currency"),
        ("Cut p95 latency: 450 -> 300 ms", "Cut p95 latency", 450, 300, "ms"),
        ("Onboarding: cut time to value: 8 -> 3 days", "Onboarding: cut time to value", 8, 3,
         "days"),
        ("Raise NPS:-5->20", "Raise NPS", -5, 20, ""),
        ("Grow weekly sign-ups: 1.5e3 -> 2.5e3 sign-ups per week", "Grow weekly sign-ups",
         1500, 2500, "sign-ups per week"),
    ],
)  # fmt: skip
def test_a_number_that_moves(line, title, start, target, unit):
    kr = parse_key_result(line, 1)
    assert (kr.title, kr.type, kr.start, kr.target, kr.unit) == (
        title, KeyResultType.NUMERIC, start, target, unit,
    )  # fmt: skip


def test_done_or_not_and_steps():
    done = parse_key_result("Self-serve billing live in every region: done", 1)
    assert (done.title, done.type, done.steps) == (
        "Self-serve billing live in every region", KeyResultType.BOOLEAN, None,
    )  # fmt: skip
    steps = parse_key_result("Single sign-on: steps Beta: internal; 10 pilots; GA owner=ana", 2)
    assert (steps.type, steps.steps, steps.owner) == (
        KeyResultType.MILESTONE, Steps(("Beta: internal", "10 pilots", "GA")), "ana",
    )  # fmt: skip


def test_words_after_the_plan_set_the_other_fields():
    kr = parse_key_result(
        "Keep support tickets at or under 5: 5 -> 5 count guardrail direction=LOWER "
        "owner=maya@example.com weight=0.5 deadline=2026-09-15 kpi=tickets",
        1,
    )
    assert (kr.guardrail, kr.direction, kr.owner, kr.weight, kr.deadline, kr.kpi, kr.unit) == (
        True, Direction.LOWER, "maya@example.com", 0.5, date(2026, 9, 15), "tickets", "count",
    )  # fmt: skip
    assert parse_key_result("Hold churn: 2 -> 1 percent guardrail=no", 1).guardrail is False


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ("Lift wizard completion 40 -> 70", "--kr 3", "no ':' between the title and the plan"),
        ("Lift wizard completion: forty -> 70", "--kr 3: start", "'forty' is not a number"),
        ("Lift wizard completion: 40 -> lots", "--kr 3: target", "'lots' is not a number"),
        ("Lift wizard completion: about 40", "--kr 3", "'about 40' is not a plan"),
        ("Lift wizard completion: 40 -> 70 owners=x", "--kr 3", "'owners' is not one of owner"),
        ("Lift wizard completion: 40 -> 70 weight=heavy", "--kr 3: weight",
         "'heavy' is not a number"),
        ("Lift wizard completion: 40 -> 70 weight=1 weight=2", "--kr 3: weight", "given twice"),
        ("Lift wizard completion: 40 -> 70 guardrail=maybe", "--kr 3: guardrail",
         "'maybe' is not yes or no"),
        ("Lift wizard completion: 40 -> 70 deadline=soon", "--kr 3: deadline",
         "'soon' is not a date"),
        ("Lift wizard completion: 40 -> 70 direction=up", "--kr 3: direction",
         "'up' is not one of higher, lower"),
        (": 40 -> 70", "--kr 3: title", "cannot be blank"),
        ("Lift wizard completion: 40 -> 70 kpi=Trial", "--kr 3: kpi", "'Trial' is not a key"),
    ],
)  # fmt: skip
def test_an_error_names_the_kr_and_its_field(line, field, fragment):
    with pytest.raises(InvalidInput) as raised:
        parse_key_result(line, 3)
    assert raised.value.field == field
    assert fragment in raised.value.message


def test_a_plan_error_shows_the_syntax():
    with pytest.raises(InvalidInput) as raised:
        parse_key_result("Lift wizard completion: about 40", 1)
    assert KR_SYNTAX in raised.value.message
    assert "'TITLE: START -> TARGET UNIT'" in KR_SYNTAX


def test_every_declared_field_of_a_key_result_can_be_written_in_one_line():
    """The plan gives the type, start, target, unit and steps; every other declared field
    is a word, named in the help and the syntax."""
    plan = {"title", "type", "start", "target", "unit", "steps"}
    for f in fields_of(KeyResultDefinition):
        if f.name not in plan:
            assert f"{f.name}" in KR_SYNTAX
            assert f"  {f.name}" in KR_WORDS
            assert f.help in KR_WORDS

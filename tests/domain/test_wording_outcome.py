"""The outcome reading and the key result's default (domain/wording_outcome.py): a key
result is an output unless it reads as an outcome."""

from __future__ import annotations

import pytest

from okrkit.domain import wording


@pytest.mark.parametrize(
    ("goal", "reason"),
    [
        ("Lift trial-to-paid conversion from 8% to 12%", "measures a change from a baseline"),
        ("Improve the developer experience of the SDK", "asks for a change or a result"),
        ("Win two regional design awards", "asks for a change or a result"),
        ("Refund requests decreased across every region", "states a change"),
        ("Onboarding milestones reached", "states a result reached"),
        ("Three partner teams send their invoices through us", "counts what others do"),
        ("Five product teams rely on the search service", "counts what others do"),
        ("The style guide is endorsed by the editors", "states what others do"),
        ("Most readers finish the tutorial in one sitting", "counts what others do"),
        ("Annual recurring revenue of $2M", "names a level"),
        ("Page load time below 2 s on mobile", "names a level"),
        ("Faster checkout for returning shoppers", "names a level"),
        ("Quarterly planning reaches maturity level three", "names a level"),
        ("Deploys run in under 5 minutes", "names a level"),
        ("Releases ship on time every sprint", "sets a standing service level"),
    ],
)
def test_an_outcome_is_read_as_a_change_a_level_or_what_others_do(goal: str, reason: str) -> None:
    found = wording.outcome(goal)
    assert found is not None
    assert found.reason.startswith(reason)
    assert wording.key_result_output(goal) is None


@pytest.mark.parametrize(
    "goal",
    [
        "Consistent naming across repositories",
        "The wiki is tidy",
        "Clear owners for each alert",
    ],
)
def test_a_key_result_with_no_outcome_in_it_is_an_output_by_default(goal: str) -> None:
    assert wording.output(goal) is None
    assert wording.outcome(goal) is None
    found = wording.key_result_output(goal)
    assert found is not None
    assert found.words
    assert goal.startswith(found.words)


def test_an_output_reading_comes_before_the_outcome_beside_it() -> None:
    mixed = "Ship the bulk importer and reach 20% adoption among admins"
    assert wording.outcome(mixed) is not None
    assert wording.key_result_output(mixed) == wording.output(mixed) is not None


def test_the_default_is_the_key_result_s_only() -> None:
    # An objective is a direction, not a measure: the positive output reading stays.
    direction = "Make onboarding effortless"
    assert wording.output(direction) is None
    assert wording.key_result_output(direction) is not None


def test_an_empty_key_result_is_no_output() -> None:
    assert wording.key_result_output("  ") is None
    assert wording.outcome("") is None

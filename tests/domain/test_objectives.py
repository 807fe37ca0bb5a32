"""Objectives: what they align to, and their life from draft to closed."""

from __future__ import annotations

from datetime import datetime

import pytest

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.objectives import (
    Alignment,
    Objective,
    ObjectiveStatus,
    StoredObjective,
    check_alignment,
)
from okrkit.domain.versions import Revision

OBJECTIVE = Objective(
    key="onboarding", title="Streamline onboarding", cycle="2026-Q3", team="growth"
)


def test_an_alignment_is_a_key_or_a_key_and_a_key_result():
    assert Alignment.parse("company-growth") == Alignment("company-growth")
    assert Alignment.parse("company-growth#12") == Alignment("company-growth", 12)
    assert str(Alignment("company-growth", 12)) == "company-growth#12"
    for text in ("", "Company", "a#", "a#x", "a b", "#12"):
        with pytest.raises(InvalidInput) as error:
            Alignment.parse(text)
        assert error.value.field == "parent"


def test_an_objective_cannot_align_to_itself_or_its_descendants():
    # company ← growth ← onboarding
    parents = {
        "company": None,
        "growth": Alignment("company"),
        "onboarding": Alignment("growth", 4),
    }
    check_alignment("growth", Alignment("company"), parents)
    with pytest.raises(InvalidInput, match="itself"):
        check_alignment("company", Alignment("company"), parents)
    with pytest.raises(InvalidInput, match="own descendants"):
        check_alignment("company", Alignment("onboarding"), parents)
    with pytest.raises(InvalidInput, match="own descendants"):
        check_alignment("growth", Alignment("onboarding", 7), parents)


def test_an_alignment_loop_already_stored_does_not_hang_the_check():
    loop = {"a": Alignment("b"), "b": Alignment("a")}
    check_alignment("c", Alignment("a"), loop)


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        (ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE, True),
        (ObjectiveStatus.DRAFT, ObjectiveStatus.SCORED, False),
        (ObjectiveStatus.ACTIVE, ObjectiveStatus.SCORED, True),
        (ObjectiveStatus.ACTIVE, ObjectiveStatus.CLOSED, False),
        (ObjectiveStatus.SCORED, ObjectiveStatus.SCORED, True),
        (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED, True),
        (ObjectiveStatus.SCORED, ObjectiveStatus.ACTIVE, False),
    ],
)
def test_an_objective_moves_draft_active_scored_closed(status, to, allowed):
    stored = StoredObjective(OBJECTIVE, status, Revision(1, datetime(2026, 7, 1), "maya"))
    if allowed:
        assert stored.moved_to(to) == to
    else:
        with pytest.raises(InvalidInput, match=f"is {status}: it cannot become {to}"):
            stored.moved_to(to)


def test_a_closed_objective_stays_closed():
    stored = StoredObjective(
        OBJECTIVE, ObjectiveStatus.CLOSED, Revision(1, datetime(2026, 7, 1), "m")
    )
    with pytest.raises(Conflict, match="already closed"):
        stored.moved_to(ObjectiveStatus.CLOSED)

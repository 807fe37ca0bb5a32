"""The main predicate of a goal (domain/wording_predicate.py): what the sentence's own
verb asks for, read before its subordinate clauses — and OKR006 read from it. General
sentences written for the principle, not copied from the corpus."""

from __future__ import annotations

import pytest

from okrkit.domain import wording
from okrkit.domain.wording_predicate import main_clause, main_predicate

PREDICATES = [
    ("Maintain 99.9% uptime", "hold"),
    ("Keeps the error budget intact", "hold"),
    ("Continue doing weekly demos", "hold"),
    ("Hold churn at 2% through the quarter", "hold"),
    ("Hold a successful user conference", "doing"),
    ("Actively monitor customer health", "watch"),
    ("Ensure uptime does not fall below 99.9%", "light"),
    ("Make sure the pager never goes unanswered", "light"),
    ("Help the guild remain self-organised", "light"),
    ("Improve the signup ratio from 1:4 to 1:3", "change"),
    ("Optimize the importer to keep up with every upload", "change"),
    ("Review 40 pull requests with an eye on reliability", "watch"),
    ("Develop a job to keep the cache warm", "doing"),
    ("Achieve 99.95% availability", "result"),
    ("Support tickets fall by a third", ""),
    ("The data team has the tools to retain its analysts", ""),
]


@pytest.mark.parametrize(("goal", "kind"), PREDICATES)
def test_the_main_predicate_is_read_from_the_opening_verb(goal: str, kind: str) -> None:
    assert main_predicate(goal).kind == kind


def test_an_empty_goal_has_no_predicate() -> None:
    assert main_predicate("").kind == ""


def test_a_purpose_clause_is_not_the_main_clause() -> None:
    assert main_clause("Build a cache so that pages stay fast") == "Build a cache"
    assert main_clause("Rework the queue in order to retain our SLA") == "Rework the queue"
    assert main_clause("Plain goal with nothing after it") == "Plain goal with nothing after it"


def test_a_headline_infinitive_after_a_bare_subject_is_the_predicate() -> None:
    goal = "Each support agent to maintain a CSAT of 90% or more"
    assert main_clause(goal, subject=True) == goal
    assert main_clause("The team has a budget to maintain", subject=True) == "The team has a budget"


# A verb of change or of doing asks for that change or that work, whatever a subordinate
# clause, a participle, a noun or a from → to says.
CHANGE_OR_WORK = [
    "Review 40 pull requests with an eye on latency, uptime and availability",
    "Close out the 12 remaining gaps in contract test coverage",
    "Fill the remaining open roles on the data team",
    "Migrate 40% of the remaining services to the new scheduler",
    "Improve the reviewer-to-author ratio from 1:4.5 to 1:3",
    "Grow ARR from $1.2M to $2M",
    "Cut build time from 4 h to 2 h",
    "Develop a job to keep the search index fresh within a day",
    "Optimize the crawler to keep up with every new repository",
    "Fix the flaky login test and do not crash on retry",
    "Hold a successful community summit rated 4 out of 5 by attendees",
    "Track all open incidents and achieve a 90% postmortem rate",
    "The support guild has the playbooks it needs, in order to retain our customers' trust",
    "Build a status page so that customers stay informed",
]


@pytest.mark.parametrize("goal", CHANGE_OR_WORK)
def test_a_verb_of_change_or_doing_asks_for_that_change_or_work(goal: str) -> None:
    assert wording.status_quo(goal) is None


HELD_BY_PREDICATE = [
    ("Hold the churn rate at 2%", "holds a level instead of changing it"),
    ("Achieve 99.9% uptime consistently", "holds a level instead of changing it"),
    (
        "Each support agent to maintain a CSAT of 90% or more",
        "holds a level instead of changing it",
    ),
    ("Signup conversion from 4.5% to 4.5%", "has its target equal to its baseline"),
    ("Zero data loss incidents", "holds a bar against any new harm instead of changing a level"),
    ("Help the guild remain self-organised", "carries on as before instead of changing"),
    ("Our goal is to maintain 99.9% uptime", "holds a level instead of changing it"),
]


@pytest.mark.parametrize(("goal", "reason"), HELD_BY_PREDICATE)
def test_a_held_predicate_or_a_standing_bar_is_a_status_quo(goal: str, reason: str) -> None:
    found = wording.status_quo(goal)
    assert found is not None
    assert found.reason == reason

"""The status-quo reading (domain/wording_held.py) on round 6's three kpi_dressed decisions:
a change carried on is a change, a means after a held level leaves it held, and making
measurement exist is new work while watching stays a status quo."""

from __future__ import annotations

import pytest

from okrkit.domain import wording

HELD = [
    "Continue to publish the monthly newsletter",
    "Keep response times under 2 s",
    "Continue running the weekly demo",
    "Maintain 99.9% uptime by moving to Kubernetes",
    "Keep churn below 2% through a new onboarding flow",
    "Track and report activation monthly",
    "Review the dashboard every week",
    "Monitor activation",
    "Review pipeline metrics and send a weekly summary to the team",
]

NOT_HELD = [
    "Continue to grow revenue 5% a month",
    "Keep improving activation",
    "Continue to reduce churn",
    "Continue efforts to improve application performance",
    "The onboarding team continues to shorten setup time",
    "Reduce cost 30% while maintaining uptime",
    "Set up a dashboard for activation",
    "Instrument the signup funnel",
    "Define and start measuring NPS",
    "Establish a baseline for churn",
    "Measure NPS and create a roadmap for the top complaints",
]


@pytest.mark.parametrize("goal", HELD)
def test_an_activity_or_a_level_held_is_a_status_quo(goal: str) -> None:
    assert wording.status_quo(goal) is not None


@pytest.mark.parametrize("goal", NOT_HELD)
def test_a_change_or_new_work_asked_for_is_no_status_quo(goal: str) -> None:
    assert wording.status_quo(goal) is None


def test_a_change_carried_on_names_its_words() -> None:
    assert wording.continued_change("Keep improving activation") == "Keep improving"
    assert wording.continued_change("Continue to publish the newsletter") is None

"""Outputs read from structure when a goal opens with no verb of doing (issue 15, round 5):
a noun phrase naming a thing to have, an artefact the team holds, one put in production,
one reported finished, a causative of work done and "land" with a thing."""

from __future__ import annotations

import pytest

from okrkit.domain import wording

NAMED_OUTPUTS = [
    ("Offline sync for the mobile app", "names a deliverable to have"),
    ("Dark theme", "names a deliverable to have"),
    ("Tiered pricing toggle", "names a deliverable to have"),
    ("Incremental indexing of large archives", "names a deliverable to have"),
    ("We have a pricing page that explains the tiers", "states an artefact the team holds"),
    ("Our team has a rollback playbook for the payments service", "states an artefact"),
    ("The new scheduler becomes the default", "states an artefact as in production"),
    ("The rules engine is used for nightly fraud checks", "states an artefact as in production"),
    ("Finished payroll v2", "reports a deliverable as finished"),
    ("Completed vendor review", "reports a deliverable as finished"),
    ("Get the mobile SDK released", "asks for work done on a thing"),
    ("Make the new parser the default", "asks for work done on a thing"),
    ("Land keyboard shortcuts in the editor", "ships a thing the team makes"),
]

NOT_NAMED_OUTPUTS = [
    "Happier support agents",
    "Faster checkouts",
    "Customer trust in our billing",
    "Smallest install footprint in the category",
    "Repeat purchase rate",
    "Community growth in Latin America",
    "We have 500 paying customers",
    "We have happy users",
    "Partners are used to our release cadence",
    "Get customers engaged with weekly digests",
    "Make onboarding so good that users need no help",
    "Land 5 enterprise deals",
    "Land a partnership with a major retailer",
    "Completed onboarding conversions",
]


MORE_NAMED = [
    ("User interview notes for the checkout redesign", "names a deliverable to have"),
    ("Talks on the scheduler that we can give at meetups", "names a deliverable"),
    ("Land push notifications", "ships a thing the team makes"),
    ("6 playbooks drafted for the on-call rota", "states"),
    ("100 % of SREs enabled on the paging tool", "states the team's work as done"),
    ("3 vendors assessed and shortlisted", "states the team's work as done"),
]

NOT_NAMED = [
    "Team morale rises through the year",
    "Getting traction for the community edition",
    "Payments team fully staffed",
    "Customers onboarded within a week",
    "Grade A+ for our TLS settings on https://example.org is reached",
]


IMPROVED_THINGS = [
    ("Improve the PRD template", "works on a thing the team makes"),
    ("Enhance the invoice export", "works on a thing the team makes"),
    ("C# driver released", "states the team's work as done"),
]

IMPROVED_QUALITIES = [
    "Improve onboarding",
    "Improve our website loading speed",
    "Improve the communication at all levels",
    "Improve candidate experience during the hiring process",
    "Improve the signup flow by 20 %",
]


@pytest.mark.parametrize(("goal", "reason"), NAMED_OUTPUTS + MORE_NAMED + IMPROVED_THINGS)
def test_a_thing_named_held_or_put_in_production_is_an_output(goal: str, reason: str) -> None:
    found = wording.output(goal)
    assert found is not None
    assert found.reason.startswith(reason)


@pytest.mark.parametrize("goal", NOT_NAMED_OUTPUTS + NOT_NAMED + IMPROVED_QUALITIES)
def test_a_state_a_metric_people_or_a_level_named_is_no_output(goal: str) -> None:
    assert wording.output(goal) is None

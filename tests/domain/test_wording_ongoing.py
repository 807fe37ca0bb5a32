"""A status quo held with no holding verb at the opening (issue 15, round 5): a light verb
whose complement holds, a thing kept in its state, a bar met every period, watching as
the goal, a safe state named; work records and properties of a thing are not."""

from __future__ import annotations

import pytest

from okrkit.domain import wording

HELD_WITHOUT_A_HOLDING_OPENING = [
    ("Enable the foundation to maintain reserves above $2M", "makes holding a level the goal"),
    ("Enable regional desks to keep replies under an hour", "makes holding a level the goal"),
    ("Keep the forum welcoming", "keeps a thing in the state it has"),
    ("Keeping volunteers informed and engaged", "keeps a thing in the state it has"),
    ("Keep the handbook user-friendly", "keeps a thing in the state it has"),
    ("Error budgets are met every sprint", "holds a bar met every period"),
    ("Weekly active teams is measured and reported monthly", "makes watching a metric"),
    ("Measure and communicate the impact of the grants", "makes watching a metric"),
    ("Customer payment data is well protected and secure", "names a safe state to hold"),
    ("The grants committee keeps funding local meetups", "carries on as before"),
]

CHANGE_OR_WORK_NOT_HELD = [
    "Make the billing page easier to maintain and add SEPA payments",
    "All support calls are tracked and reported in the CRM",
    "Enable the sales team to close 20 deals",
    "Start measuring twice and cutting once in code reviews",
    # round 6, decision 3: starting to measure makes measurement exist, new work
    "We start measuring a churn metric for self-serve plans",
]


@pytest.mark.parametrize(("goal", "reason"), HELD_WITHOUT_A_HOLDING_OPENING)
def test_a_state_held_with_no_holding_opening_is_a_status_quo(goal: str, reason: str) -> None:
    found = wording.status_quo(goal)
    assert found is not None
    assert found.reason.startswith(reason)


@pytest.mark.parametrize("goal", CHANGE_OR_WORK_NOT_HELD)
def test_work_records_or_a_property_of_a_thing_is_no_status_quo(goal: str) -> None:
    assert wording.status_quo(goal) is None


def test_a_light_verb_whose_complement_holds_is_no_output() -> None:
    assert wording.output("Enable the foundation to maintain reserves above $2M") is None


@pytest.mark.parametrize(
    ("goal", "reason"),
    [
        ("Number of invoices paid within terms", "names a metric to watch"),  # finance
        ("Weekly active workspaces", "names a metric to watch"),  # SaaS
        ("Offer acceptance rate among senior candidates", "names a metric to watch"),  # HR
        ("Percentage of permit applications filed online", "names a metric to watch"),  # public
        ("First-contact resolution rate", "names a metric to watch"),  # support
        ("Average number of volunteers per food drive", "names a metric to watch"),  # nonprofit
        ("Cloud cost", "names a metric to watch"),  # ops: a measure's name alone
        ("App load time", "names a metric to watch"),
        ("Net revenue retention", "names a metric to watch"),  # finance
        ("Employee engagement", "names a metric to watch"),  # HR
        ("Median time to resolution", "names a metric to watch"),  # support
        ("Paying customers", "names a metric to watch"),  # sales: people counted
        ("Page views per session", "names a metric to watch"),  # media
        ("Continuing to run the monthly donor breakfast", "carries on as before"),
        ("Continuing the weekly on-call handover", "carries on as before"),  # ops
    ],
)
def test_a_bare_metric_name_or_an_activity_carried_on_is_held(goal: str, reason: str) -> None:
    found = wording.status_quo(goal)
    assert found is not None
    assert found.reason.startswith(reason)


@pytest.mark.parametrize(
    "goal",
    [
        "Number of invoices paid within terms rises to 95 %",  # a level to reach
        "Increase the weekly active workspaces",  # a change asked for
        "Offer acceptance rate above 80 %",
        "Win rate doubles in the mid-market segment",  # sales
        "Define the first-contact resolution rate",  # work
        "Continuing to grow recurring donations",  # a change carried on
        "Launch a referral programme",
        "Deliver the release on time",  # work, with a bar
        "Faster load time",  # a change asked for
        "Net new ARR",  # an amount added
        "Address non-discretionary cost",  # work on a cost
        "Scale up pipeline and ARR",
        "New onboarding flow",  # a thing to make
        "Weekly newsletter",
    ],
)
def test_a_metric_with_a_level_a_change_or_work_is_no_status_quo(goal: str) -> None:
    assert wording.status_quo(goal) is None


@pytest.mark.parametrize(
    "key_result", ["Cloud cost", "Net revenue retention", "Time to first response", "NPS"]
)
def test_a_metric_s_name_is_no_output(key_result: str) -> None:
    assert wording.key_result_output(key_result) is None

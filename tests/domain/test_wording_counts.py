"""What a number counts (domain/wording_counts.py): a level of an outcome, or a tally of
the team's own work, which leaves a key result an output (OKR002)."""

from __future__ import annotations

import pytest

from okrkit.domain import wording
from okrkit.domain.wording_counts import counted_level, schedule, tally


@pytest.mark.parametrize(
    "goal",
    [
        # tallies of the team's own artefacts or activities
        "12 webinars for the partner channel",  # SaaS marketing
        "Eight postmortem write-ups in the runbook repo",  # ops
        "3 onboarding playbooks for new managers",  # HR
        "Discovery calls with 25 prospect accounts",  # sales: the calls are named
        "Four macros for the refund queue",  # support
        "Two board packs ready before each meeting",  # finance
        "Six town-hall sessions across the districts",  # public sector
        "Fundraising dinner with 200+ guests",  # nonprofit: the dinner is named
        "Read 24 novels",  # personal
        "Swim 3x/week for at least 40 minutes",  # personal schedule
        "Spend 2 hours every week on the side project",
        "45 mins of piano practice per day",
        "Meditate regularly for at least ten minutes",
    ],
)
def test_a_tally_of_the_team_s_own_work_is_no_level(goal: str) -> None:
    assert counted_level(goal) is None
    assert wording.key_result_output(goal) is not None


@pytest.mark.parametrize(
    ("goal", "reason"),
    [
        ("1,500 trial signups from the new pricing page", "counts other people"),  # SaaS
        ("300 attendees at the spring meetup", "counts other people"),  # community
        ("40 qualified leads from the partner webinars", "counts other people"),  # sales
        ("250 active households on the food bank app", "counts other people"),  # nonprofit
        ("12 municipalities on the shared permit portal", "counts other people"),  # public
        ("90 customers on the annual plan", "counts other people"),
        ("Tickets answered in 4 hours", "names a time"),  # support
        ("Month-end close in 5 days", "names a time"),  # finance
        ("Top 3 in the app store's finance category", "names a level"),
        ("Rated 4.6 out of 5 by hiring managers", "names a level"),  # HR
        ("Exports of 5 GB finish without a timeout", "names a level"),  # ops
        ("18 % of payroll questions self-served", "names a level"),
    ],
)
def test_a_number_of_others_money_time_or_a_share_is_a_level(goal: str, reason: str) -> None:
    found = counted_level(goal)
    assert found is not None
    assert found.reason.startswith(reason)
    assert wording.key_result_output(goal) is None


@pytest.mark.parametrize(
    ("goal", "held"),
    [
        ("Run 3x/week", True),
        ("Call two donors every Friday", True),
        ("Call two donors", False),
        ("Two donor calls a week", True),
        ("Post three times a month", True),
        ("Review the budget daily", True),
        ("Close the books in 5 days", False),
    ],
)
def test_a_schedule_is_so_much_so_often(goal: str, held: bool) -> None:
    assert schedule(goal) is held


def test_no_number_counts_nothing() -> None:
    assert counted_level("Partnerships with local schools") is None


@pytest.mark.parametrize(
    ("goal", "reason"),
    [
        ("Grow the template library to 200 templates", "counts the team's own work"),  # SaaS
        ("Expand the runbook set from 40 to 60 runbooks", "counts the team's own work"),  # ops
        ("Increase the course catalogue to 35 courses", "counts the team's own work"),  # HR
        ("Blog twice a month", "keeps a schedule"),  # marketing
        ("Cold outreach 5x/week", "keeps a schedule"),  # sales
        ("Cycle 3x/week", "keeps a schedule"),  # personal
        ("Litter picks every Saturday, 2 hours each", "keeps a schedule"),  # nonprofit
    ],
)
def test_a_tally_in_the_grammar_of_an_outcome_is_an_output(goal: str, reason: str) -> None:
    found = wording.key_result_output(goal)
    assert found is not None
    assert found.reason.startswith(reason)


@pytest.mark.parametrize(
    "goal",
    [
        "Grow paying teams to 400 teams",  # others counted
        "Increase signups to 900 signups a month",
        "Reduce open incidents to 3 incidents",  # fewer is a change in a level
        "Grow MRR 4% a month",  # a rate of change
        "Cut month-end close to 5 days",  # time
        "Answer donor emails within a day",  # a time bar, not a schedule
        "Average handle time per week under 6 minutes",  # a level
        "Increase first-call resolution to 80 %",  # a share
    ],
)
def test_others_time_shares_and_rates_of_change_are_no_tally(goal: str) -> None:
    assert wording.key_result_output(goal) is None


def test_things_done_by_others_are_counted_as_theirs() -> None:
    found = counted_level("200 modules completed by new managers")
    assert found is not None
    assert found.reason == "counts other people or what they do"


@pytest.mark.parametrize(
    "goal",
    [
        "Talk to 12 churned customers",  # SaaS
        "Meet with every regional ops lead",  # ops
        "Interview 30 candidates for the data team",  # HR
        "Discovery calls with 40 prospects",  # sales
        "3 customer interviews per week",  # support
        "Survey 200 suppliers on payment terms",  # finance
        "150 residents surveyed about the new bus routes",  # public sector
        "25 grantees coached on impact reporting",  # nonprofit
        "Call on two mentors a month",  # personal
    ],
)
def test_contact_with_people_counted_is_the_team_s_activity(goal: str) -> None:
    # some are outputs by an earlier reading already (an opening verb of doing)
    assert wording.key_result_output(goal) is not None
    assert tally(goal) is not None


@pytest.mark.parametrize(
    "goal",
    [
        "Leads contacted within 5 minutes",  # a time bar
        "Town hall meetings with residents lift attendance by 20 %",  # a change
        "Meet the hiring targets for Q3",  # a result
    ],
)
def test_contact_timed_changed_or_a_result_is_no_tally(goal: str) -> None:
    found = wording.key_result_output(goal)
    assert found is None or found.reason != "counts the team's contact with people"


@pytest.mark.parametrize(
    "goal",
    [
        "Increase the number of articles per visit from 2 to 3",  # media
        "Raise the number of lessons per learner to 6",  # education
        "Grow the number of orders per account by 15 %",  # sales
    ],
)
def test_a_number_of_things_per_unit_is_a_ratio_not_a_tally(goal: str) -> None:
    assert wording.key_result_output(goal) is None

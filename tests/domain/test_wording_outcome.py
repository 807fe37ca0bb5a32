"""The outcome reading and the key result's default (domain/wording_outcome.py): a key
result is an output unless it reads as an outcome."""

from __future__ import annotations

import pytest

from okrkit.domain import wording
from okrkit.domain import wording_lead as lead


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
        ("Releases ship on time every sprint", "sets a performance target"),
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


# Outcomes in the grammar of work, read before the output readings (wording_lead): one
# or more sentences of each kind, from the fields OKRs are written in.
@pytest.mark.parametrize(
    ("goal", "reason"),
    [
        # a measure named first
        ("Number of clinics that book online each week", "names an outcome first"),
        ("Average number of tickets reopened per agent", "names an outcome first"),
        ("Median number of days to close a grant report", "names an outcome first"),
        ("% of engineer time spent on unplanned work", "names an outcome first"),
        ("X% of invoices paid by card", "names an outcome first"),
        # a metric named by a compound whose first word could be a verb
        ("Deploy frequency of at least daily for every service", "names an outcome first"),
        ("Build time under 10 minutes on the main branch", "names an outcome first"),
        # what a group of others has done or does
        ("All sales managers have moved their forecasts into the CRM", "counts what others"),
        ("At least 5 partner agencies have published a case study", "counts what others"),
        ("Three partner teams use the new billing API", "counts what others"),
        ("Half of support agents use the new macros daily", "counts what others"),
        ("80% of new hires using the onboarding checklist", "counts what others"),
        ("Readers spend twice as long on the guides", "counts what others"),
        ("Every squad deploys without waiting for the platform team", "counts what others"),
        ("Users who finish onboarding invite a teammate in week one", "counts what others"),
        # none of a harm, as a level to reach
        ("Zero critical findings in the external pen test", "names an outcome first"),
        # a thing taken up by others, the verb and the people apart
        ("The docs site visited by 10k developers a month", "names an outcome first"),
        ("Our benchmark cited in two papers by outside researchers", "names an outcome first"),
        # people able to do a thing unaided
        ("Admins can set up SSO without contacting support", "others can do a thing unaided"),
        ("Residents are able to renew a permit on their own", "others can do a thing unaided"),
        # others enabled to reach a result
        ("Enable the support team to reach a CSAT of 4.5", "enables others to reach"),
        # money delivered or saved
        ("Deliver $400k in procurement savings", "delivers money earned or saved"),
        ("Generate €2M in new pipeline from partners", "delivers money earned or saved"),
        # a level aimed at
        ("Target a 15% cut in cloud spend", "aims at a level"),
        # a change whose target is a number of people
        ("Scale the mentoring programme to 300 active learners", "changes how many"),
        # a finish time (personal OKRs), not a time of day
        ("Swim 1500 m in a 28:30 time trial", "names an outcome first"),
        # a quality of the product stated
        ("The mobile app is reliable on low-end phones", "names an outcome first"),
        ("The exporter runs for 30 days without a crash", "names an outcome first"),
        # a compared state had
        ("Have a more diverse candidate pipeline", "names an outcome first"),
    ],
)
def test_an_outcome_in_the_grammar_of_work_is_read_first(goal: str, reason: str) -> None:
    found = lead.led_by_outcome(goal)
    assert found is not None
    assert found.reason.startswith(reason)
    assert wording.key_result_output(goal) is None


def test_a_task_joined_to_an_outcome_read_first_stays_an_output() -> None:
    mixed = "Three partner teams use the new billing API and write the migration guide"
    assert lead.led_by_outcome(mixed) is not None
    assert wording.key_result_output(mixed) is not None


@pytest.mark.parametrize(
    "goal",
    [
        # what people were given or had done to them is the team's work
        "Every employee has an annual training plan",
        "100% of managers are trained on the new review process",
        "20 reps have been trained on the new pitch",
        # finishing what the team set them is the reach of its rollout
        "All sales managers have completed the coaching course",
        # a capability shipped, with no independence measured
        "Users can export their reports as CSV",
        # a thing to make beside the outcome
        "Build a referral page and get 500 signups from partner teams",
        # a time of day is a habit, not a finish time
        "Wake up at 6:30 every weekday",
        # people who are the object of the team's work
        "Interview 3 customers who recently joined",
        # a made thing whose name holds a number
        "Create the 50K-user reference architecture",
    ],
)
def test_work_beside_those_kinds_is_not_read_first(goal: str) -> None:
    assert lead.led_by_outcome(goal) is None


def test_a_metric_changed_by_named_work_is_an_outcome() -> None:
    # The means names work, but the change is of a metric: the change is measured.
    assert wording.key_result_output("Cut first response time by automating triage") is None
    # With no metric, the work named as the means is what will be checked.
    assert wording.key_result_output("Improve onboarding by rewriting the setup guide")


def test_a_change_stated_with_a_plural_subject_is_an_outcome() -> None:
    assert wording.key_result_output("Support tickets about billing drop by half") is None


@pytest.mark.parametrize(
    "goal",
    ["Gain feedback from candidates on the hiring process", "Solicit direct input from tenants"],
)
def test_asking_for_feedback_is_the_team_s_activity(goal: str) -> None:
    found = wording.key_result_output(goal)
    assert found is not None
    assert found.words.split()[-1] in ("feedback", "input")


def test_a_feedback_score_is_a_level_not_an_activity() -> None:
    assert wording.key_result_output("Get a partner feedback score of 9/10") is None

"""The decision filter on the seeds' own examples: OKRs are OKRs, KPIs are KPIs."""

from __future__ import annotations

import pytest

from okrkit.domain.classify import Verdict, classify
from okrkit.domain.errors import InvalidInput

# Objectives and key results the seed articles give as OKRs.
SEED_OKRS = [
    # 000 "OKR vs KPI: A Product Manager's Guide to Driving Real Results"
    "Dominate the mobile user market.",
    "Increase mobile sign-ups from 500 to 2,000 per day.",
    "Achieve a 4.8+ app store rating.",
    "Revolutionize the user onboarding experience with AI.",
    "Reduce time-to-first-value from 5 minutes to under 30 seconds.",
    "Increase 7-day retention for new users from 20% to 40%.",
    "Successfully crack the enterprise market segment in Q3.",
    "Land 10 new enterprise logos with an ARR over $50k each.",
    "Achieve a Net Promoter Score (NPS) of 50+ with our first enterprise cohort.",
    "Transform User Stickiness and Reverse Early Churn",
    "Increase new user activation rate from 60% to 75% within their first 7 days.",
    'Reduce support tickets related to "feature confusion" by 40%.',
    "Ship two new high-value features identified from churn surveys and achieve a 20% "
    "adoption rate.",
    "Streamline Onboarding to Drive High-Value Conversions",
    "Increase setup wizard completion rate from 40% to 70%.",
    "Reduce time-to-first-key-action (like creating a task) from 8 minutes to 3 minutes.",
    "Lift the Trial-to-Paid Conversion Rate KPI from 12% back to 16%.",
    "Dramatically Improve Predictive Model Intelligence in Q3",
    "Increase the volume of high-quality, user-submitted training data by 30%.",
    "Increase search engagement by 40%, measured by searches that lead to a clicked result.",
    "Revolutionize user workflow with predictive AI",
    "Increase feature adoption by 40% by proactively suggesting the user's next action.",
    # 001 "OKRs vs KPIs" (overview, quick comparison)
    "Make onboarding so good that users don't need support",
    "Reduce support tickets from new users by 40%",
    "Increase onboarding completion rate from 60% to 80%",
    "Achieve Day-7 retention of 50% for new cohorts",
    # 002 "OKR vs KPI for analysts and PMs"
    "Make onboarding feel obvious to a first-time user.",
    "Lift Day 1 retention from 30% to 45%",
    "Make repeat purchase the default behavior.",
    "90-day repurchase rate from 20% to 30%",
    "Orders per buyer from 1.3 to 1.8",
    "Make the product feel essential to the user's weekly workflow.",
    "Day 7 retention from 20% to 35%",
    "Landing page conversion from 3% to 6%",
    # 003 "OKR vs. KPI: What's the difference?"
    "Improve product activation experience",
    "Increase activation rate from 35 percent to 50 percent",
    "Reduce time to first value from five days to two days",
    "Improve onboarding completion rate from 60 percent to 80 percent",
    "Improve website-driven signup growth with stronger conversion quality",
    "Increase the website sign-up conversion rate from 2.2 percent to 3.2 percent",
    "Increase qualified signups from 1,200 per month to 1,800 per month",
    "Reduce cost per signup from 18 dollars to 14 dollars",
    "Improve onboarding and activation experience for new users",
    "Increase week one retention from 28 percent to 38 percent",
    # 004 "OKR vs KPI: The Manager's Guide to Choosing Right"
    "Improve onboarding for new customers",
    "New customer onboarding needs a major improvement this quarter",
]

# Metrics the seed articles give as KPIs (and KPIs they say were dressed up as OKRs).
SEED_KPIS = [
    # 000
    "Monthly Recurring Revenue (MRR)",
    "Customer Churn Rate",
    "model inference latency",
    "Increase Daily Active Users (DAU) by 5% month-over-month.",
    "Daily Active Users (DAU)",
    # 001
    "Customer churn rate",
    "Net Promoter Score (NPS)",
    "DAU/MAU ratio",
    "P95 API response time",
    "Our OKR is to maintain 99.9% uptime.",
    # 002
    "DAU 50,000",
    "Day 7 retention 25%",
    "CAC (blended) < $40",
    "ARPU $4.50 / month",
    "First response time < 2 hours",
    "API p99 latency < 250 ms",
    "DAU above 50,000",
    "cart-to-checkout conversion above 45%",
    "median delivery time below 2 days",
    "NPS above +45",
    "OKR: DAU = 100,000",
    # 003
    "Website to sign-up conversion rate",
    "Cost per signup",
    "Qualified signups per month",
    "Organic traffic growth rate",
    "Activation rate",
    "Time to first value",
    "Week one retention rate",
    "Early churn rate",
    "Support tickets per active user",
    # 004
    "Revenue growth",
    "Customer churn",
    "Ticket response time",
    "Quality scores",
    "Sales pipeline coverage",
]

# Outputs the seeds call tasks, not outcomes.
SEED_OUTPUTS = [
    "Launch the new AI-powered search feature.",
    "Launch feature X",
    "Ship the new landing page",
    "Launch training deck",
]


@pytest.mark.parametrize("goal", SEED_OKRS)
def test_seed_okrs_are_okrs(goal):
    result = classify(goal)
    assert result.verdict is Verdict.OKR, result.reasons


@pytest.mark.parametrize("goal", SEED_KPIS)
def test_seed_kpis_are_kpis(goal):
    result = classify(goal)
    assert result.verdict is Verdict.KPI, result.reasons


@pytest.mark.parametrize("goal", SEED_OUTPUTS)
def test_seed_outputs_are_initiatives_with_an_outcome_to_measure(goal):
    result = classify(goal)
    assert result.verdict is Verdict.INITIATIVE, result.reasons
    assert "so what?" in result.suggestion
    assert "initiative" in result.suggestion


def test_reasons_name_the_deciding_words():
    assert "'maintain'" in classify("Our OKR is to maintain 99.9% uptime.").reasons[0]
    assert "'launch'" in classify("Launch the new AI-powered search feature.").reasons[0]
    assert (
        "from 12% back to"
        in classify("Lift the Trial-to-Paid Conversion Rate KPI from 12% back to 16%.").reasons[0]
    )
    assert "'month-over-month'" in classify("Increase DAU by 5% month-over-month").reasons[0]


def test_an_outcome_that_starts_with_a_verb_is_not_an_output():
    assert classify("Generate 500 qualified leads").verdict is Verdict.OKR


def test_an_output_stated_as_done_is_an_initiative():
    assert classify("The new search is live").verdict is Verdict.INITIATIVE
    assert classify("Handbook describes the process").verdict is Verdict.INITIATIVE


def test_an_output_names_what_it_is_about_after_its_verb_or_as_stated():
    opened = classify("Fully automate the QA process")
    assert opened.verdict is Verdict.INITIATIVE
    assert "measure what 'the QA process' should change" in opened.suggestion
    stated = classify("The export API exists and is documented")
    assert stated.verdict is Verdict.INITIATIVE
    assert "measure what 'The export API exists and is documented'" in stated.suggestion


def test_an_empty_goal_is_bad_input():
    with pytest.raises(InvalidInput, match="empty"):
        classify("   ")


@pytest.mark.parametrize(
    "goal",
    ["Retain our enterprise customers", "Don't release any new bugs", "Have zero regressions"],
)
def test_a_level_held_is_a_kpi_whatever_its_verb(goal):
    assert classify(goal).verdict is Verdict.KPI


@pytest.mark.parametrize(
    "goal",
    [
        "Reduce churn to no more than 2% by Q4",
        "Ensure every new customer completes onboarding in their first week",
    ],
)
def test_a_change_asked_for_is_an_okr_even_with_a_ceiling_or_ensure(goal):
    assert classify(goal).verdict is Verdict.OKR


@pytest.mark.parametrize(
    "goal", ["Keep improving activation", "Continue to grow revenue 5% a month"]
)
def test_a_change_carried_on_is_an_okr_not_a_kpi(goal: str) -> None:
    verdict = classify(goal)
    assert verdict.verdict is Verdict.OKR
    assert "carries on a change" in verdict.reasons[0]


@pytest.mark.parametrize(
    "goal",
    ["Three partner teams use the new billing API", "Deliver $400k in procurement savings"],
)
def test_an_outcome_in_the_grammar_of_work_is_an_okr_and_says_why(goal: str) -> None:
    answer = classify(goal)
    assert answer.verdict is Verdict.OKR
    assert "an outcome to reach, not work to do" in answer.reasons[0]


def test_a_task_joined_to_an_outcome_in_the_grammar_of_work_is_an_initiative() -> None:
    goal = "Three partner teams use the new billing API and write the migration guide"
    assert classify(goal).verdict is Verdict.INITIATIVE


@pytest.mark.parametrize(
    "goal", ["Grow the template library to 200 templates", "Cold outreach 5x/week"]
)
def test_a_tally_of_the_team_s_own_work_is_an_initiative_as_okr002_reads_it(goal: str) -> None:
    answer = classify(goal)
    assert answer.verdict is Verdict.INITIATIVE
    assert "an output, not an outcome" in answer.reasons[0]


def test_a_bare_metric_name_is_a_kpi_as_okr006_reads_it() -> None:
    answer = classify("Weekly active workspaces")
    assert answer.verdict is Verdict.KPI
    assert "names a metric to watch" in answer.reasons[0]

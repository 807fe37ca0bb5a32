"""The wording readings (domain/wording.py) on the issue's examples, and the corpus bench
that measures them (bench/lint_quality.py) on both of its parts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from okrkit.domain import wording

BENCH = Path(__file__).resolve().parents[2] / "bench" / "lint_quality.py"

# The seeds' one question: a change asked for is not a KPI dressed as an OKR, even with
# a rate, "ensure" or "no more than" in it.
CHANGES = [
    "Grow MRR 5 % month over month",
    "Ensure every new customer completes onboarding in their first week",
    "Reduce churn to no more than 2 %",
    "Reduce churn to no more than 2 % by Q4",
    "Bring production exceptions down to 0",
    "Increase API uptime from 99.2% to 99.95%",
    "Reduce order fulfillment cycle time from 4.2 days to 2.8 days while maintaining a 99.1% "
    "accuracy rate",
    "99% uptime",
    "Resolve 95% of Tier-2 support tickets in under 24 hours",
    "Identify the top 3 reasons potential customers do not sign",
    "Add and retain 5 members to the Community Committee",
    "Rebuild the handbook and keep it up-to-date",
    # a guardrail beside the change is not the goal; a bar to reach is a destination
    "Reach 1,000 paying customers while keeping churn under 3%",
    "Get to zero flaky tests",
    "Fewer than 5 customer-reported bugs per release",
    "Cut p95 latency to under 300 ms",
]
# A level held: the status quo, whatever the verb.
HELD = [
    ("Retain our enterprise customers", "Retain"),
    ("Don't release any new bugs", "Don't release"),
    ("Maintain 99.9% uptime", "Maintain"),
    ("Keep CSAT above 90%", "Keep"),
    ("Continue doing X", "Continue"),
    ("Have zero regressions in Q3", "zero regressions"),
    ("Avoid any downtime during the migration", "Avoid any"),
    (
        "No regression should exist in production for more than one business day",
        "No regression should",
    ),
    ("Track and report on Average Resolution Time", "Track"),
    ("Activation rate from 35% to 35%", "from 35% to 35%"),
    ("DAU = 100,000", "DAU = 100,000"),
    # a level held over a whole period or at today's value, more harms held at zero,
    # "never let", "does not fall below", a named metric watched
    ("Error rate stays below 1% throughout the quarter", "stays"),
    ("< 1% error rate on every endpoint throughout 2027", "throughout"),
    ("Uptime of 99.9% at all times", "at all times"),
    ("Churn no higher than today's 3%", "no higher than today's"),
    ("Zero failed deployments", "Zero failed deployments"),
    ("Never let the backlog exceed 50 tickets", "Never let"),
    ("Track and report monthly active users", "Track"),
    ("Keep the lights on", "Keep"),
    ("Keep support response times where they are", "Keep"),
    ("Stay #1 in the app store", "Stay"),
    ("Ensure uptime does not fall below 99.9%", "does not fall below"),
]


@pytest.mark.parametrize("goal", CHANGES)
def test_a_change_asked_for_is_not_a_kpi_dressed_as_an_okr(goal: str) -> None:
    assert wording.status_quo(goal) is None


@pytest.mark.parametrize(("goal", "words"), HELD)
def test_a_level_held_is_a_kpi_dressed_as_an_okr_and_says_which_words(
    goal: str, words: str
) -> None:
    found = wording.status_quo(goal)
    assert found is not None
    assert found.words == words


# OKR002 read by grammar: each output with the words that decide it. The cases are
# written for the rule, in the shapes new OKR lists use, not copied from the corpus.
OUTPUTS = [
    # an opening verb of making or doing, listed or known by its place before an article
    ("Negotiate a new contract with our cloud provider", "negotiate"),
    ("Prioritize the top 5 customer-reported bugs", "prioritize"),
    ("A/B test the pricing page headline", "a/b test"),
    ("Fine tune the alert thresholds for one hour weekly", "fine tune"),
    ("Pay down the tech debt in the payments module", "pay down"),
    ("Modernize the billing stack", "modernize"),
    ("Release v2.0 of the SDK", "release"),
    # a deliverable stated as done, existing, held or out
    ("The pricing page is redesigned", "is redesigned"),
    ("Each feature on the roadmap is linked to a product brief", "is linked"),
    ("Customer data is encrypted at rest", "is encrypted"),
    ("6 customer workshops held", "6 customer workshops held"),
    ("90% of services migrated to Kubernetes", "90% of services migrated"),
    ("Updated 30 how-to articles in the help centre", "Updated"),
    ("Hosted a meetup for the Berlin community", "Hosted"),
    ("The export API exists and is documented", "is documented"),
    ("Usage examples exist for every module", "Usage examples exist"),
    ("The importer has a dry-run mode", "has a dry-run mode"),
    ("The GraphQL gateway has a v1 spec", "has a v1 spec"),
    (
        "The search service doesn't have any hard-coded credentials",
        "doesn't have any hard-coded credentials",
    ),
    ("Have a written incident response plan", "Have a written"),
    ("Dark mode available on iOS and Android", "available"),
    ("Offline mode ships in the Android app", "ships"),
    # a new capability of a product
    ("The new billing service supports annual plans", "supports"),
    ("The CLI learns to resume interrupted uploads", "learns to"),
    ("The HTTP client supports request retries", "supports"),
    ("Applicants can download their W-2 form from the portal", "can"),
    ("The app works offline", "works offline"),
    # a document holding what it should; the team's own work; a named deliverable
    ("This onboarding brief defines the first-week checklist", "This onboarding brief defines"),
    ("The team runs a retrospective every sprint", "The team runs"),
    ("Every squad publishes a monthly update", "Every squad publishes"),
    ("Migration of the billing database to Postgres", "Migration"),
    ("Proof of concept for offline sync", "Proof of concept"),
]
# Outcomes: a change in a level, a share of people doing something, what others do,
# a statistic of the work, a direction — whatever the sentence's shape.
OUTCOMES = [
    "Onboarding has improved significantly",
    "Search has faster response times",
    "The mobile app has 10,000 daily active users",
    "Support team has fewer escalations",
    "Our product has a loyal user base",
    "Have a healthy pipeline",
    "The feature is used by 30% of users",
    "Dashboards are viewed by 80% of managers",
    "Users are engaged",
    "Our platform offers the lowest price in the market",
    "Search works well for 90% of queries",
    "Customer complaints decrease",
    "Support calls go down",
    "Support tickets about billing down by half",
    "Half of new users complete the tutorial",
    "Customers complete setup in under 10 minutes",
    "More teams use the reporting dashboard every week",
    "Developers adopt the new API",
    "Each customer completes onboarding in their first week",
    "The new API is adopted by 5 teams",
    "Upgrade adoption at 80%",
    "Measure the share of customers who renew",
    "Track the percentage of users that invite a teammate",
    "Average of 4 interviews per hire",
    "Average time to complete the form drops below 15 minutes",
    "Onboarding checklist milestones reached",
    "Delight our first enterprise customers",
    "Become the default tool for data teams",
    "Simplify the complexity of filing a claim",
]


# Third round: outputs read by the sentence's structure — the doer (the team, its
# tooling), a passive of doing (modal too, a share of things), a noun phrase's head, a
# task joined by "and" — with general sentences of our own, not corpus texts.
STRUCTURED_OUTPUTS = [
    ("Terraform provisions every staging cluster", "Terraform provisions"),
    ("The nightly build server runs our integration tests", "The nightly build server runs"),
    ("The platform team document all alert routes", "The platform team document"),
    (
        "Support engineers should draft a runbook for each paging alert",
        "Support engineers should draft",
    ),
    ("Every on-call rotation will be documented in the wiki", "will be documented"),
    ("All legacy cron jobs to be migrated to the scheduler", "to be migrated"),
    ("90% of open security findings are remediated", "are remediated"),
    ("Payment retries are well documented and tested", "are well documented"),
    ("Three edge proxies are rebuilt on the new image", "are rebuilt"),
    ("A migration plan for the billing database", "plan"),
    ("Cost analysis of the 2025 cloud bill", "analysis"),
    ("Every squad has a written incident playbook", "Every squad has a written"),
    ("Upgrade/Patch all public load balancers", "upgrade"),
    ("Cut cloud spend by 10% and consolidate the logging clusters", "consolidate"),
    ("Grow published tutorials from 12 to 40", "Grow published tutorials"),
    ("Search service in production", "in production"),
    ("Make checkout simpler by automating refunds", "by automating"),
    (
        "All engineering managers complete the new incident course",
        "All engineering managers complete the new incident course",
    ),
]
# The same shapes when they state how well, fewer of a harm, others' doing or a metric.
STRUCTURED_OUTCOMES = [
    "Reduce the number of flaky tests per release",
    "Run the smoke suite in under 3 minutes",
    "Operate the payments API more cheaply",
    "Onboard 40 new partner organizations",
    "Close 90% of support requests within x hours",
    "Patch releases take 2 hours end to end",
    "The recommendation engine provides faster and more relevant results",
    "Improve trial conversion on pricing pages by 8%",
    "Median of 3 reviews per pull request",
    "Spend within 5% of plan",
    "Increase trial activation by 15% by redesigning the setup wizard",
    "Every customer completes the setup course in their first week",
]


@pytest.mark.parametrize(("goal", "words"), OUTPUTS + STRUCTURED_OUTPUTS)
def test_an_output_is_read_by_grammar_and_says_which_words(goal: str, words: str) -> None:
    found = wording.output(goal)
    assert found is not None
    assert found.words == words


@pytest.mark.parametrize("goal", OUTCOMES + STRUCTURED_OUTCOMES)
def test_an_outcome_is_not_an_output_whatever_its_shape(goal: str) -> None:
    assert wording.output(goal) is None


def test_a_bar_in_a_purpose_clause_does_not_undo_the_work_that_opens_the_sentence() -> None:
    goal = "Build a load shedder to ensure error rates remain under 1%"
    assert wording.output(goal) == wording.Evidence("starts with an activity", "build")
    assert wording.output("Keep error rates under 1% to ensure a good experience") is None


@pytest.mark.parametrize(
    ("goal", "words"),
    [
        ("Checkout availability consistently above 99.9%", "consistently"),
        ("Ticket backlog is at 40", "is at 40"),
        ("Nobody on the crew gets hurt", "Nobody"),
        ("Data quality is maintained at current levels", "is maintained"),
        ("Latency and saturation are monitored weekly", "are monitored"),
    ],
)
def test_a_level_held_is_read_from_its_structure(goal: str, words: str) -> None:
    found = wording.status_quo(goal)
    assert found is not None
    assert words in found.words


@pytest.mark.parametrize(
    "goal",
    [
        "Maintain and upgrade the build farm",
        "Finish the audit with 30% of the budget remaining",
        "Migrate all tenants to the new region with zero downtime",
        "Hire 5 engineers throughout 2026",
    ],
)
def test_work_a_leftover_or_a_bar_beside_the_work_is_no_status_quo(goal: str) -> None:
    assert wording.status_quo(goal) is None


@pytest.mark.parametrize("code", ["1095-B", "W-2", "ISO-27001", "COVID-19"])
def test_a_form_or_standard_code_is_not_a_number(code: str) -> None:
    assert wording.numbers_in(f"Make filing form {code} effortless") is None


def test_an_amount_with_a_letter_is_still_a_number() -> None:
    found = wording.numbers_in("Grow to 10-K weekly users")
    assert found is not None


# Ordinals and names, periods and arrows are not metric targets; amounts, ceilings and
# durations of the work are.
NOT_TARGETS = [
    "Deliver Phase 2 of the billing rewrite",
    "Finish phases 2 and 3 of the data platform",
    "Open the partner API to 3rd parties",
    "Become the 1st choice for student teams",
    "Prepare for the Series B round",
    "Build an ops team that carries us through the next 18 months",
    "Grow the community over 12 months",
    "In 90 days, become the default editor for analysts",
    "Cut the lead time (idea > design > review > release)",
    "Shorten the path from signup -> first report",
]
TARGETS = [
    "Grow revenue 20% in 6 months",
    "Close the books in 10 days",
    "Keep NPS > 50",
    "Enter 3 new markets",
    "Reduce receivables past 60 days due",
]


@pytest.mark.parametrize("goal", NOT_TARGETS)
def test_an_ordinal_a_name_a_period_or_an_arrow_is_not_a_metric_target(goal: str) -> None:
    assert wording.numbers_in(goal) is None


@pytest.mark.parametrize("goal", TARGETS)
def test_an_amount_a_comparison_or_a_duration_of_the_work_is_a_target(goal: str) -> None:
    assert wording.numbers_in(goal) is not None


# OKR002: a gerund that takes an object names the work; one
# before a bare noun is an adjective. General sentences, not corpus texts.
@pytest.mark.parametrize(
    ("goal", "words"),
    [
        ("Launching of the new mentoring programme", "Launching"),
        ("Starting the weekly office hours for contributors", "Starting"),
        ("Hiring: two backend engineers", "Hiring"),
        ("Determine the pricing model for the API tier", "determine"),
        ("Collaborate with the data team on a churn dashboard", "collaborate"),
        ("Accessibility testing of the checkout flow", "testing"),
        ("A pricing study for the self-serve tier", "study"),
    ],
)
def test_work_named_by_a_gerund_or_a_verb_of_deciding_is_an_output(goal: str, words: str) -> None:
    found = wording.output(goal)
    assert found is not None
    assert found.words == words


@pytest.mark.parametrize(
    "goal",
    [
        "Hiring managers report smoother onboarding",
        "Engineering efficiency",
        "Onboarding 40 new partner organizations",
    ],
)
def test_a_gerund_as_an_adjective_or_over_customers_is_no_output(goal: str) -> None:
    assert wording.output(goal) is None


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("lint_quality", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lint_quality"] = module
    spec.loader.exec_module(module)
    return module


def _claimed(part: str) -> dict[str, int]:
    """The positives a part's labels hold."""
    items = _bench().items_of(part)
    return {
        "OKR001": sum(1 for i in items if i["kind"] == "objective" and i["numbers"]),
        "OKR002": sum(1 for i in items if i["kind"] == "key_result" and i["output"]),
        "OKR006": sum(1 for i in items if i["kpi_dressed"]),
    }


@pytest.mark.parametrize("part", ["tune", "measure"])
def test_the_bench_scores_each_part_and_each_part_has_its_positives(part: str) -> None:
    bench = _bench()
    results = bench.evaluate(part)
    assert set(results) == {"OKR001", "OKR002", "OKR006"}
    claimed = _claimed(part)
    for code, (ours, naive) in results.items():
        assert ours.positives == naive.positives == claimed[code]
        assert 0.0 <= ours.precision <= 1.0
        assert 0.0 <= ours.recall <= 1.0
    assert claimed["OKR002"] >= 40
    assert claimed["OKR006"] >= 10
    # Objectives with numbers are rare in real OKR documents: round 7's part has 1.
    assert claimed["OKR001"] >= 1


def test_the_two_parts_share_no_item_and_no_cited_document() -> None:
    bench = _bench()
    tune = bench.items_of("tune")
    measure = bench.items_of("measure")
    assert not {i["text"] for i in tune} & {i["text"] for i in measure}
    assert not {i["source"] for i in tune} & {i["source"] for i in measure}


def test_the_aside_fifth_is_fixed_and_shares_no_item_with_tune() -> None:
    bench = _bench()
    tune = bench.items_of("tune")
    aside = bench.items_of("aside")
    newest = bench.yaml.safe_load(bench.ASIDE_FILE.read_text())["items"]
    assert len(aside) == round(len(newest) / 5)
    assert not {i["text"] for i in tune} & {i["text"] for i in aside}
    assert len(tune) + len(aside) == sum(len(bench._load(p)) for p in bench.PARTS["tune"])
    assert bench.aside_positions(len(newest)) == bench.aside_positions(len(newest))
    assert [i["text"] for i in bench.items_of("aside")] == [i["text"] for i in aside]


def test_the_second_labelling_covers_items_of_the_corpus_and_is_compared() -> None:
    bench = _bench()
    second = bench._load(bench.SECOND_LABELS)
    corpus = {i["text"] for part in bench.PARTS for i in bench.items_of(part)}
    assert len(second) >= 400
    assert {i["text"] for i in second} <= corpus
    found = {a.label: a for a in bench.agreement()}
    assert set(found) == {"numbers", "output", "kpi_dressed"}
    for a in found.values():
        assert a.items > 0
        assert 0.0 <= a.agreed <= 1.0
        assert -1.0 <= a.kappa <= 1.0

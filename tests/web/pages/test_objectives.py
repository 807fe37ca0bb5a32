"""An objective's page as a person reads it, on both databases: what it is and aligns to,
its progress and pace, a card per key result with its figures and units, pace and
forecast in words, chart, KPI, check-in history and initiatives, the linter's advice;
activating a draft and carrying an objective over; a missing one said in words."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from okrkit.domain.cycles import CycleState
from okrkit.domain.forecast import forecast
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus
from okrkit.interfaces.web.charts.key_results import chance_words
from okrkit.services.check_ins import RecordCheckIn, record_check_in
from okrkit.services.cycles import CreateCycle, create_cycle
from okrkit.services.initiatives import AddInitiative, add_initiative
from okrkit.services.key_results import EditKeyResult, edit_key_result
from okrkit.services.objectives import (
    CreateObjective,
    ScoreObjective,
    create_objective,
    score_objective,
)
from okrkit.services.ports import UnitOfWork
from tests.support import okrs
from tests.support.actors import as_actor
from tests.web.pages.helpers import element, get, text_of

PAGE = "/objectives/streamline-onboarding"


def ids(uow: UnitOfWork) -> dict[str, int]:
    """The key results of the onboarding objective, by a short name."""
    with uow:
        krs = uow.key_results.of(["streamline-onboarding"])["streamline-onboarding"]
    names = ("wizard", "first_action", "conversion", "tickets")
    return dict(zip(names, (k.id for k in krs), strict=True))


def card(markup: str, kr: int) -> str:
    """A key result's card: the element with id="kr-{id}"."""
    return element(markup, "article", f'id="kr-{kr}"')


def test_the_page_says_what_the_objective_is_and_what_it_aligns_to(okr_client):
    page = get(okr_client, PAGE)
    words = text_of(page)
    assert "Streamline onboarding to drive high-value conversions" in words
    assert '<a href="/teams/growth">Growth</a>' in page
    assert '<a href="/cycles/2026-Q3">2026-Q3</a>' in page
    assert "Cycle 2026-Q3 , 1 Jul to 30 Sep 2026 (active)" in words
    assert "Owner maya@example.com" in words
    assert "Type Aspirational: a stretch. A score of 0.7 is success" in words
    assert "Status Active" in words
    assert '<a href="/objectives/grow-paying-customers">Grow paying customers profitably</a>' in (
        page
    )
    assert "No objective aligns to this one yet." in words
    # The company objective: aligned under it, and its North Star with its status.
    company = get(okr_client, "/objectives/grow-paying-customers")
    assert (
        '<a href="/objectives/streamline-onboarding">Streamline onboarding to drive high-value '
        "conversions</a>"
    ) in company
    assert '<a href="/kpis/dau">Daily active users</a>' in company
    assert "Type Committed: a promise. Anything under 1.0" in text_of(company)


def test_progress_and_pace_are_in_words_beside_the_bar(okr_client):
    section = element(get(okr_client, PAGE), "section", 'aria-labelledby="progress-title"')
    words = text_of(section)
    # Wizard 60 % and first action 60 % (weight 2) and conversion 35 %: (60 + 120 + 35) / 4.
    assert "54 % of 46 % expected" in words
    assert "On track" in words
    assert 'aria-label="Objective progress: 54 %, 46 % expected by now"' in section
    assert "Check-in due" in words  # the conversion key result has none in the last week


def test_a_key_result_card_reads_with_units_dates_pace_and_forecast(okr_client, uow):
    kr = ids(uow)
    # A week that fell short: the check-ins no longer lie on a line.
    record_check_in(
        uow, RecordCheckIn(kr["wizard"], 56, 7, "dip after the release"), as_actor("noah"), okrs.NOW
    )
    page = get(okr_client, PAGE)
    words = text_of(card(page, kr["wizard"]))
    assert "Increase setup wizard completion rate from 40% to 70%" in words
    assert "start 40 % → now 56 % → target 70 %" in words
    assert "53 % of 46 % expected" in words  # (56 − 40) / 30
    assert "Owner noah@example.com" in words
    assert "Deadline 30 Sep 2026" in words
    assert "Weight 1" in words
    assert "Measured as A number, in percent" in words
    # The forecast, computed as the rule says, in words.
    times = [datetime(2026, 7, 5) + timedelta(weeks=w) for w in range(6)]
    values = [43.0, 46.0, 49.0, 52.0, 55.0, 58.0]
    f = forecast(
        [*times, okrs.NOW], [*values, 56.0], deadline=date(2026, 9, 30), start=40, target=70
    )
    assert f.forecast is not None
    assert f.lower is not None
    assert f.upper is not None
    assert f.probability is not None
    sentence = (
        f"Forecast {round(f.forecast, 1):g} % (95 % interval {round(f.lower, 1):g}–"
        f"{round(f.upper, 1):g} %) by 30 Sep; {chance_words(f.probability)} chance of reaching "
        "70 %."
    )
    assert sentence in words
    assert "On track on course to reach its target by the deadline" in words
    # Last week's value in view, beside the latest.
    assert "Latest check-in 56 % on 12 Aug, confidence 7/10" in words
    assert "Check-in before 58 % on 9 Aug, confidence 6/10" in words
    assert "Confidence 7/10 ↑ up" in words
    assert f'href="/key-results/{kr["wizard"]}/check-in"' in card(page, kr["wizard"])


def test_the_check_in_history_is_newest_first_with_notes_and_authors(okr_client, uow):
    kr = ids(uow)
    table = element(card(get(okr_client, PAGE), kr["wizard"]), "table", 'class="op-history"')
    words = text_of(table)
    assert "6 check-ins, newest first" in words
    assert words.index("9 Aug 58 % +3 pp 6/10 week 6 noah@example.com") < words.index(
        "2 Aug 55 % +3 pp 6/10 week 5 noah@example.com"
    )
    assert "5 Jul 43 % — 6/10 week 1 noah@example.com" in words
    first = text_of(element(card(get(okr_client, PAGE), kr["first_action"]), "table", "op-history"))
    assert "9 Aug 5 min −0.5 min 5/10" in first


def test_a_kpi_fed_key_result_shows_the_kpi_s_status_and_links_to_it(okr_client, uow):
    kr = ids(uow)
    markup = card(get(okr_client, PAGE), kr["conversion"])
    words = text_of(markup)
    assert '<a href="/kpis/trial_to_paid">Trial-to-paid conversion rate</a>' in markup
    assert "Yellow 13.4% is between the red bound 12.0% and the green bound 15.0%" in words
    assert "its current value is the KPI's newest value" in words
    assert "start 12 % → now 13.4 % → target 16 %" in words
    assert "At risk" in words
    assert "6 values of KPI trial_to_paid from 5 Jul to 9 Aug" in words


def test_a_guardrail_says_whether_it_holds(okr_client, uow):
    kr = ids(uow)
    words = text_of(card(get(okr_client, PAGE), kr["tickets"]))
    assert "Guardrail" in words
    assert "Holding: 4.5 is no worse than its start, 5" in words
    assert "A guardrail: it must not get worse than its start, 5." in words
    assert "Forecast" not in words


def test_every_numeric_key_result_has_its_chart_and_summary_embedded(okr_client, uow):
    kr = ids(uow)
    page = get(okr_client, PAGE)
    assert re.search(r'<script defer src="/static/vendor/vega-bundle\.js\?v=\w+"></script>', page)
    for name, kr_id in kr.items():
        markup = card(page, kr_id)
        assert f'data-spec="kr-{kr_id}-spec"' in markup, name
        script = element(markup, "script", f'id="kr-{kr_id}-spec"')
        spec = json.loads(script.split(">", 1)[1].removesuffix("</script>"))
        caption = text_of(element(markup, "figcaption", f'id="kr-{kr_id}-summary"'))
        assert " ".join(spec["description"].split()) == caption
        (points,) = [
            layer["data"]["values"]
            for group in spec["layer"]
            for layer in (group, *group.get("layer", ()))
            if layer.get("data", {}).get("name") == "points"
        ]
        assert len(points) == 6, name
    wizard = text_of(element(page, "figcaption", f'id="kr-{kr["wizard"]}-summary"'))
    assert wizard.startswith("6 check-ins from 5 Jul to 9 Aug, from 43 % to 58 %.")


def test_a_recalibrated_target_shows_the_original_and_the_reason(okr_client, uow):
    kr = ids(uow)
    edit_key_result(
        uow,
        EditKeyResult(kr["wizard"], 1, {"target": 75.0}, "the new wizard ships early"),
        as_actor("maya"),
        okrs.NOW,
    )
    words = text_of(card(get(okr_client, PAGE), kr["wizard"]))
    assert "Target recalibrated from 70 % to 75 %: the new wizard ships early" in words
    assert "start 40 % → now 58 % → target 75 %" in words
    assert "The original target was 70 %." in words


def test_initiatives_are_listed_with_their_tracker_and_an_add_form(okr_client, uow):
    kr = ids(uow)
    add_initiative(
        uow,
        AddInitiative(kr["wizard"], "Ship the new setup wizard", url="https://tracker.example/42"),
        as_actor("maya"),
        okrs.NOW,
    )
    markup = card(get(okr_client, PAGE), kr["wizard"])
    words = text_of(markup)
    assert "Ship the new setup wizard · Planned" in words
    assert '<a href="https://tracker.example/42" rel="noopener noreferrer">tracked here' in markup
    form = element(markup, "form", f'action="/key-results/{kr["wizard"]}/initiatives"')
    assert 'name="title"' in form
    assert 'name="status"' in form
    assert 'name="url"' in form
    assert "No initiatives yet" in text_of(card(get(okr_client, PAGE), kr["tickets"]))


def test_the_linter_s_advice_is_on_the_page(okr_client):
    advice = text_of(
        element(get(okr_client, "/objectives/grow-paying-customers"), "section", 'id="advice"')
    )
    assert "OKR004 Objective 'Grow paying customers profitably' has 1 key result" in advice
    assert "How: add measurable outcomes that would prove the objective is achieved." in advice


def test_an_objective_that_does_not_exist_is_said_in_words(okr_client):
    words = text_of(get(okr_client, "/objectives/nope", 404))
    assert "Not found" in words
    assert "No objective 'nope'." in words


def _draft(uow: UnitOfWork) -> None:
    create_objective(
        uow,
        CreateObjective(
            Objective("lift-activation", "Make activation effortless", "2026-Q3", "growth"),
            (KeyResultDefinition("Lift activation from 20% to 30%", start=20, target=30),),
            ObjectiveStatus.DRAFT,
        ),
        as_actor("alerts"),
        okrs.NOW,
    )


def test_a_draft_is_activated_by_a_person(okr_client, uow):
    _draft(uow)
    page = get(okr_client, "/objectives/lift-activation")
    assert "Status Draft: waiting for a person to activate it" in text_of(page)
    form = element(page, "form", 'action="/objectives/lift-activation/activate"')
    assert 'name="version" value="1"' in form
    answer = okr_client.post("/objectives/lift-activation/activate", data={"version": "1"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/objectives/lift-activation?notice=activated"
    words = text_of(get(okr_client, answer.headers["location"]))
    assert "Objective activated" in words
    assert "Status Active" in words
    again = text_of(get(okr_client, "/objectives/lift-activation", 200))
    assert "Activate" not in again.split("Progress")[0]


def test_activating_refuses_a_stale_version_or_an_active_objective_in_words(okr_client, uow):
    _draft(uow)
    stale = okr_client.post("/objectives/lift-activation/activate", data={"version": "9"})
    assert stale.status_code == 409
    assert "Changed meanwhile" in text_of(stale.text)
    active = okr_client.post("/objectives/streamline-onboarding/activate", data={"version": "1"})
    assert active.status_code == 422
    assert "it cannot become active" in text_of(active.text)


@pytest.fixture
def next_quarter(uow: UnitOfWork) -> None:
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor("maya"), okrs.NOW)


def test_the_carry_over_page_says_what_it_will_do(okr_client, uow, next_quarter):
    kr = ids(uow)
    page = get(okr_client, PAGE + "/carry")
    words = text_of(page)
    assert "Each key result starts where it stands now, toward the same target" in words
    assert "starts from 58 % (where it stands now) toward 70 %" in words
    assert "starts from 5 min (where it stands now) toward 3 min" in words
    assert "a guardrail: it keeps holding its start, 5" in words
    assert '<option value="2026-Q4" selected>' in page
    assert f'value="{kr["wizard"]}" checked' in page


def test_carrying_over_copies_the_chosen_key_results_into_the_next_cycle(
    okr_client, uow, next_quarter
):
    kr = ids(uow)
    answer = okr_client.post(
        PAGE + "/carry",
        data={"key_results": [str(kr["wizard"]), str(kr["first_action"])], "cycle": "2026-Q4"},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/objectives/streamline-onboarding-2026-q4?notice=carried"
    copy = get(okr_client, answer.headers["location"])
    words = text_of(copy)
    assert "Carried over: this is the copy in the new cycle" in words
    assert '<a href="/objectives/streamline-onboarding">streamline-onboarding</a>' in copy
    assert "Key results (2)" in words
    assert "start 58 % → now — → target 70 %" in words
    assert "Deadline 31 Dec 2026" in words
    original = text_of(get(okr_client, PAGE))
    assert (
        "Carried into Streamline onboarding to drive high-value conversions (2026-Q4)" in original
    )


def test_carrying_over_without_a_key_result_or_into_no_cycle_writes_nothing(
    okr_client, uow, next_quarter
):
    kr = ids(uow)
    none = okr_client.post(PAGE + "/carry", data={"cycle": "2026-Q4"})
    assert none.status_code == 422
    assert "Key results: choose at least one key result to carry over" in text_of(none.text)
    nowhere = okr_client.post(
        PAGE + "/carry", data={"key_results": [str(kr["wizard"])], "cycle": "2027-Q1"}
    )
    assert nowhere.status_code == 422
    words = text_of(nowhere.text)
    assert "Cycle: no cycle '2027-Q1': add it first" in words
    assert f'value="{kr["wizard"]}" checked' in nowhere.text
    assert f'value="{kr["first_action"]}" checked' not in nowhere.text
    with uow:
        assert not uow.objectives.exists("streamline-onboarding-2026-q4")
        assert not uow.objectives.exists("streamline-onboarding-2027-q1")


def test_the_page_has_no_carry_target_before_the_next_cycle_exists(okr_client):
    words = text_of(get(okr_client, PAGE + "/carry"))
    assert "No cycle to carry it into" in words


def test_a_closed_cycle_is_not_offered_for_carrying_over(okr_client, uow):
    create_cycle(uow, CreateCycle("2026-Q4", state=CycleState.ACTIVE), as_actor("maya"), okrs.NOW)
    create_cycle(uow, CreateCycle("2026-Q2", state=CycleState.CLOSED), as_actor("maya"), okrs.NOW)
    page = get(okr_client, PAGE + "/carry")
    assert 'value="2026-Q4"' in page
    assert 'value="2026-Q2"' not in page


def test_an_objective_aligned_to_a_key_result_links_to_that_key_result(okr_client, uow):
    with uow:
        (company_kr,) = uow.key_results.of(["grow-paying-customers"])["grow-paying-customers"]
    create_objective(
        uow,
        CreateObjective(
            Objective(
                "win-pilots",
                "Win the trust of our first enterprise customers",
                "2026-Q3",
                "growth",
                parent=Alignment("grow-paying-customers", company_kr.id),
            ),
            (KeyResultDefinition("Sign 3 pilots, up from 0", start=0, target=3),),
        ),
        as_actor("maya"),
        okrs.NOW,
    )
    page = get(okr_client, "/objectives/win-pilots")
    assert (
        f'through its key result <a href="/objectives/grow-paying-customers#kr-{company_kr.id}">'
        "Grow paying customers from 1000 to 1300</a>"
    ) in page


def test_a_scored_objective_shows_its_grade_and_retrospective_and_is_on_record(okr_client, uow):
    score_objective(
        uow,
        ScoreObjective(
            "grow-paying-customers",
            1,
            retrospective="Pricing changed late; the pipeline was not there.",
        ),
        as_actor("maya"),
        okrs.NOW,
    )
    page = get(okr_client, "/objectives/grow-paying-customers")
    words = text_of(element(page, "section", 'aria-labelledby="progress-title"'))
    assert "Score 0.0 (red): short of success." in words
    assert "Pricing changed late; the pipeline was not there." in words
    assert "Status Scored" in text_of(page)
    # On record: no edit, no new key results, no new initiatives.
    assert 'href="/objectives/grow-paying-customers/edit"' not in page
    assert "/key-results/new" not in page
    assert "Add an initiative" not in text_of(page)


def test_an_archived_objective_s_page_still_opens_and_says_it_is_archived(okr_client, uow):
    with uow:
        before = uow.objectives.get("streamline-onboarding")
        uow.objectives.update(
            "streamline-onboarding", before.revision.version,
            replace(before, archived=True), "maya", okrs.NOW,
        )  # fmt: skip
        uow.commit()
    words = text_of(get(okr_client, PAGE))
    assert "Archived: the goals files no longer name this objective." in words
    assert "Streamline onboarding to drive high-value conversions" in words
    overview = text_of(get(okr_client, "/cycles/2026-Q3"))
    assert "Streamline onboarding" not in overview  # left out of the listings

"""My week and a key result's check-in form: choosing whose week, last week's values
beside every input, a week recorded all or nothing (read back through the services:
the history grows, the forecast moves), every error at its row's input with nothing
written, and the check-in form of one key result."""

from __future__ import annotations

import html
import re
import warnings
from datetime import datetime

import pytest

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.objectives import Objective
from okrkit.interfaces.web.app import create_app
from okrkit.services import key_results, objectives
from okrkit.services.objectives import CreateObjective, ObjectiveStatus
from okrkit.services.ports import UnitOfWork
from tests.support import okrs
from tests.support.actors import ADMIN as OPERATOR
from tests.support.actors import as_actor
from tests.support.browsers import ADMIN, BrowserClient
from tests.web.pages.helpers import element, get, text_of

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOAH = "noah@example.com"
MAYA = "maya@example.com"
WEEK = "/me/week?owner=noah%40example.com"


def ids(uow: UnitOfWork) -> dict[str, int]:
    """The onboarding objective's key results by name, as the services list them."""
    state = objectives.get_objective(uow, "streamline-onboarding", okrs.NOW, viewer=OPERATOR)
    names = ("wizard", "first_action", "conversion", "tickets")
    return dict(zip(names, (s.key_result.id for s in state.key_results), strict=True))


def history(uow: UnitOfWork, id: int) -> key_results.KeyResultView:
    return key_results.key_result_view(uow, id, okrs.NOW, viewer=OPERATOR)


def row(markup: str, id: int) -> str:
    """One key result's card of My week."""
    return element(markup, "fieldset", f'id="kr-{id}"')


def field(markup: str, name: str) -> str:
    """An input's field, from its wrapper to the input: where its error must stand."""
    end = markup.index(">", markup.index(f'name="{name}"')) + 1
    start = markup.rindex('<div class="field', 0, end)
    return html.unescape(markup[start:end])


def test_my_week_offers_the_owners_to_choose_from_in_a_get_form(okr_client: TestClient):
    page = get(okr_client, "/me/week?owner=")
    chooser = element(page, "form", 'method="get"')
    assert 'action="/me/week"' in chooser
    options = re.findall(r'<option value="([^"]*)"', element(chooser, "select", 'name="owner"'))
    assert options == ["", "ceo@example.com", MAYA, NOAH]
    # Maya is signed in and owns key results: her own week is the one shown first.
    assert re.search(rf'<option value="{MAYA}"[^>]* selected', page)
    assert "Choose a person above" not in text_of(page)


def test_my_week_of_someone_who_owns_nothing_asks_whose_week(engine, uow):
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with BrowserClient(app, account="bo@example.com", admin=False) as bo:
        page = get(bo, "/me/week")
    assert "Choose a person above to see the key results they own in 2026-Q3." in text_of(page)
    writes = re.findall(r'<form [^>]*method="post"[^>]*>', page)
    assert all('action="/sign-out"' in form for form in writes)  # only the header's


def test_my_week_of_noah_shows_his_two_key_results_with_last_weeks_values(okr_client, uow):
    kr = ids(uow)
    page = get(okr_client, WEEK)
    words = text_of(page)
    assert f'<option value="{NOAH}" selected>' in page
    assert "2 key results owned by noah@example.com in 2026-Q3; none due a check-in." in words
    assert page.count('class="card week-kr') == 2
    assert '<a href="/objectives/streamline-onboarding">' in page

    wizard = text_of(row(page, kr["wizard"]))
    assert "Increase setup wizard completion rate from 40% to 70%" in wizard
    assert "Unit percent Deadline 2026-09-30 From → to 40.0% → 70.0%" in wizard
    assert "Now 58.0% 60 % of 46 % expected" in wizard
    assert "On track" in wizard
    assert "Forecast by 2026-09-30: 80.3%" in wizard
    assert "New value Last: 58.0% on 2026-08-09" in wizard
    assert "Confidence, 0 to 10 Last: 6/10 on 2026-08-09" in wizard
    assert "Note What moved, blockers, next step." in wizard

    first = text_of(row(page, kr["first_action"]))
    assert "Cut time to first key action from 8 to 3 minutes" in first
    assert "From → to 8 min → 3 min Weight 2" in first
    assert "Last: 5 min on 2026-08-09" in first
    assert "Last: 5/10 on 2026-08-09" in first
    for id in (kr["wizard"], kr["first_action"]):
        for part in ("value", "confidence", "note"):
            assert f'name="key_results.{id}.{part}"' in page
    assert f'id="kr-{kr["conversion"]}"' not in page
    assert '<input type="hidden" name="owner" value="noah@example.com">' in page


def test_a_key_result_fed_by_a_kpi_has_no_value_input_but_the_kpis_newest_value(okr_client, uow):
    kr = ids(uow)
    page = get(okr_client, "/me/week?owner=maya%40example.com")
    conversion = row(page, kr["conversion"])
    words = text_of(conversion)
    assert "From KPI Trial-to-paid conversion rate: newest value 13.4%" in words
    assert 'href="/kpis/trial_to_paid"' in conversion
    assert f'name="key_results.{kr["conversion"]}.value"' not in conversion
    assert f'name="key_results.{kr["conversion"]}.confidence"' in conversion
    assert "Check-in due" in words  # no check-in yet
    assert "1 due a check-in" in text_of(page)
    tickets = text_of(row(page, kr["tickets"]))
    assert "Guardrail holds: no worse than its start 5" in tickets
    assert "Check-in due" not in tickets


def test_an_owner_of_nothing_is_told_so(okr_client: TestClient):
    words = text_of(get(okr_client, "/me/week?owner=nobody%40example.com"))
    assert "nobody@example.com owns no key result of an active objective in 2026-Q3." in words


def test_posting_the_week_records_every_row_in_one_go_and_the_forecast_moves(okr_client, uow):
    kr = ids(uow)
    before = history(uow, kr["wizard"])
    assert before.state.forecast.forecast == pytest.approx(80.29, abs=0.01)
    response = okr_client.post(
        "/me/week",
        data={
            "owner": NOAH,
            f"key_results.{kr['wizard']}.value": "55",
            f"key_results.{kr['wizard']}.confidence": "4",
            f"key_results.{kr['wizard']}.note": "Step 3 broke on mobile; next: fix and re-test",
            f"key_results.{kr['first_action']}.value": " 4.2 ",
            f"key_results.{kr['first_action']}.confidence": "",
            f"key_results.{kr['first_action']}.note": "",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/me/week?owner=noah%40example.com&recorded=2"

    wizard = history(uow, kr["wizard"])
    assert len(wizard.check_ins) == len(before.check_ins) + 1 == 7
    newest = wizard.check_ins[-1]
    assert (newest.at, newest.value, newest.confidence) == (okrs.NOW, 55.0, 4.0)
    assert newest.note == "Step 3 broke on mobile; next: fix and re-test"
    assert newest.author == ADMIN  # who was signed in, recording Noah's week
    assert wizard.state.forecast.forecast is not None
    assert wizard.state.forecast.forecast < before.state.forecast.forecast - 2  # a setback
    first = history(uow, kr["first_action"])
    assert len(first.check_ins) == 7
    assert (first.check_ins[-1].value, first.check_ins[-1].confidence) == (4.2, None)

    page = get(okr_client, response.headers["location"])
    words = text_of(page)
    assert "Recorded 2 check-ins." in words
    assert "Last: 55.0% on 2026-08-12" in text_of(row(page, kr["wizard"]))
    assert "Last: 4/10 on 2026-08-12" in text_of(row(page, kr["wizard"]))
    assert f"Forecast by 2026-09-30: {wizard.state.forecast.forecast:.1f}%" in words


def test_rows_left_blank_are_skipped(okr_client, uow):
    kr = ids(uow)
    response = okr_client.post(
        "/me/week",
        data={
            "owner": NOAH,
            f"key_results.{kr['wizard']}.value": "",
            f"key_results.{kr['wizard']}.note": "   ",
            f"key_results.{kr['first_action']}.value": "4.8",
        },
    )
    assert response.headers["location"].endswith("&recorded=1")
    assert len(history(uow, kr["wizard"]).check_ins) == 6
    first = history(uow, kr["first_action"]).check_ins
    assert len(first) == 7
    assert (first[-1].value, first[-1].confidence, first[-1].note) == (4.8, None, "")


def test_a_row_with_a_confidence_but_no_value_is_asked_for_its_value(okr_client, uow):
    kr = ids(uow)
    response = okr_client.post(
        "/me/week",
        data={"owner": NOAH, f"key_results.{kr['first_action']}.confidence": "4"},
    )
    assert response.status_code == 422
    value = field(response.text, f"key_results.{kr['first_action']}.value")
    assert "a check-in needs a value" in value
    assert 'value="4"' in field(response.text, f"key_results.{kr['first_action']}.confidence")
    assert len(history(uow, kr["first_action"]).check_ins) == 6


def test_errors_stand_at_their_rows_inputs_the_form_is_refilled_and_nothing_is_written(
    okr_client, uow
):
    kr = ids(uow)
    wizard, first = kr["wizard"], kr["first_action"]
    response = okr_client.post(
        "/me/week",
        data={
            "owner": NOAH,
            f"key_results.{wizard}.value": "sixty",
            f"key_results.{wizard}.note": "kept as typed",
            f"key_results.{first}.value": "4",
            f"key_results.{first}.confidence": "11",
        },
    )
    assert response.status_code == 422
    page = response.text
    value = field(page, f"key_results.{wizard}.value")
    assert "field-invalid" in value
    assert "'sixty' is not a number: write it with digits and a dot, e.g. 15.5" in value
    assert 'value="sixty"' in value
    assert f'aria-describedby="kr-{wizard}-value-hint kr-{wizard}-value-error"' in value
    assert 'aria-invalid="true"' in value
    confidence = field(page, f"key_results.{first}.confidence")
    assert "confidence 11 is not from 0 (it will not happen) to 10 (it surely will)" in confidence
    assert 'value="11"' in confidence
    assert 'value="4"' in field(page, f"key_results.{first}.value")
    assert "field-invalid" not in field(page, f"key_results.{first}.value")
    assert ">kept as typed</textarea>" in page
    summary = text_of(element(page, "div", 'id="error-summary"'))
    assert summary.startswith("2 things to fix")
    assert "Nothing was saved" in summary
    assert f'href="#kr-{wizard}-value"' in page
    assert f'href="#kr-{first}-confidence"' in page
    assert len(history(uow, wizard).check_ins) == 6
    assert len(history(uow, first).check_ins) == 6


def test_an_error_the_use_case_finds_stands_at_its_row_and_nothing_is_written(okr_client, uow):
    kr = ids(uow)
    response = okr_client.post(
        "/me/week",
        data={
            "owner": MAYA,
            f"key_results.{kr['tickets']}.value": "4.6",
            f"key_results.{kr['conversion']}.value": "15",
        },
    )
    assert response.status_code == 422
    conversion = row(response.text, kr["conversion"])
    assert "week-kr-invalid" in conversion
    assert "this key result follows KPI 'trial_to_paid' (newest value 13.4)" in text_of(conversion)
    assert len(history(uow, kr["tickets"]).check_ins) == 6  # all or nothing


def test_a_week_with_nothing_typed_says_so_at_the_top(okr_client: TestClient):
    response = okr_client.post("/me/week", data={"owner": NOAH})
    assert response.status_code == 422
    summary = text_of(element(response.text, "div", 'id="error-summary"'))
    assert "The form: nothing to check in: give a value, a confidence or a note" in summary


def test_a_row_of_no_key_result_is_refused_at_the_top(okr_client, uow):
    for id in ("999", "99999999999"):
        response = okr_client.post("/me/week", data={"owner": NOAH, f"key_results.{id}.note": "x"})
        assert response.status_code == 422
        assert f"no key result {id}" in text_of(element(response.text, "div", 'id="error-summary"'))


# --- One key result's check-in -----------------------------------------------------------


def test_the_check_in_form_shows_where_the_key_result_stands_and_its_last_check_ins(
    okr_client, uow
):
    kr = ids(uow)
    page = get(okr_client, f"/key-results/{kr['wizard']}/check-in")
    words = text_of(page)
    assert "Check in: Increase setup wizard completion rate from 40% to 70%" in words
    assert "Now 58.0%" in words
    assert "Forecast by 2026-09-30: 80.3%" in words
    assert "New value (required) Last: 58.0% on 2026-08-09." in words
    assert "Last: 6/10 on 2026-08-09." in words
    assert "The 5 newest of 6 check-ins, newest first" in words
    assert "2026-08-09 58.0% 6/10 week 6 noah@example.com" in words
    form = element(page, "form", 'class="kpi-form check-in-form"')
    assert f'action="/key-results/{kr["wizard"]}/check-in"' in form


def test_a_check_in_goes_back_to_the_key_result_on_its_objectives_page(okr_client, uow):
    kr = ids(uow)
    with BrowserClient(okr_client.app, account="lea@example.com") as lea:
        response = lea.post(
            f"/key-results/{kr['first_action']}/check-in",
            data={"value": "4.5", "confidence": "6", "note": "Skipped the tour"},
            follow_redirects=False,
        )
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"/objectives/streamline-onboarding#kr-{kr['first_action']}"
    )
    newest = history(uow, kr["first_action"]).check_ins[-1]
    assert (newest.value, newest.confidence, newest.note) == (4.5, 6.0, "Skipped the tour")
    assert newest.author == "lea@example.com"


def test_a_bad_check_in_is_shown_at_its_fields_and_nothing_is_written(okr_client, uow):
    kr = ids(uow)
    response = okr_client.post(
        f"/key-results/{kr['wizard']}/check-in", data={"value": "", "confidence": "11"}
    )
    assert response.status_code == 422
    assert "confidence 11 is not from 0" in field(response.text, "confidence")
    assert len(history(uow, kr["wizard"]).check_ins) == 6
    # The value is the key result's to require: said at the value.
    response = okr_client.post(f"/key-results/{kr['wizard']}/check-in", data={"value": ""})
    assert response.status_code == 422
    assert "a check-in needs a value" in field(response.text, "value")
    assert len(history(uow, kr["wizard"]).check_ins) == 6


def test_a_check_in_on_a_key_result_fed_by_a_kpi_annotates_the_kpis_value(okr_client, uow):
    kr = ids(uow)
    page = get(okr_client, f"/key-results/{kr['conversion']}/check-in")
    assert "From KPI Trial-to-paid conversion rate: newest value 13.4%" in text_of(page)
    assert 'name="value"' not in page
    response = okr_client.post(
        f"/key-results/{kr['conversion']}/check-in",
        data={"confidence": "4", "note": "Pricing test"},
    )
    assert response.status_code == 303
    newest = history(uow, kr["conversion"]).check_ins[-1]
    assert (newest.value, newest.confidence) == (13.4, 4.0)


def test_a_draft_objectives_key_result_says_why_it_takes_no_check_in(okr_client, uow):
    objectives.create_objective(
        uow,
        CreateObjective(
            Objective(key="try-referrals", title="Learn whether referrals work",
                      cycle="2026-Q3", team="growth"),
            (okrs.WIZARD,),
            status=ObjectiveStatus.DRAFT,
        ),
        as_actor(MAYA),
        datetime(2026, 8, 1),
    )  # fmt: skip
    state = objectives.get_objective(uow, "try-referrals", okrs.NOW, viewer=OPERATOR)
    id = state.key_results[0].key_result.id
    page = get(okr_client, f"/key-results/{id}/check-in")
    assert "This objective is draft: check-ins go to active objectives" in text_of(page)
    assert 'class="kpi-form check-in-form"' not in page
    response = okr_client.post(f"/key-results/{id}/check-in", data={"value": "41"})
    assert response.status_code == 409
    assert "check-ins go to active objectives" in text_of(response.text)
    assert history(uow, id).check_ins == ()


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/key-results/999/check-in", 404, "No key result 999"),
        ("/me/week?owner=" + "x" * 255, 422, "owner"),
    ],
)
def test_what_does_not_exist_or_cannot_be_is_a_page_in_words(okr_client, path, status, says):
    assert says in text_of(get(okr_client, path, status))

"""Adding, starting and closing a cycle from the pages: errors at their inputs with the
form as typed and nothing written; starting and closing as buttons, closing confirmed on
a page that says what it does."""

from __future__ import annotations

import re
from datetime import datetime

from okrkit.domain.cycles import CycleState
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.services.cycles import CreateCycle, create_cycle, get_cycle, list_cycles
from okrkit.services.objectives import get_objective
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor
from tests.web.pages.helpers import element, get, text_of


def field_error(page: str, name: str) -> str:
    """The error shown next to an input of the new-cycle form."""
    return text_of(element(page, "p", f'id="f-{name}-error"'))


def input_tag(page: str, id: str) -> str:
    """An `<input>` of a page (an element without an end tag), by its id."""
    found = re.search(rf'<input id="{id}"[^>]*>', page)
    assert found, f"no input {id}"
    return found.group(0)


def cycle_names(uow) -> set[str]:
    return {c.cycle.name for c in list_cycles(uow, okrs.NOW.date()).cycles}


def test_the_new_cycle_form_offers_a_quarter_or_a_span_of_ones_own(okr_client):
    page = get(okr_client, "/cycles/new")
    form = element(page, "form", 'action="/cycles"')
    assert 'method="post"' in form
    words = text_of(form)
    assert "A quarter like 2026-Q3 spans its calendar quarter" in words
    assert 'type="date"' in form
    assert '<input type="radio" name="state" value="planning" checked' in form


def test_a_quarter_by_its_name_is_added_and_shown(okr_client, uow):
    response = okr_client.post("/cycles", data={"name": "2026-Q4", "state": "planning"})
    assert response.status_code == 303
    assert response.headers["location"] == "/cycles/2026-Q4?notice=created"
    words = text_of(get(okr_client, response.headers["location"]))
    assert "Cycle added." in words
    assert "Planning 2026-10-01 to 2026-12-31" in words
    assert get_cycle(uow, "2026-Q4").state == CycleState.PLANNING


def test_a_span_of_ones_own_needs_its_dates(okr_client, uow):
    response = okr_client.post("/cycles", data={"name": "2027-H1", "state": "active"})
    assert response.status_code == 422
    page = response.text
    assert "is not a quarter like 2026-Q3: give its start and end dates" in field_error(
        page, "name"
    )
    assert 'value="2027-H1"' in input_tag(page, "f-name")
    assert '<input type="radio" name="state" value="active" checked' in page
    assert 'aria-invalid="true"' in input_tag(page, "f-name")
    assert "1 thing to fix" in text_of(page)
    assert "2027-H1" not in cycle_names(uow)

    response = okr_client.post(
        "/cycles", data={"name": "2027-H1", "start": "2027-01-01", "end": "2027-06-30"}
    )
    assert response.status_code == 303
    assert "2027-H1" in cycle_names(uow)


def test_bad_dates_are_named_at_their_inputs_and_nothing_is_written(okr_client, uow):
    page = okr_client.post(
        "/cycles", data={"name": "launch", "start": "first of may", "end": "2027-13-01"}
    ).text
    assert "'first of may' is not a date: write it as YYYY-MM-DD" in field_error(page, "start")
    assert "'2027-13-01' is not a date" in field_error(page, "end")
    assert 'value="first of may"' in page
    assert "2 things to fix" in text_of(page)

    response = okr_client.post(
        "/cycles", data={"name": "launch", "start": "2027-05-01", "end": "2027-04-01"}
    )
    assert response.status_code == 422
    assert "cycle 'launch' ends (2027-04-01) before it starts (2027-05-01)" in field_error(
        response.text, "end"
    )
    assert "launch" not in cycle_names(uow)


def test_a_name_taken_or_misshapen_is_named_at_the_name(okr_client):
    page = okr_client.post("/cycles", data={"name": "2026-Q3"}).text
    assert "cycle 2026-Q3 already exists" in field_error(page, "name")
    page = okr_client.post("/cycles", data={"name": "Q3 2026!"}).text
    assert "'Q3 2026!' is not a cycle name" in field_error(page, "name")
    page = okr_client.post("/cycles", data={"name": ""}).text
    assert "a cycle needs a name" in field_error(page, "name")
    page = okr_client.post(
        "/cycles", data={"name": "2026-Q4", "start": "2026-10-05", "end": "2026-12-31"}
    ).text
    assert "2026-Q4 is the calendar quarter 2026-10-01 to 2026-12-31" in field_error(page, "name")


def test_a_planned_cycle_is_started_by_its_button(okr_client, uow):
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor(okrs.ACTOR), datetime(2026, 7, 1))
    page = get(okr_client, "/cycles/2026-Q4")
    form = element(page, "form", 'action="/cycles/2026-Q4/start"')
    version = re.search(r'name="version" value="(\d+)"', form)[1]
    response = okr_client.post("/cycles/2026-Q4/start", data={"version": version})
    assert response.status_code == 303
    words = text_of(get(okr_client, response.headers["location"]))
    assert "Cycle started: check-ins are due every week from now on." in words
    assert "Active 2026-10-01 to 2026-12-31" in words
    assert "Start the cycle" not in words

    stale = okr_client.post("/cycles/2026-Q4/start", data={"version": version})
    assert stale.status_code == 409
    assert "Changed meanwhile" in text_of(stale.text)


def test_closing_is_confirmed_on_a_page_that_says_what_it_does(okr_client, uow):
    page = get(okr_client, "/cycles/2026-Q3/close")
    words = text_of(page)
    assert "Close 2026-Q3?" in words
    assert "Scores what is left: every objective still active is scored" in words
    assert "Puts the final values on record" in words
    assert "one fed by a KPI keeps the KPI's newest value" in words
    form = element(page, "form", 'action="/cycles/2026-Q3/close"')
    version = re.search(r'name="version" value="(\d+)"', form)[1]
    assert get_cycle(uow, "2026-Q3").state == CycleState.ACTIVE  # looking writes nothing

    response = okr_client.post("/cycles/2026-Q3/close", data={"version": version})
    assert response.status_code == 303
    assert response.headers["location"] == "/cycles/2026-Q3/scoring?notice=closed&scored=2"
    words = text_of(get(okr_client, response.headers["location"]))
    assert (
        "Cycle closed. 2 objectives still active were scored with the scores their key "
        "results' progress proposed." in words
    )
    assert "2026-Q3 is closed" in words
    assert get_objective(uow, "streamline-onboarding", okrs.NOW, viewer=ADMIN).stored.status == (
        ObjectiveStatus.SCORED
    )

    again = okr_client.post("/cycles/2026-Q3/close", data={"version": version})
    assert again.status_code == 409
    assert "Cycle 2026-Q3 is already closed" in text_of(again.text)
    assert "already closed" in text_of(get(okr_client, "/cycles/2026-Q3/close"))

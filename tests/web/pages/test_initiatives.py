"""Initiatives: added under a key result (posted from its objective's page) and edited,
read back through the services; errors at their field with nothing written; a stale
edit refused with who changed it."""

from __future__ import annotations

import html
import re

from okrkit.domain.initiatives import InitiativeStatus
from okrkit.services import key_results, objectives
from okrkit.services.ports import UnitOfWork
from tests.support import okrs
from tests.support.actors import ADMIN
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import element, get, text_of

ONBOARDING = "streamline-onboarding"
TRACKER = "https://tracker.example.com/ONB-12"


def wizard(uow: UnitOfWork) -> int:
    state = objectives.get_objective(uow, ONBOARDING, okrs.NOW, viewer=ADMIN)
    return state.key_results[0].key_result.id


def work(uow: UnitOfWork, key_result: int):
    return key_results.key_result_view(uow, key_result, okrs.NOW, viewer=ADMIN).initiatives


def field(markup: str, name: str) -> str:
    """An input's field, its label, hint, error and input: where its error must stand."""
    at = markup.index(f'name="{name}"')
    start = markup.rindex('<div class="field', 0, at)
    return html.unescape(markup[start : markup.index("</div>", at)])


def test_an_initiative_is_added_under_its_key_result(okr_client, uow):
    kr = wizard(uow)
    response = okr_client.post(
        f"/key-results/{kr}/initiatives",
        data={"title": " Ship the new setup wizard ", "status": "in_progress", "url": TRACKER},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/objectives/{ONBOARDING}#kr-{kr}"
    (added,) = work(uow, kr)
    i = added.initiative
    assert (i.title, i.status, i.url) == (
        "Ship the new setup wizard",
        InitiativeStatus.IN_PROGRESS,
        TRACKER,
    )
    # The status may be left out: the work is planned.
    okr_client.post(f"/key-results/{kr}/initiatives", data={"title": "Tour experiment"})
    assert work(uow, kr)[-1].initiative.status == InitiativeStatus.PLANNED


def test_a_bad_initiative_is_shown_at_its_field_and_nothing_is_written(okr_client, uow):
    kr = wizard(uow)
    for data, name, says in [
        ({"title": "  "}, "title", "an initiative needs a title"),
        ({"title": "Try it", "url": "ftp://files"}, "url", "'ftp://files' is not a web address"),
        ({"title": "Try it", "status": "someday"}, "status", "'someday' is not one of planned"),
    ]:
        response = okr_client.post(f"/key-results/{kr}/initiatives", data=data)
        assert response.status_code == 422, data
        where = field(response.text, name)
        assert "field-invalid" in where, data
        assert says in where, data
        form = element(response.text, "form", 'class="kpi-form initiative-form"')
        assert f'action="/key-results/{kr}/initiatives"' in form
        assert f'value="{data["title"].strip()}"' in form
    assert work(uow, kr) == ()


def test_an_initiative_under_no_key_result_is_a_404_page(okr_client):
    response = okr_client.post("/key-results/999/initiatives", data={"title": "Lost"})
    assert response.status_code == 404
    assert "No key result 999" in text_of(response.text)
    assert "No initiative 999" in text_of(get(okr_client, "/initiatives/999/edit", 404))


def test_an_initiative_is_edited_and_its_address_cleared(okr_client, uow):
    kr = wizard(uow)
    okr_client.post(f"/key-results/{kr}/initiatives", data={"title": "Ship it", "url": TRACKER})
    (stored,) = work(uow, kr)
    page = get(okr_client, f"/initiatives/{stored.id}/edit")
    assert 'value="Ship it"' in page
    assert f'value="{TRACKER}"' in page
    assert '<option value="planned" selected>Planned</option>' in page
    assert '<input type="hidden" name="version" value="1">' in page
    assert "Increase setup wizard completion rate from 40% to 70%" in text_of(page)

    response = okr_client.post(
        f"/initiatives/{stored.id}/edit",
        data={"title": "Ship the wizard", "status": "done", "url": "", "version": "1"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/objectives/{ONBOARDING}#kr-{kr}"
    (edited,) = work(uow, kr)
    assert (edited.initiative.title, edited.initiative.status) == ("Ship the wizard", "done")
    assert edited.initiative.url is None
    assert edited.revision.version == 2


def test_a_bad_or_stale_edit_of_an_initiative_keeps_what_was_typed(okr_client, uow):
    kr = wizard(uow)
    okr_client.post(f"/key-results/{kr}/initiatives", data={"title": "Ship it"})
    (stored,) = work(uow, kr)
    bad = okr_client.post(
        f"/initiatives/{stored.id}/edit", data={"title": "", "status": "done", "version": "1"}
    )
    assert bad.status_code == 422
    assert "an initiative needs a title" in field(bad.text, "title")
    assert '<option value="done" selected>Done</option>' in bad.text

    with BrowserClient(okr_client.app, account="noah@example.com") as noah:
        noah.post(
            f"/initiatives/{stored.id}/edit",
            data={"title": "Ship it now", "status": "in_progress", "version": "1"},
        )
    stale = okr_client.post(
        f"/initiatives/{stored.id}/edit",
        data={"title": "Mine", "status": "dropped", "version": "1"},
    )
    assert stale.status_code == 409
    conflict = text_of(element(stale.text, "div", 'id="conflict"'))
    assert (
        f"Initiative {stored.id} was changed by noah@example.com at 2026-08-12 09:00 UTC"
        in conflict
    )
    assert re.search(r'name="title" type="text" value="Mine"', stale.text)
    (kept,) = work(uow, kr)
    assert (kept.initiative.title, kept.revision.version) == ("Ship it now", 2)

"""A key result's address and its forms: the inputs derived from the declared fields,
adding and editing (read back through the services), every error at its field with
nothing written, a recalibration's reason asked for when the target changes mid-cycle,
and a stale edit refused with who changed it."""

from __future__ import annotations

import html
import re
import warnings
from typing import Any

import pytest

from okrkit.domain.fields import fields_of
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.progress import KeyResultType
from okrkit.services import key_results, objectives
from okrkit.services.ports import UnitOfWork
from tests.support import okrs
from tests.support.actors import ADMIN
from tests.web.pages.helpers import element, get, text_of

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

ONBOARDING = "streamline-onboarding"
NEW: dict[str, Any] = {
    "title": "Raise invited teammates per trial from 0.4 to 1.2",
    "type": "numeric",
    "unit": "count",
    "start": "0.4",
    "target": "1.2",
    "owner": "noah@example.com",
    "deadline": "2026-09-15",
    "weight": "1.5",
    "direction": "",
    "steps": "",
    "kpi": "",
}


def key_result_ids(uow: UnitOfWork) -> list[int]:
    state = objectives.get_objective(uow, ONBOARDING, okrs.NOW, viewer=ADMIN)
    return [s.key_result.id for s in state.key_results]


def field(markup: str, name: str) -> str:
    """An input's field, its label, hint, error and input: where its error must stand."""
    at = markup.index(f'name="{name}"')
    start = markup.rindex('<div class="field', 0, at)
    return html.unescape(markup[start : markup.index("</div>", at)])


def inputs(markup: str) -> dict[str, str]:
    """A form's text inputs by name, with what they hold."""
    return dict(re.findall(r'<input id="[^"]*" name="(\w+)" type="\w+" value="([^"]*)"', markup))


def edit_data(page: str, **changes: str) -> dict[str, str]:
    """What the edit form posts as it was opened, with some inputs changed."""
    data = {k: html.unescape(v) for k, v in inputs(page).items()}
    data["version"] = re.search(r'name="version" value="(\d+)"', page)[1]
    data["type"] = re.search(r'name="type" value="(\w+)" checked', page)[1]
    data.update(changes)
    return data


def test_a_key_results_address_is_its_place_on_its_objectives_page(okr_client, uow):
    for id in key_result_ids(uow):
        response = okr_client.get(f"/key-results/{id}")
        assert response.status_code == 303
        assert response.headers["location"] == f"/objectives/{ONBOARDING}#kr-{id}"
    assert "No key result 999" in text_of(get(okr_client, "/key-results/999", 404))


def test_the_new_form_has_an_input_for_every_declared_field(okr_client: TestClient):
    page = get(okr_client, f"/objectives/{ONBOARDING}/key-results/new")
    form = element(page, "form", 'class="kpi-form key-result-form"')
    assert f'action="/objectives/{ONBOARDING}/key-results"' in form
    for f in fields_of(KeyResultDefinition):
        assert f'name="{f.name}"' in form, f.name
    assert 'name="version"' not in form
    # The deadline starts at the cycle's last day; a new key result is numeric, weight 1.
    assert inputs(form)["deadline"] == "2026-09-30"
    assert inputs(form)["weight"] == "1"
    assert 'name="type" value="numeric" checked' in form
    kpis = re.findall(r'<option value="(\w+)"', element(form, "select", 'name="kpi"'))
    assert kpis == ["dau", "trial_to_paid"]
    words = text_of(page)
    assert "Of the objective Streamline onboarding to drive high-value conversions" in words
    assert "Title (required) The outcome that moves" in words
    assert "Milestone: steps done one after another" in words


def test_adding_a_key_result_goes_to_it_on_its_objectives_page(okr_client, uow):
    response = okr_client.post(f"/objectives/{ONBOARDING}/key-results", data=NEW)
    assert response.status_code == 303
    ids = key_result_ids(uow)
    assert len(ids) == 5
    assert response.headers["location"] == f"/objectives/{ONBOARDING}#kr-{ids[-1]}"
    added = key_results.key_result_view(uow, ids[-1], okrs.NOW, viewer=ADMIN).state.key_result
    d = added.definition
    assert (d.title, d.unit, d.start, d.target, d.weight) == (NEW["title"], "count", 0.4, 1.2, 1.5)
    assert (d.owner, d.deadline.isoformat(), d.kpi, d.guardrail) == (
        "noah@example.com", "2026-09-15", None, False,
    )  # fmt: skip


def test_a_milestone_fed_by_its_steps_and_a_key_result_fed_by_a_kpi(okr_client, uow):
    milestone = {**NEW, "type": "milestone", "start": "", "target": "", "unit": ""}
    milestone["steps"] = "Beta shipped\n10 pilot teams; GA"
    assert okr_client.post(f"/objectives/{ONBOARDING}/key-results", data=milestone).is_redirect
    fed = {**NEW, "title": "Lift trial-to-paid to 15%", "unit": "percent", "start": "13.4"}
    fed.update(target="15", kpi="trial_to_paid", deadline="")
    assert okr_client.post(f"/objectives/{ONBOARDING}/key-results", data=fed).is_redirect
    view = objectives.get_objective(uow, ONBOARDING, okrs.NOW, viewer=ADMIN)
    steps, kpi = (s.key_result.definition for s in view.key_results[-2:])
    assert steps.type == KeyResultType.MILESTONE
    assert steps.steps is not None
    assert steps.steps.names == ("Beta shipped", "10 pilot teams", "GA")
    assert (steps.start, steps.target) == (0.0, 3.0)
    assert kpi.kpi == "trial_to_paid"
    assert kpi.deadline.isoformat() == "2026-09-30"  # left empty: the cycle's last day


# Bad key results, each refused at its field (one workspace for all: nothing is written).
BAD: list[tuple[dict[str, str], str, str]] = [
    ({"deadline": "2026-10-15"}, "deadline", "the deadline 2026-10-15 is not in cycle 2026-Q3"),
    ({"deadline": "2026-07-01"}, "deadline", "after its first day"),
    ({"deadline": "15.9.2026"}, "deadline", "'15.9.2026' is not a date like 2026-09-30"),
    ({"target": "0.4"}, "target", "the target equals the start: there is nothing to change"),
    ({"weight": "0"}, "weight", "weight 0 must be a positive number"),
    ({"weight": "-2"}, "weight", "weight -2 must be a positive number"),
    ({"start": "a lot"}, "start", "'a lot' is not a number"),
    ({"title": "  "}, "title", "a key result needs a title"),
    ({"type": "milestone"}, "steps", "a milestone key result needs its steps"),
    ({"kpi": "nope"}, "kpi", "no KPI 'nope'"),
    ({"type": "boolean", "kpi": "dau"}, "kpi", "only a numeric key result can be fed by a KPI"),
]


def test_a_bad_key_result_is_shown_at_its_field_and_nothing_is_written(okr_client, uow):
    for changes, name, says in BAD:
        data = {**NEW, **changes}
        response = okr_client.post(f"/objectives/{ONBOARDING}/key-results", data=data)
        assert response.status_code == 422, changes
        where = field(response.text, name)
        assert "field-invalid" in where, changes
        assert says in where, changes
        summary = text_of(element(response.text, "div", 'id="error-summary"'))
        assert summary.startswith("1 thing to fix"), changes
        for typed in ("title", "owner"):
            assert html.unescape(inputs(response.text)[typed]) == data[typed].strip()
    assert len(key_result_ids(uow)) == 4


def test_the_edit_form_holds_the_key_result_and_its_version(okr_client, uow):
    wizard = key_result_ids(uow)[0]
    page = get(okr_client, f"/key-results/{wizard}/edit")
    typed = inputs(page)
    assert typed["title"] == "Increase setup wizard completion rate from 40% to 70%"
    assert (typed["start"], typed["target"], typed["unit"]) == ("40", "70", "percent")
    assert typed["deadline"] == "2026-09-30"
    assert '<input type="hidden" name="version" value="1">' in page
    assert f'action="/key-results/{wizard}/edit"' in page
    # The reason's input is there for a script to show, but hidden until it is needed.
    reason = re.search(r'<div class="field" id="reason-field"[^>]*>', page)[0]
    assert "hidden" in reason
    assert 'data-original="70"' in reason


def test_an_edit_is_saved_and_goes_back_to_the_key_result(okr_client, uow):
    first = key_result_ids(uow)[1]
    page = get(okr_client, f"/key-results/{first}/edit")
    data = edit_data(page, title="Cut time to first key action from 8 to 3 min", weight="3")
    response = okr_client.post(f"/key-results/{first}/edit", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/objectives/{ONBOARDING}#kr-{first}"
    stored = key_results.key_result_view(uow, first, okrs.NOW, viewer=ADMIN).state.key_result
    assert stored.definition.title == "Cut time to first key action from 8 to 3 min"
    assert stored.definition.weight == 3.0
    assert stored.revision.version == 2
    assert stored.original_target is None  # the target did not move


def test_a_new_target_mid_cycle_asks_for_its_reason_then_keeps_both(okr_client, uow):
    wizard = key_result_ids(uow)[0]
    data = edit_data(get(okr_client, f"/key-results/{wizard}/edit"), target="80")
    response = okr_client.post(f"/key-results/{wizard}/edit", data=data)
    assert response.status_code == 422
    reason = element(response.text, "div", 'id="reason-field"')
    assert "hidden" not in reason.split(">", 1)[0]
    assert "changing a target mid-cycle is a recalibration: say why in a reason" in reason
    assert 'aria-invalid="true"' in reason
    assert inputs(response.text)["target"] == "80"
    assert (
        key_results.key_result_view(
            uow, wizard, okrs.NOW, viewer=ADMIN
        ).state.key_result.revision.version
        == 1
    )

    data["reason"] = "The new wizard beat the test cohort: 70% is too easy"
    assert okr_client.post(f"/key-results/{wizard}/edit", data=data).status_code == 303
    stored = key_results.key_result_view(uow, wizard, okrs.NOW, viewer=ADMIN).state.key_result
    assert (stored.definition.target, stored.original_target) == (80.0, 70.0)
    assert stored.recalibration == data["reason"]
    words = text_of(get(okr_client, f"/key-results/{wizard}/edit"))
    assert (
        "Recalibrated: the cycle started with the target 70, changed because “The new wizard "
        "beat the test cohort: 70% is too easy”."
    ) in words


def test_an_edit_based_on_a_changed_version_says_who_changed_it(okr_client, uow):
    wizard = key_result_ids(uow)[0]
    data = edit_data(get(okr_client, f"/key-results/{wizard}/edit"))
    first = okr_client.post(
        f"/key-results/{wizard}/edit",
        data={**data, "unit": "% of trials"},
    )
    assert first.status_code == 303
    response = okr_client.post(f"/key-results/{wizard}/edit", data={**data, "title": "Mine"})
    assert response.status_code == 409
    conflict = text_of(element(response.text, "div", 'id="conflict"'))
    assert "Someone changed this key result while you were editing" in conflict
    assert (
        f"Key result {wizard} was changed by maya@example.com at 2026-08-12 09:00 UTC" in conflict
    )
    assert "(now version 2, yours 1)" in conflict
    assert inputs(response.text)["title"] == "Mine"
    stored = key_results.key_result_view(uow, wizard, okrs.NOW, viewer=ADMIN).state.key_result
    assert (stored.definition.title, stored.definition.unit) == (okrs.WIZARD.title, "% of trials")


def test_a_bad_edit_is_shown_at_its_field_and_nothing_is_written(okr_client, uow):
    first = key_result_ids(uow)[1]
    data = edit_data(
        get(okr_client, f"/key-results/{first}/edit"), weight="0", deadline="2026-12-31"
    )
    response = okr_client.post(f"/key-results/{first}/edit", data=data)
    assert response.status_code == 422
    # The form's own check finds nothing; the domain names the first rule broken.
    assert "is not in cycle 2026-Q3" in field(response.text, "deadline")
    assert (
        key_results.key_result_view(
            uow, first, okrs.NOW, viewer=ADMIN
        ).state.key_result.revision.version
        == 1
    )


@pytest.mark.parametrize(
    "path",
    ["/objectives/nope/key-results/new", "/key-results/999/edit"],
)
def test_a_form_of_what_does_not_exist_is_a_404_page(okr_client, path):
    words = text_of(get(okr_client, path, 404))
    assert "Not found" in words

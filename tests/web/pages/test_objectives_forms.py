"""The objective forms, on both databases: a new objective with its key results in one
request, an edit; inputs derived from the declared fields; "check" shows the decision
filter and the linter's advice and writes nothing; every error next to its input, the
form refilled, nothing written."""

from __future__ import annotations

import html
from typing import Any

import pytest

from okrkit.domain.fields import fields_of
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import Objective
from okrkit.services.ports import UnitOfWork
from tests.web.pages.helpers import element, get, text_of

NEW: dict[str, Any] = {
    "title": "Make the first week feel effortless",
    "key": "effortless-first-week",
    "cycle": "2026-Q3",
    "team": "growth",
    "type": "committed",
    "owner": "maya@example.com",
    "parent": "streamline-onboarding",
    "key_results[0].title": "Increase day-7 retention from 30% to 36%",
    "key_results[0].type": "numeric",
    "key_results[0].unit": "percent",
    "key_results[0].start": "30",
    "key_results[0].target": "36",
    "key_results[0].weight": "1",
    "key_results[1].type": "numeric",
    "key_results[1].weight": "1",
    # A row left blank between two written ones is no key result.
    "key_results[2].title": "Cut setup support tickets from 40 to 25 a week",
    "key_results[2].type": "numeric",
    "key_results[2].unit": "count",
    "key_results[2].start": "40",
    "key_results[2].target": "25",
    "key_results[2].owner": "noah@example.com",
    "key_results[2].deadline": "2026-09-15",
    "key_results[2].weight": "2",
    "action": "create",
}


def field_markup(markup: str, name: str) -> str:
    """A form field from its label to its input: where its error must stand."""
    ident = "f-" + name.replace("[", "-").replace("].", "-")
    start = markup.index(f'<label for="{ident}"')
    end = markup.index(">", markup.index(f'id="{ident}"', start)) + 1
    return markup[start:end]


def exists(uow: UnitOfWork, key: str) -> bool:
    with uow:
        return uow.objectives.exists(key)


def test_the_new_form_is_made_of_the_declared_fields_and_the_address(okr_client):
    page = get(okr_client, "/objectives/new?cycle=2026-Q3&team=growth&parent=grow-paying-customers")
    for f in fields_of(Objective):
        assert f'name="{f.name}"' in page, f.name
    for row in range(5):
        for f in fields_of(KeyResultDefinition):
            assert f'name="key_results[{row}].{f.name}"' in page, (row, f.name)
    assert '<option value="2026-Q3" selected>' in page
    assert '<option value="growth" selected>Growth</option>' in page
    assert '<option value="grow-paying-customers" selected>Grow paying customers profitably' in page
    # The declarations' words are the hints; a key result may align to a parent's key
    # result too.
    assert "The change, in words and without numbers" in page
    assert "↳ its key result: Grow paying customers from 1000 to 1300" in html.unescape(page)
    assert '<option value="trial_to_paid">Trial-to-paid conversion rate (trial_to_paid)' in page
    assert 'value="aspirational" checked' in page


def test_the_new_form_proposes_the_current_cycle(okr_client):
    assert '<option value="2026-Q3" selected>' in get(okr_client, "/objectives/new")


def test_an_objective_is_created_with_its_key_results_in_one_request(okr_client, uow):
    answer = okr_client.post("/objectives", data=NEW)
    assert answer.status_code == 303, text_of(answer.text)
    assert answer.headers["location"] == "/objectives/effortless-first-week?notice=created"
    page = get(okr_client, answer.headers["location"])
    words = text_of(page)
    assert "Objective created." in words
    assert "Key results (2)" in words
    assert "Status Active" in words
    assert "Type Committed" in words
    assert words.index("Increase day-7 retention") < words.index("Cut setup support tickets")
    assert "start 40 → now — → target 25" in words
    assert "Deadline 15 Sep 2026" in words
    assert "Weight 2" in words
    assert "Aligned to Streamline onboarding to drive high-value conversions" in words
    with uow:
        krs = uow.key_results.of(["effortless-first-week"])["effortless-first-week"]
    assert [(k.definition.start, k.definition.target, k.definition.weight) for k in krs] == [
        (30, 36, 1),
        (40, 25, 2),
    ]


def test_a_key_left_blank_is_made_from_the_title(okr_client, uow):
    answer = okr_client.post("/objectives", data={**NEW, "key": ""})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/objectives/make-the-first-week-feel-effortless?")


def test_saving_as_a_draft_waits_for_a_person_to_activate_it(okr_client):
    answer = okr_client.post("/objectives", data={**NEW, "action": "draft"})
    assert answer.status_code == 303
    words = text_of(get(okr_client, answer.headers["location"]))
    assert "Saved as a draft" in words
    assert "Status Draft: waiting for a person to activate it" in words


def test_check_shows_the_decision_filter_and_the_advice_and_writes_nothing(okr_client, uow):
    typed = {
        **NEW,
        "title": "Keep churn below 2% every month",
        "key_results[0].title": "Launch the new onboarding emails",
        "action": "check",
    }
    answer = okr_client.post("/objectives", data=typed)
    assert answer.status_code == 200
    advice = text_of(element(answer.text, "section", 'id="advice"'))
    assert "KPI or OKR? A KPI." in advice
    assert "OKR001" in advice  # a number in the objective
    assert "OKR002 Key result 'Launch the new onboarding emails' is an output" in advice
    assert "How: ask 'so what?'" in advice
    assert "Nothing is saved yet." in advice
    # Each code explains its rule in a new tab, so nothing typed is lost.
    assert (
        '<a class="lint-code" href="/lint#OKR002" target="_blank" rel="noopener" '
        'aria-label="OKR002: what this rule means (opens in a new tab)">' in answer.text
    )
    # The form keeps what was typed.
    assert 'value="Keep churn below 2% every month"' in answer.text
    assert 'value="Launch the new onboarding emails"' in answer.text
    assert not exists(uow, "effortless-first-week")


def test_check_works_on_a_form_that_is_not_valid_yet(okr_client, uow):
    typed = {**NEW, "key_results[0].target": "lots", "action": "check"}
    answer = okr_client.post("/objectives", data=typed)
    assert answer.status_code == 200
    words = text_of(answer.text)
    assert "KPI or OKR? An OKR." in words
    assert "OKR003 Key result 'Increase day-7 retention from 30% to 36%' lacks a target" in words
    assert not exists(uow, "effortless-first-week")


@pytest.mark.parametrize(
    ("change", "name", "message"),
    [
        ({"key_results[2].target": "lots"}, "key_results[2].target", "'lots' is not a number"),
        (
            {"key_results[2].deadline": "2026-12-01"},
            "key_results[2].deadline",
            "the deadline 2026-12-01 is not in cycle 2026-Q3",
        ),
        (
            {"key_results[2].target": "40"},
            "key_results[2].target",
            "the target equals the start: there is nothing to change",
        ),
        ({"key_results[2].weight": "0"}, "key_results[2].weight", "weight 0 must be a positive"),
        ({"key_results[2].kpi": "nope"}, "key_results[2].kpi", "no KPI 'nope'"),
        ({"key_results[2].title": ""}, "key_results[2].title", "a key result needs a title"),
        ({"title": ""}, "title", "an objective needs a title"),
        ({"team": "nope"}, "team", "no team 'nope'"),
        ({"key": "Not A Key"}, "key", "'Not A Key' is not a key"),
        ({"parent": "nope"}, "parent", "no objective 'nope' to align to"),
        ({"cycle": "2030-Q1"}, "cycle", "no cycle '2030-Q1'"),
    ],
)
def test_an_error_stands_at_its_input_and_nothing_is_written(
    okr_client, uow, change, name, message
):
    typed = {**NEW, **change}
    answer = okr_client.post("/objectives", data=typed)
    assert answer.status_code == 422
    summary = text_of(element(answer.text, "div", 'id="error-summary"'))
    assert message in summary
    assert message in text_of(field_markup(answer.text, name))
    assert 'aria-invalid="true"' in field_markup(answer.text, name)
    # Refilled as typed.
    assert 'value="Increase day-7 retention from 30% to 36%"' in answer.text
    assert not exists(uow, "effortless-first-week")


def test_a_key_taken_already_is_said_at_the_key(okr_client, uow):
    answer = okr_client.post("/objectives", data={**NEW, "key": "streamline-onboarding"})
    assert answer.status_code == 422
    assert "objective 'streamline-onboarding' already exists" in text_of(
        field_markup(answer.text, "key")
    )


def test_the_edit_form_shows_the_objective_and_its_version(okr_client):
    page = get(okr_client, "/objectives/streamline-onboarding/edit")
    assert 'value="Streamline onboarding to drive high-value conversions"' in page
    assert '<input type="hidden" name="version" value="1">' in page
    assert '<option value="grow-paying-customers" selected>' in page
    # An objective cannot align to itself: it is not offered.
    assert (
        'value="streamline-onboarding"' not in page.split('name="parent"')[1].split("</select>")[0]
    )
    assert "You are editing version 1." in text_of(page)
    assert "Increase setup wizard completion rate from 40% to 70% · edit" in text_of(page)


def _edit(**changes: str) -> dict[str, str]:
    return {
        "version": "1",
        "cycle": "2026-Q3",
        "title": "Streamline onboarding to drive high-value conversions",
        "team": "growth",
        "type": "aspirational",
        "owner": "maya@example.com",
        "parent": "grow-paying-customers",
        "action": "save",
        **changes,
    }


def test_an_edit_is_saved_and_shown(okr_client):
    answer = okr_client.post(
        "/objectives/streamline-onboarding/edit",
        data=_edit(title="Make onboarding effortless", description="Trials stall at setup."),
    )
    assert answer.status_code == 303
    words = text_of(get(okr_client, answer.headers["location"]))
    assert "Changes saved." in words
    assert "Make onboarding effortless" in words
    assert "Trials stall at setup." in words
    assert "Version 2" in words


def test_an_edit_based_on_a_stale_version_is_refused_and_keeps_what_was_typed(okr_client):
    first = okr_client.post(
        "/objectives/streamline-onboarding/edit", data=_edit(title="Make onboarding effortless")
    )
    assert first.status_code == 303
    stale = okr_client.post(
        "/objectives/streamline-onboarding/edit", data=_edit(title="Make onboarding obvious")
    )
    assert stale.status_code == 409
    conflict = text_of(element(stale.text, "div", 'id="conflict"'))
    assert "Not saved" in conflict
    assert "changed" in conflict
    assert 'value="Make onboarding obvious"' in stale.text
    page = text_of(get(okr_client, "/objectives/streamline-onboarding"))
    assert "Make onboarding effortless" in page
    assert "Make onboarding obvious" not in page


def test_an_edit_that_breaks_a_rule_is_said_at_its_input(okr_client, uow):
    # Aligning the company objective under its own child would make it its own ancestor.
    answer = okr_client.post(
        "/objectives/grow-paying-customers/edit",
        data=_edit(
            title="Grow paying customers profitably",
            team="company",
            type="committed",
            parent="streamline-onboarding",
        ),
    )
    assert answer.status_code == 422
    assert "cannot align to one of its own descendants" in text_of(
        field_markup(answer.text, "parent")
    )
    blank = okr_client.post("/objectives/streamline-onboarding/edit", data=_edit(title=" "))
    assert blank.status_code == 422
    assert "an objective needs a title" in text_of(field_markup(blank.text, "title"))
    with uow:
        assert uow.objectives.get("grow-paying-customers").objective.parent is None
        assert uow.objectives.get("streamline-onboarding").revision.version == 1


def test_check_on_the_edit_form_judges_the_objective_with_its_key_results(okr_client, uow):
    answer = okr_client.post(
        "/objectives/streamline-onboarding/edit",
        data=_edit(title="Maintain a 16% trial-to-paid rate", parent="", action="check"),
    )
    assert answer.status_code == 200
    advice = text_of(element(answer.text, "section", 'id="advice"'))
    assert "KPI or OKR? A KPI." in advice
    assert "OKR006" in advice
    assert "OKR009" in advice  # aligned to nothing once the parent is cleared
    with uow:
        assert uow.objectives.get("streamline-onboarding").revision.version == 1

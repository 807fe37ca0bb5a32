"""Scoring a cycle's objectives from its scoring page: each key result's score proposed
from its progress and editable with a reason, the retrospective, "score" and "score and
close"; a committed objective under 1.0 is not closed without a written explanation (the
error at the retrospective, nothing written); the grade in colour and words once scored."""

from __future__ import annotations

import re

from okrkit.domain.objectives import ObjectiveStatus
from okrkit.services.objectives import get_objective
from tests.support import okrs
from tests.support.actors import ADMIN
from tests.web.pages.helpers import element, get, text_of

SCORING = "/cycles/2026-Q3/scoring"


def card(page: str, key: str) -> str:
    """An objective's card on the scoring page."""
    return element(page, "article", f'id="o-{key}"')


def form_of(client, key: str) -> dict[str, object]:
    """What an objective's scoring form sends untouched: its hidden inputs and every
    input as filled in."""
    form = element(card(get(client, SCORING), key), "form", 'class="score-form"')
    data: dict[str, object] = {"kr": [], "score": [], "reason": []}
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form):
        if name in ("kr", "score", "reason"):
            data[name].append(value)  # type: ignore[union-attr]
        else:
            data[name] = value
    data["retrospective"] = re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S)[1]
    return data


def kr_ids(uow, key: str) -> list[int]:
    with uow:
        return [kr.id for kr in uow.key_results.of([key])[key]]


def status(uow, key: str) -> ObjectiveStatus:
    return get_objective(uow, key, okrs.NOW, viewer=ADMIN).stored.status


def test_each_key_result_proposes_its_progress_as_its_score(okr_client, uow):
    onboarding = card(get(okr_client, SCORING), "streamline-onboarding")
    words = text_of(onboarding)
    wizard, first, conversion, tickets = kr_ids(uow, "streamline-onboarding")
    assert (
        "Increase setup wizard completion rate from 40% to 70% Progress 60 %: proposed score 0.6."
        in words
    )
    assert "Progress 35 %: proposed score 0.35." in words
    assert (
        f'id="score-{wizard}" name="score" type="text" inputmode="decimal" value="0.6"'
        in onboarding
    )
    assert f'id="score-{conversion}"' in onboarding
    assert f'id="score-{tickets}"' not in onboarding  # a guardrail is not scored by hand
    assert "Guardrail, held: a line to hold, not counted in the score." in words
    assert "Proposed ▲ 0.5 Yellow not scored yet" in words
    assert "Score and close" in words
    assert "0.7 is success for a stretch" in words


def test_closing_a_committed_objective_under_one_asks_for_the_explanation(okr_client, uow):
    data = form_of(okr_client, "grow-paying-customers")
    response = okr_client.post(SCORING + "/grow-paying-customers", data={**data, "action": "close"})
    assert response.status_code == 422
    this = card(response.text, "grow-paying-customers")
    error = text_of(element(this, "p", 'id="retro-grow-paying-customers-error"'))
    assert (
        "a committed objective that scored under 1.0 needs a written explanation before it "
        "can be closed" in error
    )
    assert 'aria-invalid="true"' in element(this, "textarea", 'name="retrospective"')
    assert "Not scored: 1 thing to fix" in text_of(this)
    assert '<a href="#retro-grow-paying-customers">Retrospective: a committed objective' in this
    # Nothing written: neither the score nor the close.
    assert status(uow, "grow-paying-customers") == ObjectiveStatus.ACTIVE
    with uow:
        (kr,) = uow.key_results.of(["grow-paying-customers"])["grow-paying-customers"]
    assert kr.score is None

    explained = {**data, "action": "close", "retrospective": "Pricing slipped to Q4."}
    response = okr_client.post(SCORING + "/grow-paying-customers", data=explained)
    assert response.status_code == 303
    assert response.headers["location"].endswith(
        "done=grow-paying-customers#o-grow-paying-customers"
    )
    this = card(get(okr_client, response.headers["location"]), "grow-paying-customers")
    words = text_of(this)
    assert "Scored and closed." in words
    assert "Grade ✕ 0.0 Red short of the promise" in words
    assert "Retrospective Pricing slipped to Q4." in words
    assert "<form" not in this  # closed: on record
    assert status(uow, "grow-paying-customers") == ObjectiveStatus.CLOSED


def test_a_changed_score_needs_a_reason_at_its_input(okr_client, uow):
    wizard = kr_ids(uow, "streamline-onboarding")[0]
    data = form_of(okr_client, "streamline-onboarding")
    data["score"] = ["0.9", *data["score"][1:]]  # type: ignore[index]
    response = okr_client.post(SCORING + "/streamline-onboarding", data=data)
    assert response.status_code == 422
    this = card(response.text, "streamline-onboarding")
    error = text_of(element(this, "p", f'id="score-{wizard}-error"'))
    assert "the score 0.9 differs from the 0.6 its progress proposes: say why in a reason" in error
    assert f'id="score-{wizard}" name="score" type="text" inputmode="decimal" value="0.9"' in this
    assert status(uow, "streamline-onboarding") == ObjectiveStatus.ACTIVE

    data["reason"] = ["The last cohort finished after the deadline", *data["reason"][1:]]  # type: ignore[index]
    assert okr_client.post(SCORING + "/streamline-onboarding", data=data).status_code == 303
    with uow:
        kr = uow.key_results.of(["streamline-onboarding"])["streamline-onboarding"][0]
    assert (kr.score, kr.score_reason) == (0.9, "The last cohort finished after the deadline")


def test_a_score_that_is_not_a_number_or_out_of_range_is_named(okr_client, uow):
    first = kr_ids(uow, "streamline-onboarding")[1]
    data = form_of(okr_client, "streamline-onboarding")
    data["score"] = [data["score"][0], "most", *data["score"][2:]]  # type: ignore[index]
    page = okr_client.post(SCORING + "/streamline-onboarding", data=data).text
    assert "'most' is not a score: write a number from 0.0 to 1.0" in text_of(
        element(page, "p", f'id="score-{first}-error"')
    )
    data["score"] = [data["score"][0], "1.5", *data["score"][2:]]  # type: ignore[index]
    data["reason"] = [data["reason"][0], "beat it", *data["reason"][2:]]  # type: ignore[index]
    page = okr_client.post(SCORING + "/streamline-onboarding", data=data).text
    assert "score 1.5 is not between 0.0 and 1.0" in text_of(
        element(page, "p", f'id="score-{first}-error"')
    )
    assert status(uow, "streamline-onboarding") == ObjectiveStatus.ACTIVE


def test_scoring_shows_the_grade_and_keeps_the_objective_open(okr_client, uow):
    data = form_of(okr_client, "streamline-onboarding")
    response = okr_client.post(SCORING + "/streamline-onboarding", data={**data, "action": "score"})
    assert response.status_code == 303
    this = card(get(okr_client, response.headers["location"]), "streamline-onboarding")
    words = text_of(this)
    assert "Scored." in words
    assert "Grade ▲ 0.5 Yellow under 0.7" in words
    assert 'class="status status-yellow"' in this
    assert "<form" in this  # scored, not closed: it may be rescored
    assert status(uow, "streamline-onboarding") == ObjectiveStatus.SCORED


def test_a_stale_form_is_refused_with_what_was_typed_kept(okr_client):
    data = form_of(okr_client, "streamline-onboarding")
    assert okr_client.post(SCORING + "/streamline-onboarding", data=data).status_code == 303
    stale = {**data, "retrospective": "Wizard shipped late."}
    response = okr_client.post(SCORING + "/streamline-onboarding", data=stale)
    assert response.status_code == 409
    this = card(response.text, "streamline-onboarding")
    assert (
        "Not scored: objective 'streamline-onboarding' was changed by maya@example.com at "
        "2026-08-12 09:00" in (text_of(this))
    )
    assert "Wizard shipped late.</textarea>" in this


def test_an_unknown_cycle_or_objective_is_a_page_in_words(okr_client):
    assert "No cycle 'nope'" in text_of(get(okr_client, "/cycles/nope/scoring", 404))
    data = form_of(okr_client, "streamline-onboarding")
    response = okr_client.post(SCORING + "/no-such-objective", data=data)
    assert response.status_code == 404
    assert "No objective 'no-such-objective'" in text_of(response.text)

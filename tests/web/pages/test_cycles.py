"""The cycle overview: `/cycles` to the current cycle, each team's objectives with
progress against what was expected by now, pace and flags in words, a summary line,
filters and pages that are plain links, every cycle reachable, and an unknown cycle as
a page in words."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.cycles import CycleState
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import Objective
from okrkit.interfaces.web.app import create_app
from okrkit.services.check_ins import RecordCheckIn, record_check_in
from okrkit.services.cycles import (
    MAX_CHOICES,
    PAGE_SIZE,
    CreateCycle,
    create_cycle,
    cycle_overview,
)
from okrkit.services.objectives import CreateObjective, create_objective
from okrkit.services.teams import CreateTeam, create_team
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import element, get, text_of

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

OVERVIEW = "/cycles/2026-Q3"


@pytest.fixture
def empty_client(engine: Engine) -> Iterator[TestClient]:
    """The app on a workspace without any cycle."""
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


def add_objectives(uow: SqlUnitOfWork, count: int, team: str = "growth") -> None:
    """`count` more aspirational objectives of a team in 2026-Q3, one key result each."""
    for n in range(count):
        create_objective(
            uow,
            CreateObjective(
                Objective(
                    key=f"bet-{n:02d}",
                    title=f"Bet {n:02d} on a smoother trial",
                    cycle="2026-Q3",
                    team=team,
                    owner="noah@example.com",
                ),
                (KeyResultDefinition(title="Lift trial activation", start=10, target=20),),
            ),
            as_actor(okrs.ACTOR),
            datetime(2026, 7, 1),
        )


def kr_ids(uow: SqlUnitOfWork, objective: str) -> list[int]:
    """The ids of an objective's key results, in their order."""
    with uow:
        return [kr.id for kr in uow.key_results.of([objective])[objective]]


def rows(page: str) -> dict[str, str]:
    """Each objective's row on the overview, in words, by its key."""
    return {
        key: text_of(row)
        for key, row in re.findall(r'<li class="okr-row" id="o-([\w-]+)">(.*?)</li>', page, re.S)
    }


def test_cycles_goes_to_the_current_cycle(okr_client):
    response = okr_client.get("/cycles")
    assert response.status_code == 303
    assert response.headers["location"] == OVERVIEW


def test_without_a_cycle_the_page_says_how_to_add_one(empty_client):
    words = text_of(get(empty_client, "/cycles"))
    assert "No cycles yet" in words
    assert "Add the quarter your teams commit to, e.g. 2026-Q3" in words
    assert 'href="/cycles/new"' in get(empty_client, "/cycles")


def test_the_overview_shows_the_cycle_its_dates_and_how_far_in_it_is(okr_client):
    page = get(okr_client, OVERVIEW)
    head = text_of(element(page, "div", 'class="page-head"'))
    assert "2026-Q3" in head
    assert "Active 2026-07-01 to 2026-09-30 week 7 of 13, 46 % of the cycle gone" in head
    assert 'href="/objectives/new?cycle=2026-Q3"' in page
    assert 'href="/tree?cycle=2026-Q3"' in page
    assert 'href="/me/week"' in page
    assert 'href="/cycles/2026-Q3/close"' in page


def test_each_objective_reads_with_progress_pace_and_flags_by_team(okr_client):
    page = get(okr_client, OVERVIEW)
    found = rows(page)
    assert list(found) == ["grow-paying-customers", "streamline-onboarding"]
    onboarding = found["streamline-onboarding"]
    assert "Streamline onboarding to drive high-value conversions" in onboarding
    assert "maya@example.com Aspirational 4 key results" in onboarding
    assert "54 % of 46 % expected" in onboarding
    assert "✓ On track" in onboarding
    assert "◷ Check-in due" in onboarding  # the KPI-fed key result has no check-in
    assert "Guardrail breached" not in onboarding
    assert "ceo@example.com Committed 1 key result" in found["grow-paying-customers"]
    assert "○ Not started" in found["grow-paying-customers"]
    assert '<a href="/objectives/streamline-onboarding">' in page
    bar = element(page, "div", 'class="progress"')
    assert 'aria-label="Progress: 0 %, 46 % expected by now"' in bar
    words = text_of(page)
    assert words.index("Company 1 objective") < words.index("Growth 1 objective")
    assert (
        "2 objectives: ✓ 1 on track, ▲ 0 at risk, ✕ 0 off track, ○ 1 not started. "
        "◷ 2 due a check-in." in words
    )
    assert "Objectives 1–2 of 2" in words


def test_a_breached_guardrail_is_flagged_in_words(okr_client, uow):
    tickets = kr_ids(uow, "streamline-onboarding")[3]
    record_check_in(
        uow,
        RecordCheckIn(tickets, 7.0, 5, "a wave of tickets"),
        as_actor(okrs.ACTOR),
        datetime(2026, 8, 11),
    )
    onboarding = rows(get(okr_client, OVERVIEW))["streamline-onboarding"]
    assert "⚠ Guardrail breached" in onboarding


def test_filters_are_a_form_of_links_that_keep_what_was_chosen(okr_client):
    page = get(okr_client, OVERVIEW + "?team=growth")
    assert list(rows(page)) == ["streamline-onboarding"]
    form = element(page, "form", 'class="filters"')
    assert 'method="get"' in form
    assert '<option value="growth" selected>Growth</option>' in form
    assert "Clear filters" in text_of(page)
    assert "Objectives 1–1 of 1 (filtered)" in text_of(page)

    assert list(rows(get(okr_client, OVERVIEW + "?owner=ceo@example.com"))) == [
        "grow-paying-customers"
    ]
    page = get(okr_client, OVERVIEW + "?type=committed")
    assert list(rows(page)) == ["grow-paying-customers"]
    assert '<option value="committed" selected>Committed</option>' in page
    assert list(rows(get(okr_client, OVERVIEW + "?team=growth&type=committed"))) == []
    words = text_of(get(okr_client, OVERVIEW + "?team=growth&type=committed"))
    assert "No objective matches these filters" in words


def test_a_bad_filter_is_named_on_a_page_in_words(okr_client):
    words = text_of(get(okr_client, OVERVIEW + "?type=stretch", 422))
    assert "'stretch' is not an objective type: committed, aspirational or learning" in words


def test_pages_of_objectives_keep_the_filters(okr_client, uow):
    add_objectives(uow, PAGE_SIZE + 5)
    first = get(okr_client, OVERVIEW + "?team=growth")
    assert len(rows(first)) == PAGE_SIZE
    words = text_of(first)
    assert f"Objectives 1–{PAGE_SIZE} of {PAGE_SIZE + 6} (filtered)" in words
    assert f"On this page, {PAGE_SIZE} objectives:" in words
    assert "Page 1 of 2" in words
    pager = element(first, "nav", 'aria-label="Pages of objectives"')
    assert 'href="/cycles/2026-Q3?team=growth&amp;page=2"' in pager

    second = get(okr_client, OVERVIEW + "?team=growth&page=2")
    assert len(rows(second)) == 6
    assert f"Objectives {PAGE_SIZE + 1}–{PAGE_SIZE + 6} of {PAGE_SIZE + 6}" in text_of(second)
    assert 'href="/cycles/2026-Q3?team=growth"' in second  # back to the first page

    beyond = text_of(get(okr_client, OVERVIEW + "?team=growth&page=9"))
    assert "No objectives on page 9" in beyond
    assert "on 2 pages" in beyond
    for bad in ("0", "x"):
        words = text_of(get(okr_client, f"{OVERVIEW}?page={bad}", 422))
        assert f"'{bad}' is not a page: pages count from 1" in words


def test_an_unknown_cycle_is_a_page_in_words(okr_client):
    words = text_of(get(okr_client, "/cycles/2031-Q1", 404))
    assert "Not found" in words
    assert "No cycle '2031-Q1'" in words


def test_every_cycle_is_reachable_with_its_state_and_dates(okr_client, uow):
    create_cycle(
        uow,
        CreateCycle("2026-Q2", state=CycleState.CLOSED),
        as_actor(okrs.ACTOR),
        datetime(2026, 7, 1),
    )
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor(okrs.ACTOR), datetime(2026, 7, 1))
    switcher = element(get(okr_client, OVERVIEW), "details", 'class="cycle-switcher"')
    words = text_of(switcher)
    assert "All cycles (3)" in words
    assert "2026-Q4 Planning · 2026-10-01 to 2026-12-31" in words
    assert "2026-Q3 Active · 2026-07-01 to 2026-09-30" in words
    assert "2026-Q2 Closed · 2026-04-01 to 2026-06-30" in words
    assert '<a href="/cycles/2026-Q3" aria-current="page">' in switcher
    assert '<a href="/cycles/2026-Q2">' in switcher

    past = text_of(get(okr_client, "/cycles/2026-Q2"))
    assert "Closed 2026-04-01 to 2026-06-30 ended on 2026-06-30" in past
    assert "This cycle is closed with no objectives on record." in past


def test_an_empty_cycle_says_what_to_do_next(okr_client, uow):
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor(okrs.ACTOR), datetime(2026, 7, 1))
    page = get(okr_client, "/cycles/2026-Q4")
    words = text_of(page)
    assert "Planning 2026-10-01 to 2026-12-31 starts in 50 days" in words
    assert "No objectives in 2026-Q4 yet" in words
    assert "Each team commits to 1 to 3 objectives" in words
    assert 'href="/objectives/new?cycle=2026-Q4"' in page
    assert "Start the cycle" in words


def test_a_committed_objectives_pace_uses_its_bars(okr_client, uow):
    create_objective(
        uow,
        CreateObjective(
            Objective(
                key="fix-billing",
                title="Make billing dependable",
                cycle="2026-Q3",
                team="growth",
                type=ObjectiveType.COMMITTED,
                owner="noah@example.com",
            ),
            (KeyResultDefinition(title="Cut failed invoices", start=100, target=0),),
        ),
        as_actor(okrs.ACTOR),
        datetime(2026, 7, 1),
    )
    (invoices,) = kr_ids(uow, "fix-billing")
    for week, value in enumerate((95, 90, 85), start=1):
        record_check_in(
            uow,
            RecordCheckIn(invoices, value, 4),
            as_actor("noah@example.com"),
            datetime(2026, 7, 1 + 7 * week),
        )
    row = rows(get(okr_client, OVERVIEW))["fix-billing"]
    assert "15 % of 46 % expected" in row
    assert "✕ Off track" in row


def test_beyond_a_hundred_teams_and_owners_the_filters_are_typed(okr_client, uow):
    """A list of every team and owner stops at `MAX_CHOICES`: beyond, the filter is a
    field to type in, and typing a team's key or an owner filters as choosing does."""
    for n in range(MAX_CHOICES):
        create_team(
            uow, CreateTeam(f"squad-{n:03d}", f"Squad {n:03d}"), as_actor(okrs.ACTOR), okrs.NOW
        )
        create_objective(
            uow,
            CreateObjective(
                Objective(key=f"squad-bet-{n:03d}", title="Ship the squad's bet",
                          cycle="2026-Q3", team=f"squad-{n:03d}",
                          owner=f"lead-{n:03d}@example.com")
            ),
            as_actor(okrs.ACTOR),
            okrs.NOW,
        )  # fmt: skip
    overview = cycle_overview(uow, "2026-Q3", okrs.NOW, viewer=ADMIN)
    assert (overview.teams, overview.owners) == (None, None)  # 102 teams, 102 owners

    page = get(okr_client, OVERVIEW + "?team=+squad-042+")
    assert list(rows(page)) == ["squad-bet-042"]
    form = element(page, "form", 'class="filters"')
    assert "<select" in form  # the type is still a choice of three
    assert "<option" not in element(form, "div", 'class="field"')  # no 102-team list
    assert 'name="team" type="search" value="squad-042"' in form
    assert "Too many to list: type a team's key" in text_of(form)
    assert "Too many to list: type an owner" in text_of(form)
    assert len(page) < 60_000

    mine = get(okr_client, OVERVIEW + "?owner=lead-007@example.com")
    assert list(rows(mine)) == ["squad-bet-007"]
    assert 'name="owner" type="search" value="lead-007@example.com"' in mine

"""The alignment tree: the North Star KPI with its status and newest value, the objectives
serving it, the team objectives nested under what they align to (an objective, or one of
its key results), the objectives aligned to nothing in a section of their own, and every
cycle reachable."""

from __future__ import annotations

import re
import warnings
from datetime import datetime

from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.cycles import CycleState
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import Alignment, Objective
from okrkit.interfaces.web.app import create_app
from okrkit.services.cycles import CreateCycle, create_cycle
from okrkit.services.objectives import CreateObjective, create_objective
from tests.support import okrs
from tests.support.actors import as_actor
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import element, get, text_of

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

TREE = "/tree?cycle=2026-Q3"


def add(uow, key: str, title: str, parent: Alignment | None = None, team: str = "growth") -> None:
    create_objective(
        uow,
        CreateObjective(
            Objective(
                key=key, title=title, cycle="2026-Q3", team=team, owner="noah@example.com",
                parent=parent,
            ),
            (KeyResultDefinition(title="Lift trial activation", start=10, target=20),),
        ),
        as_actor(okrs.ACTOR),
        datetime(2026, 7, 1),
    )  # fmt: skip


def item(page: str, key: str) -> str:
    """An objective's list item in the tree, with everything nested under it."""
    start = page.index(f'<div class="tree-item" id="t-{key}">')
    opening = page.rindex('<li class="tree-node">', 0, start)
    depth, position = 0, opening
    for tag in re.finditer(r"<(/?)li\b", page[opening:]):
        depth += -1 if tag[1] else 1
        if depth == 0:
            position = opening + tag.end()
            break
    return page[opening:position]


def test_tree_goes_to_the_current_cycles_tree(okr_client):
    response = okr_client.get("/tree")
    assert response.status_code == 303
    assert response.headers["location"] == TREE


def test_without_a_cycle_the_tree_says_so(engine: Engine):
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        words = text_of(get(client, "/tree"))
    assert "No cycles yet" in words
    assert "Add a cycle" in words


def test_from_the_north_star_down_to_the_team_objective(okr_client):
    imported = okr_client.post(
        "/api/v1/kpis/dau/values",
        json=[
            {"timestamp": "2026-08-10", "value": 48213},
            {"timestamp": "2026-08-11", "value": 48990},
        ],
    )
    assert imported.status_code == 200, imported.text
    page = get(okr_client, TREE)
    star = element(page, "section", 'aria-labelledby="star-dau"')
    words = text_of(star)
    assert words.startswith(
        "North Star KPI Daily active users ? Unknown 48,990 newest value, 2026-08-11"
    )
    assert '<a href="/kpis/dau">Daily active users</a>' in star

    company = item(page, "grow-paying-customers")
    assert "Grow paying customers profitably Company Committed" in text_of(company)
    # The team objective is nested inside the company objective it aligns to.
    onboarding = item(page, "streamline-onboarding")
    assert onboarding in company
    words = text_of(onboarding)
    assert "Streamline onboarding to drive high-value conversions Growth Aspirational" in words
    assert "54 % of 46 % expected ✓ On track ◷ Check-in due" in words
    assert '<a class="tree-title" href="/objectives/streamline-onboarding">' in onboarding
    assert "2 objectives. Each objective sits under what it aligns to" in text_of(page)
    assert "None: every objective of 2026-Q3 serves something." in text_of(page)


def test_an_objective_aligned_to_a_key_result_sits_under_it(okr_client, uow):
    with uow:
        wizard = uow.key_results.of(["streamline-onboarding"])["streamline-onboarding"][0].id
    add(
        uow,
        "wizard-v2",
        "Make the setup wizard effortless",
        Alignment("streamline-onboarding", wizard),
        "company",
    )
    page = get(okr_client, TREE)
    onboarding = item(page, "streamline-onboarding")
    under = re.search(r'<li class="tree-kr">.*', onboarding, re.S)[0]
    words = text_of(under)
    assert words.startswith(
        "Key result Increase setup wizard completion rate from 40% to 70% (60 % done) "
        "Make the setup wizard effortless Company"
    )
    assert item(page, "wizard-v2") in under


def test_objectives_aligned_to_nothing_are_listed_as_such(okr_client, uow):
    add(uow, "tidy-pricing", "Make pricing easy to understand")
    page = get(okr_client, TREE)
    section = element(page, "section", 'aria-labelledby="unaligned-title"')
    words = text_of(section)
    assert words.startswith("Aligned to nothing These objectives align to no objective")
    assert "Make pricing easy to understand Growth Aspirational" in words
    assert "Streamline onboarding" not in words
    assert "3 objectives, 1 aligned to nothing." in text_of(page)


def test_every_cycle_is_reachable_and_an_unknown_one_is_a_page_in_words(okr_client, uow):
    create_cycle(
        uow, CreateCycle("2026-Q4", state=CycleState.PLANNING), as_actor(okrs.ACTOR), okrs.NOW
    )
    page = get(okr_client, TREE)
    switcher = element(page, "details", 'class="cycle-switcher"')
    assert '<a href="/tree?cycle=2026-Q4">2026-Q4</a>' in switcher
    assert "2026-Q4 Planning · 2026-10-01 to 2026-12-31" in text_of(switcher)
    empty = text_of(get(okr_client, "/tree?cycle=2026-Q4"))
    assert "No objective of 2026-Q4 serves Daily active users yet." in empty
    assert "2026-Q4 holds no objectives yet." in empty
    assert "No cycle '1999-Q1'" in text_of(get(okr_client, "/tree?cycle=1999-Q1", 404))

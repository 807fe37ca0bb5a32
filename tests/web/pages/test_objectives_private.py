"""What an outsider's browser is shown of the OKR side, on SQLite and PostgreSQL: the
private onboarding objective of growth (and its private KPI) appear nowhere in the
pages of the cycle, the tree, my week and the public objectives, forms included; asked
for by address, each is not found, in words that name only what was asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.accounts import Role
from okrkit.interfaces.web.app import create_app
from tests.support import okrs
from tests.support.browsers import BrowserClient
from tests.support.private_okrs import (
    ALIGNED,
    PRIVATE,
    PRIVATE_KPI,
    PRIVATE_KPI_NAME,
    PRIVATE_TITLE,
    Private,
    build,
)
from tests.web.pages.helpers import text_of

SECRETS = (PRIVATE, PRIVATE_TITLE, PRIVATE_KPI, PRIVATE_KPI_NAME)


@pytest.fixture
def private(uow: SqlUnitOfWork) -> Private:
    return build(uow)


@pytest.fixture
def app(engine: Engine, private: Private):
    return create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)


@pytest.fixture
def outsider(app) -> Iterator[BrowserClient]:
    """An editor of the company team only: an outsider to growth."""
    with BrowserClient(
        app, account="cy@example.com", admin=False, teams={"company": Role.EDITOR}
    ) as client:
        yield client


@pytest.fixture
def member(app) -> Iterator[BrowserClient]:
    """A viewer of growth."""
    with BrowserClient(
        app, account="bo@example.com", admin=False, teams={"growth": Role.VIEWER}
    ) as client:
        yield client


def _pages(private: Private) -> list[str]:
    return [
        "/tree?cycle=2026-Q3",
        "/cycles/2026-Q3",
        "/cycles/2026-Q3/scoring",
        "/objectives/grow-paying-customers",
        f"/objectives/{ALIGNED}",
        f"/objectives/{ALIGNED}/edit",
        "/objectives/new?cycle=2026-Q3",
        "/objectives/grow-paying-customers/key-results/new",
        f"/key-results/{private.fed}/edit",
        f"/key-results/{private.fed}/check-in",
        "/me/week?owner=noah%40example.com",
        f"/me/week?owner={okrs.ACTOR.replace('@', '%40')}",
    ]


def test_an_outsider_is_shown_no_private_objective_or_kpi_anywhere(outsider, private):
    for address in _pages(private):
        response = outsider.get(address)
        assert response.status_code == 200, (address, response.text)
        for secret in SECRETS:
            assert secret not in response.text, (address, secret)


def test_a_member_is_shown_them(member, private):
    tree = member.get("/tree?cycle=2026-Q3").text
    assert PRIVATE_TITLE in tree
    assert "private objective" not in tree
    company = member.get("/objectives/grow-paying-customers").text
    assert PRIVATE_KPI_NAME in company
    assert "private objective aligns" not in company
    assert PRIVATE_TITLE in member.get("/cycles/2026-Q3").text
    assert PRIVATE_TITLE in member.get(f"/objectives/{PRIVATE}").text


def test_an_outsider_is_told_where_a_private_thing_stands_without_its_name(outsider, private):
    tree = outsider.get("/tree?cycle=2026-Q3").text
    assert "1 private objective" in tree
    assert "Make the first week" in tree  # aligned under it, and public
    assert "a private objective" in outsider.get(f"/objectives/{ALIGNED}").text
    company = text_of(outsider.get("/objectives/grow-paying-customers").text)
    assert "Fed by a private KPI" in company
    # What the tree shows under it, its page says too: how many, not which.
    assert "1 private objective aligns to this one, seen by its team only." in company
    assert "From a private KPI" in outsider.get(f"/key-results/{private.fed}/check-in").text


def test_a_private_objective_and_what_is_under_it_are_not_found_by_address(outsider, private):
    wizard = private.ids.wizard
    asked = {
        f"/objectives/{PRIVATE}": PRIVATE,
        f"/objectives/{PRIVATE}/edit": PRIVATE,
        f"/objectives/{PRIVATE}/carry": PRIVATE,
        f"/objectives/{PRIVATE}/key-results/new": PRIVATE,
        f"/key-results/{wizard}": f"no key result {wizard}",
        f"/key-results/{wizard}/edit": f"no key result {wizard}",
        f"/key-results/{wizard}/check-in": f"no key result {wizard}",
        f"/initiatives/{private.initiative}/edit": f"no initiative {private.initiative}",
    }
    for address, words in asked.items():
        response = outsider.get(address)
        assert response.status_code == 404, (address, response.text)
        assert words.lower() in response.text.lower()
        for secret in (PRIVATE_TITLE, PRIVATE_KPI, PRIVATE_KPI_NAME):
            assert secret not in response.text, (address, secret)
        if not address.startswith(f"/objectives/{PRIVATE}"):
            assert PRIVATE not in response.text, address

"""What an outsider's API token reads of the OKR side, on SQLite and PostgreSQL: the
private onboarding objective of growth (and its private KPI) appear in no answer about
the objectives, key results, check-ins and initiatives; asked for by key, each is not
found in words that name only what was asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.accounts import Role
from okrkit.interfaces.web.app import create_app
from tests.support import okrs
from tests.support.browsers import TestClient, bearer
from tests.support.private_okrs import (
    ALIGNED,
    PRIVATE,
    PRIVATE_KPI,
    PRIVATE_KPI_NAME,
    PRIVATE_TITLE,
    Private,
    build,
)

SECRETS = (PRIVATE, PRIVATE_TITLE, PRIVATE_KPI, PRIVATE_KPI_NAME)


@pytest.fixture
def private(uow: SqlUnitOfWork) -> Private:
    return build(uow)


@pytest.fixture
def app(engine: Engine, private: Private):
    return create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)


def _client(app, email: str, team: str) -> TestClient:
    return TestClient(app, headers=bearer(app, email, admin=False, teams={team: Role.VIEWER}))


@pytest.fixture
def outsider(app) -> Iterator[TestClient]:
    with _client(app, "cy@example.com", "company") as client:
        yield client


@pytest.fixture
def member(app) -> Iterator[TestClient]:
    with _client(app, "bo@example.com", "growth") as client:
        yield client


def test_an_outsider_reads_no_private_objective_or_kpi(outsider, member, private):
    listed = outsider.get("/api/v1/objectives")
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 2
    assert member.get("/api/v1/objectives").json()["total"] == 3
    for address in (
        "/api/v1/objectives",
        "/api/v1/objectives?cycle=2026-Q3&team=growth",
        "/api/v1/objectives/grow-paying-customers",
        f"/api/v1/objectives/{ALIGNED}",
        f"/api/v1/key-results/{private.fed}",
        f"/api/v1/key-results/{private.fed}/check-ins",
    ):
        response = outsider.get(address)
        assert response.status_code == 200, (address, response.text)
        for secret in SECRETS:
            assert secret not in response.text, (address, secret)
    fed = member.get(f"/api/v1/key-results/{private.fed}").text
    assert PRIVATE_KPI in fed


def test_a_private_objective_and_what_is_under_it_are_not_found(outsider, member, private):
    wizard, initiative = private.ids.wizard, private.initiative
    asked = {
        f"/api/v1/objectives/{PRIVATE}": f"no objective '{PRIVATE}'",
        f"/api/v1/key-results/{wizard}": f"no key result {wizard}",
        f"/api/v1/key-results/{wizard}/check-ins": f"no key result {wizard}",
        f"/api/v1/initiatives/{initiative}": f"no initiative {initiative}",
    }
    for address, words in asked.items():
        assert member.get(address).status_code == 200, address
        response = outsider.get(address)
        assert response.status_code == 404, (address, response.text)
        assert response.json()["detail"] == words
        for secret in (PRIVATE_TITLE, PRIVATE_KPI, PRIVATE_KPI_NAME):
            assert secret not in response.text, (address, secret)

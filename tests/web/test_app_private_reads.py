"""The pages and the API of alerts, subscriptions, the audit log, imports and values as an
outsider reads them, on SQLite and PostgreSQL: a private KPI's key and name appear
nowhere in what they are answered (its alert, draft, subscription, deliveries and audit
entries are not there; asked for by address, not found), while a member of its team
reads them all. The navigation's count of open alerts counts what its reader may see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from okrkit.adapters.notify import new_secret
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.accounts import Role
from okrkit.interfaces.web.app import create_app
from okrkit.services import kpis
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from okrkit.services.teams import CreateTeam, create_team
from tests.support import alerts as support
from tests.support.actors import ADMIN
from tests.support.browsers import BrowserClient, TestClient, bearer
from tests.web.pages.helpers import element, text_of

NOW = support.NOW
PRIVATE = "trial_to_paid"
# What names the private KPI: its key (in its draft's key too) and its name (in its
# draft's title too).
SECRETS = (PRIVATE, "Trial-to-paid", "trial-to-paid")
MEMBER = "bo@example.com"
OUTSIDER = "cy@example.com"


@dataclass
class Clients:
    member: BrowserClient
    outsider: BrowserClient
    api_member: TestClient
    api_outsider: TestClient
    team: int  # a subscription to growth's alerts
    own: int  # a subscription to the private KPI's alerts


@pytest.fixture
def clients(engine: Engine, uow: SqlUnitOfWork) -> Iterator[Clients]:
    """Growth's trial-to-paid (private) and activation slipped — alert 1 and its draft
    are the private KPI's, alert 2 activation's — with subscriptions to growth and to
    the private KPI, told of both; a member of growth, and an outsider in sales."""
    support.healthy(uow)
    create_team(uow, CreateTeam("sales", "Sales"), ADMIN, NOW)
    version = kpis.get_kpi(uow, PRIVATE, viewer=ADMIN).revision.version
    changes = kpis.EditKpi(PRIVATE, version, {"private": True})
    kpis.edit_kpi(uow, changes, ADMIN, NOW - timedelta(days=7))
    made = [
        create_subscription(
            uow,
            CreateSubscription(
                "webhook", "https://hooks.example.com/okrkit", secret=new_secret(), **covers
            ),  # fmt: skip
            ADMIN,
            NOW,
        ).id
        for covers in ({"team": "growth"}, {"kpi": PRIVATE})
    ]
    support.slip(uow, PRIVATE, 13.1)
    support.slip(uow, "activation", 8.0)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    member = {"account": MEMBER, "admin": False, "teams": {"growth": Role.VIEWER}}
    outsider = {"account": OUTSIDER, "admin": False, "teams": {"sales": Role.EDITOR}}
    with (
        BrowserClient(app, follow_redirects=False, **member) as member_client,
        BrowserClient(app, follow_redirects=False, **outsider) as outsider_client,
        TestClient(app, headers=bearer(app, MEMBER, admin=False)) as api_member,
        TestClient(app, headers=bearer(app, OUTSIDER, admin=False)) as api_outsider,
    ):
        yield Clients(member_client, outsider_client, api_member, api_outsider, *made)


def _names_it(text: str) -> bool:
    """Whether a page or answer names the private KPI (the forms' hints give
    trial_to_paid as an example of a key on every workspace: that names nothing)."""
    text = text.replace("e.g. trial_to_paid", "")
    return any(secret in text for secret in SECRETS)


def _says_nothing_of_it(text: str) -> None:
    assert not _names_it(text)


def _shown(client: TestClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.text)
    return answer.text


def test_an_outsider_reads_nothing_of_a_private_kpi_on_the_pages(clients):
    private_pages = (
        "/alerts?state=open", f"/alerts/{support.YELLOW}",
        f"/subscriptions/{clients.own}", f"/subscriptions/{clients.own}/delete",
        f"/subscriptions/{clients.team}", "/subscriptions", "/audit",
    )  # fmt: skip
    for path in private_pages:
        assert _names_it(_shown(clients.member, path)), path
    shared = (
        "/alerts?state=open", "/alerts?state=acknowledged", "/alerts?team=growth",
        f"/alerts/{support.RED}", "/subscriptions", f"/subscriptions/{clients.team}",
        "/audit", "/audit?team=growth", "/audit?kind=alert",
    )  # fmt: skip
    for path in shared:
        _says_nothing_of_it(_shown(clients.outsider, path))
    for path in (
        f"/alerts/{support.YELLOW}",
        f"/subscriptions/{clients.own}",
        f"/subscriptions/{clients.own}/delete",
    ):
        answer = clients.outsider.get(path)
        assert answer.status_code == 404, path
        _says_nothing_of_it(answer.text)
    # The delivery log of growth's subscription: activation's notice only.
    log = _shown(clients.outsider, f"/subscriptions/{clients.team}")
    assert "Activation rate" in log


def test_the_navigation_counts_the_open_alerts_its_reader_may_see(clients):
    def count(client: BrowserClient) -> str:
        nav = text_of(element(_shown(client, "/alerts"), "nav", 'aria-label="Main"'))
        found = re.search(r"Alerts (\d+) open", nav)
        return found.group(1) if found else "none"

    assert count(clients.member) == "2"
    assert count(clients.outsider) == "1"


def test_an_outsider_reads_nothing_of_a_private_kpi_in_the_api(clients):
    member = _shown(clients.api_member, "/api/v1/alerts")
    assert PRIVATE in member
    for path in (
        "/api/v1/alerts", "/api/v1/alerts?team=growth", f"/api/v1/alerts/{support.RED}",
        "/api/v1/subscriptions", f"/api/v1/subscriptions/{clients.team}",
        f"/api/v1/subscriptions/{clients.team}/deliveries", "/api/v1/audit?limit=200",
        "/api/v1/imports?limit=200", "/api/v1/kpis/activation/values",
    ):  # fmt: skip
        _says_nothing_of_it(_shown(clients.api_outsider, path))
    listed = clients.api_outsider.get("/api/v1/alerts").json()
    assert listed["total"] == 1
    for path, missing in (
        (f"/api/v1/alerts/{support.YELLOW}", f"no alert {support.YELLOW}"),
        (f"/api/v1/alerts?kpi={PRIVATE}", f"no KPI '{PRIVATE}'"),
        (f"/api/v1/subscriptions/{clients.own}", f"no subscription {clients.own}"),
        (f"/api/v1/subscriptions/{clients.own}/deliveries", f"no subscription {clients.own}"),
        (f"/api/v1/imports?kpi={PRIVATE}", f"no KPI '{PRIVATE}'"),
        (f"/api/v1/kpis/{PRIVATE}/values", f"no KPI '{PRIVATE}'"),
    ):
        answer = clients.api_outsider.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["detail"] == missing
    for path in (
        f"/api/v1/alerts/{support.YELLOW}",
        f"/api/v1/subscriptions/{clients.own}/deliveries",
        f"/api/v1/imports?kpi={PRIVATE}",
        f"/api/v1/kpis/{PRIVATE}/values",
    ):
        assert clients.api_member.get(path).status_code == 200, path


def test_an_outsiders_preview_of_an_import_into_a_private_kpi_finds_no_kpi(clients):
    body = [{"timestamp": "2026-11-17", "value": 13.0}]
    path = f"/api/v1/kpis/{PRIVATE}/values?dry_run=true"
    answer = clients.api_outsider.post(path, json=body)
    assert answer.status_code == 404
    assert answer.json()["detail"] == f"no KPI '{PRIVATE}'"

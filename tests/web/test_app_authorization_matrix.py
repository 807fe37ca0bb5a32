"""The authorisation matrix: every route of the app (pages and /api/v1, from its route
table) × every person × a public and a private thing of team growth, each cell's status
checked against one rule, and every answer to someone outside growth searched for the
private things' keys and titles.

The people (tests/support/authorization.py): nobody signed in, a viewer of growth, an
editor of growth, an editor of platform (the outsider) and an admin. The rule, by what
a route touches (`Kind`):

- OPEN (sign-in, problem types, the chart bundle, the OpenAPI document): the same
  answer to everyone.
- Nobody signed in, anywhere else: the API answers 401 (`sign-in-required`); a page
  read sends the browser to /sign-in?next=…(303); a page write — sent with a valid form
  token from the sign-in page, as a browser would — is refused with 401 too.
- SELF (the account page, one's password, tokens, signing out): everyone signed in.
- READ (lists, dashboards, the tree, forms for a new thing, the API's reference page):
  everyone signed in, 200 —
  and what they show of growth's private things is the leak scan's business.
- THING_READ (one of growth's KPIs or objectives, or what hangs on one: values,
  alerts, key results, check-ins, initiatives, subscriptions, imports): everyone who
  may see it; the outsider asking for a private one gets 404, as for a key that does
  not exist.
- ADMIN (teams, cycles: the workspace itself): admins; anyone else 403.
- TEAM (a new thing in growth): growth's editors and admins; anyone else 403.
- THING_WRITE (a change to one of growth's things): growth's editors and admins; the
  viewer 403; the outsider 403 on a public thing and 404 on a private one (an outsider
  learns nothing, not even that it exists) — or, when a page's form names it rather
  than the address (`in_form`), the form again with the error, 422, as for a key that
  does not exist.

An allowed cell answers the route's own success status (`Call.ok`: 200, 201, 204 or
303), with a valid body: a page's form is taken from the page that shows it, as the
admin sees it, so the cell posts what a browser would.

Leaks: every answer to nobody and to the outsider (body and Location) must hold none
of the private things' keys and titles (`SECRETS`), as written, in any case, or
URL-encoded. A secret the request itself carried (the outsider asking for
/kpis/zq_…) may come back in the answer: echoing what was asked teaches nothing when
the status is that of a key that does not exist, which the cell checks.

The workspace is written once per test process into a SQLite file; a read runs on it,
a write on a copy of it (with an app of its own), so every cell starts from the same
workspace. The matrix runs on SQLite only: who may do what is decided in the use cases,
not in the store, which the services' tests run on both databases.

A route the table does not list fails `test_every_route_is_in_the_matrix`, naming it:
a new route needs its entry here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from okrkit.interfaces.web.form_tokens import TOKEN_FIELD
from tests.support.authorization import (
    EMAILS,
    NOW,
    PRIVATE,
    PUBLIC,
    SECRETS,
    UPLOADED,
    Person,
    Thing,
    Workspace,
    build,
    page_form,
)
from tests.support.browsers import PASSWORD, TEST_PASSWORDS, TestClient, form_tokens

SECRET = b"the authorisation matrix's install secret"
MATRIX = "authorization matrix"


class Kind(Enum):
    """What a route touches, which decides who may call it (the module's rule)."""

    OPEN = "open to everyone"
    SELF = "one's own account"
    READ = "a workspace read"
    THING_READ = "a read of one of growth's things"
    ADMIN = "a change to the workspace"
    TEAM = "a new thing in growth"
    THING_WRITE = "a change to one of growth's things"


Body = Mapping[str, Any] | Callable[[Thing], Any] | None


@dataclass(frozen=True)
class Call:
    """How the matrix calls a route: its path parameters (templates of the thing `t`
    and the person's own token id `me`), a query, a JSON body or a form (a mapping or
    made from the thing), the page whose form posts here (`form_from`, or to
    `form_action`; its fields overridden by `form`), whether the thing is named in
    that form rather than the address, a file, the API address whose ETag is sent as
    If-Match, and the status when the person may do it."""

    kind: Kind
    params: Mapping[str, str] = field(default_factory=dict)
    query: str = ""
    json: Body = None
    form: Body = None
    form_from: str | None = None
    form_action: str | None = None
    in_form: bool = False
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    etag_from: str | None = None
    ok: int = 200


K = Kind
KPI = {"kpi": "{t.kpi}"}
OBJ = {"objective": "{t.objective}"}
KR = {"id": "{t.key_result}"}
ALERT = {"id": "{t.alert}"}
SUB = {"id": "{t.subscription}"}
INIT = {"id": "{t.initiative}"}
VALUE_AT = {**KPI, "at": "2026-11-09"}
CSV = ("latest.csv", f"timestamp,value\n{UPLOADED:%Y-%m-%d},14.5\n".encode(), "text/csv")

ROUTES: dict[tuple[str, str], Call] = {
    # Open to everyone.
    ("GET", "/api/v1/openapi.json"): Call(K.OPEN),
    ("GET", "/api/v1/problems"): Call(K.OPEN),
    ("GET", "/api/v1/problems/{slug}"): Call(K.OPEN, {"slug": "not-found"}),
    ("GET", "/static/vendor/vega-bundle.js"): Call(K.OPEN),
    ("GET", "/sign-in"): Call(K.OPEN),
    ("POST", "/sign-in"): Call(
        K.OPEN, form={"email": EMAILS[Person.VIEWER], "password": PASSWORD}, ok=303
    ),
    ("GET", "/sign-in/link/{link}"): Call(K.OPEN, {"link": "no-such-link"}, ok=404),
    # One's own account.
    ("POST", "/sign-out"): Call(K.SELF, ok=303),
    ("GET", "/account"): Call(K.SELF),
    ("POST", "/account/password"): Call(
        K.SELF,
        form={
            "current": PASSWORD,
            "password": "another long password",
            "again": "another long password",
        },
        ok=303,
    ),
    ("POST", "/account/tokens"): Call(
        K.SELF, form={"name": "laptop", "scope": "read", "expires": "90"}, ok=201
    ),
    ("POST", "/account/tokens/{token_id}/revoke"): Call(K.SELF, {"token_id": "{me}"}, ok=303),
    # The workspace: teams and cycles.
    ("GET", "/api/v1/teams"): Call(K.READ),
    ("POST", "/api/v1/teams"): Call(K.ADMIN, json={"key": "design", "name": "Design"}, ok=201),
    ("GET", "/api/v1/teams/{team}"): Call(K.READ, {"team": "growth"}),
    ("PATCH", "/api/v1/teams/{team}"): Call(
        K.ADMIN, {"team": "growth"}, json={"name": "Growth team"}, etag_from="/api/v1/teams/growth"
    ),
    ("DELETE", "/api/v1/teams/{team}"): Call(
        K.ADMIN, {"team": "platform"}, etag_from="/api/v1/teams/platform"
    ),
    ("GET", "/teams/{team}"): Call(K.READ, {"team": "growth"}),
    ("GET", "/api/v1/cycles"): Call(K.READ),
    ("POST", "/api/v1/cycles"): Call(K.ADMIN, json={"name": "2027-Q2"}, ok=201),
    ("GET", "/api/v1/cycles/{cycle}"): Call(K.READ, {"cycle": "2026-Q4"}),
    ("POST", "/api/v1/cycles/{cycle}/start"): Call(
        K.ADMIN, {"cycle": "2027-Q1"}, etag_from="/api/v1/cycles/2027-Q1"
    ),
    ("POST", "/api/v1/cycles/{cycle}/close"): Call(
        K.ADMIN, {"cycle": "2026-Q4"}, etag_from="/api/v1/cycles/2026-Q4"
    ),
    ("GET", "/cycles"): Call(K.READ, ok=303),  # to the active cycle
    ("GET", "/cycles/new"): Call(K.READ),
    ("POST", "/cycles"): Call(K.ADMIN, form_from="/cycles/new", form={"name": "2027-Q2"}, ok=303),
    ("GET", "/cycles/{cycle}"): Call(K.READ, {"cycle": "2026-Q4"}),
    ("POST", "/cycles/{cycle}/start"): Call(
        K.ADMIN, {"cycle": "2027-Q1"}, form_from="/cycles/2027-Q1", ok=303
    ),
    ("GET", "/cycles/{cycle}/close"): Call(K.READ, {"cycle": "2026-Q4"}),
    ("POST", "/cycles/{cycle}/close"): Call(
        K.ADMIN, {"cycle": "2026-Q4"}, form_from="/cycles/2026-Q4/close", ok=303
    ),
    ("GET", "/cycles/{cycle}/scoring"): Call(K.READ, {"cycle": "2026-Q4"}),
    ("POST", "/cycles/{cycle}/scoring/{objective}"): Call(
        K.THING_WRITE, {"cycle": "2026-Q4", **OBJ}, form_from="/cycles/2026-Q4/scoring", ok=303
    ),
    # Lists, dashboards and overviews; the API's reference page is for those signed in
    # (its OpenAPI document is open).
    ("GET", "/api/v1/docs"): Call(K.READ),
    ("GET", "/"): Call(K.READ),
    ("GET", "/tree"): Call(K.READ, query="cycle=2026-Q4"),
    ("GET", "/me/week"): Call(K.READ),
    ("GET", "/alerts"): Call(K.READ),
    ("GET", "/lint"): Call(K.READ),
    ("GET", "/lint/findings"): Call(K.READ),
    ("GET", "/subscriptions"): Call(K.READ),
    ("GET", "/audit"): Call(K.READ),
    ("GET", "/kpis/new"): Call(K.READ, query="team=growth"),
    ("GET", "/objectives/new"): Call(K.READ),
    ("GET", "/api/v1/kpis"): Call(K.READ),
    ("GET", "/api/v1/objectives"): Call(K.READ),
    ("GET", "/api/v1/alerts"): Call(K.READ),
    ("GET", "/api/v1/imports"): Call(K.READ),
    ("GET", "/api/v1/subscriptions"): Call(K.READ),
    ("GET", "/api/v1/audit"): Call(K.READ),
    # KPIs and their values.
    ("POST", "/api/v1/kpis"): Call(
        K.TEAM,
        json={
            "key": "activation",
            "name": "Activation rate",
            "direction": "higher",
            "cadence": "weekly",
            "team": "growth",
        },
        ok=201,
    ),  # fmt: skip
    ("GET", "/api/v1/kpis/{kpi}"): Call(K.THING_READ, KPI),
    ("PATCH", "/api/v1/kpis/{kpi}"): Call(
        K.THING_WRITE,
        KPI,
        json={"description": "Paid within 30 days of a trial"},
        etag_from="/api/v1/kpis/{t.kpi}",
    ),  # fmt: skip
    ("DELETE", "/api/v1/kpis/{kpi}"): Call(K.THING_WRITE, KPI, etag_from="/api/v1/kpis/{t.kpi}"),
    ("GET", "/api/v1/kpis/{kpi}/health"): Call(K.THING_READ, KPI),
    ("GET", "/api/v1/kpis/{kpi}/values"): Call(K.THING_READ, KPI),
    ("POST", "/api/v1/kpis/{kpi}/values"): Call(
        K.THING_WRITE, KPI, json=[{"timestamp": "2026-11-22", "value": 14.5}]
    ),
    ("PUT", "/api/v1/kpis/{kpi}/values/{at}"): Call(K.THING_WRITE, VALUE_AT, json={"value": 16.1}),
    ("DELETE", "/api/v1/kpis/{kpi}/values/{at}"): Call(K.THING_WRITE, VALUE_AT),
    ("POST", "/api/v1/imports/{import_id}/undo"): Call(
        K.THING_WRITE, {"import_id": "{t.import_id}"}
    ),
    ("POST", "/kpis"): Call(
        K.TEAM,
        form_from="/kpis/new?team=growth",
        form={"key": "activation", "name": "Activation rate"},
        ok=303,
    ),  # fmt: skip
    ("GET", "/kpis/{kpi}"): Call(K.THING_READ, KPI),
    ("GET", "/kpis/{kpi}/edit"): Call(K.THING_READ, KPI),
    ("POST", "/kpis/{kpi}/edit"): Call(
        K.THING_WRITE,
        KPI,
        form_from="/kpis/{t.kpi}/edit",
        form={"description": "Paid within 30 days of a trial"},
        ok=303,
    ),  # fmt: skip
    ("POST", "/kpis/{kpi}/import"): Call(K.THING_WRITE, KPI, files={"file": CSV}, ok=303),
    ("GET", "/kpis/{kpi}/import/{token}"): Call(K.THING_READ, {**KPI, "token": "{t.upload}"}),
    ("POST", "/kpis/{kpi}/import/{token}"): Call(
        K.THING_WRITE,
        {**KPI, "token": "{t.upload}"},
        form_from="/kpis/{t.kpi}/import/{t.upload}",
        ok=303,
    ),  # fmt: skip
    ("POST", "/kpis/{kpi}/import/{token}/cancel"): Call(
        K.THING_WRITE, {**KPI, "token": "{t.upload}"}, ok=303
    ),
    ("POST", "/kpis/{kpi}/values"): Call(
        K.THING_WRITE, KPI, form={"at": "2026-11-22", "value": "14.5", "confirm": "true"}, ok=303
    ),
    ("POST", "/kpis/{kpi}/values/delete"): Call(
        K.THING_WRITE, KPI, form={"at": "2026-11-09"}, ok=303
    ),
    ("POST", "/kpis/{kpi}/imports/{import_id}/undo"): Call(
        K.THING_WRITE, {**KPI, "import_id": "{t.import_id}"}, ok=303
    ),
    # Objectives, key results, check-ins, initiatives.
    ("POST", "/api/v1/objectives"): Call(
        K.TEAM,
        json={
            "key": "win-back-trials",
            "title": "Win back lapsed trials",
            "cycle": "2026-Q4",
            "team": "growth",
        },
        ok=201,
    ),  # fmt: skip
    ("GET", "/api/v1/objectives/{objective}"): Call(K.THING_READ, OBJ),
    ("PATCH", "/api/v1/objectives/{objective}"): Call(
        K.THING_WRITE,
        OBJ,
        json={"description": "Why it matters now"},
        etag_from="/api/v1/objectives/{t.objective}",
    ),  # fmt: skip
    ("POST", "/api/v1/objectives/{objective}/activate"): Call(
        K.THING_WRITE,
        {"objective": "{t.draft_objective}"},
        etag_from="/api/v1/objectives/{t.draft_objective}",
    ),  # fmt: skip
    ("POST", "/api/v1/objectives/{objective}/score"): Call(
        K.THING_WRITE,
        OBJ,
        json=lambda t: {"scores": {str(t.key_result): {"score": 0.5, "reason": "Half done"}}},
        etag_from="/api/v1/objectives/{t.objective}",
    ),  # fmt: skip
    ("POST", "/api/v1/objectives/{objective}/carry"): Call(
        K.THING_WRITE, OBJ, json={"cycle": "2027-Q1"}, ok=201
    ),
    ("POST", "/api/v1/objectives/{objective}/key-results"): Call(
        K.THING_WRITE,
        OBJ,
        json={
            "title": "Answer every trial question within a day",
            "start": 0,
            "target": 100,
            "unit": "percent",
        },
        ok=201,
    ),  # fmt: skip
    ("GET", "/api/v1/key-results/{id}"): Call(K.THING_READ, KR),
    ("PATCH", "/api/v1/key-results/{id}"): Call(
        K.THING_WRITE, KR, json={"weight": 2}, etag_from="/api/v1/key-results/{t.key_result}"
    ),
    ("GET", "/api/v1/key-results/{id}/check-ins"): Call(K.THING_READ, KR),
    ("POST", "/api/v1/key-results/{id}/check-ins"): Call(
        K.THING_WRITE, KR, json={"value": 14.5, "confidence": 6, "note": "week two"}, ok=201
    ),
    ("POST", "/api/v1/key-results/{id}/initiatives"): Call(
        K.THING_WRITE, KR, json={"title": "Call lapsed trials"}, ok=201
    ),
    ("GET", "/api/v1/initiatives/{id}"): Call(K.THING_READ, INIT),
    ("PATCH", "/api/v1/initiatives/{id}"): Call(
        K.THING_WRITE,
        INIT,
        json={"status": "in_progress"},
        etag_from="/api/v1/initiatives/{t.initiative}",
    ),  # fmt: skip
    ("POST", "/objectives"): Call(
        K.TEAM,
        form_from="/objectives/new",
        form={
            "key": "win-back-trials",
            "title": "Win back lapsed trials",
            "cycle": "2026-Q4",
            "team": "growth",
        },
        ok=303,
    ),  # fmt: skip
    ("GET", "/objectives/{objective}"): Call(K.THING_READ, OBJ),
    ("GET", "/objectives/{objective}/edit"): Call(K.THING_READ, OBJ),
    ("POST", "/objectives/{objective}/edit"): Call(
        K.THING_WRITE,
        OBJ,
        form_from="/objectives/{t.objective}/edit",
        form={"description": "Why it matters now"},
        ok=303,
    ),  # fmt: skip
    ("POST", "/objectives/{objective}/activate"): Call(
        K.THING_WRITE,
        {"objective": "{t.draft_objective}"},
        form_from="/objectives/{t.draft_objective}",
        ok=303,
    ),  # fmt: skip
    ("GET", "/objectives/{objective}/carry"): Call(K.THING_READ, OBJ),
    ("POST", "/objectives/{objective}/carry"): Call(
        K.THING_WRITE, OBJ, form_from="/objectives/{t.objective}/carry", ok=303
    ),
    ("GET", "/objectives/{objective}/key-results/new"): Call(K.THING_READ, OBJ),
    ("POST", "/objectives/{objective}/key-results"): Call(
        K.THING_WRITE,
        OBJ,
        form_from="/objectives/{t.objective}/key-results/new",
        form={
            "title": "Answer every trial question within a day",
            "start": "0",
            "target": "100",
            "unit": "percent",
        },
        ok=303,
    ),  # fmt: skip
    ("GET", "/key-results/{id}"): Call(K.THING_READ, KR, ok=303),
    ("GET", "/key-results/{id}/edit"): Call(K.THING_READ, KR),
    ("POST", "/key-results/{id}/edit"): Call(
        K.THING_WRITE,
        KR,
        form_from="/key-results/{t.key_result}/edit",
        form={"weight": "2"},
        ok=303,
    ),  # fmt: skip
    ("GET", "/key-results/{id}/check-in"): Call(K.THING_READ, KR),
    ("POST", "/key-results/{id}/check-in"): Call(
        K.THING_WRITE,
        KR,
        form_from="/key-results/{t.key_result}/check-in",
        form={"value": "14.5", "confidence": "6", "note": "week two"},
        ok=303,
    ),  # fmt: skip
    ("POST", "/me/week"): Call(
        K.THING_WRITE,
        form=lambda t: {f"key_results.{t.key_result}.value": "14.5"},
        in_form=True,
        ok=303,
    ),  # fmt: skip
    ("POST", "/key-results/{id}/initiatives"): Call(
        K.THING_WRITE, KR, form={"title": "Call lapsed trials", "status": "planned"}, ok=303
    ),
    ("GET", "/initiatives/{id}/edit"): Call(K.THING_READ, INIT),
    ("POST", "/initiatives/{id}/edit"): Call(
        K.THING_WRITE,
        INIT,
        form_from="/initiatives/{t.initiative}/edit",
        form={"status": "in_progress"},
        ok=303,
    ),  # fmt: skip
    # Alerts.
    ("GET", "/api/v1/alerts/{id}"): Call(K.THING_READ, ALERT),
    ("POST", "/api/v1/alerts/{id}/acknowledge"): Call(
        K.THING_WRITE, ALERT, etag_from="/api/v1/alerts/{t.alert}"
    ),
    ("POST", "/api/v1/alerts/{id}/resolve"): Call(
        K.THING_WRITE, ALERT, etag_from="/api/v1/alerts/{t.alert}"
    ),
    ("POST", "/api/v1/alerts/{id}/accept"): Call(
        K.THING_WRITE,
        ALERT,
        json={"hypothesis": "A shorter trial converts better"},
        etag_from="/api/v1/alerts/{t.alert}",
    ),  # fmt: skip
    ("POST", "/api/v1/alerts/{id}/dismiss"): Call(
        K.THING_WRITE,
        ALERT,
        json={"reason": "A holiday week"},
        etag_from="/api/v1/alerts/{t.alert}",
    ),  # fmt: skip
    ("GET", "/alerts/{id}"): Call(K.THING_READ, ALERT),
    ("POST", "/alerts/{id}/accept"): Call(
        K.THING_WRITE,
        ALERT,
        form_from="/alerts/{t.alert}",
        form={"hypothesis": "A shorter trial converts better"},
        ok=303,
    ),  # fmt: skip
    ("POST", "/alerts/{id}/dismiss"): Call(
        K.THING_WRITE,
        ALERT,
        form_from="/alerts/{t.alert}",
        form={"reason": "A holiday week"},
        ok=303,
    ),  # fmt: skip
    ("POST", "/alerts/{id}/acknowledge"): Call(
        K.THING_WRITE, ALERT, form_from="/alerts/{t.alert}", ok=303
    ),
    ("POST", "/alerts/{id}/resolve"): Call(
        K.THING_WRITE, ALERT, form_from="/alerts/{t.alert}", ok=303
    ),
    # Subscriptions.
    ("POST", "/api/v1/subscriptions"): Call(
        K.THING_WRITE,
        json=lambda t: {"channel": "email", "target": "pm@example.com", "kpi": t.kpi},
        ok=201,
    ),  # fmt: skip
    ("GET", "/api/v1/subscriptions/{id}"): Call(K.THING_READ, SUB),
    ("POST", "/api/v1/subscriptions/{id}/off"): Call(
        K.THING_WRITE, SUB, etag_from="/api/v1/subscriptions/{t.subscription}"
    ),
    ("POST", "/api/v1/subscriptions/{id}/on"): Call(
        K.THING_WRITE, SUB, etag_from="/api/v1/subscriptions/{t.subscription}"
    ),
    ("DELETE", "/api/v1/subscriptions/{id}"): Call(
        K.THING_WRITE, SUB, etag_from="/api/v1/subscriptions/{t.subscription}", ok=204
    ),
    ("GET", "/api/v1/subscriptions/{id}/deliveries"): Call(K.THING_READ, SUB),
    ("POST", "/subscriptions"): Call(
        K.THING_WRITE,
        form_from="/subscriptions",
        form=lambda t: {"channel": "email", "target": "pm@example.com", "kpi": t.kpi, "team": ""},
        in_form=True,
        ok=303,
    ),  # fmt: skip
    ("GET", "/subscriptions/{id}"): Call(K.THING_READ, SUB),
    ("POST", "/subscriptions/{id}/off"): Call(
        K.THING_WRITE, SUB, form_from="/subscriptions/{t.subscription}", ok=303
    ),
    # An active subscription's page offers to switch it off; "on" takes the same version.
    ("POST", "/subscriptions/{id}/on"): Call(
        K.THING_WRITE,
        SUB,
        form_from="/subscriptions/{t.subscription}",
        form_action="/subscriptions/{t.subscription}/off",
        ok=303,
    ),  # fmt: skip
    ("GET", "/subscriptions/{id}/delete"): Call(K.THING_READ, SUB),
    ("POST", "/subscriptions/{id}/delete"): Call(
        K.THING_WRITE, SUB, form_from="/subscriptions/{t.subscription}/delete", ok=303
    ),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, address template) the app answers, walking included routers
    (HEAD answers wherever GET does, by middleware, so it is not listed)."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, APIRoute | Route):
                for method in route.methods or ():
                    if method != "HEAD":
                        yield method, prefix + route.path

    return set(walk(app.router.routes, ""))


# ---------------------------------------------------------------------------------
# The rule.


def expected(call: Call, method: str, path: str, person: Person, private: bool) -> int:
    """The status the rule of the module's docstring gives this cell."""
    if call.kind is Kind.OPEN:
        return call.ok
    if person is Person.ANONYMOUS:
        return 303 if method == "GET" and not path.startswith("/api/") else 401
    if call.kind in (Kind.SELF, Kind.READ):
        return call.ok
    if call.kind is Kind.THING_READ:
        return 404 if person is Person.OUTSIDER and private else call.ok
    if call.kind is Kind.ADMIN:
        return call.ok if person is Person.ADMIN else 403
    if person in (Person.EDITOR, Person.ADMIN):
        return call.ok
    if person is Person.OUTSIDER and private and call.kind is Kind.THING_WRITE:
        return 422 if call.in_form else 404
    return 403


def variants(call: Call) -> list[tuple[str, Thing]]:
    """The things a route is tried on: growth's public and private one when it touches
    one of growth's things, else one try."""
    if call.kind in (Kind.THING_READ, Kind.THING_WRITE):
        return [("public", PUBLIC), ("private", PRIVATE)]
    return [("-", PUBLIC)]


# ---------------------------------------------------------------------------------
# The workspace, its people and their clients.


class Store:
    """The database the app's use cases open: the workspace, or a copy of it for one
    write (one app for every cell: making one takes longer than the cell)."""

    def __init__(self, path: Path) -> None:
        self.base = make_engine(f"sqlite:///{path}")
        self.engine = self.base

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    @contextmanager
    def on(self, path: Path) -> Iterator[None]:
        """Point the app at the database at `path` for a while."""
        self.engine = make_engine(f"sqlite:///{path}")
        try:
            yield
        finally:
            self.engine.dispose()
            self.engine = self.base


@dataclass
class Matrix:
    """The workspace written once, the people signed in to it, and what the cells need
    from it (forms as the admin sees them, versions)."""

    folder: Path
    base: Path
    store: Store
    app: FastAPI
    workspace: Workspace
    cookies: dict[Person, dict[str, str]]
    tokens: dict[Person, str]
    _forms: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    _etags: dict[str, str] = field(default_factory=dict)
    _copies: int = 0

    def thing(self, name: str) -> Thing:
        return self.workspace.public if name == "public" else self.workspace.private

    def form(self, page: str, action: str) -> dict[str, list[str]]:
        if (page, action) not in self._forms:
            client = TestClient(self.app, cookies=self.cookies[Person.ADMIN])
            answer = client.get(page, follow_redirects=False)
            assert answer.status_code == 200, f"the admin cannot load {page}: {answer.text}"
            self._forms[page, action] = page_form(answer.text, action)
        return self._forms[page, action]

    def etag(self, address: str) -> str:
        if address not in self._etags:
            bearer = self.workspace.bearers[Person.ADMIN]
            client = TestClient(self.app, headers={"Authorization": f"Bearer {bearer}"})
            answer = client.get(address)
            assert answer.status_code == 200, f"the admin cannot read {address}: {answer.text}"
            self._etags[address] = answer.headers["etag"]
        return self._etags[address]

    def copy(self) -> Path:
        """A copy of the workspace for one write (SQLite's backup: a consistent one)."""
        self._copies += 1
        target = self.folder / f"cell-{self._copies}.db"
        source, copy = sqlite3.connect(self.base), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return target

    def client(self, person: Person, api: bool) -> TestClient:
        if api:
            bearer = self.workspace.bearers.get(person)
            headers = {} if bearer is None else {"Authorization": f"Bearer {bearer}"}
            return TestClient(self.app, headers=headers)
        return TestClient(self.app, cookies=self.cookies[person])


def _sign_in(app: FastAPI, person: Person) -> tuple[dict[str, str], str]:
    """The cookies of a browser signed in as `person` (none signed in for nobody, who
    still holds the sign-in page's browser cookie) and a form token of that browser."""
    client = TestClient(app)
    page = client.get("/sign-in")
    token = form_tokens(page.text)[0]
    if person is not Person.ANONYMOUS:
        fields = {"email": EMAILS[person], "password": PASSWORD, TOKEN_FIELD: token}
        answer = client.post("/sign-in", data=fields, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        token = form_tokens(client.get("/account").text)[0]
    return dict(client.cookies.items()), token


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    folder = tmp_path_factory.mktemp("matrix")
    base = folder / "workspace.db"
    engine = make_engine(f"sqlite:///{base}")
    upgrade(engine)
    workspace = build(SqlUnitOfWork(engine))
    engine.dispose()
    store = Store(base)
    app = create_app(store.uow, clock=lambda: NOW, secret=SECRET, passwords=TEST_PASSWORDS)
    cookies, tokens = {}, {}
    for person in Person:
        cookies[person], tokens[person] = _sign_in(app, person)
    yield Matrix(folder, base, store, app, workspace, cookies, tokens)
    store.base.dispose()


# ---------------------------------------------------------------------------------
# One cell.


def _filled(body: Body, thing: Thing) -> Any:
    return body(thing) if callable(body) else body


def _secrets_in(text: str) -> list[str]:
    lowered = text.lower()
    found = []
    for secret in SECRETS:
        shapes = {secret, quote(secret), quote_plus(secret), quote(secret, safe="")}
        if any(shape.lower() in lowered for shape in shapes):
            found.append(secret)
    return found


@dataclass(frozen=True)
class Cell:
    """What one cell found: its status against the rule's, and what it leaked."""

    person: Person
    variant: str
    status: int
    expected: int
    leaks: tuple[str, ...]
    detail: str
    problem: str = ""

    @property
    def wrong(self) -> bool:
        return self.status != self.expected or bool(self.problem)


def run_cell(
    matrix: Matrix, method: str, template: str, call: Call, person: Person, variant: str
) -> Cell:
    thing = matrix.thing(variant)
    me = matrix.workspace.tokens.get(person, "0")
    params = {name: value.format(t=thing, me=me) for name, value in call.params.items()}
    path = template.format(**params)
    address = f"{path}?{call.query}" if call.query else path
    api = path.startswith("/api/")
    kwargs: dict[str, Any] = {"follow_redirects": False}
    headers: dict[str, str] = {}
    if call.etag_from is not None:
        headers["If-Match"] = matrix.etag(call.etag_from.format(t=thing))
    sent = address
    if api and call.json is not None:
        kwargs["json"] = _filled(call.json, thing)
        sent += json.dumps(kwargs["json"])
    if not api and method == "POST":
        fields: dict[str, Any] = {}
        if call.form_from is not None:
            action = path if call.form_action is None else call.form_action.format(t=thing)
            fields.update(matrix.form(call.form_from.format(t=thing), action))
        fields.update(_filled(call.form, thing) or {})
        fields[TOKEN_FIELD] = matrix.tokens[person]
        kwargs["data"] = fields
        sent += json.dumps(fields)
        if call.files is not None:
            kwargs["files"] = call.files
    if headers:
        kwargs["headers"] = headers
    client = matrix.client(person, api)
    if method == "GET":
        answer = client.request(method, address, **kwargs)
    else:
        copy = matrix.copy()
        with matrix.store.on(copy):
            answer = client.request(method, address, **kwargs)
        copy.unlink()
    want = expected(call, method, path, person, variant == "private")
    detail = problem = ""
    if answer.status_code != want:
        detail = answer.headers.get("location") or " ".join(answer.text.split())[:160]
    elif person is Person.ANONYMOUS and call.kind is not Kind.OPEN:
        location = answer.headers.get("location", "")
        if want == 303 and not location.startswith("/sign-in?next="):
            problem = f"sent to {location!r}, not to the sign-in page"
        if api and not answer.json().get("type", "").endswith("/sign-in-required"):
            problem = f"a 401 that is not sign-in-required: {answer.text[:160]}"
    leaks: tuple[str, ...] = ()
    if person in (Person.ANONYMOUS, Person.OUTSIDER):
        said = answer.text + " " + answer.headers.get("location", "")
        asked = set(_secrets_in(sent))
        leaks = tuple(s for s in _secrets_in(said) if s not in asked)
    return Cell(person, variant, answer.status_code, want, leaks, detail or problem, problem)


# ---------------------------------------------------------------------------------
# The tests.


def test_every_route_is_in_the_matrix(matrix: Matrix) -> None:
    routes = app_routes(matrix.app)
    missing = sorted(routes - set(ROUTES))
    gone = sorted(set(ROUTES) - routes)
    assert not missing, "routes without an entry in the matrix (add them to ROUTES): " + ", ".join(
        f"{m} {p}" for m, p in missing
    )
    assert not gone, "entries of the matrix naming no route: " + ", ".join(
        f"{m} {p}" for m, p in gone
    )


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES), ids=lambda v: str(v))
def test_route(
    matrix: Matrix, method: str, path: str, record_property: Callable[[str, object], None]
) -> None:
    call = ROUTES[method, path]
    cells = [
        run_cell(matrix, method, path, call, person, variant)
        for person in Person
        for variant, _ in variants(call)
    ]
    failing = [
        f"{c.person} on the {c.variant} thing: {c.status} where the rule says {c.expected}"
        f" ({c.detail})"
        for c in cells
        if c.wrong
    ]
    leaks = [
        f"{c.person} {method} {path} ({c.variant}): found {s!r}" for c in cells for s in c.leaks
    ]
    record_property(
        MATRIX,
        {
            "cells": len(cells),
            "failing": [f"{method} {path}: {line}" for line in failing],
            "leaks": leaks,
        },
    )
    wrong = [*failing, *(f"leak: {x}" for x in leaks)]
    assert not wrong, "\n".join([f"{method} {path} ({call.kind.value}):", *wrong])

"""Who made a change is stored exactly as the `X-Okrkit-Actor` header sent it, in UTF-8,
by the API and the pages alike; a header that is not UTF-8, holds a control character or
is longer than 200 characters is a 422 naming it, and nothing is written — on SQLite and
on PostgreSQL."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

import httpx
import pytest

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.deps import ACTOR_HEADER, MAX_ACTOR
from okrkit.interfaces.web.form_tokens import BROWSER_COOKIE, TOKEN_FIELD
from tests.support.browsers import BrowserClient

ZOE = "Zoë Ødegaard 测试"


def _audited(uow: SqlUnitOfWork, entity: str, key: str) -> list[str]:
    with uow:
        return [entry["actor"] for entry in uow.audit.history(entity, key)]


def _post(client: BrowserClient, path: str, actor: bytes, **body: Any) -> httpx.Response:
    """POST with the header's bytes as they are: the test client would re-encode them
    (Latin-1 → UTF-8), as no server does. A page's form goes with this browser's token."""
    token = client.form_token()
    if not path.startswith("/api/"):
        body["data"] = {**body["data"], TOKEN_FIELD: token}
    cookies = {BROWSER_COOKIE: client.cookies[BROWSER_COOKIE]}

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=cookies
        ) as raw:
            return await raw.post(path, headers=[(ACTOR_HEADER.encode(), actor)], **body)

    # In a thread of its own: a browser test's Playwright may hold this thread's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, send()).result()


@pytest.mark.parametrize("name", [ZOE, "测" * MAX_ACTOR, "O'Brien, Ana (data team) 🚀"])
def test_a_name_in_utf8_is_stored_as_sent_by_the_api_and_the_pages(okr_client, uow, name):
    team = _post(okr_client, "/api/v1/teams", name.encode(), json={"key": "ops", "name": "Ops"})
    assert team.status_code == 201, team.text
    assert team.json()["changed_by"] == name
    assert _audited(uow, "team", "ops") == [name]
    page = _post(okr_client, "/cycles", name.encode(), data={"name": "2026-Q4"})
    assert page.status_code == 303, page.text
    assert _audited(uow, "cycle", "2026-Q4") == [name]


BAD = {
    "not UTF-8": (b"Zo\xeb", "is not UTF-8 (byte 3 of 3)"),
    "cut in the middle of a character": ("测试".encode()[:4], "is not UTF-8"),
    "a tab": (b"Zoe\tO", "holds a control character"),
    "an escape": (b"Zoe\x1b[31m", "holds a control character"),
    "a DEL": (b"Zoe\x7f", "holds a control character"),
    "a C1 control in UTF-8": ("Zoe\u0085".encode(), "holds a control character"),
    "too long": (("测" * (MAX_ACTOR + 1)).encode(), f"is {MAX_ACTOR + 1} characters long"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_actor_header_is_refused_naming_it_and_writes_nothing(okr_client, uow, case):
    value, why = BAD[case]
    api = _post(okr_client, "/api/v1/teams", value, json={"key": "ops", "name": "Ops"})
    assert api.status_code == 422, api.text
    problem = api.json()
    assert problem["field"] == ACTOR_HEADER
    assert problem["errors"][0]["location"] == "header"
    assert why in problem["detail"]
    page = _post(okr_client, "/cycles", value, data={"name": "2026-Q4"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert ACTOR_HEADER in page.text
    assert _audited(uow, "team", "ops") == []
    assert _audited(uow, "cycle", "2026-Q4") == []

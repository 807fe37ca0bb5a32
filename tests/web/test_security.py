"""Every answer tells the browser where it may be used: the pages, the API, static
files, errors and HEAD answers all carry the security headers."""

from __future__ import annotations

import warnings

import pytest

from okrkit.interfaces.web.security import SECURITY_HEADERS

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")


@pytest.mark.parametrize(
    ("method", "address", "status"),
    [
        ("get", "/", 200),
        ("get", "/cycles/2026-Q3", 200),
        ("get", "/api/v1/objectives", 200),
        ("get", "/static/style.css", 200),
        ("get", "/objectives/nothing-here", 404),
        ("get", "/api/v1/nothing-here", 404),
        ("head", "/cycles/2026-Q3", 200),
        ("post", "/api/v1/teams", 422),
    ],
)
def test_every_answer_carries_the_security_headers(okr_client, method, address, status):
    answer = getattr(okr_client, method)(address)
    assert answer.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value, name
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'unsafe-eval'" in policy  # no inline script, no other site


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of localhost is another site's app
        {"Origin": "https://evil.example"},
        {"Origin": "http://127.0.0.1:3000"},
    ],
)
def test_a_write_a_browser_sends_from_another_sites_page_is_refused(okr_client, headers):
    """A cross-site form post (a stranger's page driving the person's browser) is a 403
    and writes nothing — to the pages' forms and to the API alike."""
    page = okr_client.post("/cycles", data={"name": "2026-Q4"}, headers=headers)
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "is refused" in page.text
    api = okr_client.post("/api/v1/cycles", json={"name": "2026-Q4"}, headers=headers)
    assert api.status_code == 403
    assert api.json()["type"] == "/api/v1/problems/cross-site"
    assert okr_client.get("/api/v1/cycles/2026-Q4").status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://testserver"},
        {},  # a script, not a browser
    ],
)
def test_a_write_from_okrkits_own_page_or_a_script_is_taken(okr_client, headers):
    answer = okr_client.post("/api/v1/cycles", json={"name": "2026-Q4"}, headers=headers)
    assert answer.status_code == 201, answer.text

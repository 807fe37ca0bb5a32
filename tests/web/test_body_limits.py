"""A body over its limit is a 413 naming the size and the limit — problem+json for the
API, a page in words elsewhere — and nothing is written, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.interfaces.web.body_limits import (
    BODY_LIMIT_VARIABLE,
    MEGABYTE,
    UPLOAD_LIMIT_VARIABLE,
    BodyLimits,
    configured_limits,
    megabytes,
)
from tests.support.browsers import BrowserClient

LIMITS = BodyLimits(body=1 * MEGABYTE, upload=2 * MEGABYTE)
VALUES = "/api/v1/kpis/trial_to_paid/values?limit=1000"


@pytest.fixture
def client(okr_app) -> Iterator[BrowserClient]:
    with BrowserClient(okr_app(limits=LIMITS), follow_redirects=False) as client:
        yield client


def _too_large(answer, detail: str) -> None:
    assert answer.status_code == 413, answer.text[:300]
    if answer.headers["content-type"].startswith("application/problem+json"):
        problem = answer.json()
        assert problem["type"] == "/api/v1/problems/too-large"
        assert problem["detail"] == detail
    else:
        assert answer.headers["content-type"].startswith("text/html")
        assert detail.removesuffix(".") in answer.text


def test_a_json_body_over_the_limit_is_refused_naming_both_sizes(client):
    name = "x" * 1_240_000
    answer = client.post("/api/v1/teams", json={"key": "big", "name": name})
    _too_large(answer, "The request body is 1.2 MB; the limit for a request body is 1 MB.")
    assert client.get("/api/v1/teams/big").status_code == 404


def test_a_chunked_body_is_counted_as_it_streams(client):
    """No Content-Length: the bytes are counted as they arrive."""

    def chunks() -> Iterator[bytes]:
        yield b'{"key": "big", "name": "'
        for _ in range(30):
            yield b"x" * 50_000
        yield b'"}'

    answer = client.post(
        "/api/v1/teams", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _too_large(answer, "The request body is more than 1 MB; the limit for a request body is 1 MB.")
    assert client.get("/api/v1/teams/big").status_code == 404


def test_a_pages_form_over_the_limit_is_a_page_in_words(client):
    answer = client.post("/cycles", data={"name": "2026-Q4", "padding": "x" * 1_500_000})
    _too_large(answer, "The request body is 1.5 MB; the limit for a request body is 1 MB.")
    assert "Error 413" in answer.text
    assert client.get("/api/v1/cycles/2026-Q4").status_code == 404


def test_an_upload_may_be_larger_than_a_form_but_not_over_its_own_limit(client):
    before = client.get(VALUES).json()["items"]
    rows = b"timestamp,value\n2026-08-10,17\n"
    big = rows + b"#" * 2_500_000
    answer = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("values.csv", big, "text/csv")}
    )
    _too_large(answer, "The request body is 2.5 MB; the limit for a file upload or an import")
    assert client.get(VALUES).json()["items"] == before
    padded = rows + b"\n" * 1_200_000  # over a form's limit, within an upload's
    taken = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("values.csv", padded, "text/csv")}
    )
    assert taken.status_code != 413, taken.text[:300]


def test_a_values_import_is_an_upload_by_its_route(client):
    """A JSON import may be as large as an upload; a larger one writes nothing."""
    items = orjson.dumps([{"timestamp": "2026-08-10", "value": 17}])
    padded = items[:-1] + b" " * 1_500_000 + b"]"  # valid JSON, over a JSON body's limit
    headers = {"Content-Type": "application/json"}
    before = client.get(VALUES).json()["items"]
    over = items[:-1] + b" " * 2_100_000 + b"]"
    answer = client.post("/api/v1/kpis/trial_to_paid/values", content=over, headers=headers)
    _too_large(
        answer, "The request body is 2.1 MB; the limit for a file upload or an import is 2 MB."
    )
    assert client.get(VALUES).json()["items"] == before
    taken = client.post("/api/v1/kpis/trial_to_paid/values", content=padded, headers=headers)
    assert taken.status_code == 200, taken.text[:300]


def test_the_limits_are_set_in_megabytes_by_the_environment(monkeypatch):
    assert configured_limits() == BodyLimits(1 * MEGABYTE, 20 * MEGABYTE)
    monkeypatch.setenv(BODY_LIMIT_VARIABLE, "0.5")
    monkeypatch.setenv(UPLOAD_LIMIT_VARIABLE, " 100 ")
    assert configured_limits() == BodyLimits(500_000, 100 * MEGABYTE)
    for bad in ("0", "-1", "ten", "nan", "inf", "2000"):
        monkeypatch.setenv(UPLOAD_LIMIT_VARIABLE, bad)
        with pytest.raises(InvalidInput) as refused:
            configured_limits()
        assert refused.value.field == UPLOAD_LIMIT_VARIABLE
        assert "is not a number of MB from 0 to 1024" in refused.value.message


@pytest.mark.parametrize(
    ("size", "said"),
    [
        (1_000_000, "1 MB"),
        (12_400_000, "12.4 MB"),
        (20_000_000, "20 MB"),
        (1_234_567_890, "1,234.6 MB"),
    ],
)
def test_sizes_are_said_in_megabytes(size, said):
    assert megabytes(size) == said

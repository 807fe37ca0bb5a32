"""`/api/v1/problems`: every problem type URI an error answers with says what it means."""

from __future__ import annotations

from okrkit.interfaces.web import problems


def test_every_problem_type_uri_says_what_it_means(client):
    listed = client.get("/api/v1/problems").json()
    assert {t["type"] for t in listed} == {t.uri for t in problems.PROBLEM_TYPES.values()}
    for kind in problems.PROBLEM_TYPES.values():
        described = client.get(kind.uri)
        assert described.status_code == 200
        assert described.json()["title"] == kind.title
        assert described.json()["status"] == kind.status
    assert client.get("/api/v1/problems/nope").status_code == 404

"""What the JSON API tests share: the moment they run at, a team and a KPI to create,
and the check of a problem document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}

GROWTH = {"key": "growth", "name": "Growth"}
TRIAL_TO_PAID: dict[str, Any] = {
    "key": "trial_to_paid",
    "name": "Trial-to-paid conversion rate",
    "unit": "percent",
    "direction": "higher",
    "cadence": "weekly",
    "team": "growth",
    "target": 16,
    "thresholds": {"green": 15, "red": 12},
    "owner": "maya@example.com",
}


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == f"/api/v1/problems/{slug}"
    return body

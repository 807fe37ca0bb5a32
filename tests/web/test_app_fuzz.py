"""A hostile client against the whole JSON API: Schemathesis reads okrkit's own OpenAPI
document and sends every operation generated input — valid, borderline and malformed
(huge numbers, odd strings, missing and extra fields, wrong types), to keys that exist
and keys that do not — signed in as an admin (nothing is refused as forbidden), on the
OKR workspace, on SQLite and PostgreSQL. No answer may be a 5xx; every 4xx is a problem
document (RFC 9457); each answer's status, content type, headers and body are ones the
operation documents.

One test per operation and database, each on a fresh workspace, so pytest-xdist shares
them out and no operation's writes change what another one meets. Every case runs even
after a failed check: a test fails at its end naming each distinct failure once, with a
curl command that reproduces it (an exception the app does not handle stops the test at
once, with its traceback and the same command). The examples are derandomised (the same
inputs every run, so CI is steady): `EXAMPLES` per operation, over 5,000 cases on each
database, which tests/support/api_fuzz.py adds up, prints and enforces.
OKRKIT_FUZZ_EXAMPLES=1000 makes a longer hunt."""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from okrkit.interfaces.web.problems import PROBLEM_JSON
from tests.support import okrs
from tests.support.api_fuzz import PROPERTY
from tests.support.browsers import TestClient, bearer

DEFAULT_EXAMPLES = 100
EXAMPLES = int(os.environ.get("OKRKIT_FUZZ_EXAMPLES", str(DEFAULT_EXAMPLES)))
# Cases per database that CI must send; a smaller OKRKIT_FUZZ_EXAMPLES asks for none.
MINIMUM = 5_000 if EXAMPLES >= DEFAULT_EXAMPLES else 0

# Names that exist in the workspace `okrs.build` makes, by path parameter: a third of
# the cases aim valid input at them, where the deeper rules (versions, states) answer.
KNOWN: dict[str, list[Any]] = {
    "team": ["growth", "company"],
    "kpi": ["trial_to_paid", "dau"],
    "at": ["2026-05-03T00:00:00"],
    "cycle": ["2026-Q3"],
    "objective": ["streamline-onboarding", "grow-paying-customers"],
    "id": [3, 4],
    "slug": ["not-found"],
    "import_id": [1],
}


def _no_store() -> Any:
    raise AssertionError("the OpenAPI document is made without a store")


# The app's own /api/v1/openapi.json, read once when the module is imported so that
# each operation is a test (an app makes its document in about a second: once per test
# would double the fuzz's time). Each test sends its cases to an app on its own store.
SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(_no_store))
OPERATIONS = [
    (method.upper(), path) for path, item in SCHEMA.raw_schema["paths"].items() for method in item
]


def problem_document(ctx: Any, response: schemathesis.Response, case: Any) -> bool | None:
    """A 4xx answer is a problem document (RFC 9457): `application/problem+json`, a JSON
    object with a `type`, a `title` and the answer's own `status`."""
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, (
        f"a {status} answered as {content_type or 'no content type'!r}, not {PROBLEM_JSON}"
    )
    try:
        body = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"a {status} problem document is not JSON: {error}") from None
    assert isinstance(body, dict), f"a {status} problem document is not a JSON object: {body!r}"
    missing = [name for name in ("type", "title", "status") if name not in body]
    assert not missing, f"a {status} problem document lacks {', '.join(missing)}: {body!r}"
    assert body["status"] == status, f"a {status} problem document says status {body['status']!r}"
    return None


CHECKS = [
    not_a_server_error,
    problem_document,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _inputs(operation: Any) -> st.SearchStrategy[Any]:
    """Valid input, malformed input, and valid input aimed at the workspace's names."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    names = [parameter.name for parameter in operation.path_parameters]
    if names and all(name in KNOWN for name in names):
        strategies += [
            operation.as_strategy(path_parameters=dict(zip(names, values, strict=True)))
            for values in itertools.product(*(KNOWN[name] for name in names))
        ]
    return st.one_of(strategies)


@dataclass
class Tally:
    """What one operation's fuzz met: every case counted, each distinct failure kept
    once (by check and status) with the report that reproduces it."""

    cases: int = 0
    server_errors: int = 0
    not_problems: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    reports: dict[tuple[str, int], str] = field(default_factory=dict)

    def answered(self, status: int, failures: FailureGroup | None) -> None:
        self.cases += 1
        self.server_errors += status >= 500
        if failures is None:
            return
        kinds = {(failure.title, status) for failure in failures.exceptions}
        if not kinds <= self.reports.keys():  # a report names every failure of its case
            self.reports.update(dict.fromkeys(kinds, str(failures)))
        for failure in failures.exceptions:
            self.failed[failure.title] += 1
            self.not_problems += problem_document.__name__ in failure.title

    def figures(self, database: str) -> dict[str, Any]:
        return {
            "database": database,
            "operations": len(OPERATIONS),
            "minimum": MINIMUM,
            "cases": self.cases,
            "server_errors": self.server_errors,
            "not_problems": self.not_problems,
            "failed_checks": sum(self.failed.values()),
        }


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_no_input_makes_the_api_fail(engine, uow, record_property, method, path):
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    token = bearer(app)  # an admin's: every operation is reached, none refused as forbidden
    operation = SCHEMA[path][method]
    tally = Tally()

    # No shrinking: nothing raises, every failure is kept and reported as it was sent.
    @given(case=_inputs(operation))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        response = case.call(app=app, headers=token)
        try:
            case.validate_response(response, checks=CHECKS, headers=token)
        except FailureGroup as failures:
            tally.answered(response.status_code, failures)
        else:
            tally.answered(response.status_code, None)

    fuzz()
    record_property(PROPERTY, tally.figures(engine.dialect.name))
    if tally.reports:
        found = ", ".join(f"{count} × {title}" for title, count in tally.failed.items())
        reports = "\n\n".join(dict.fromkeys(tally.reports.values()))
        pytest.fail(f"{method} {path} in {tally.cases} cases: {found}\n\n{reports}", pytrace=False)
    assert tally.cases > 0


def test_a_4xx_that_is_not_a_problem_document_fails_the_check(okr_app):
    """The check can fail: okrkit's one deliberate 4xx in plain text (a Host header naming
    a host it does not serve, refused before any route) is caught; its 404 is not."""
    with TestClient(okr_app(hosts=["okrkit.example"])) as client:
        plain = client.get("/api/v1/kpis")
    assert plain.status_code == 400
    with pytest.raises(AssertionError, match="not application/problem"):
        problem_document(None, schemathesis.Response.from_any(plain), None)

    with TestClient(okr_app()) as client:
        problem = client.get("/api/v1/nothing-here")
    assert problem.status_code == 404
    assert problem_document(None, schemathesis.Response.from_any(problem), None) is None

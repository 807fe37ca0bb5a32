"""A hostile client against the whole JSON API: Schemathesis reads okrkit's own OpenAPI
document and sends every operation generated input — valid, borderline and malformed
(huge numbers, odd strings, missing and extra fields) — on the OKR workspace, on SQLite
and PostgreSQL. No answer may be a 5xx, and each answer's status must be one the
operation documents.

The examples are derandomised (the same inputs every run, so CI is steady) and few per
operation; run with OKRKIT_FUZZ_EXAMPLES=200 for a longer hunt."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support import okrs
from tests.support.browsers import bearer

EXAMPLES = int(os.environ.get("OKRKIT_FUZZ_EXAMPLES", "12"))


def test_no_input_makes_the_api_fail(engine, uow):
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    token = bearer(app)  # an admin's: every operation is reached, none refused as forbidden
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failed = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(headers=token, checks=[not_a_server_error])

        try:
            fuzz()
        except Exception as error:  # every operation is tried; all failures are reported
            failed.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failed, "\n\n".join(failed)

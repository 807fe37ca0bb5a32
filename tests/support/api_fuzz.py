"""A pytest plugin that adds up the API fuzz (tests/web/test_app_fuzz.py) across its tests.

The fuzz is one test per operation and database, so pytest-xdist spreads it over the
machine's cores; the total lives in no single test. Each fuzz test records its figures
as the user property `api_fuzz` (xdist carries it to the controller with the report);
this plugin sums them, prints one line per database at the end of the run, and fails the
run when the whole fuzz ran (every operation on a database) yet sent fewer cases than
the test asked for — a change that made Schemathesis generate less (an operation that
lost its inputs, a strategy that filters everything out) would otherwise go unseen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest

__all__ = ["PROPERTY", "Figures"]

PROPERTY = "api_fuzz"


@dataclass
class Figures:
    """The sums over one database's fuzz tests."""

    tests: int = 0
    operations: int = 0
    minimum: int = 0
    cases: int = 0
    server_errors: int = 0
    not_problems: int = 0
    failed_checks: int = 0

    def add(self, figures: dict[str, Any]) -> None:
        self.tests += 1
        self.operations = figures["operations"]
        self.minimum = figures["minimum"]
        self.cases += figures["cases"]
        self.server_errors += figures["server_errors"]
        self.not_problems += figures["not_problems"]
        self.failed_checks += figures["failed_checks"]

    @property
    def complete(self) -> bool:
        return self.tests == self.operations

    @property
    def short(self) -> bool:
        return self.complete and self.cases < self.minimum


_tally: defaultdict[str, Figures] = defaultdict(Figures)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == PROPERTY:
            _tally[value["database"]].add(value)


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # an xdist worker sees only its own share


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if _is_worker(config) or not _tally:
        return
    terminalreporter.section("API fuzz")
    for database, f in sorted(_tally.items()):
        of = "" if f.complete else f" (of {f.tests}/{f.operations} operations)"
        terminalreporter.write_line(
            f"{database}: {f.cases:,} cases{of}, minimum {f.minimum:,}; "
            f"{f.server_errors} answered 5xx, {f.not_problems} 4xx not a problem document, "
            f"{f.failed_checks} failed checks in all"
        )
        if f.short:
            terminalreporter.write_line(
                f"FAILED: the API fuzz sent {f.cases:,} cases on {database}, fewer than "
                f"the {f.minimum:,} it must",
                red=True,
            )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _is_worker(session.config) and any(f.short for f in _tally.values()):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

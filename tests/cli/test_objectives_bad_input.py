"""`okrkit okr add` refuses bad input in one line naming the field — the option, or the
`--kr` and its field — and writes nothing: neither the objective nor any key result."""

from __future__ import annotations

import pytest

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json
from tests.support import okrs

GOOD_KR = "Increase setup wizard completion from 40% to 70%: 40 -> 70 percent"


@pytest.fixture
def workspace(database):
    """The database the command runs on, holding the OKR workspace (2026-Q3)."""
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    try:
        upgrade(engine)
        okrs.build(SqlUnitOfWork(engine), check_ins=False)
    finally:
        engine.dispose()
    return database


def _add(database, *args, key="faster-trials", kr=(GOOD_KR,)):
    krs = [part for text in kr for part in ("--kr", text)]
    return okrkit_in(
        database, "okr", "add", key, "--title", "Make trials feel effortless",
        "--cycle", "2026-Q3", "--team", "growth", *krs, *args,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kr", "fragments"),
    [
        ((f"{GOOD_KR} deadline=2026-12-15",),
         ["--kr 1: deadline: the deadline 2026-12-15 is not in cycle 2026-Q3"]),
        ((f"{GOOD_KR} deadline=2026-07-01",), ["--kr 1: deadline", "after its first day"]),
        ((GOOD_KR, "Hold wizard completion: 40 -> 40 percent"),
         ["--kr 2: target: the target equals the start: there is nothing to change"]),
        ((f"{GOOD_KR} weight=0",), ["--kr 1: weight: weight 0 must be a positive number"]),
        ((f"{GOOD_KR} weight=-2",), ["--kr 1: weight: weight -2 must be a positive number"]),
        (("Increase wizard completion: forty -> 70 percent",),
         ["--kr 1: start: 'forty' is not a number"]),
        ((f"{GOOD_KR} kpi=nope",), ["--kr 1: kpi: no KPI 'nope'"]),
        (("Single sign-on for every plan: steps",),
         ["--kr 1: steps: a milestone key result needs at least one step"]),
        (("Self-serve billing live: done kpi=trial_to_paid",),
         ["--kr 1: kpi: only a numeric key result can be fed by a KPI"]),
        (("Ship the new wizard",), ["--kr 1: no ':' between the title and the plan"]),
    ],
)  # fmt: skip
def test_a_bad_key_result_is_named_and_nothing_is_written(workspace, kr, fragments):
    assert_one_line_error(_add(workspace, kr=kr), *fragments)
    listed = okrkit_json(workspace, "okr", "list", "--cycle", "2026-Q3")
    assert sorted(o["key"] for o in listed["objectives"]) == [
        "grow-paying-customers",
        "streamline-onboarding",
    ]


@pytest.mark.parametrize(
    ("args", "key", "fragments"),
    [
        (("--parent", "faster-trials"), "faster-trials",
         ["--parent: objective 'faster-trials' cannot align to itself"]),
        (("--parent", "nowhere"), "faster-trials", ["--parent: no objective 'nowhere'"]),
        (("--parent", "streamline-onboarding#999999"), "faster-trials",
         ["--parent: key result 999999 is not one of objective 'streamline-onboarding'"]),
        (("--north-star", "nope"), "faster-trials", ["--north-star: no KPI 'nope'"]),
        (("--cycle", "2031-Q1"), "faster-trials", ["--cycle: no cycle '2031-Q1'"]),
        (("--team", "nowhere"), "faster-trials", ["--team: no team 'nowhere'"]),
        (("--title", "   "), "faster-trials", ["--title: cannot be blank"]),
        ((), "Faster Trials", ["key: 'Faster Trials' is not a key"]),
        ((), "streamline-onboarding", ["objective 'streamline-onboarding' already exists"]),
    ],
)  # fmt: skip
def test_a_bad_objective_is_named_and_nothing_is_written(workspace, args, key, fragments):
    assert_one_line_error(_add(workspace, *args, key=key), *fragments)
    listed = okrkit_json(workspace, "okr", "list", "--cycle", "2026-Q3")
    assert listed["total"] == 2
    onboarding = okrkit_json(workspace, "okr", "show", "streamline-onboarding")
    assert len(onboarding["key_results"]) == 4


def test_an_objective_of_a_closed_cycle_is_refused(workspace):
    okrkit_in(workspace, "cycle", "add", "2026-Q2", "--state", "closed")
    assert_one_line_error(_add(workspace, "--cycle", "2026-Q2"), "--cycle: cycle 2026-Q2 is closed")
    assert okrkit_json(workspace, "okr", "list", "--cycle", "2026-Q2")["total"] == 0

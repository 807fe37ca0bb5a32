"""`okrkit alert list|show|acknowledge|resolve|accept|dismiss` against a real database
(SQLite files and the session's PostgreSQL), on a workspace where one KPI went yellow
and one red (`tests.support.alerts`): tables and JSON, the actions with and without
`--version`, and every refusal as one line with exit status 2."""

from __future__ import annotations

import pytest

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json
from tests.support import alerts
from tests.support.alerts import RED, RED_DRAFT, YELLOW, YELLOW_DRAFT


@pytest.fixture
def workspace(database):
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    try:
        upgrade(engine)
        alerts.build(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    return database


def test_the_open_alerts_are_listed_red_first_in_words(workspace):
    listed = okrkit_in(workspace, "alert", "list")
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert "Open alerts 1–2 of 2" in out
    assert out.index("Activation rate") < out.index("Trial-to-paid conversion")
    for words in ("red", "yellow", "a signal: something changed", "8.0% on 2026-11-16"):
        assert words in out, (words, out)
    assert RED_DRAFT in out
    assert "urgent" in out
    documents = okrkit_json(workspace, "alert", "list", "--level", "yellow")
    assert [d["id"] for d in documents] == [YELLOW]
    assert documents[0]["draft"]["key"] == YELLOW_DRAFT
    assert okrkit_json(workspace, "alert", "list", "--kpi", "activation")[0]["level"] == "red"
    assert okrkit_json(workspace, "alert", "list", "--state", "resolved") == []
    assert (
        "No resolved alerts." in okrkit_in(workspace, "alert", "list", "--state", "resolved").stdout
    )


def test_one_alert_is_shown_with_its_version(workspace):
    shown = okrkit_in(workspace, "alert", "show", str(YELLOW))
    assert shown.returncode == 0, shown.stderr
    for words in ("#1 on Trial-to-paid conversion (trial_to_paid), team growth", "yellow",
                  "Signal:", "13.1% on 2026-11-16", "Version", "1, changed by okrkit"):  # fmt: skip
        assert words in shown.stdout, (words, shown.stdout)
    document = okrkit_json(workspace, "alert", "show", str(RED))
    assert (document["id"], document["version"], document["draft"]["urgent"]) == (RED, 1, True)


def test_acknowledge_and_resolve_with_and_without_a_version(workspace):
    acked = okrkit_in(workspace, "alert", "acknowledge", str(YELLOW))
    assert acked.returncode == 0, acked.stderr
    assert "Alert 1 acknowledged (now version 2)." in acked.stdout
    stale = okrkit_in(workspace, "alert", "resolve", str(YELLOW), "--version", "1")
    assert_one_line_error(stale, "alert 1 was changed by", "now version 2, yours 1")
    resolved = okrkit_json(
        workspace, "alert", "resolve", str(YELLOW), "--version", "2", "--note", "fixed"
    )
    assert (resolved["state"], resolved["note"]) == ("resolved", "fixed")
    assert_one_line_error(
        okrkit_in(workspace, "alert", "acknowledge", str(YELLOW)), "alert 1 is resolved already"
    )


def test_a_yellow_draft_is_accepted_with_its_hypothesis(workspace):
    missing = okrkit_in(workspace, "alert", "accept", str(YELLOW))
    assert_one_line_error(missing, "--hypothesis:", "needs its hypothesis")
    accepted = okrkit_in(
        workspace, "alert", "accept", str(YELLOW), "--title", "Win back trial conversions",
        "--hypothesis", "A reminder on day 10 lifts conversion",
    )  # fmt: skip
    assert accepted.returncode == 0, accepted.stderr
    assert f"objective {YELLOW_DRAFT} is active in 2026-Q4" in accepted.stdout
    assert okrkit_json(workspace, "alert", "show", str(YELLOW))["state"] == "acknowledged"
    objective = okrkit_json(
        workspace, "alert", "accept", str(RED), "--owner", "lena@example.com", "--version", "1"
    )
    assert (objective["key"], objective["status"], objective["owner"]) == (
        RED_DRAFT, "active", "lena@example.com",
    )  # fmt: skip


def test_a_draft_is_dismissed_only_with_a_reason(workspace):
    blank = okrkit_in(workspace, "alert", "dismiss", str(RED), "--reason", "  ")
    assert_one_line_error(blank, "--reason:", "say why the draft is dismissed")
    missing = okrkit_in(workspace, "alert", "dismiss", str(RED))
    assert missing.returncode == 2
    assert "--reason" in missing.stderr
    done = okrkit_in(workspace, "alert", "dismiss", str(RED), "--reason", "Tracking outage")
    assert done.returncode == 0, done.stderr
    assert okrkit_json(workspace, "alert", "show", str(RED))["draft"] is None


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("show", "99"), ("no alert 99",)),
        (("acknowledge", "99"), ("no alert 99",)),
        (("list", "--team", "nope"), ("--team:", "no team 'nope'")),
        (("list", "--kpi", "nope"), ("no KPI 'nope'",)),
        (("resolve", "1", "--version", "0"), ("--version:", "0 is not a version")),
    ],
)
def test_bad_input_is_one_line_and_exit_2(workspace, args, fragments):
    assert_one_line_error(okrkit_in(workspace, "alert", *args), *fragments)


@pytest.mark.parametrize("args", [("show", "abc"), ("list", "--level", "purple")])
def test_bad_usage_exits_2(workspace, args):
    result = okrkit_in(workspace, "alert", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr

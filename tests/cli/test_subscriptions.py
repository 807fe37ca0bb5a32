"""`okrkit subscription add|list|show|off|on|remove` against a real database: SQLite
files and the session's PostgreSQL. A webhook's secret printed once, a Slack address by
its host alone, a delivery log the real service wrote, changes with their version, and
bad input as one line with exit 2."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from okrkit.adapters.notify import NotifySettings
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.bootstrap import NotifySender
from okrkit.services.deliveries import deliver, due
from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json
from tests.support.outbox import NOW, enqueue_alert, workspace
from tests.support.receivers import Answer, receiver

SLACK = "https://hooks.slack.com/services/T0001/B0001/s3cr3tT0ken"


@pytest.fixture
def engine_of(database):
    made = create_engine(
        database["OKRKIT_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    )
    yield made
    made.dispose()


@pytest.fixture
def teams(database, engine_of):
    assert okrkit_in(database, "db", "upgrade").returncode == 0
    workspace(SqlUnitOfWork(engine_of), ("growth", "sales"))


def test_a_webhook_prints_its_secret_once_and_never_again(database, teams):
    target = "https://hooks.example.com/okrkit/abc"
    added = okrkit_in(database, "subscription", "add", "--channel", "webhook",
                      "--target", target, "--team", "growth")  # fmt: skip
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[0] == (
        "subscription 1 added: Webhook (signed) to https://hooks.example.com/okrkit/… for team "
        "growth (version 1)"
    )
    assert lines[1].startswith("signing secret (shown this once, keep it now): whsec_")
    secret = lines[1].rsplit(" ", 1)[1]
    for args in (
        ("list",),
        ("show", "1"),
        ("list", "--format", "json"),
        ("show", "1", "--format", "json"),
    ):
        shown = okrkit_in(database, "subscription", *args)
        assert shown.returncode == 0, shown.stderr
        assert secret not in shown.stdout


def test_json_documents_and_slack_by_its_host_alone(database, teams):
    slack = okrkit_json(database, "subscription", "add", "--channel", "slack", "--target", SLACK,
                        "--kpi", "sales_conversion")  # fmt: skip
    assert (slack["target"], slack["secret"], slack["kpi"], slack["team"]) == (
        "https://hooks.slack.com/…", None, "sales_conversion", None,
    )  # fmt: skip
    hook = okrkit_json(database, "subscription", "add", "--channel", "webhook", "--target",
                       "https://hooks.example.com/a")  # fmt: skip
    assert hook["secret"].startswith("whsec_")
    listed = okrkit_json(database, "subscription", "list")
    assert [(s["id"], s["channel"], s["signed"], s["version"]) for s in listed] == [
        (1, "slack", False, 1), (2, "webhook", True, 1),
    ]  # fmt: skip
    assert "s3cr3tT0ken" not in okrkit_in(database, "subscription", "list").stdout


def test_show_prints_the_delivery_log_the_real_service_wrote(database, teams, engine_of):
    with receiver([Answer(500)]) as hook:
        assert okrkit_in(database, "subscription", "add", "--channel", "webhook",
                         "--target", hook.url).returncode == 0  # fmt: skip
        uow = SqlUnitOfWork(engine_of)
        enqueue_alert(uow, engine_of, "growth")
        (delivery,) = due(uow, NOW)
        deliver(uow, delivery, NotifySender(NotifySettings(timeout=5.0)), NOW, 0.5)
    shown = okrkit_json(database, "subscription", "show", "1")
    assert shown["deliveries"]["total"] == 1
    (entry,) = shown["deliveries"]["items"]
    said = (entry["event"], entry["kpi"], entry["state"], entry["attempts"], entry["last_status"])
    assert said == ("alert.opened", "growth_conversion", "pending", 1, 500)
    table = okrkit_in(database, "subscription", "show", "1").stdout
    assert "delivery log: 1 of 1, newest first" in table
    assert "alert opened: growth_conversion" in table
    assert "waiting to be tried again" in table
    assert "23 Nov 2026 09:00" in table
    assert "500 127.0.0.1" in table


def test_off_on_and_remove_with_their_version(database, teams):
    okrkit_in(database, "subscription", "add", "--channel", "email", "--target", "a@example.com")
    off = okrkit_in(database, "subscription", "off", "1", "--version", "1")
    assert off.stdout.strip() == "subscription 1 switched off (now version 2)"
    listed = okrkit_json(database, "subscription", "list")
    assert listed[0]["enabled"] is False
    assert listed[0]["disabled_reason"].startswith("switched off by ")
    stale = okrkit_in(database, "subscription", "on", "1", "--version", "1")
    assert_one_line_error(stale, "subscription 1 was changed by", "now version 2, yours 1")
    assert okrkit_json(database, "subscription", "on", "1", "--version", "2")["enabled"] is True
    assert_one_line_error(okrkit_in(database, "subscription", "remove", "1", "--version", "2"),
                          "now version 3, yours 2")  # fmt: skip
    removed = okrkit_in(database, "subscription", "remove", "1", "--version", "3")
    assert removed.stdout.strip() == "subscription 1 removed, with its delivery log"
    assert okrkit_json(database, "subscription", "list") == []


MAIL = ("add", "--channel", "email", "--target", "a@example.com")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("add", "--channel", "webhook", "--target", "not a url"),
         ("target", "is not a web address")),
        (("add", "--channel", "email", "--target", "nobody"),
         ("target", "is not an e-mail address")),
        ((*MAIL, "--team", "ops"), ("no team 'ops'",)),
        ((*MAIL, "--kpi", "churn"), ("no KPI 'churn'",)),
        ((*MAIL, "--team", "growth", "--kpi", "growth_conversion"), ("kpi", "not both")),
        (("show", "7"), ("no subscription 7",)),
        (("off", "7", "--version", "1"), ("no subscription 7",)),
        (("remove", "7", "--version", "1"), ("no subscription 7",)),
        (("off", "1", "--version", "0"), ("--version", "versions count from 1")),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(database, teams, args, fragments):
    assert_one_line_error(okrkit_in(database, "subscription", *args), *fragments)
    assert okrkit_json(database, "subscription", "list") == []


@pytest.mark.parametrize(
    "args",
    [("add", "--channel", "pager", "--target", "x"), ("show", "abc"), ("off", "1")],
)
def test_usage_errors_exit_2(database, args):
    result = okrkit_in(database, "subscription", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr

"""The command line against a remote server (`OKRKIT_URL`, `OKRKIT_TOKEN`): a real okrkit
server on a free loopback port, on a SQLite workspace whose accounts and tokens are made
through the use cases; the same commands run locally on that workspace and remotely
through the server print the same, a write is audited under the token's account, and
every refusal is one line."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.access import operator
from okrkit.domain.accounts import Role, Scope
from okrkit.interfaces.web.app import create_app
from okrkit.services import accounts
from tests.cli.helpers import assert_one_line_error, run_okrkit
from tests.support import okrs
from tests.support.browsers import TEST_PASSWORDS
from tests.support.servers import free_port

ADMIN = "maya@example.com"
EDITOR = "noah@example.com"
VIEWER = "vera@example.com"


@dataclass(frozen=True)
class Served:
    url: str
    local: dict[str, str]  # the environment of a run on the workspace's own database
    admin: str  # tokens
    editor: str
    viewer: str
    revoked: str
    okrs: okrs.Okrs

    def remote(self, token: str) -> dict[str, str]:
        return {"OKRKIT_URL": self.url, "OKRKIT_TOKEN": token}


def _token(uow: SqlUnitOfWork, email: str, scope: Scope) -> accounts.NewToken:
    now = datetime.now(UTC).replace(tzinfo=None)
    return accounts.create_token(uow, email, "cli", scope, None, operator("tests"), now)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A workspace (tests.support.okrs) with an admin, an editor of growth and a viewer,
    served by uvicorn in a thread of this process on a free loopback port."""
    folder: Path = tmp_path_factory.mktemp("remote")
    url = f"sqlite:///{folder / 'workspace.db'}"
    engine = make_engine(url)
    upgrade(engine)
    built = okrs.build(SqlUnitOfWork(engine))
    now = datetime.now(UTC).replace(tzinfo=None)
    for email, admin, teams in (
        (ADMIN, True, {}),
        (EDITOR, False, {"growth": Role.EDITOR}),
        (VIEWER, False, {"growth": Role.VIEWER}),
    ):
        command = accounts.AddAccount(email, password="a password", admin=admin, teams=teams)
        accounts.add_account(SqlUnitOfWork(engine), TEST_PASSWORDS, command, operator("tests"), now)
    admin = _token(SqlUnitOfWork(engine), ADMIN, Scope.WRITE)
    editor = _token(SqlUnitOfWork(engine), EDITOR, Scope.WRITE)
    viewer = _token(SqlUnitOfWork(engine), EDITOR, Scope.READ)
    revoked = _token(SqlUnitOfWork(engine), ADMIN, Scope.WRITE)
    accounts.revoke_token(SqlUnitOfWork(engine), revoked.info.id, operator("tests"), now)

    port = free_port()
    app = create_app(lambda: SqlUnitOfWork(engine), passwords=TEST_PASSWORDS)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the server stopped before it served"
        assert time.monotonic() < deadline, "the server did not start within 30 s"
        time.sleep(0.05)
    try:
        yield Served(
            f"http://127.0.0.1:{port}",
            {"OKRKIT_DATABASE_URL": url},
            admin.token,
            editor.token,
            viewer.token,
            revoked.token,
            built,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        engine.dispose()
    assert not thread.is_alive()


# Read commands whose output is the same on the workspace and through the server.
READS = [
    ("kpi", "list"),
    ("kpi", "list", "--format", "json"),
    ("kpi", "show", "trial_to_paid"),
    ("kpi", "show", "trial_to_paid", "--format", "json"),
    ("okr", "list", "--cycle", "2026-Q3"),
    ("okr", "list", "--cycle", "2026-Q3", "--format", "json"),
    ("okr", "list", "--team", "growth"),  # the current cycle, as the server's API names it
    ("alert", "list", "--state", "resolved"),
    ("alert", "list", "--format", "json"),
    ("audit", "--object", "objective"),
    ("audit", "--limit", "5", "--format", "json"),
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_a_read_through_the_server_prints_what_it_prints_on_the_workspace(served, args):
    local = run_okrkit(*args, env=served.local)
    remote = run_okrkit(*args, env=served.remote(served.admin))
    assert local.returncode == 0, local.stderr
    assert (remote.returncode, remote.stdout, remote.stderr) == (0, local.stdout, "")


def test_okr_show_through_the_server_prints_the_objective_and_its_key_results(served):
    key = served.okrs.onboarding
    local = run_okrkit("okr", "show", key, "--format", "json", env=served.local)
    remote = run_okrkit("okr", "show", key, "--format", "json", env=served.remote(served.admin))
    assert remote.returncode == 0, remote.stderr
    here, there = json.loads(local.stdout), json.loads(remote.stdout)
    # What the API's objective resource does not carry is left out, never made up.
    for part in ("parent_key_result", "aligned", "carried_to", "advice"):
        assert part in here
        assert part not in there
    for kr in here["key_results"]:
        kr.pop("initiatives")
    assert {k: v for k, v in here.items() if k in there} == there
    table = run_okrkit("okr", "show", key, env=served.remote(served.admin))
    assert table.returncode == 0, table.stderr
    assert "Objective streamline-onboarding" in table.stdout
    assert f"#{served.okrs.wizard} Increase setup wizard completion rate" in table.stdout


def test_a_write_through_the_server_is_audited_under_the_tokens_account(served):
    wizard = served.okrs.wizard
    checked = run_okrkit(
        "okr", "checkin", str(wizard), "61", "--confidence", "7", "--note", "from afar",
        "--format", "json", env=served.remote(served.editor),
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    document = json.loads(checked.stdout)
    assert document["current"] == 61
    assert document["last_check_in"]["author"] == EDITOR
    # Judged again, as the workspace judges it now.
    shown = run_okrkit("okr", "show", served.okrs.onboarding, "--format", "json", env=served.local)
    here = next(kr for kr in json.loads(shown.stdout)["key_results"] if kr["id"] == wizard)
    # (The answer to a write tells its moment to the microsecond, the store to the second.)
    here["last_check_in"].pop("at"), document["last_check_in"].pop("at")
    assert {k: here[k] for k in document} == document

    typed = run_okrkit(
        "kpi", "set-value", "trial_to_paid", "2026-08-09", "12.9", env=served.remote(served.admin)
    )
    assert typed.returncode == 0, typed.stderr
    assert typed.stdout.startswith("imported 1 values into 1 KPI from the command line")

    def newest(thing: str) -> tuple[str, str]:
        audit = run_okrkit("audit", "--object", thing, "--limit", "1", "--format", "json",
                           env=served.local)  # fmt: skip
        entry = json.loads(audit.stdout)["items"][0]
        return entry["actor"], entry["action_words"]

    assert newest(f"key_result:{wizard}") == (EDITOR, "checked in")
    assert newest("kpi:trial_to_paid") == (ADMIN, "typed in a value")


def test_a_read_only_token_may_read_but_its_write_is_refused(served):
    env = served.remote(served.viewer)
    assert run_okrkit("kpi", "list", env=env).returncode == 0
    refused = run_okrkit("okr", "checkin", str(served.okrs.wizard), "62", env=env)
    assert refused.returncode == 77, refused.stderr
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("okrkit: error: ")
    assert "read-only" in refused.stderr or "read only" in refused.stderr


def test_a_revoked_token_is_refused_in_one_line(served):
    refused = run_okrkit("kpi", "list", env=served.remote(served.revoked))
    assert refused.returncode == 77
    assert refused.stderr.startswith(f"okrkit: error: the token was refused by {served.url}: ")
    assert refused.stderr.count("\n") == 1
    assert "Traceback" not in refused.stderr


def test_errors_of_the_server_are_printed_as_local_ones(served):
    env = served.remote(served.admin)
    missing = run_okrkit("kpi", "show", "no_such_kpi", env=env)
    local = run_okrkit("kpi", "show", "no_such_kpi", env=served.local)
    assert (missing.returncode, missing.stderr) == (local.returncode, local.stderr)
    bad = run_okrkit("okr", "checkin", str(served.okrs.wizard), "50", "--confidence", "11", env=env)
    assert_one_line_error(bad, "--confidence")
    today = run_okrkit("okr", "list", "--cycle", "2026-Q3", "--today", "2026-08-01", env=env)
    assert_one_line_error(today, "--today", "its own clock")


def test_an_unreachable_server_is_one_line(served):
    env = {"OKRKIT_URL": f"http://127.0.0.1:{free_port()}", "OKRKIT_TOKEN": "x"}
    result = run_okrkit("alert", "list", env=env)
    assert_one_line_error(result, "cannot reach the okrkit server at http://127.0.0.1:")


def test_an_address_that_is_no_okrkit_server_is_said_so(served):
    # A path the server has no API under: it answers with its HTML error page.
    env = {"OKRKIT_URL": f"{served.url}/not-okrkit", "OKRKIT_TOKEN": served.admin}
    result = run_okrkit("kpi", "list", env=env)
    assert_one_line_error(result, "is OKRKIT_URL the address of an okrkit server?")


def test_a_url_without_a_token_or_of_another_kind_is_refused(served):
    no_token = run_okrkit("kpi", "list", env={"OKRKIT_URL": served.url})
    assert_one_line_error(no_token, "OKRKIT_TOKEN: is not set")
    ftp = run_okrkit(
        "kpi", "list", env={"OKRKIT_URL": "ftp://okr.example.com", "OKRKIT_TOKEN": "x"}
    )
    assert_one_line_error(ftp, "OKRKIT_URL", "is not the address of an okrkit server")


def test_plain_http_to_another_machine_is_warned_about():
    # 192.0.2.0/24 is reserved for documentation: nothing answers there, quickly refused
    # or timed out — the warning comes first either way.
    env = {"OKRKIT_URL": "http://192.0.2.1:1", "OKRKIT_TOKEN": "x"}
    result = run_okrkit("okr", "list", "--cycle", "2026-Q3", "--today", "2026-08-01", env=env)
    assert result.stderr.startswith("okrkit: warning: OKRKIT_URL is plain HTTP to another machine")


@pytest.mark.parametrize(
    "args",
    [("db", "upgrade"), ("user", "list"), ("token", "list"), ("team", "list"), ("apply",),
     ("lint",), ("worker",), ("serve",)],
    ids=" ".join,
)  # fmt: skip
def test_a_command_without_an_api_counterpart_refuses_while_okrkit_url_is_set(served, args):
    result = run_okrkit(*args, env=served.remote(served.admin))
    name = " ".join(args)
    assert_one_line_error(
        result, f"`okrkit {name}` works on the okrkit server's own machine only", "unset OKRKIT_URL"
    )


def test_commands_on_files_alone_run_as_ever(served, tmp_path):
    result = run_okrkit("classify", "Keep uptime above 99.9%", env=served.remote(served.admin))
    assert result.returncode == 0, result.stderr

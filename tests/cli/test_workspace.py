"""`okrkit serve` as a user starts it: a real process on loopback, stopped by its PID or,
as a terminal's Ctrl+C does, by a signal to its whole process group. It says which
database it serves and whether it loaded the demo, that it serves once it answers, and
that it stopped; it leaves nothing running."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from okrkit.interfaces.web.body_limits import BODY_LIMIT_VARIABLE
from okrkit.interfaces.web.serving import MAX_DEFAULT_WORKERS, default_workers
from tests.cli.helpers import OKRKIT, assert_one_line_error, run_okrkit
from tests.support.servers import Server, children, free_port

SERVING = "okrkit is serving on "
STOPPED = "okrkit stopped"
FIRST_SIGN_IN = "sign in as the first admin with this link (it works once, for 24 hours):"


@contextmanager
def signed_in(server: Server, base: str) -> Iterator[httpx.Client]:
    """A browser that followed the sign-in link the server printed: one click."""
    link = server.lines[server.lines.index(FIRST_SIGN_IN) + 1].strip()
    assert link.startswith(f"{base}/sign-in/link/")
    with httpx.Client(timeout=30) as client:
        welcome = client.get(link)
        assert welcome.status_code == 303, welcome.text
        assert welcome.headers["location"] == "/account?welcome=1"
        yield client


def _env(**variables: str) -> dict[str, str]:
    """The environment without a database chosen, with `variables`."""
    env = {k: v for k, v in os.environ.items() if k != "OKRKIT_DATABASE_URL"}
    return {**env, **variables}


def _serve(*args: str, env: dict[str, str]) -> tuple[Server, str]:
    port = free_port()
    server = Server([str(OKRKIT), "serve", "--port", str(port), *args], env)
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(params=[1, 2], ids=["one-process", "two-workers"])
def served(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Server, str, httpx.Client]]:
    """`okrkit serve --demo --workers N` on an empty SQLite workspace, once it says it
    is serving, and a browser signed in with the link it printed."""
    env = _env(OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}")
    server, base = _serve("--demo", "--workers", str(request.param), env=env)
    try:
        server.wait_for(SERVING)
        with signed_in(server, base) as client:
            yield server, base, client
    finally:
        server.kill()


def test_serve_loads_the_demo_answers_and_stops_cleanly(served, tmp_path):
    server, base, client = served
    # Said once the server answers: the first request needs no retry.
    assert httpx.get(base + "/", timeout=30).status_code == 303  # to the sign-in page
    assert client.get(base + "/").status_code == 200  # after the one click on the link
    growth = client.get(base + "/teams/growth")
    assert growth.status_code == 200
    assert "Trial-to-paid conversion" in growth.text
    health = client.get(base + "/api/v1/kpis/trial_to_paid").json()["health"]
    assert health["status"] == "yellow"
    workers = children(server.process.pid)
    assert server.stop(signal.SIGINT) == 0, server.output
    assert server.lines[0] == f"database: {tmp_path / 'workspace.db'} (from OKRKIT_DATABASE_URL)"
    assert server.lines[1].startswith("loaded the demo workspace: ")
    assert server.lines[2] == FIRST_SIGN_IN
    assert [line for line in server.lines if SERVING in line] == [
        f"{SERVING}{base}  (Ctrl+C stops it)"
    ]
    assert server.lines[-1] == STOPPED
    assert "Traceback" not in server.output
    assert "leaked" not in server.output  # an extension's objects, kept out of the GC at exit
    assert "warning" not in server.output  # loopback: nobody else can reach it
    assert server.left_running(workers) == []


def test_head_answers_as_get_on_a_real_server(served):
    _, base, client = served
    got = client.get(base + "/")
    head = client.head(base + "/")
    assert head.status_code == got.status_code == 200
    for header in ("content-type", "content-length"):
        assert head.headers[header] == got.headers[header]
    assert int(head.headers["content-length"]) == len(got.content) > 0
    assert head.content == b""


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-workers"])
@pytest.mark.parametrize(
    ("sig", "group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c-to-the-process-group", "sigterm"],
)
def test_ctrl_c_or_sigterm_stops_everything_it_started(tmp_path, workers, sig, group):
    """Without --demo it says which database (the default here) and nothing of a demo."""
    server, _ = _serve("--workers", str(workers), env=_env(XDG_DATA_HOME=str(tmp_path)))
    try:
        server.wait_for(SERVING)
        started = children(server.process.pid)
        assert server.stop(sig, group=group) == 0, server.output
        assert server.left_running(started) == []
    finally:
        server.kill()
    default = tmp_path / "okrkit" / "okrkit.db"
    assert server.lines[0] == (
        f"database: {default} (the default SQLite file; OKRKIT_DATABASE_URL chooses another)"
    )
    assert "demo" not in server.output
    assert server.lines[-1] == STOPPED
    assert "Traceback" not in server.output


def test_ctrl_c_while_it_starts_stops_everything_too(tmp_path):
    env = _env(OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}")
    server, _ = _serve("--demo", "--workers", "2", env=env)
    try:
        server.wait_for("database: ")  # then loading the demo, preparing, starting workers
        assert server.stop(signal.SIGINT, group=True) == 0, server.output
        assert server.left_running() == []
    finally:
        server.kill()
    assert server.lines[-1] == STOPPED
    assert SERVING not in server.output
    assert "Traceback" not in server.output


def test_demo_on_a_workspace_with_data_says_so_and_how_to_start_a_fresh_one(tmp_path):
    env = _env(
        OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}", XDG_DATA_HOME=str(tmp_path)
    )
    assert run_okrkit("team", "add", "ops", "--name", "Ops", env=env).returncode == 0
    server, _ = _serve("--demo", "--workers", "1", env=env)
    try:
        server.wait_for(SERVING)
        assert server.stop() == 0, server.output
    finally:
        server.kill()
    assert "loaded the demo workspace" not in server.output
    assert "did NOT load the demo: this database already holds a workspace" in server.output
    command = shlex.split(server.lines[server.lines.index(server.wait_for("NOT")) + 1])
    fresh = tmp_path / "okrkit" / "okrkit-demo.db"
    assert command[0] == f"OKRKIT_DATABASE_URL=sqlite:///{fresh}"
    # This very command: okrkit as it was started (or as PATH finds it), its arguments.
    assert os.path.samefile(shutil.which(command[1]) or "", OKRKIT)
    assert command[2:] == server.process.args[1:]

    # The command it shows, run as shown, serves a fresh demo.
    variable, value = command[0].split("=", 1)
    fresh_demo = Server(command[1:], {**env, variable: value})
    try:
        fresh_demo.wait_for(SERVING)
        assert fresh_demo.stop() == 0, fresh_demo.output
    finally:
        fresh_demo.kill()
    assert fresh_demo.lines[0] == f"database: {fresh} (from OKRKIT_DATABASE_URL)"
    assert fresh_demo.lines[1].startswith("loaded the demo workspace: ")


def test_serve_hides_the_password_of_its_database_url(postgres_url):
    url = postgres_url.replace("postgres@", "postgres:s3cret@")  # trust: any password does
    assert url != postgres_url
    server, _ = _serve("--workers", "1", env=_env(OKRKIT_DATABASE_URL=url))
    try:
        server.wait_for(SERVING)
        assert server.stop() == 0, server.output
    finally:
        server.kill()
    shown = postgres_url.replace("postgres@", "postgres:***@")
    assert server.lines[0] == f"database: {shown} (from OKRKIT_DATABASE_URL)"
    assert "s3cret" not in server.output


def test_serve_runs_the_workers_it_is_asked_for(tmp_path):
    env = _env(OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}")
    server, _ = _serve("--workers", "3", env=env)
    try:
        deadline = time.monotonic() + 60
        while len(children(server.process.pid)) < 3:
            assert server.process.poll() is None, server.process.returncode
            assert time.monotonic() < deadline, "fewer than 3 workers after 60 s"
            time.sleep(0.2)
        server.stop(signal.SIGINT)
    finally:
        server.kill()


def test_several_workers_answer_under_a_small_supervisor(tmp_path):
    """With workers, the process `okrkit serve` started (same PID) has become a fresh
    interpreter that only watches them: none of what preparing the database loaded."""
    env = _env(OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}")
    server, base = _serve("--demo", "--workers", "2", env=env)
    try:
        server.wait_for(SERVING)
        with signed_in(server, base) as client:
            assert client.get(base + "/kpis/trial_to_paid").is_success
        pid = server.process.pid
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"okrkit.interfaces.web.serving" in command
        workers = [
            child
            for child in children(pid)
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
        ]  # besides multiprocessing's resource tracker
        assert len(workers) == 2
        assert server.stop(signal.SIGINT) == 0
    finally:
        server.kill()


def test_the_default_is_a_worker_per_core_up_to_four():
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == max(1, min(cores, MAX_DEFAULT_WORKERS))
    assert MAX_DEFAULT_WORKERS == 4


def test_serve_answers_only_the_hosts_it_is_reached_by(tmp_path):
    """A Host header other than loopback's names and those `--allowed-host` adds is
    refused (400), in every worker: a stranger's name pointed at 127.0.0.1 (DNS
    rebinding) reaches nothing; the answers carry the security headers."""
    env = _env(OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}")
    server, base = _serve("--workers", "2", "--allowed-host", "okrkit.internal", env=env)
    try:
        server.wait_for(SERVING)
        with signed_in(server, base) as client:
            for _ in range(4):  # both workers answer alike
                assert client.get(base + "/api/v1/teams").status_code == 200
                assert client.get(base + "/", headers={"Host": "localhost"}).status_code == 200
                allowed = client.get(base + "/", headers={"Host": "okrkit.internal:8000"})
                assert allowed.status_code == 200
                refused = client.get(base + "/api/v1/teams", headers={"Host": "rebind.example"})
                assert refused.status_code == 400
                assert refused.headers["x-frame-options"] == "DENY"
        assert server.stop(signal.SIGINT) == 0, server.output
    finally:
        server.kill()


def test_serve_says_a_bad_body_limit_in_one_line_before_serving(tmp_path):
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'okrkit.db'}", BODY_LIMIT_VARIABLE: "ten"}
    refused = run_okrkit("serve", "--port", str(free_port()), env=env)
    assert_one_line_error(
        refused, BODY_LIMIT_VARIABLE, "'ten' is not a number of MB from 0 to 1024"
    )


def test_serve_beyond_loopback_refuses_until_an_admin_can_sign_in(tmp_path):
    """Refused in one line, before it binds, while no admin has a password; with one, it
    goes on to bind. The address is a documentation one (192.0.2.1, RFC 5737), which
    this machine does not hold: the tests serve on loopback only, so the bind then
    fails, and says so."""
    env = _env(OKRKIT_DATABASE_URL=f"sqlite:///{tmp_path / 'workspace.db'}")
    args = [str(OKRKIT), "serve", "--host", "192.0.2.1", "--port", str(free_port())]

    def serve() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*args, "--workers", "1"], env=env, capture_output=True, text=True, timeout=120
        )

    refused = serve()
    assert_one_line_error(
        refused, "will not listen on 192.0.2.1, beyond this machine, while no admin can sign in",
        "okrkit user add EMAIL --admin",
    )  # fmt: skip
    assert "sign-in/link" not in refused.stdout  # no link for a server beyond loopback
    added = subprocess.run(
        [str(OKRKIT), "user", "add", "ana@example.com", "--admin", "--password-stdin"],
        env=env, input="a long enough password\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    served = serve()
    assert "will not listen" not in served.stderr
    assert "cannot assign requested address" in served.stderr

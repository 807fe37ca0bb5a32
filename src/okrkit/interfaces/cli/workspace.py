"""`okrkit serve`: the web app on the workspace, with the demo loaded on request
(through `services.workspace`).

It says which database it serves and whether it loaded the demo; `serving` says where
it serves once the server answers, and that it stopped.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sys
import threading
from typing import Annotated, Any

import typer
from sqlalchemy.engine import make_url

from okrkit.adapters.store.engine import DATABASE_URL_VARIABLE, data_folder, database_url
from okrkit.domain.access import operator
from okrkit.domain.errors import RuleViolated
from okrkit.interfaces.cli import context, worker
from okrkit.interfaces.cli.output import console
from okrkit.interfaces.web import serving
from okrkit.services import accounts

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo workspace into an empty database.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Processes answering requests [default: one per CPU core, at most "
            f"{serving.MAX_DEFAULT_WORKERS}].",
            show_default=False,
        ),
    ] = None,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help="Run no job consumer beside the server: notifications are sent by "
            "`okrkit worker` processes started apart.",
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A name requests may give in their Host header besides 127.0.0.1 and "
            "localhost (repeatable): the name people reach this server by.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Upgrade the database, optionally load the demo, and serve the web app (with a
    worker sending notifications, unless --no-worker)."""
    # Imported here, not at the top: every other command starts without them.
    from okrkit import demo as demo_workspace
    from okrkit.interfaces.web.body_limits import configured_limits
    from okrkit.interfaces.web.charts import key_results as key_result_charts
    from okrkit.interfaces.web.charts import xmr as charts
    from okrkit.services.workspace import is_empty, load_workspace

    # SIGTERM stops the preparation as Ctrl+C does (and `serving` the server). A stop is
    # also remembered: Python swallows the KeyboardInterrupt a signal raises while a
    # finaliser runs (a garbage-collection callback), and the server must not start then.
    stopped = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopped.set()
        raise KeyboardInterrupt

    def unraisable(hook: Any) -> None:
        # The interrupt a finaliser swallowed is a stop, not an error to print.
        if not isinstance(hook.exc_value, KeyboardInterrupt):
            sys.__unraisablehook__(hook)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    sys.unraisablehook = unraisable
    try:
        context.ready()
        configured_limits()  # a bad OKRKIT_*_LIMIT_MB is said here, not by each worker
        console.print(f"database: {_database()}", soft_wrap=True, markup=False)
        if demo and is_empty(context.unit_of_work()):
            ws = demo_workspace.build(context.now().date())
            written = load_workspace(
                context.unit_of_work(),
                ws.teams,
                ws.kpis,
                ws.values,
                operator("demo"),
                context.now(),
                okrs=ws.okrs,
            )
            okrs = ws.okrs
            check_ins = sum(len(kr.check_ins) for o in okrs.objectives for kr in o.key_results)
            loaded = (
                f"{len(ws.teams)} teams, {len(ws.kpis)} KPIs, {written:,} values, "
                f"{len(okrs.cycles)} cycles, {len(okrs.objectives)} objectives, "
                f"{check_ins} check-ins"
            )
            console.print(f"loaded the demo workspace: {loaded}")
        elif demo:
            console.print(
                "did NOT load the demo: this database already holds a workspace, and the "
                "demo loads only into an empty one. For a fresh demo, serve a new database "
                f"file:\n  {_fresh_demo_command()}",
                soft_wrap=True,
                markup=False,
            )
        _first_sign_in(host, port)
        # The workers read the chart templates from the cache folder instead of each
        # importing Altair to build them (built here only when okrkit or Altair changed).
        charts.prepare_templates()
        key_result_charts.prepare_templates()
        if stopped.is_set():  # stopped while a finaliser ran: its interrupt was lost
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        console.print("okrkit stopped")
        return
    finally:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.default_int_handler)
        sys.unraisablehook = sys.__unraisablehook__
    # Every worker refuses a Host header not named here (DNS rebinding): loopback's
    # names, the address it listens on, and those the person allows.
    named = [*(allowed_host or ()), *([] if host in ("0.0.0.0", "::") else [host])]
    os.environ[serving.ALLOWED_HOSTS_VARIABLE] = ",".join(named)
    serving.supervise(
        host,
        port,
        serving.default_workers() if workers is None else workers,
        jobs=0 if no_worker else worker.DEFAULT_THREADS,
    )


def _first_sign_in(host: str, port: int) -> None:
    """Beyond this machine, refuse to serve while no admin can sign in; on loopback, with
    none, print the one-time link that signs the first admin in (printed here only:
    never logged, and only its hash is kept)."""
    if serving.beyond_loopback(host):
        if not accounts.admin_can_sign_in(context.unit_of_work()):
            raise RuleViolated(serving.no_admin(host))
        return
    link = accounts.first_run_link(context.unit_of_work(), context.now())
    if link is not None:
        address = f"{serving.serving_url(host, port)}/sign-in/link/{link}"
        console.print(
            f"sign in as the first admin with this link (it works once, for 24 hours):\n"
            f"  {address}",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )


def _database() -> str:
    """Which database this is, for people: a SQLite file's path, else the URL without
    its password; and whether it is the default."""
    url = make_url(database_url())
    if url.get_backend_name() == "sqlite":
        shown = os.path.abspath(url.database) if url.database else url.render_as_string()
    else:
        shown = url.render_as_string(hide_password=True)
    if os.environ.get(DATABASE_URL_VARIABLE, "").strip():
        return f"{shown} (from {DATABASE_URL_VARIABLE})"
    return f"{shown} (the default SQLite file; {DATABASE_URL_VARIABLE} chooses another)"


def _fresh_demo_command() -> str:
    """This very command on a new SQLite file in okrkit's data folder."""
    folder = data_folder()
    path, n = folder / "okrkit-demo.db", 1
    while path.exists():
        n += 1
        path = folder / f"okrkit-demo-{n}.db"
    program = sys.argv[0]
    found = shutil.which(os.path.basename(program))
    if found is not None and os.path.exists(program) and os.path.samefile(found, program):
        program = os.path.basename(program)  # what PATH finds
    url = shlex.quote(f"sqlite:///{path}")
    return f"{DATABASE_URL_VARIABLE}={url} {shlex.join([program, *sys.argv[1:]])}"

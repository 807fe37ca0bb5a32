"""The `okrkit` command: the one place its commands and groups are assembled from the
feature modules, the global options, and the one place errors are rendered.

Every command prints a human table by default and exact JSON with `--format json`, and
exits 0 on success, 1 when it found problems, 2 on bad usage or bad input. An
`OkrkitError` becomes one line on stderr — never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from okrkit import __version__
from okrkit.domain.errors import (
    BadRows,
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OkrkitError,
    RuleViolated,
    SourceUnavailable,
)
from okrkit.interfaces.cli import (
    accounts,
    alerts,
    audit,
    check_ins,
    cycles,
    db,
    demo,
    explain,
    goals,
    health,
    imports,
    key_results,
    kpis,
    objectives,
    remote,
    settings,
    subscriptions,
    teams,
    values,
    worker,
    workspace,
)

__all__ = [
    "COMMANDS",
    "EXIT_CODES",
    "GROUPS",
    "NO_WORKSPACE",
    "REMOTE",
    "app",
    "exit_code",
    "local_only",
    "main",
    "run",
]

# Exit status for each error class (docs/architecture.md has the same table).
EXIT_CODES: dict[type[OkrkitError], int] = {
    InvalidInput: 2,
    BadRows: 2,
    SourceUnavailable: 2,
    NotFound: 2,
    RuleViolated: 2,
    Conflict: 2,
    Busy: 75,  # EX_TEMPFAIL: try again later
    Forbidden: 77,  # EX_NOPERM: the token or account may not do this
}

Command = Callable[..., None]

# The command line, assembled in one place from the feature modules' plain functions:
# a top-level command's name and function, and each group's name, help and commands,
# in the order `okrkit --help` lists them.
COMMANDS: dict[str, Command] = {
    "serve": workspace.serve,
    "worker": worker.worker,
    "demo": demo.demo,
    "lint": goals.lint_command,
    "classify": goals.classify_command,
    "schema": goals.schema_command,
    "plan": goals.plan_command,
    "apply": goals.apply_command,
    "export": goals.export_command,
    "audit": audit.audit_command,
}
GROUPS: dict[str, tuple[str, dict[str, Command]]] = {
    "kpi": (
        "Judge KPIs: status, trend, signal or noise; explain what moved them.",
        {
            "check": health.check,
            "explain": explain.explain,
            "add": kpis.kpi_add,
            "list": kpis.kpi_list,
            "show": kpis.kpi_show,
            "edit": kpis.kpi_edit,
            "archive": kpis.kpi_archive,
            "import": values.kpi_import,
            "set-value": values.kpi_set_value,
            "delete-value": values.kpi_delete_value,
            "imports": imports.kpi_imports,
            "undo-import": imports.kpi_undo_import,
        },
    ),
    "db": ("The workspace database.", {"upgrade": db.db_upgrade}),
    "user": (
        "Accounts: who signs in, their teams and roles.",
        {
            "add": accounts.user_add,
            "list": accounts.user_list,
            "owners": accounts.user_owners,
            "edit": accounts.user_edit,
            "disable": accounts.user_disable,
            "enable": accounts.user_enable,
            "reset-password": accounts.user_reset_password,
        },
    ),
    "token": (
        "API tokens: for scripts and the command line against a server.",
        {
            "create": accounts.token_create,
            "list": accounts.token_list,
            "revoke": accounts.token_revoke,
        },
    ),
    "team": ("Teams of the workspace.", {"add": teams.team_add, "list": teams.team_list}),
    "kr": ("Key results: forecast and pace.", {"forecast": key_results.forecast}),
    "cycle": (
        "OKR cycles: quarters or spans of your own, planned, active, closed.",
        {
            "list": cycles.cycle_list,
            "add": cycles.cycle_add,
            "start": cycles.cycle_start,
            "close": cycles.cycle_close,
        },
    ),
    "okr": (
        "Objectives and key results: write them, check in weekly, score and carry over.",
        {
            "list": objectives.okr_list,
            "show": objectives.okr_show,
            "add": objectives.okr_add,
            "checkin": check_ins.okr_checkin,
            "score": objectives.okr_score,
            "carry": objectives.okr_carry,
        },
    ),
    "alert": (
        "Alerts: what the KPIs that slipped raised, and their draft objectives.",
        {
            "list": alerts.alert_list,
            "show": alerts.alert_show,
            "acknowledge": alerts.alert_acknowledge,
            "resolve": alerts.alert_resolve,
            "accept": alerts.alert_accept,
            "dismiss": alerts.alert_dismiss,
        },
    ),
    "settings": (
        "The workspace's settings: the lint rules switched off.",
        {"show": settings.settings_show, "set": settings.settings_set},
    ),
    "subscription": (
        "Who is told about alerts, and how; each one's delivery log.",
        {
            "add": subscriptions.subscription_add,
            "list": subscriptions.subscription_list,
            "show": subscriptions.subscription_show,
            "off": subscriptions.subscription_off,
            "on": subscriptions.subscription_on,
            "remove": subscriptions.subscription_remove,
        },
    ),
}


# The workspace commands that work against a server (`OKRKIT_URL`, `cli/remote.py`):
# one request to its API each, printed as locally. Every other workspace command refuses
# while OKRKIT_URL is set (docs/cli.md, "Against a server").
REMOTE = frozenset({
    "kpi list", "kpi show", "kpi set-value", "okr list", "okr show", "okr checkin",
    "alert list", "alert show", "alert acknowledge", "alert resolve", "alert accept",
    "alert dismiss", "audit",
})  # fmt: skip
# Commands on files alone, which never open a workspace: they run as ever. `lint`
# opens the workspace only without a PATH.
NO_WORKSPACE = frozenset({"kpi check", "kpi explain", "kr forecast", "classify", "schema", "demo"})


def local_only(name: str, command: Command) -> Command:
    """`command` refusing in one line while OKRKIT_URL is set (`lint` only when it is
    about the workspace, without a PATH), instead of acting on this machine's database."""

    @functools.wraps(command)
    def guarded(**options: object) -> None:
        if name != "lint" or not options.get("paths"):
            remote.refuse_local_only(name)
        command(**options)

    return guarded


def _registered(name: str, command: Command) -> Command:
    return command if name in REMOTE or name in NO_WORKSPACE else local_only(name, command)


def exit_code(error: OkrkitError) -> int:
    """The exit status for an error: its class's, else its nearest mapped ancestor's."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 2


app = typer.Typer(
    name="okrkit",
    help="Keep a team's KPIs and OKRs in one place.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
for name, command in COMMANDS.items():
    app.command(name)(_registered(name, command))
for group_name, (group_help, commands) in GROUPS.items():
    group = typer.Typer(help=group_help, no_args_is_help=True)
    for name, command in commands.items():
        group.command(name)(_registered(f"{group_name} {name}", command))
    app.add_typer(group, name=group_name)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"okrkit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Keep a team's KPIs and OKRs in one place: health, signals, forecasts, lint."""


def run() -> None:
    """The console script: run the app, rendering every `OkrkitError` as one line."""
    try:
        app()
    except OkrkitError as error:
        # Plain write, never wrapped: the message is one line a script can grep.
        sys.stderr.write(f"okrkit: error: {error}\n")
        if isinstance(error, BadRows) and len(error.rows) > BadRows.SHOWN:
            # The first line summarises; a person fixing the file needs every row.
            for row in error.rows:
                sys.stderr.write(f"  {row}\n")
        sys.exit(exit_code(error))

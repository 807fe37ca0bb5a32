"""Commands on a workspace (a database): `db upgrade`, `team …`, `kpi add|list|show|edit|archive`,
`serve`. The database is OKRKIT_DATABASE_URL, or the embedded SQLite file."""

from __future__ import annotations

import getpass
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from okrkit import bootstrap
from okrkit.adapters.store.engine import database_url
from okrkit.adapters.store.migrate import upgrade
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind, StoredKpi
from okrkit.domain.teams import StoredTeam
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    error_console,
    print_json,
)
from okrkit.interfaces.web import serving
from okrkit.services import kpis, teams

__all__ = [
    "db_app",
    "db_upgrade",
    "kpi_add",
    "kpi_archive",
    "kpi_document",
    "kpi_edit",
    "kpi_import",
    "kpi_list",
    "kpi_show",
    "serve",
    "team_add",
    "team_app",
    "team_document",
    "team_list",
]

PROGRESS_AFTER_SECONDS = 2.0

db_app = typer.Typer(help="The workspace database.", no_args_is_help=True)
team_app = typer.Typer(help="Teams of the workspace.", no_args_is_help=True)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _ready() -> None:
    """Every workspace command first brings the database to the newest migration."""
    upgrade(bootstrap.engine())


@db_app.command("upgrade")
def db_upgrade(output: FormatOption = OutputFormat.TABLE) -> None:
    """Create or migrate the database to the newest version; safe to re-run."""
    revision = upgrade(bootstrap.engine())
    url = database_url()
    shown = url.split("@")[-1] if "@" in url else url
    if output is OutputFormat.JSON:
        print_json({"database": shown, "revision": revision})
        return
    console.print(f"database {shown} is at revision {revision}", soft_wrap=True)


@team_app.command("add")
def team_add(
    key: Annotated[str, typer.Argument(help="Stable key, e.g. growth.", show_default=False)],
    name: Annotated[str, typer.Option(help="Display name.", show_default=False)],
    parent: Annotated[str | None, typer.Option(help="The team it belongs to.")] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Add a team."""
    _ready()
    stored = teams.create_team(
        bootstrap.unit_of_work(), teams.CreateTeam(key, name, parent), _actor(), _now()
    )
    if output is OutputFormat.JSON:
        print_json(team_document(stored))
        return
    console.print(f"team {stored.team.key} ({stored.team.name}) added")


def team_document(stored: StoredTeam) -> dict[str, Any]:
    """A team as `team list --format json` prints it."""
    return {
        "key": stored.team.key,
        "name": stored.team.name,
        "parent": stored.parent,
        "version": stored.revision.version,
    }


@team_app.command("list")
def team_list(output: FormatOption = OutputFormat.TABLE) -> None:
    """List the teams."""
    _ready()
    listed = teams.list_teams(bootstrap.unit_of_work())
    if output is OutputFormat.JSON:
        print_json([team_document(t) for t in listed])
        return
    table = Table("Key", "Name", "Parent", "Version", title="Teams", title_justify="left")
    for t in listed:
        table.add_row(t.team.key, t.team.name, t.parent or "", str(t.revision.version))
    console.print(table)


def kpi_document(stored: StoredKpi) -> dict[str, Any]:
    """A KPI definition as `kpi show --format json` prints it."""
    return {**kpis.kpi_record(stored), "version": stored.revision.version,
            "changed_by": stored.revision.changed_by,
            "changed_at": stored.revision.changed_at.isoformat()}  # fmt: skip


def _thresholds(green: float | None, red: float | None) -> Thresholds | None:
    if (green is None) != (red is None):
        missing = "--red" if red is None else "--green"
        raise InvalidInput(
            f"give both --green and --red, or neither ({missing} is missing)", field=missing
        )
    return None if green is None or red is None else Thresholds(green, red)


def kpi_add(
    key: Annotated[str, typer.Argument(help="Stable key, e.g. trial_to_paid.", show_default=False)],
    name: Annotated[str, typer.Option(help="Display name.", show_default=False)],
    team: Annotated[str, typer.Option(help="The team that watches it.", show_default=False)],
    direction: Annotated[
        Direction, typer.Option(help="Which way is better.", case_sensitive=False)
    ],
    cadence: Annotated[str, typer.Option(help="daily, weekly, monthly or a cron expression.")],
    unit: Annotated[
        str, typer.Option(help="count, percent, currency, ms, hours, ratio, score…")
    ] = "",
    target: Annotated[float | None, typer.Option(help="Target value.")] = None,
    green: Annotated[float | None, typer.Option(help="Green bound.")] = None,
    red: Annotated[float | None, typer.Option(help="Red bound.")] = None,
    owner: Annotated[str | None, typer.Option(help="Who answers for it.")] = None,
    description: Annotated[str, typer.Option(help="The shared definition.")] = "",
    kind: Annotated[KpiKind, typer.Option(help="leading or lagging.")] = KpiKind.LAGGING,
    formula: Annotated[
        str | None, typer.Option(help="A derived KPI's formula over KPI keys.")
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Add a KPI to a team's dashboard."""
    _ready()
    kpi = Kpi(
        key=key, name=name, unit=unit, direction=direction,
        cadence=Cadence.parse(cadence, field="--cadence"), team=team, description=description,
        target=target, thresholds=_thresholds(green, red), owner=owner, kind=kind, formula=formula,
    )  # fmt: skip
    stored = kpis.create_kpi(bootstrap.unit_of_work(), kpi, _actor(), _now())
    if output is OutputFormat.JSON:
        print_json(kpi_document(stored))
        return
    console.print(f"KPI {stored.kpi.key} added to team {stored.kpi.team} (version 1)")


def kpi_list(
    team: Annotated[str | None, typer.Option(help="Only this team's KPIs.")] = None,
    archived: Annotated[bool, typer.Option(help="Include archived KPIs.")] = False,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List KPI definitions."""
    _ready()
    listed = kpis.list_kpis(bootstrap.unit_of_work(), team, archived=archived)
    if output is OutputFormat.JSON:
        print_json([kpi_document(s) for s in listed])
        return
    table = Table(
        "Key",
        "Name",
        "Team",
        "Target",
        "Cadence",
        "Owner",
        "Version",
        title="KPIs",
        title_justify="left",
    )
    for s in listed:
        k = s.kpi
        table.add_row(
            k.key,
            k.name,
            k.team,
            fmt.number(k.target, k.unit),
            str(k.cadence),
            k.owner or "—",
            str(s.revision.version),
        )
    console.print(table)


def kpi_show(
    key: Annotated[str, typer.Argument(help="The KPI's key.", show_default=False)],
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show one KPI's definition and who changed it last."""
    _ready()
    stored = kpis.get_kpi(bootstrap.unit_of_work(), key)
    document = kpi_document(stored)
    if output is OutputFormat.JSON:
        print_json(document)
        return
    table = Table(show_header=False, title=f"KPI {key}", title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for name, value in document.items():
        table.add_row(name, "—" if value is None else str(value))
    console.print(table)


def kpi_edit(
    key: Annotated[str, typer.Argument(help="The KPI's key.", show_default=False)],
    version: Annotated[
        int,
        typer.Option(help="The version you are changing (kpi show says it).", show_default=False),
    ],
    name: Annotated[str | None, typer.Option()] = None,
    target: Annotated[float | None, typer.Option()] = None,
    green: Annotated[float | None, typer.Option()] = None,
    red: Annotated[float | None, typer.Option()] = None,
    owner: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    cadence: Annotated[str | None, typer.Option()] = None,
    window: Annotated[int | None, typer.Option(help="Periods the dashboard judges it on.")] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Change a KPI; refused with who changed it and when if it moved past --version."""
    _ready()
    changes: dict[str, Any] = {
        name_: value
        for name_, value in (
            ("name", name),
            ("target", target),
            ("owner", owner),
            ("description", description),
        )
        if value is not None
    }
    if green is not None or red is not None:
        changes["thresholds"] = _thresholds(green, red)
    if cadence is not None:
        changes["cadence"] = Cadence.parse(cadence, field="--cadence")
    if not changes and window is None:
        raise InvalidInput("nothing to change: give at least one option", field="options")
    stored = kpis.edit_kpi(
        bootstrap.unit_of_work(),
        kpis.EditKpi(key, version, changes, window_periods=window),
        _actor(),
        _now(),
    )
    if output is OutputFormat.JSON:
        print_json(kpi_document(stored))
        return
    console.print(f"KPI {key} changed (now version {stored.revision.version})")


def kpi_archive(
    key: Annotated[str, typer.Argument(help="The KPI's key.", show_default=False)],
    version: Annotated[
        int, typer.Option(help="The version you are archiving.", show_default=False)
    ],
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Archive a KPI: it leaves the dashboards; its values and history stay."""
    _ready()
    stored = kpis.archive_kpi(bootstrap.unit_of_work(), key, version, _actor(), _now())
    if output is OutputFormat.JSON:
        print_json(kpi_document(stored))
        return
    console.print(f"KPI {key} archived")


def kpi_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV, Parquet or JSON of timestamp,value[,kpi][,segment].", show_default=False
        ),
    ],
    kpi: Annotated[
        str | None, typer.Option(help="The KPI a file without a kpi column is for.")
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Import KPI values: every row is checked first, then all are written, or none.

    Re-importing a file updates the same rows (idempotent). A long import shows a
    progress bar after a couple of seconds.
    """
    from okrkit.adapters.sources.values.files import ValueFile
    from okrkit.services.values import import_values

    _ready()
    started = time.monotonic()
    bar: Progress | None = None
    task: TaskID | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None and time.monotonic() - started > PROGRESS_AFTER_SECONDS:
            bar = Progress(console=error_console, transient=True)
            bar.start()
            task = bar.add_task("importing", total=total)
        if bar is not None and task is not None:
            bar.update(task, completed=done)

    try:
        with ValueFile(file) as source:
            report = import_values(
                bootstrap.unit_of_work(),
                source,
                _actor(),
                _now(),
                default_kpi=kpi,
                progress=progress,
            )
    finally:
        if bar is not None:
            bar.stop()
    if output is OutputFormat.JSON:
        print_json(
            {
                "source": str(file),
                "rows_read": report.rows_read,
                "rows_written": report.rows_written,
                "kpis": [
                    {
                        "key": k.key,
                        "rows": k.rows,
                        "first": k.first.isoformat(),
                        "last": k.last.isoformat(),
                    }
                    for k in report.kpis
                ],
            }
        )
        return
    console.print(
        f"imported {report.rows_written:,} values into {report.kpis_touched} KPI"
        f"{'s' * (report.kpis_touched != 1)} from {file}",
        soft_wrap=True,
    )


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
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
) -> None:
    """Upgrade the database, optionally load the demo, and serve the web app."""
    from okrkit import demo as demo_workspace
    from okrkit.interfaces.web.charts import xmr as charts
    from okrkit.services.workspace import is_empty, load_workspace

    _ready()
    if demo and is_empty(bootstrap.unit_of_work()):
        ws = demo_workspace.build(_now().date())
        written = load_workspace(
            bootstrap.unit_of_work(), ws.teams, ws.kpis, ws.values, "demo", _now()
        )
        loaded = f"{len(ws.teams)} teams, {len(ws.kpis)} KPIs, {written:,} values"
        console.print(f"loaded the demo workspace: {loaded}")
    # The workers read the chart templates from the cache folder instead of each
    # importing Altair to build them (built here only when okrkit or Altair changed).
    charts.prepare_templates()
    console.print(f"okrkit is serving on http://{host}:{port}  (Ctrl+C stops it)", soft_wrap=True)
    serving.supervise(host, port, serving.default_workers() if workers is None else workers)

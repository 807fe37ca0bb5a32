"""`okrkit kpi add|list|show|edit|archive`: the KPI definitions of the workspace."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind, StoredKpi
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services import kpis

__all__ = ["kpi_add", "kpi_archive", "kpi_document", "kpi_edit", "kpi_list", "kpi_show"]


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
    context.ready()
    kpi = Kpi(
        key=key, name=name, unit=unit, direction=direction,
        cadence=Cadence.parse(cadence, field="--cadence"), team=team, description=description,
        target=target, thresholds=_thresholds(green, red), owner=owner, kind=kind, formula=formula,
    )  # fmt: skip
    stored = kpis.create_kpi(context.unit_of_work(), kpi, context.actor(), context.now())
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
    context.ready()
    listed = kpis.list_kpis(context.unit_of_work(), team, archived=archived)
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
    context.ready()
    stored = kpis.get_kpi(context.unit_of_work(), key)
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
    context.ready()
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
        context.unit_of_work(),
        kpis.EditKpi(key, version, changes, window_periods=window),
        context.actor(),
        context.now(),
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
    context.ready()
    stored = kpis.archive_kpi(context.unit_of_work(), key, version, context.actor(), context.now())
    if output is OutputFormat.JSON:
        print_json(kpi_document(stored))
        return
    console.print(f"KPI {key} archived")

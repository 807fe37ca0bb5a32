"""`okrkit kpi add|list|show|edit|archive`: the KPI definitions of the workspace.

The options of `add` and `edit` are made from the KPI's declared fields
(`domain.kpis.Kpi`), so a field declared later is an option of both without a change here.
"""

from __future__ import annotations

import inspect
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import Declared, changes_from_data, fields_of, from_data
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.versions import check_version
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli import context, remote
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services import kpis

__all__ = ["kpi_add", "kpi_archive", "kpi_document", "kpi_edit", "kpi_list", "kpi_show"]


def kpi_document(stored: StoredKpi) -> dict[str, Any]:
    """A KPI definition as `kpi show --format json` prints it."""
    return {**kpis.kpi_record(stored), "version": stored.revision.version,
            "changed_by": stored.revision.changed_by,
            "changed_at": stored.revision.changed_at.isoformat()}  # fmt: skip


# The options of `kpi add` and `kpi edit` are the KPI's declared fields (its key is the
# argument), made from the declarations: a group's parts side by side (--green, --red),
# a flag as --north-star/--no-north-star, a choice by its values.
_DECLARED = tuple(f for f in fields_of(Kpi) if f.name != "key")


def _signature(key_help: str, *options: inspect.Parameter) -> inspect.Signature:
    """A KPI command's parameters as Typer reads them: the key, the options, --format."""
    key = inspect.Parameter(
        "key",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[str, typer.Argument(help=key_help, show_default=False)],
    )
    output = inspect.Parameter(
        "output",
        inspect.Parameter.KEYWORD_ONLY,
        default=OutputFormat.TABLE,
        annotation=FormatOption,
    )
    return inspect.Signature([key, *options, output])


def _option(f: Declared, name: str, *, changing: bool) -> inspect.Parameter:
    """One declared field (or a group's part `name`) as a Typer option: required when
    the definition requires it and a KPI is created; None means "not given"."""
    kind: Any = float if f.parts else f.type
    if f.type.__name__ == "Cadence":
        kind = str
    info: dict[str, Any] = {"help": f.help if not f.parts else f"{name.capitalize()} bound."}
    if f.choices:
        info["case_sensitive"] = False
    required = f.required and not changing and not f.parts
    if required:
        info["show_default"] = False
        default: Any = inspect.Parameter.empty
    elif changing or f.optional or f.parts:
        kind = kind | None
        default = None
    else:
        default = f.default
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, typer.Option(**info)],
    )


def _options(*, changing: bool) -> list[inspect.Parameter]:
    return [
        _option(f, name, changing=changing)
        for f in _DECLARED
        if f.editable or not changing
        for name in (f.parts or (f.name,))
    ]


def _given(options: dict[str, Any], *, changing: bool) -> dict[str, Any]:
    """The declared fields the options give, as plain data; a group needs all its parts
    or none (`InvalidInput` names the option that is missing)."""
    data: dict[str, Any] = {}
    for f in _DECLARED:
        if f.parts:
            parts = {part: options.get(part) for part in f.parts}
            given = [part for part, value in parts.items() if value is not None]
            if given and len(given) < len(parts):
                missing = next(f"--{p}" for p in f.parts if p not in given)
                both = " and ".join(f"--{p}" for p in f.parts)
                raise InvalidInput(
                    f"give both {both}, or neither ({missing} is missing)", field=missing
                )
            if given or not changing:
                data[f.name] = parts if given else None
        elif f.name in options and (options[f.name] is not None or not changing):
            value = options[f.name]
            data[f.name] = value.value if isinstance(value, StrEnum) else value
    return data


def _field_flag(error: InvalidInput) -> InvalidInput:
    """A definition's error named by its option (`cadence` → `--cadence`); the key is
    the command's argument, named as it is (`key`)."""
    field = (error.field or "").rsplit(".", 1)[-1].replace("_", "-")
    if error.field and error.field != "key" and not field.startswith("--"):
        error.field = f"--{field}"
    return error


def kpi_add(key: str, output: OutputFormat = OutputFormat.TABLE, **options: Any) -> None:
    """Add a KPI to a team's dashboard."""
    context.ready()
    try:
        kpi = from_data(Kpi, {"key": key, **_given(options, changing=False)})
    except InvalidInput as error:
        raise _field_flag(error) from None
    stored = kpis.create_kpi(context.unit_of_work(), kpi, context.actor(), context.now())
    if output is OutputFormat.JSON:
        print_json(kpi_document(stored))
        return
    console.print(f"KPI {stored.kpi.key} added to team {stored.kpi.team} (version 1)")


kpi_add.__signature__ = _signature(  # type: ignore[attr-defined]
    "Stable key, e.g. trial_to_paid.", *_options(changing=False)
)


def kpi_list(
    team: Annotated[str | None, typer.Option(help="Only this team's KPIs.")] = None,
    archived: Annotated[bool, typer.Option(help="Include archived KPIs.")] = False,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List KPI definitions."""
    if (server := remote.server()) is not None:
        answer = server.get("/kpis", {"team": team, "archived": archived})
        listed = [remote.stored_kpi(item) for item in answer]
    else:
        context.ready()
        listed = kpis.list_kpis(
            context.unit_of_work(), team, viewer=context.actor(), archived=archived
        )
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
    if (server := remote.server()) is not None:
        stored = remote.stored_kpi(server.get(remote.path("kpis", key)))
    else:
        context.ready()
        stored = kpis.get_kpi(context.unit_of_work(), key, viewer=context.actor())
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
    key: str,
    version: int,
    window: int | None = None,
    output: OutputFormat = OutputFormat.TABLE,
    **options: Any,
) -> None:
    """Change a KPI; refused with who changed it and when if it moved past --version."""
    check_version(version, "--version")
    context.ready()
    try:
        changes = changes_from_data(Kpi, _given(options, changing=True))
    except InvalidInput as error:
        raise _field_flag(error) from None
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


kpi_edit.__signature__ = _signature(  # type: ignore[attr-defined]
    "The KPI's key.",
    inspect.Parameter(
        "version",
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[
            int,
            typer.Option(
                help="The version you are changing (kpi show says it).", show_default=False
            ),
        ],
    ),
    *_options(changing=True),
    inspect.Parameter(
        "window",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[int | None, typer.Option(help="Periods the dashboard judges it on.")],
    ),
)


def kpi_archive(
    key: Annotated[str, typer.Argument(help="The KPI's key.", show_default=False)],
    version: Annotated[
        int, typer.Option(help="The version you are archiving.", show_default=False)
    ],
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Archive a KPI: it leaves the dashboards; its values and history stay."""
    check_version(version, "--version")
    context.ready()
    stored = kpis.archive_kpi(context.unit_of_work(), key, version, context.actor(), context.now())
    if output is OutputFormat.JSON:
        print_json(kpi_document(stored))
        return
    console.print(f"KPI {key} archived")

"""`okrkit demo`: the demo workspace as tables in the terminal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.table import Table

from okrkit import demo as workspace
from okrkit.domain.health import Direction
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli.key_results import PACE_STYLE, forecast_document, pace_words
from okrkit.interfaces.cli.output import (
    STATUS_STYLE,
    FormatOption,
    OutputFormat,
    TodayOption,
    console,
    print_json,
    today_or_now,
)
from okrkit.interfaces.documents import check_document
from okrkit.services.health import KpiCheck, describe_capability, judge_kpi
from okrkit.services.key_results import KeyResultForecast, KeyResultPlan, forecast_key_result

__all__ = ["demo"]


def _kpi_table(ws: workspace.Workspace, checks: dict[str, KpiCheck]) -> Table:
    teams = {t.key: t.name for t in ws.teams}
    table = Table(
        title=f"KPIs — is the business healthy right now? (as of {ws.today})",
        title_justify="left",
        show_lines=True,
    )
    for column in ("KPI", "Latest", "Target", "Status", "Trend vs prior period"):
        table.add_column(column)
    table.add_column("Signal or routine variation", ratio=1)
    table.add_column("Capability")
    for kpi in sorted(ws.kpis, key=lambda k: (not k.north_star, teams[k.team], k.name)):
        check = checks[kpi.key]
        name = f"★ {kpi.name}" if kpi.north_star else kpi.name
        status = check.status.value + (" (stale)" if check.stale else "")
        thresholds = kpi.thresholds
        assert thresholds is not None
        good, bad = (">", "<") if kpi.direction is Direction.HIGHER else ("<", ">")
        bounds = (
            f"green {good} {fmt.number(thresholds.green, kpi.unit)}\n"
            f"red {bad} {fmt.number(thresholds.red, kpi.unit)}"
        )
        trend = check.trend
        table.add_row(
            f"{name}\n[dim]{teams[kpi.team]} · {kpi.cadence} · {kpi.kind.value}[/]",
            fmt.number(check.latest_value, kpi.unit),
            f"{fmt.number(kpi.target, kpi.unit)}\n[dim]{bounds}[/]",
            f"[{STATUS_STYLE[check.status]}]{status}[/]",
            f"{fmt.change(trend.change, kpi.unit)}\n"
            f"[dim]from {fmt.number(trend.previous, kpi.unit)}[/]",
            check.headline,
            describe_capability(check).split(":", 1)[0],
        )
    return table


def _okr_table(ws: workspace.Workspace, forecasts: list[KeyResultForecast]) -> Table:
    objective = ws.objective
    table = Table(
        title=(
            f"OKR — {objective.title}\n"
            f"{objective.cycle} ({objective.cycle_start} to {objective.cycle_end}), "
            f"{objective.objective_type.value}, team {objective.team}, owner {objective.owner}"
        ),
        title_justify="left",
        show_lines=True,
    )
    for column in ("Key result", "Start → target", "Current", "Progress", "Forecast at deadline"):
        table.add_column(column)
    table.add_column("Chance", justify="right")
    table.add_column("Pace")
    for kr, result in zip(objective.key_results, forecasts, strict=True):
        f = result.forecast
        linked = f"\n[dim]fed by KPI {kr.kpi}[/]" if kr.kpi else ""
        if f.forecast is None:
            outlook, chance = f"none: {f.reason}", "—"
        else:
            outlook = (
                f"{fmt.number(f.forecast, kr.unit)}\n[dim]95%: {fmt.number(f.lower, kr.unit)} "
                f"to {fmt.number(f.upper, kr.unit)}[/]"
            )
            chance = f"{f.probability:.0%}"
        table.add_row(
            kr.title + linked,
            f"{fmt.number(kr.start, kr.unit)} → {fmt.number(kr.target, kr.unit)}",
            f"{fmt.number(result.current, kr.unit)}\n[dim]{len(kr.check_ins)} check-ins[/]",
            f"{result.progress:.0%}\n[dim]expected {result.expected_progress:.0%}[/]",
            outlook,
            chance,
            f"[{PACE_STYLE[result.pace]}]{pace_words(result)}[/]",
        )
    return table


def demo(today: TodayOption = None, output: FormatOption = OutputFormat.TABLE) -> None:
    """Show the demo workspace: 8 KPIs of a SaaS product and one OKR, with the verdicts."""
    as_of: datetime = today_or_now(today)
    ws = workspace.build(as_of.date())
    checks = {kpi.key: judge_kpi(kpi, ws.values[kpi.key], as_of) for kpi in ws.kpis}
    objective = ws.objective
    forecasts = [
        forecast_key_result(
            kr.check_ins,
            KeyResultPlan(
                start=kr.start,
                target=kr.target,
                deadline=objective.cycle_end,
                cycle_start=objective.cycle_start,
                objective_type=objective.objective_type,
            ),
            ws.today,
        )
        for kr in objective.key_results
    ]
    if output is OutputFormat.JSON:
        document: dict[str, Any] = {
            "today": ws.today.isoformat(),
            "kpis": {key: check_document(check) for key, check in checks.items()},
            "objective": {
                "key": objective.key,
                "title": objective.title,
                "cycle": objective.cycle,
                "key_results": [
                    {"title": kr.title, **forecast_document(result)}
                    for kr, result in zip(objective.key_results, forecasts, strict=True)
                ],
            },
        }
        print_json(document)
        return
    console.print(_kpi_table(ws, checks))
    console.print(_okr_table(ws, forecasts))

"""`okrkit demo`: the demo workspace as tables in the terminal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from rich.table import Table

from okrkit import demo as workspace
from okrkit.domain.health import Direction
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.values import Series
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


def _plans(ws: workspace.Workspace) -> list[tuple[KeyResultDefinition, Series, KeyResultPlan]]:
    """The flagship objective's key results that have a target to reach (its guardrail
    holds a line instead), each with what it is forecast from — its check-ins, or the
    values in the cycle of the KPI that feeds it — and its plan."""
    entry, cycle = workspace.flagship(ws)
    plans = []
    for kr in entry.key_results:
        d = kr.definition
        if d.guardrail or d.start is None or d.target is None:
            continue
        if d.kpi is not None:
            values = ws.values[d.kpi]
            in_cycle = values.timestamps >= np.datetime64(cycle.start)
            points = Series(values.timestamps[in_cycle], values.values[in_cycle])
        else:
            points = Series.from_points((c.at, c.value) for c in kr.check_ins)
        plan = KeyResultPlan(
            start=d.start,
            target=d.target,
            deadline=d.deadline or cycle.end,
            cycle_start=cycle.start,
            objective_type=entry.objective.type,
        )
        plans.append((d, points, plan))
    return plans


def _okr_table(
    ws: workspace.Workspace,
    plans: list[tuple[KeyResultDefinition, Series, KeyResultPlan]],
    forecasts: list[KeyResultForecast],
) -> Table:
    entry, cycle = workspace.flagship(ws)
    objective = entry.objective
    table = Table(
        title=(
            f"OKR — {objective.title}\n"
            f"cycle {cycle.name} ({cycle.start} to {cycle.end}), {objective.type.value}, "
            f"team {objective.team}, owner {objective.owner}"
        ),
        title_justify="left",
        show_lines=True,
    )
    for column in ("Key result", "Start → target", "Current", "Progress", "Forecast at deadline"):
        table.add_column(column)
    table.add_column("Chance", justify="right")
    table.add_column("Pace")
    for (kr, points, plan), result in zip(plans, forecasts, strict=True):
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
            f"{fmt.number(plan.start, kr.unit)} → {fmt.number(plan.target, kr.unit)}",
            f"{fmt.number(result.current, kr.unit)}\n[dim]{len(points)} check-ins[/]",
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
    plans = _plans(ws)
    forecasts = [forecast_key_result(points, plan, ws.today) for _, points, plan in plans]
    if output is OutputFormat.JSON:
        entry, cycle = workspace.flagship(ws)
        document: dict[str, Any] = {
            "today": ws.today.isoformat(),
            "kpis": {key: check_document(check) for key, check in checks.items()},
            "objective": {
                "key": entry.objective.key,
                "title": entry.objective.title,
                "cycle": cycle.name,
                "key_results": [
                    {"title": kr.title, **forecast_document(result)}
                    for (kr, _, _), result in zip(plans, forecasts, strict=True)
                ],
            },
        }
        print_json(document)
        return
    console.print(_kpi_table(ws, checks))
    console.print(_okr_table(ws, plans, forecasts))

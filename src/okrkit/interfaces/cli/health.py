"""`okrkit kpi check`: judge a KPI series file (status, freshness, trend, signal or noise,
capability) without a workspace."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from okrkit.adapters.sources.series_files import read_series_csv
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.spc import BASELINE_POINTS
from okrkit.interfaces import formatting as fmt
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
from okrkit.services.health import KpiCheck, KpiRules, check_kpi, describe_capability

__all__ = ["check"]


def _table(check: KpiCheck, path: str, rules: KpiRules) -> Table:
    table = Table(title=f"KPI check: {path}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    unit = rules.unit
    word = check.status.value
    if check.status is Status.UNKNOWN:
        word += " (no thresholds: give --green and --red)"
    elif rules.thresholds is not None:
        good, bad = (">", "<") if rules.direction is Direction.HIGHER else ("<", ">")
        word += (
            f" (green {good} {fmt.number(rules.thresholds.green, unit)}, "
            f"red {bad} {fmt.number(rules.thresholds.red, unit)})"
        )
    table.add_row("Status", f"[{STATUS_STYLE[check.status]}]{word}[/]")
    freshness = (
        "stale: the newest value is older than its cadence allows" if check.stale else "fresh"
    )
    cadence = f"{check.cadence} cadence" if check.cadence else "no cadence"
    table.add_row("Freshness", f"{freshness} ({cadence})")
    latest = f"{fmt.number(check.latest_value, unit)} on {fmt.moment(check.latest_time)}"
    if check.gap_to_target is not None:
        latest += (
            f"; target {fmt.number(rules.target, unit)} ({fmt.change(check.gap_to_target, unit)})"
        )
    table.add_row("Latest", latest)
    trend = check.trend
    if trend.change is None:
        trend_text = "no value in the period before the latest one"
    else:
        trend_text = (
            f"{fmt.change(trend.change, unit)} ({fmt.percent_share(trend.relative_change)}) "
            f"against the prior period ({fmt.number(trend.previous, unit)})"
        )
    if trend.slope_per_period is not None:
        trend_text += f"; slope {fmt.change(trend.slope_per_period, unit)} per period"
    table.add_row("Trend", trend_text)
    verdict = check.signals
    table.add_row(
        "Signal or noise", f"[bold]{verdict}[/]" if check.verdict == "signal" else verdict
    )
    limits = check.xmr.limits
    if limits is not None:
        table.add_row(
            "Usual range",
            f"{fmt.span(limits.lower_limit, limits.upper_limit, unit)} around an average of "
            f"{fmt.number(limits.centre, unit)}, learnt from the first "
            f"{limits.baseline_points} values (XmR natural process limits: mR̄ "
            f"{fmt.number(limits.moving_range_mean, unit)}, upper range limit "
            f"{fmt.number(limits.upper_range_limit, unit)})",
        )
    table.add_row("Capability", describe_capability(check))
    return table


def check(
    series: Annotated[
        Path, typer.Argument(help="CSV with timestamp,value[,segment].", show_default=False)
    ],
    direction: Annotated[
        Direction, typer.Option(help="Which way is better.", case_sensitive=False)
    ] = Direction.HIGHER,
    green: Annotated[
        float | None, typer.Option(help="Green bound (both bounds are yellow).")
    ] = None,
    red: Annotated[float | None, typer.Option(help="Red bound.")] = None,
    target: Annotated[float | None, typer.Option(help="Target value.")] = None,
    unit: Annotated[
        str,
        typer.Option(help="The values' unit: count, percent, currency, ms, hours, ratio, …"),
    ] = "",
    baseline: Annotated[
        int, typer.Option(help="XmR baseline: the first N points.", show_default=True)
    ] = BASELINE_POINTS,
    cadence: Annotated[
        str | None,
        typer.Option(help="daily, weekly, monthly or a cron expression; default: median spacing."),
    ] = None,
    segment: Annotated[str | None, typer.Option(help="Check one segment of the file.")] = None,
    today: TodayOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Judge a KPI series file: status, freshness, trend, signal or noise, capability.

    Exits 1 when the KPI is red or stale (a failed check), 2 on bad input.
    """
    if (green is None) != (red is None):
        missing = "--red" if red is None else "--green"
        raise InvalidInput(
            f"give both --green and --red, or neither ({missing} is missing)", field=missing
        )
    if target is not None and not math.isfinite(target):
        raise InvalidInput(f"{target} is not a finite number", field="--target")
    rules = KpiRules(
        direction=direction,
        unit=unit,
        thresholds=None if green is None or red is None else Thresholds(green, red),
        target=target,
        cadence=None if cadence is None else Cadence.parse(cadence, field="--cadence"),
        baseline=baseline,
    )
    if rules.thresholds is not None:
        rules.thresholds.check(direction, source="--green/--red")
    file = read_series_csv(series)
    result = check_kpi(file.select_segment(segment), rules, today_or_now(today))
    if output is OutputFormat.JSON:
        print_json(check_document(result))
    else:
        console.print(_table(result, str(series), rules))
    if result.status is Status.RED or result.stale:
        raise typer.Exit(1)

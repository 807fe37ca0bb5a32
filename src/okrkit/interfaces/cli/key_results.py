"""`okrkit kr forecast`: forecast a key result and judge its pace from a check-ins file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from okrkit.adapters.sources.series_files import read_series_csv
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.pace import Pace
from okrkit.interfaces import documents
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    TodayOption,
    console,
    parse_date,
    print_json,
    today_or_now,
)
from okrkit.services.key_results import KeyResultForecast, KeyResultPlan, forecast_key_result

__all__ = ["PACE_STYLE", "forecast", "forecast_document", "pace_words"]

PACE_STYLE = {
    Pace.ON_TRACK: "bold green",
    Pace.AT_RISK: "bold yellow",
    Pace.OFF_TRACK: "bold red",
    Pace.NOT_STARTED: "dim",
}


def forecast_document(result: KeyResultForecast) -> dict[str, Any]:
    """The JSON of `kr forecast` (docs/cli.md, "JSON output"): the forecast's part is
    the API's too (`documents.forecast_document`), then progress and pace."""
    return {
        **documents.forecast_document(result.forecast),
        "progress": result.progress,
        "forecast_progress": result.forecast_progress,
        "expected_progress": result.expected_progress,
        "pace": result.pace.value,
    }


def pace_words(result: KeyResultForecast) -> str:
    """The pace verdict with what it was judged on."""
    word = result.pace.value.replace("_", " ")
    if result.pace is Pace.NOT_STARTED:
        return f"{word} (no check-in yet, or still the cycle's first week)"
    if result.forecast_progress is not None:
        return f"{word} (the forecast reaches {result.forecast_progress:.0%} of the way)"
    return (
        f"{word} ({result.progress:.0%} done where {result.expected_progress:.0%} of the cycle "
        "has passed; fewer than 3 check-ins, so no forecast)"
    )


def _table(result: KeyResultForecast, path: str, plan: KeyResultPlan) -> Table:
    f = result.forecast
    table = Table(title=f"Key result forecast: {path}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "Plan",
        f"{fmt.number(plan.start)} → {fmt.number(plan.target)} by {plan.deadline} "
        f"(cycle from {result.cycle_start}, {plan.objective_type.value})",
    )
    table.add_row("Check-ins", f"{f.n}; latest {fmt.number(result.current)}")
    table.add_row(
        "Progress",
        f"{result.progress:.0%} (expected by now: {result.expected_progress:.0%})",
    )
    if f.forecast is None:
        table.add_row("Forecast", f"none: {f.reason}")
    else:
        table.add_row(
            "Forecast",
            f"{fmt.number(f.forecast)} at the deadline, 95% interval "
            f"{fmt.number(f.lower)} to {fmt.number(f.upper)}; "
            f"slope {fmt.change(f.slope_per_day)} per day",
        )
        table.add_row("Chance of reaching the target", f"{f.probability:.0%}")
    table.add_row("Pace", f"[{PACE_STYLE[result.pace]}]{pace_words(result)}[/]")
    return table


def forecast(
    check_ins: Annotated[
        Path,
        typer.Argument(
            metavar="CHECKINS.csv", help="CSV with timestamp,value.", show_default=False
        ),
    ],
    start: Annotated[
        float, typer.Option(help="Baseline the key result starts from.", show_default=False)
    ],
    target: Annotated[float, typer.Option(help="Target to reach.", show_default=False)],
    deadline: Annotated[
        str, typer.Option(help="Deadline, YYYY-MM-DD.", metavar="YYYY-MM-DD", show_default=False)
    ],
    cycle_start: Annotated[
        str | None,
        typer.Option(
            help="First day of the cycle; default: the deadline's quarter start.",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    objective_type: Annotated[
        ObjectiveType,
        typer.Option("--type", help="Objective type: sets the pace bars.", case_sensitive=False),
    ] = ObjectiveType.ASPIRATIONAL,
    today: TodayOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Forecast a key result at its deadline from its check-ins; judge its pace.

    Exits 1 when the key result is off track, 2 on bad input.
    """
    plan = KeyResultPlan(
        start=start,
        target=target,
        deadline=parse_date(deadline, "--deadline"),
        cycle_start=None if cycle_start is None else parse_date(cycle_start, "--cycle-start"),
        objective_type=objective_type,
    )
    file = read_series_csv(check_ins)
    result = forecast_key_result(file.select_segment(None), plan, today_or_now(today).date())
    if output is OutputFormat.JSON:
        print_json(forecast_document(result))
    else:
        console.print(_table(result, str(check_ins), plan))
    if result.pace is Pace.OFF_TRACK:
        raise typer.Exit(1)

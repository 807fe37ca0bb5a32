"""`okrkit kpi …`: KPI commands. `kpi check` judges a series file without a workspace."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from okrkit.adapters.sources.files import MultiSeriesFile, read_multi_series_csv, read_series_csv
from okrkit.domain.cadence import Cadence, CadenceKind, median_spacing
from okrkit.domain.decompose import (
    MIN_LEAD_LAG_PAIRS,
    LeadLag,
    Method,
    PeriodTable,
    align_periods,
    decompose_factors,
    decompose_rate_mix,
    decompose_segments,
    lead_lag,
)
from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.model import Series
from okrkit.domain.spc import BASELINE_POINTS
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli.output import (
    STATUS_STYLE,
    FormatOption,
    OutputFormat,
    TodayOption,
    console,
    parse_date,
    print_json,
    today_or_now,
)
from okrkit.services.kpis import KpiCheck, KpiRules, check_kpi, describe_capability

__all__ = ["DEFAULT_MAX_LAG", "app", "check", "check_document", "explain"]

app = typer.Typer(
    help="Judge KPIs: status, trend, signal or noise; explain what moved them.",
    no_args_is_help=True,
)


def check_document(check: KpiCheck) -> dict[str, Any]:
    """The JSON of `kpi check` (DESIGN.md, Interfaces)."""
    limits = check.xmr.limits
    return {
        "status": check.status.value,
        "stale": check.stale,
        "latest": {"timestamp": fmt.moment(check.latest_time), "value": check.latest_value},
        "trend": {
            "previous": check.trend.previous,
            "change": check.trend.change,
            "relative_change": check.trend.relative_change,
        },
        "xmr": {
            "centre": limits.centre if limits else None,
            "moving_range_mean": limits.moving_range_mean if limits else None,
            "lower_limit": limits.lower_limit if limits else None,
            "upper_limit": limits.upper_limit if limits else None,
            "upper_range_limit": limits.upper_range_limit if limits else None,
            "baseline_points": check.xmr.baseline_points,
            "reason": check.xmr.reason,
            "signals": [
                {"rule": s.rule.value, "direction": s.direction, "indices": list(s.indices)}
                for s in check.xmr.signals
            ],
        },
        "verdict": check.verdict,
        "capability": check.capability.value,
    }


def _table(check: KpiCheck, path: str, rules: KpiRules) -> Table:
    table = Table(title=f"KPI check: {path}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    word = check.status.value
    if check.status is Status.UNKNOWN:
        word += " (no thresholds: give --green and --red)"
    elif rules.thresholds is not None:
        good, bad = (">", "<") if rules.direction is Direction.HIGHER else ("<", ">")
        word += (
            f" (green {good} {fmt.number(rules.thresholds.green)}, "
            f"red {bad} {fmt.number(rules.thresholds.red)})"
        )
    table.add_row("Status", f"[{STATUS_STYLE[check.status]}]{word}[/]")
    freshness = (
        "stale: the newest value is older than its cadence allows" if check.stale else "fresh"
    )
    cadence = f"{check.cadence} cadence" if check.cadence else "no cadence"
    table.add_row("Freshness", f"{freshness} ({cadence})")
    latest = f"{fmt.number(check.latest_value)} on {fmt.moment(check.latest_time)}"
    if check.gap_to_target is not None:
        latest += f"; target {fmt.number(rules.target)} ({fmt.change(check.gap_to_target)})"
    table.add_row("Latest", latest)
    trend = check.trend
    if trend.change is None:
        trend_text = "no value in the period before the latest one"
    else:
        trend_text = (
            f"{fmt.change(trend.change)} ({fmt.percent_share(trend.relative_change)}) "
            f"against the prior period ({fmt.number(trend.previous)})"
        )
    if trend.slope_per_period is not None:
        trend_text += f"; slope {fmt.change(trend.slope_per_period)} per period"
    table.add_row("Trend", trend_text)
    verdict = check.xmr.describe()
    table.add_row(
        "Signal or noise", f"[bold]{verdict}[/]" if check.verdict == "signal" else verdict
    )
    limits = check.xmr.limits
    if limits is not None:
        table.add_row(
            "XmR limits",
            f"centre {fmt.number(limits.centre)}, natural process limits "
            f"{fmt.number(limits.lower_limit)}–{fmt.number(limits.upper_limit)}, "
            f"mR̄ {fmt.number(limits.moving_range_mean)}, upper range limit "
            f"{fmt.number(limits.upper_range_limit)} "
            f"(baseline: first {limits.baseline_points} points)",
        )
    table.add_row("Capability", describe_capability(check))
    return table


@app.command("check")
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
    rules = KpiRules(
        direction=direction,
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


# --- kpi explain ---------------------------------------------------------------------

_EPOCH = date(1970, 1, 1)
# Lead-lag tries lags up to a quarter of weekly periods unless told otherwise.
DEFAULT_MAX_LAG = 4


def _name(key: str) -> str:
    return key.replace("_", " ")


def _cadence_name(cadence: Cadence) -> str:
    return cadence.expression or cadence.kind.value


def _period_label(cadence: Cadence, period: int, day: date) -> str:
    if cadence.kind is CadenceKind.DAILY:
        return (_EPOCH + timedelta(days=period)).isoformat()
    if cadence.kind is CadenceKind.WEEKLY:
        # Period numbers of a week count Mondays from 1969-12-29 (Cadence.period_index).
        return f"week of {(_EPOCH + timedelta(days=period * 7 - 3)).isoformat()}"
    if cadence.kind is CadenceKind.MONTHLY:
        return f"{1970 + period // 12}-{period % 12 + 1:02d}"
    return f"period holding {day.isoformat()}"


def _implied_cadence(series: Mapping[Any, Series]) -> Cadence:
    spacing = median_spacing(np.concatenate([s.timestamps for s in series.values()]))
    if spacing is None:
        raise InvalidInput("the values have a single timestamp: give --cadence", field="--cadence")
    return Cadence.from_spacing(spacing)


@dataclass(frozen=True)
class _Window:
    """The two periods `kpi explain` compares, located on a table of period means."""

    table: PeriodTable[Any]
    periods: tuple[int, int]
    labels: tuple[str, str]
    days: tuple[date, date]

    def values(self, which: int) -> dict[Any, float]:
        return self.table.at(self.periods[which])

    def side(self, which: int, value: float) -> dict[str, Any]:
        return {
            "date": self.days[which].isoformat(),
            "period": self.labels[which],
            "value": value,
        }


def _window(
    series: Mapping[Any, Series], cadence: Cadence | None, start: str | None, end: str | None
) -> _Window:
    if start is None or end is None:
        raise InvalidInput(
            "give the two days to compare: --from YYYY-MM-DD --to YYYY-MM-DD",
            field="--from" if start is None else "--to",
        )
    days = (parse_date(start, "--from"), parse_date(end, "--to"))
    if days[0] >= days[1]:
        raise InvalidInput(f"--from {start} is not before --to {end}", field="--from")
    cadence = cadence or _implied_cadence(series)
    moments = [datetime(d.year, d.month, d.day) for d in days]
    table = align_periods(series, cadence, moments)
    p0, p1 = table.located
    if p0 is None or p1 is None:
        flag, day = ("--from", days[0]) if p0 is None else ("--to", days[1])
        raise InvalidInput(f"{day} is after the newest value in the file", field=flag)
    labels = (_period_label(cadence, p0, days[0]), _period_label(cadence, p1, days[1]))
    if p0 == p1:
        raise InvalidInput(
            f"--from and --to fall in the same period ({labels[0]}): nothing to compare",
            field="--to",
        )
    return _Window(table, (p0, p1), labels, days)


def _require(values: Mapping[Any, float], window: _Window, which: int) -> None:
    """A missing period is bad input: name the KPI (and segment) and the period."""
    for key, value in values.items():
        if math.isnan(value):
            name = repr(key) if isinstance(key, str) else f"{key[0]!r} segment {key[1]!r}"
            raise InvalidInput(
                f"no value for {name} in the {window.labels[which]}",
                field=("--from", "--to")[which],
            )


def _headline(
    name: str,
    before: float,
    after: float,
    change: float,
    relative: float | None,
    parts: list[tuple[str, float | None]],
) -> str:
    """One sentence: how the KPI moved and which part explains most of the move."""
    shares = [(label, share) for label, share in parts if share is not None]
    if not shares:
        return f"{name} did not change ({fmt.number(before)})."
    verb, noun = ("rose", "rise") if change > 0 else ("fell", "fall")
    how_much = fmt.number(abs(change))
    if relative is not None:
        how_much += f" ({fmt.percent_share(relative)})"
    text = f"{name} {verb} {how_much} from {fmt.number(before)} to {fmt.number(after)}"
    label, share = max(shares, key=lambda part: part[1])
    if share > 0:
        text += f"; {label} explains {share * 100:.0f}% of the {noun}"
    return text + "."


def _share(value: float | None) -> str:
    """A share of the change as a whole percentage: 1.08 → '108%', −0.5 → '−50%'."""
    if value is None:
        return "—"
    return f"{value * 100:.0f}%".replace("-", "\N{MINUS SIGN}")


def _factors(
    file: MultiSeriesFile,
    formula: Formula,
    cadence: Cadence | None,
    start: str | None,
    end: str | None,
) -> tuple[dict[str, Any], Table, list[str]]:
    for key, at in zip(formula.inputs, formula.columns, strict=True):
        if key not in file.kpis:
            raise InvalidInput(
                f"column {at}: no KPI {key!r} in {file.path}; it has: {', '.join(file.kpis)}",
                field="--formula",
            )
    series = {key: file.total(key, field="--formula") for key in formula.inputs}
    window = _window(series, cadence, start, end)
    name = formula.target or "the KPI"
    sides = []
    for which in (0, 1):
        values = window.values(which)
        _require(values, window, which)
        if math.isnan(float(formula.evaluate(values))):
            raise InvalidInput(
                f"{name} cannot be computed in the {window.labels[which]}: a division by zero",
                field=("--from", "--to")[which],
            )
        sides.append(values)
    result = decompose_factors(formula, sides[0], sides[1])
    document = {
        "mode": "factors",
        "kpi": formula.target,
        "formula": formula.text,
        "cadence": _cadence_name(window.table.cadence),
        "from": window.side(0, result.before),
        "to": window.side(1, result.after),
        "change": result.change,
        "relative_change": result.relative_change,
        "method": result.method.value,
        "reason": result.reason,
        "factors": [asdict(f) for f in result.factors],
    }
    table = Table(title=f"{name}: {window.labels[0]} → {window.labels[1]}", title_justify="left")
    for column in ("factor", "before", "after", "contribution", "share"):
        table.add_column(column, justify="left" if column == "factor" else "right")
    for f in result.ranked:
        table.add_row(
            _name(f.key),
            fmt.number(f.before),
            fmt.number(f.after),
            fmt.change(f.contribution),
            _share(f.share),
        )
    method = (
        "log-change shares (LMDI): a factor's share is its log change over the KPI's"
        if result.method is Method.LOG_CHANGE
        else "Shapley values: each input's average effect when switched from before to after"
    )
    notes = [
        _headline(
            name,
            result.before,
            result.after,
            result.change,
            result.relative_change,
            [(_name(f.key), f.share) for f in result.factors],
        ),
        f"Method: {method}.",
    ]
    if result.reason:
        notes.append(f"Note: {result.reason}.")
    return document, table, notes


def _segments(
    file: MultiSeriesFile, key: str, cadence: Cadence | None, start: str | None, end: str | None
) -> tuple[dict[str, Any], Table, list[str]]:
    series = file.segments(key, field="--segments")
    window = _window(series, cadence, start, end)
    # A segment without a value in a period is absent there (it counts 0 in the total).
    before, after = (
        {s: v for s, v in window.values(which).items() if not math.isnan(v)} for which in (0, 1)
    )
    for which, values in enumerate((before, after)):
        if not values:
            raise InvalidInput(
                f"no value for {key!r} in the {window.labels[which]}",
                field=("--from", "--to")[which],
            )
    result = decompose_segments(before, after)
    document = {
        "mode": "segments",
        "kpi": key,
        "cadence": _cadence_name(window.table.cadence),
        "from": window.side(0, result.before),
        "to": window.side(1, result.after),
        "change": result.change,
        "relative_change": result.relative_change,
        "segments": [asdict(s) for s in result.segments],
    }
    table = Table(
        title=f"{key} by segment: {window.labels[0]} → {window.labels[1]}", title_justify="left"
    )
    for column in ("segment", "before", "after", "change", "share"):
        table.add_column(column, justify="left" if column == "segment" else "right")
    for s in result.ranked:
        table.add_row(
            s.segment,
            fmt.number(s.before),
            fmt.number(s.after),
            fmt.change(s.change),
            _share(s.share),
        )
    table.add_row(
        "total",
        fmt.number(result.before),
        fmt.number(result.after),
        fmt.change(result.change),
        "100%" if result.segments and result.segments[0].share is not None else "—",
        style="bold",
    )
    notes = [
        _headline(
            key,
            result.before,
            result.after,
            result.change,
            result.relative_change,
            [(f"segment {s.segment}", s.share) for s in result.segments],
        ),
        "The total is the sum of the segments; a segment missing in a period counts 0.",
    ]
    return document, table, notes


def _rate_mix(
    file: MultiSeriesFile,
    formula: Formula,
    cadence: Cadence | None,
    start: str | None,
    end: str | None,
) -> tuple[dict[str, Any], Table, list[str]]:
    factors = formula.factors() or ()
    exponents = sorted(f.exponent for f in factors)
    if exponents != [-1.0, 1.0]:
        raise InvalidInput(
            f"{formula.target!r} by segments needs a ratio of two KPIs "
            "(conversion = paid / trials); for an additive KPI use --segments KPI alone",
            field="--formula",
        )
    numerator = next(f.key for f in factors if f.exponent > 0)
    denominator = next(f.key for f in factors if f.exponent < 0)
    scale = float(formula.evaluate({numerator: 1.0, denominator: 1.0}))
    series = {
        (role, segment): one
        for role in (numerator, denominator)
        for segment, one in file.segments(role, field="--formula").items()
    }
    window = _window(series, cadence, start, end)
    sides: list[dict[str, tuple[float, float]]] = []
    for which in (0, 1):
        values = window.values(which)
        pairs = {}
        for segment in dict.fromkeys(s for _, s in values):
            n = values.get((numerator, segment), math.nan)
            d = values.get((denominator, segment), math.nan)
            if math.isnan(n) and math.isnan(d):
                continue
            _require({(numerator, segment): n, (denominator, segment): d}, window, which)
            pairs[segment] = (n, d)
        if not pairs:
            raise InvalidInput(
                f"no value for {numerator!r} and {denominator!r} in the {window.labels[which]}",
                field=("--from", "--to")[which],
            )
        sides.append(pairs)
    result = decompose_rate_mix(sides[0], sides[1], scale=scale)
    name = formula.target or "the KPI"
    document = {
        "mode": "rate_mix",
        "kpi": formula.target,
        "formula": formula.text,
        "numerator": numerator,
        "denominator": denominator,
        "cadence": _cadence_name(window.table.cadence),
        "from": window.side(0, result.before),
        "to": window.side(1, result.after),
        "change": result.change,
        "relative_change": result.relative_change,
        "rate_effect": result.rate_effect,
        "mix_effect": result.mix_effect,
        "segments": [asdict(s) for s in result.segments],
    }
    table = Table(
        title=f"{name} by segment: {window.labels[0]} → {window.labels[1]}", title_justify="left"
    )
    headers = (
        "segment",
        "rate before",
        "rate after",
        f"share of {_name(denominator)}",
        "rate effect",
        "mix effect",
        "contribution",
        "share",
    )
    for column in headers:
        table.add_column(column, justify="left" if column == "segment" else "right")
    for s in result.ranked:
        table.add_row(
            s.segment,
            fmt.number(s.before_rate),
            fmt.number(s.after_rate),
            f"{s.before_weight * 100:.1f}% → {s.after_weight * 100:.1f}%",
            fmt.change(s.rate_effect),
            fmt.change(s.mix_effect),
            fmt.change(s.contribution),
            _share(s.share),
        )
    notes = [
        _headline(
            name,
            result.before,
            result.after,
            result.change,
            result.relative_change,
            [(f"segment {s.segment}", s.share) for s in result.segments],
        ),
        f"Rate effects {fmt.change(result.rate_effect)} (segments converting better or worse), "
        f"mix effects {fmt.change(result.mix_effect)} (volume moving between segments).",
    ]
    return document, table, notes


def _lead_lag(
    file: MultiSeriesFile, key: str, max_lag: int, cadence: Cadence | None
) -> tuple[dict[str, Any], Table, list[str]]:
    if max_lag < 0:
        raise InvalidInput(f"{max_lag} is not a lag; give 0 or more", field="--max-lag")
    series = {key: file.total(key, field="--lead-lag")}
    others = [k for k in file.kpis if k != key]
    if not others:
        raise InvalidInput(f"{file.path} holds no KPI but {key!r} to rank", field="--lead-lag")
    with_total = [k for k in others if file.has_total(k)]
    series.update({k: file.total(k) for k in with_total})
    cadence = cadence or _implied_cadence(series)
    table_values = align_periods(series, cadence).values
    ranked = lead_lag(table_values[key], {k: table_values[k] for k in with_total}, max_lag)
    skipped = [
        LeadLag(k, None, None, 0, "only segment rows, no total")
        for k in others
        if k not in with_total
    ]
    results = [*ranked, *skipped]
    period = cadence.period_name
    document = {
        "mode": "lead_lag",
        "kpi": key,
        "cadence": _cadence_name(cadence),
        "periods": int(table_values[key].size),
        "max_lag": max_lag,
        "min_pairs": MIN_LEAD_LAG_PAIRS,
        "leading": [{**asdict(r), "sign": r.sign} for r in results],
    }
    table = Table(title=f"Leading indicators of {key}", title_justify="left")
    for column in ("leading KPI", f"lag ({period}s)", "correlation", "pairs"):
        table.add_column(
            column, justify="right" if column in ("pairs", f"lag ({period}s)") else "left"
        )
    for r in results:
        if r.correlation is None:
            correlation = r.reason or "—"
        else:
            correlation = f"{r.correlation:+.2f} ({r.sign})".replace("-", "\N{MINUS SIGN}")
        lag = "—" if r.lag is None else str(r.lag)
        table.add_row(_name(r.key), lag, correlation, str(r.pairs))
    notes = [
        f"Correlation of {period}-over-{period} changes: each leading KPI's change, the lag "
        f"earlier, against {key}'s change (lags 0–{max_lag}); strongest first.",
        "A correlation suggests where to aim an OKR; it does not prove the cause.",
    ]
    return document, table, notes


@app.command("explain")
def explain(
    series: Annotated[
        Path, typer.Argument(help="CSV with timestamp,kpi,value[,segment].", show_default=False)
    ],
    formula: Annotated[
        str | None,
        typer.Option(help='A derived KPI, e.g. "arpu = aov * frequency * paying_share".'),
    ] = None,
    segments: Annotated[
        str | None,
        typer.Option(
            metavar="KPI",
            help="Explain this KPI by its segments: additive, or rate and mix when it is "
            "the --formula's ratio.",
        ),
    ] = None,
    lead_lag_kpi: Annotated[
        str | None,
        typer.Option(
            "--lead-lag", metavar="KPI", help="Rank the file's other KPIs as leading indicators."
        ),
    ] = None,
    max_lag: Annotated[
        int | None,
        typer.Option(metavar="N", help="With --lead-lag: try lags 0…N periods (default 4)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="YYYY-MM-DD", help="A day in the period to compare from."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", metavar="YYYY-MM-DD", help="A day in the period to compare to."),
    ] = None,
    cadence: Annotated[
        str | None,
        typer.Option(help="daily, weekly, monthly or a cron expression; default: median spacing."),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Explain a KPI's move: which factor (--formula) or segment (--segments) moved it
    between the periods holding --from and --to, or which KPIs lead it (--lead-lag).
    """
    cad = None if cadence is None else Cadence.parse(cadence, field="--cadence")
    if lead_lag_kpi is None and max_lag is not None:
        raise InvalidInput("--max-lag goes with --lead-lag KPI", field="--max-lag")
    if lead_lag_kpi is not None:
        if formula is not None or segments is not None:
            raise InvalidInput(
                "--lead-lag goes without --formula and --segments", field="--lead-lag"
            )
        if start is not None or end is not None:
            raise InvalidInput(
                "--lead-lag uses every period; drop --from and --to", field="--lead-lag"
            )
        file = read_multi_series_csv(series)
        lags = DEFAULT_MAX_LAG if max_lag is None else max_lag
        document, table, notes = _lead_lag(file, lead_lag_kpi, lags, cad)
    elif formula is None and segments is None:
        raise InvalidInput(
            "say what to explain: --formula, --segments KPI or --lead-lag KPI", field="--formula"
        )
    else:
        parsed = None if formula is None else Formula.parse(formula, field="--formula")
        if parsed is not None and segments is not None and segments != parsed.target:
            raise InvalidInput(
                f"--segments {segments} with --formula explains the formula's KPI by segments: "
                f"name it ('{segments} = …'), or drop --formula",
                field="--segments",
            )
        file = read_multi_series_csv(series)
        if parsed is None:
            assert segments is not None
            document, table, notes = _segments(file, segments, cad, start, end)
        elif segments is None:
            document, table, notes = _factors(file, parsed, cad, start, end)
        else:
            document, table, notes = _rate_mix(file, parsed, cad, start, end)
    if output is OutputFormat.JSON:
        print_json(document)
        return
    console.print(table)
    for note in notes:
        console.print(note)

"""`okrkit kpi explain`: which factor or segment moved a KPI, and which KPIs lead it.

The command checks which question its options ask, reads the long-format file, calls
one use case of `services/explain.py` and renders the read model it returns: a table, a
one-sentence headline and notes for people, or the JSON document for scripts.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from okrkit.adapters.sources.series_files import read_multi_series_csv
from okrkit.domain.cadence import Cadence
from okrkit.domain.decompose import Method
from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    parse_date,
    print_json,
)
from okrkit.services.explain import (
    DEFAULT_MAX_LAG,
    ExplainWindow,
    FactorExplanation,
    LeadLagExplanation,
    RateMixExplanation,
    SegmentExplanation,
    explain_factors,
    explain_lead_lag,
    explain_rate_mix,
    explain_segments,
)

__all__ = ["explain"]

Rendered = tuple[dict[str, Any], Table, list[str]]


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
        typer.Option(
            metavar="N", help=f"With --lead-lag: try lags 0…N periods (default {DEFAULT_MAX_LAG})."
        ),
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
        lags = DEFAULT_MAX_LAG if max_lag is None else max_lag
        rendered = _lead_lag(
            explain_lead_lag(read_multi_series_csv(series), lead_lag_kpi, cad, lags)
        )
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
        day0, day1 = _days(start, end)
        file = read_multi_series_csv(series)
        if parsed is None:
            assert segments is not None
            rendered = _segments(explain_segments(file, segments, cad, day0, day1))
        elif segments is None:
            rendered = _factors(explain_factors(file, parsed, cad, day0, day1))
        else:
            rendered = _rate_mix(explain_rate_mix(file, parsed, cad, day0, day1))
    document, table, notes = rendered
    if output is OutputFormat.JSON:
        print_json(document)
        return
    console.print(table)
    for note in notes:
        console.print(note)


def _days(start: str | None, end: str | None) -> tuple[date, date]:
    if start is None or end is None:
        raise InvalidInput(
            "give the two days to compare: --from YYYY-MM-DD --to YYYY-MM-DD",
            field="--from" if start is None else "--to",
        )
    return parse_date(start, "--from"), parse_date(end, "--to")


def _name(key: str) -> str:
    return key.replace("_", " ")


def _cadence_name(cadence: Cadence) -> str:
    return cadence.expression or cadence.kind.value


def _side(window: ExplainWindow, which: int, value: float) -> dict[str, Any]:
    return {"date": window.days[which].isoformat(), "period": window.labels[which], "value": value}


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
    if value is None or math.isnan(value):
        return "—"
    return fmt.number(value * 100, "score") + "%"


def _factors(view: FactorExplanation) -> Rendered:
    formula, window, result = view.formula, view.window, view.result
    name = formula.target or "the KPI"
    document = {
        "mode": "factors",
        "kpi": formula.target,
        "formula": formula.text,
        "cadence": _cadence_name(window.cadence),
        "from": _side(window, 0, result.before),
        "to": _side(window, 1, result.after),
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


def _segments(view: SegmentExplanation) -> Rendered:
    key, window, result = view.kpi, view.window, view.result
    document = {
        "mode": "segments",
        "kpi": key,
        "cadence": _cadence_name(window.cadence),
        "from": _side(window, 0, result.before),
        "to": _side(window, 1, result.after),
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


def _rate_mix(view: RateMixExplanation) -> Rendered:
    formula, window, result = view.formula, view.window, view.result
    name = formula.target or "the KPI"
    document = {
        "mode": "rate_mix",
        "kpi": formula.target,
        "formula": formula.text,
        "numerator": view.numerator,
        "denominator": view.denominator,
        "cadence": _cadence_name(window.cadence),
        "from": _side(window, 0, result.before),
        "to": _side(window, 1, result.after),
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
        f"share of {_name(view.denominator)}",
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


def _lead_lag(view: LeadLagExplanation) -> Rendered:
    key, max_lag = view.kpi, view.max_lag
    period = view.cadence.period_name
    document = {
        "mode": "lead_lag",
        "kpi": key,
        "cadence": _cadence_name(view.cadence),
        "periods": view.periods,
        "max_lag": max_lag,
        "min_pairs": view.min_pairs,
        "leading": [{**asdict(r), "sign": r.sign} for r in view.leading],
    }
    table = Table(title=f"Leading indicators of {key}", title_justify="left")
    for column in ("leading KPI", f"lag ({period}s)", "correlation", "pairs"):
        table.add_column(
            column, justify="right" if column in ("pairs", f"lag ({period}s)") else "left"
        )
    for r in view.leading:
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

"""JSON documents the CLI and the web API both print: one place, so `okrkit kpi check
--format json` and the API's `health` read the same, and so do `okrkit kr forecast
--format json` and a key result's `forecast` in the API (docs/cli.md, "JSON output")."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from okrkit.domain.errors import RowError
from okrkit.domain.forecast import Forecast
from okrkit.interfaces import formatting as fmt
from okrkit.services.health import KpiCheck
from okrkit.services.values import ImportPreview, ImportReport

__all__ = [
    "check_document",
    "finite",
    "forecast_document",
    "import_document",
    "preview_document",
]


def _utc(moment: datetime) -> str:
    """A naive UTC moment as ISO 8601 with its zone: 2026-10-04T00:00:00Z."""
    return moment.isoformat(timespec="seconds") + "Z"


def _row(row: RowError) -> dict[str, Any]:
    """A questioned row: where (a body's 0-based item, a file's line or row), the field,
    and why."""
    return {"item": row.line, "field": row.column, "detail": row.reason}


def _judged(check: KpiCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        "status": check.status.value,
        "verdict": check.verdict,
        "latest_value": check.latest_value,
    }


def preview_document(preview: ImportPreview) -> dict[str, Any]:
    """An import not written: what it would do to each KPI, and each questioned row."""
    return {
        "source": preview.source,
        "rows": preview.rows,
        "can_import": preview.can_import,
        "new": preview.new,
        "replaced": preview.replaced,
        "unchanged": preview.unchanged,
        "kpis": [
            {
                "key": k.key,
                "rows": k.rows,
                "new": k.new,
                "replaced": k.replaced,
                "unchanged": k.unchanged,
                "first": _utc(k.first),
                "last": _utc(k.last),
                "before": _judged(k.before),
                "after": _judged(k.after),
            }
            for k in preview.kpis
        ],  # fmt: skip
        "error_count": preview.error_count,
        "errors": [_row(row) for row in preview.errors],
        "warning_count": preview.warning_count,
        "warnings": [_row(row) for row in preview.warnings],
    }


def import_document(report: ImportReport, source: str | None = None) -> dict[str, Any]:
    """An import written: its id (what undoes it), its counts, each KPI it touched and
    the warnings it went ahead with."""
    record = report.record
    return {
        "id": None if record is None else record.id,
        "source": report.source if source is None else source,
        "rows_read": report.rows_read,
        "rows_written": report.rows_written,
        "new": 0 if record is None else record.added,
        "replaced": 0 if record is None else record.replaced,
        "kpis": [
            {"key": k.key, "rows": k.rows, "first": _utc(k.first), "last": _utc(k.last)}
            for k in report.kpis
        ],  # fmt: skip
        "warning_count": report.warning_count,
        "warnings": [_row(row) for row in report.warnings],
    }


def check_document(check: KpiCheck) -> dict[str, Any]:
    """The JSON of `kpi check` (docs/cli.md, "JSON output")."""
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


def forecast_document(forecast: Forecast) -> dict[str, Any]:
    """A key result's forecast at its deadline, as `kr forecast --format json` prints it
    (docs/cli.md, "JSON output"): `n`, `slope_per_day`, `forecast`, `lower`, `upper`,
    `probability`, and `reason` only when there is no forecast."""
    document: dict[str, Any] = {
        "n": forecast.n,
        "slope_per_day": forecast.slope_per_day,
        "forecast": forecast.forecast,
        "lower": forecast.lower,
        "upper": forecast.upper,
        "probability": forecast.probability,
    }
    if forecast.reason is not None:
        document["reason"] = forecast.reason
    return document


def finite(value: Any) -> Any:
    """The same JSON data with NaN and infinities as null (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value

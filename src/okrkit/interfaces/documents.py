"""JSON documents the CLI and the web API both print: one place, so `okrkit kpi check
--format json` and the API's `health` read the same, and so do `okrkit kr forecast
--format json` and a key result's `forecast` in the API (docs/cli.md, "JSON output")."""

from __future__ import annotations

import math
from typing import Any

from okrkit.domain.forecast import Forecast
from okrkit.interfaces import formatting as fmt
from okrkit.services.health import KpiCheck

__all__ = ["check_document", "finite", "forecast_document"]


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

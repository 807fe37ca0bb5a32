"""JSON documents the CLI and the web API both print: one place, so `okrkit kpi check
--format json` and the API's `health` read the same (docs/cli.md, "JSON output")."""

from __future__ import annotations

import math
from typing import Any

from okrkit.interfaces import formatting as fmt
from okrkit.services.health import KpiCheck

__all__ = ["check_document", "finite"]


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


def finite(value: Any) -> Any:
    """The same JSON data with NaN and infinities as null (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value

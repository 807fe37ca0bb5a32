"""How numbers, changes and statuses read to a person, in the CLI and on the web.

One place, so a KPI reads the same in a terminal table and on a dashboard tile.
"""

from __future__ import annotations

import math
from datetime import datetime

__all__ = ["change", "moment", "number", "percent_share"]

_MINUS = "\N{MINUS SIGN}"


def _general(value: float) -> str:
    """Four significant digits with thousands separators: 1,234, 13.31, 0.0452."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, 3 - magnitude)
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"


def _currency(value: float) -> str:
    size = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"${value / limit:.3g}{suffix}"
    return f"${value:,.0f}"


def number(value: float | None, unit: str | None = None) -> str:
    """A value in its unit: '12.0%', '$48.2k', '212 ms', '1.5 h', '48,213'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    match unit:
        case "percent":
            text = f"{value:.1f}%"
        case "currency":
            text = _currency(value)
        case "ms":
            text = f"{value:,.0f} ms"
        case "hours":
            text = f"{value:.1f} h"
        case "count":
            text = f"{value:,.0f}" if abs(value) >= 100 else _general(value)
        case "score":
            text = f"{value:.0f}"
        case "ratio":
            text = f"{value:.2f}"
        case _:
            text = _general(value)
    return text.replace("-", _MINUS, 1) if value < 0 else text


def change(value: float | None, unit: str | None = None) -> str:
    """A signed change in the KPI's unit; a change of a percentage is in points (pp)."""
    if value is None or math.isnan(value):
        return "—"
    sign = "+" if value > 0 else _MINUS if value < 0 else "±"
    if unit == "percent":
        return f"{sign}{abs(value):.1f} pp"
    return sign + number(abs(value), unit)


def percent_share(value: float | None) -> str:
    """A ratio as a signed percentage: 0.045 → '+4.5%'."""
    if value is None or math.isnan(value):
        return "—"
    sign = "+" if value > 0 else _MINUS if value < 0 else "±"
    return f"{sign}{abs(value) * 100:.1f}%"


def moment(value: datetime) -> str:
    """A UTC moment: the date alone at midnight, else date and time with 'Z'."""
    if value.hour == value.minute == value.second == 0:
        return value.date().isoformat()
    return value.isoformat(timespec="seconds") + "Z"

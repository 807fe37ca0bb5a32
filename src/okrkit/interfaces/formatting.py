"""How numbers, changes and statuses read to a person, in the CLI and on the web.

One place, so a KPI reads the same in a terminal table and on a dashboard tile.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import datetime

import numpy as np

__all__ = ["change", "moment", "moments", "number", "numbers", "percent_share"]

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


def _count(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else _general(value)


def _formatter(unit: str | None) -> Callable[[float], str]:
    """How a value of a unit is written (before its minus sign is made typographic)."""
    match unit:
        case "percent":
            return "{:.1f}%".format
        case "currency":
            return _currency
        case "ms":
            return "{:,.0f} ms".format
        case "hours":
            return "{:.1f} h".format
        case "count":
            return _count
        case "score":
            return "{:.0f}".format
        case "ratio":
            return "{:.2f}".format
        case _:
            return _general


def number(value: float | None, unit: str | None = None) -> str:
    """A value in its unit: '12.0%', '$48.2k', '212 ms', '1.5 h', '48,213'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = _formatter(unit)(value)
    return text.replace("-", _MINUS, 1) if value < 0 else text


def numbers(values: Iterable[float], unit: str | None = None) -> list[str]:
    """`number` of every value, the unit looked up once: a chart's thousand points."""
    form = _formatter(unit)
    out = []
    for value in values:
        if value != value:  # NaN
            out.append("—")
        elif value < 0:
            out.append(form(value).replace("-", _MINUS, 1))
        else:
            out.append(form(value))
    return out


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


def moments(stamps: np.ndarray) -> list[str]:
    """`moment` of every UTC timestamp of a NumPy array, written by NumPy at once."""
    seconds = stamps.astype("datetime64[s]")
    days = seconds.astype("datetime64[D]")
    midnight = seconds == days
    if midnight.all():
        return list(np.datetime_as_string(days).tolist())
    dated = np.datetime_as_string(days).tolist()
    timed = np.datetime_as_string(seconds).tolist()
    return [d if m else t + "Z" for d, t, m in zip(dated, timed, midnight.tolist(), strict=True)]

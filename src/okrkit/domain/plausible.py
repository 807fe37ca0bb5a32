"""Plausible values: which values of a KPI to question before they count.

A wrong number that goes in silently can flip a verdict: 150 % in a conversion rate, a
row dated next month, 0.131 typed for 13.1 %. Each row of an import is checked against
three facts about its KPI (docs/rules.md, "Plausible values"):

- **the range its unit allows** — percent 0–100, ratio 0–1, counts and durations at
  least 0 — or the KPI's own `lowest` / `highest` when its owner set them (a retention
  of 120 % is possible). A value outside it is an **error**: it cannot be right.
- **the clock**: a value cannot be measured before it happens. A time later than now
  plus `CLOCK_SKEW` (a source's clock a little ahead) is an **error**.
- **its usual range**: the KPI's natural process limits widened by their own width on
  each side (three times as wide, centred on the same mean). A value outside that is
  very unlikely to be routine variation and very likely a typing or unit mistake, so it
  is a **warning**: shown and confirmed, never blocking. Only the KPI's total is
  checked against it (a segment's values have a scale of their own), and only when the
  KPI has limits.

Errors block an import; warnings are shown before it counts, and a confirmed import
goes ahead with them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput
from okrkit.domain.kpis import Kpi
from okrkit.domain.phrasing import number
from okrkit.domain.spc import Limits

__all__ = [
    "CLOCK_SKEW",
    "Bounds",
    "BoundsTable",
    "Severity",
    "UnitRange",
    "bounds_of",
    "check_range",
    "questioned",
    "unit_range",
]

# How far ahead of the server's clock a value's time may be: a source's clock a little
# fast, a day's value stamped in another time zone's midnight.
CLOCK_SKEW = timedelta(hours=14)


class Severity(StrEnum):
    """An error blocks an import; a warning is shown and confirmed."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class UnitRange:
    """The values a unit allows: `lowest` and `highest` (None: no bound), both allowed."""

    lowest: float | None = None
    highest: float | None = None
    because: str = ""

    def describe(self) -> str:
        """'0 to 100', 'at least 0', or '' for no bound."""
        if self.lowest is not None and self.highest is not None:
            return f"{_number(self.lowest)} to {_number(self.highest)}"
        if self.lowest is not None:
            return f"at least {_number(self.lowest)}"
        if self.highest is not None:
            return f"at most {_number(self.highest)}"
        return ""


_PERCENT = UnitRange(0.0, 100.0, "a percent is 0 to 100")
_RATIO = UnitRange(0.0, 1.0, "a ratio is 0 to 1")
_COUNT = UnitRange(0.0, None, "a count is never negative")
_DURATION = UnitRange(0.0, None, "a duration is never negative")
_DURATIONS = ("ms", "s", "sec", "seconds", "min", "minutes", "h", "hours", "d", "days", "weeks")
# Units as people write them (lower-cased, trimmed): a unit not listed has no bound.
_UNITS: dict[str, UnitRange] = {
    "percent": _PERCENT,
    "%": _PERCENT,
    "pct": _PERCENT,
    "ratio": _RATIO,
    "fraction": _RATIO,
    "count": _COUNT,
    "users": _COUNT,
    "customers": _COUNT,
    "tickets": _COUNT,
    **dict.fromkeys(_DURATIONS, _DURATION),
}


def unit_range(unit: str) -> UnitRange:
    """The values a unit allows; no bound for a unit it does not know."""
    return _UNITS.get(unit.strip().lower(), UnitRange())


def check_range(kpi: Kpi) -> UnitRange:
    """A KPI's allowed range: its own `lowest` / `highest` where set, its unit's
    otherwise. A `lowest` above its `highest`, or either not finite, is refused naming
    the field."""
    for name in ("lowest", "highest"):
        value = getattr(kpi, name)
        if value is not None and not math.isfinite(value):
            raise InvalidInput(f"{value} is not a finite number", field=name)
    if kpi.lowest is not None and kpi.highest is not None and kpi.lowest >= kpi.highest:
        raise InvalidInput(
            f"the lowest value {_number(kpi.lowest)} must be below the highest "
            f"{_number(kpi.highest)}",
            field="lowest",
        )
    unit = unit_range(kpi.unit)
    if kpi.lowest is None and kpi.highest is None:
        return unit
    lowest = unit.lowest if kpi.lowest is None else kpi.lowest
    highest = unit.highest if kpi.highest is None else kpi.highest
    if lowest is not None and highest is not None and lowest >= highest:
        # One bound set by the KPI, the other from its unit, and they cross: the KPI's
        # own bound wins and the unit's is dropped.
        if kpi.lowest is None:
            lowest = None
        else:
            highest = None
    return UnitRange(lowest, highest, "the KPI's plausible range is set by its owner")


@dataclass(frozen=True)
class Bounds:
    """What one KPI's new values are checked against, as of one moment.

    `allowed` is its range (errors outside); `latest` the latest time a value may have
    (errors after); `usual` its usual range widened (warnings outside; None without
    limits), with `limits` the natural process limits it comes from.
    """

    allowed: UnitRange
    latest: datetime
    usual: tuple[float, float] | None = None
    limits: tuple[float, float] | None = None

    def reason(self, when: datetime, value: float, total: bool, unit: str) -> str:
        """Why one row was questioned, in words (the first reason that holds)."""
        if when > self.latest:
            return f"{when:%-d %b %Y %H:%M} UTC is in the future"
        allowed = self.allowed
        if (allowed.lowest is not None and value < allowed.lowest) or (
            allowed.highest is not None and value > allowed.highest
        ):
            return (
                f"{_number(value)}{_suffix(unit)} is outside {allowed.describe()}"
                f"{_suffix(unit)}: {allowed.because}"
            )
        assert self.usual is not None
        assert self.limits is not None
        assert total
        low, high = self.limits
        side = "below" if value < self.usual[0] else "above"
        hint = ""
        if unit.strip().lower() in {"percent", "%", "pct"} and 0 < abs(value) <= 1 < low:
            hint = f" — a fraction typed for a percent? ({_number(value * 100)}%)"
        return (
            f"{_number(value)}{_suffix(unit)} is far {side} the usual range "
            f"{_number(low)}–{_number(high)}{_suffix(unit)}{hint}"
        )


def bounds_of(kpi: Kpi, now: datetime, limits: Limits | None) -> Bounds:
    """A KPI's bounds as of `now` (naive UTC), with its natural process limits if any."""
    usual = natural = None
    if limits is not None and limits.upper_limit > limits.lower_limit:
        width = limits.upper_limit - limits.lower_limit
        natural = (limits.lower_limit, limits.upper_limit)
        usual = (limits.lower_limit - width, limits.upper_limit + width)
    return Bounds(check_range(kpi), now + CLOCK_SKEW, usual, natural)


@dataclass(frozen=True)
class BoundsTable:
    """The bounds of several KPIs side by side, one entry per KPI (NaN: no bound; every
    comparison with it is false), built once per import and indexed per row."""

    lowest: npt.NDArray[np.float64]
    highest: npt.NDArray[np.float64]
    usual_low: npt.NDArray[np.float64]
    usual_high: npt.NDArray[np.float64]
    latest: npt.NDArray[np.datetime64]

    @classmethod
    def of(cls, bounds: Sequence[Bounds]) -> BoundsTable:
        def column(pick: Callable[[Bounds], float | None]) -> npt.NDArray[np.float64]:
            return np.array([np.nan if (v := pick(b)) is None else v for b in bounds], float)

        return cls(
            column(lambda b: b.allowed.lowest),
            column(lambda b: b.allowed.highest),
            column(lambda b: None if b.usual is None else b.usual[0]),
            column(lambda b: None if b.usual is None else b.usual[1]),
            np.array([np.datetime64(b.latest, "s") for b in bounds], "datetime64[s]"),
        )


def questioned(
    table: BoundsTable,
    kpi: npt.NDArray[np.int64],
    timestamps: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
    total: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Masks of the rows that are errors, and of those that are only warnings.

    Row i is of the KPI at `kpi[i]` of `table`; `total` marks the rows of a KPI's total
    (the usual range applies to them only; None: every row is a total). Vectorised: an
    import checks millions of rows.
    """
    errors = timestamps.astype("datetime64[s]") > table.latest[kpi]
    errors |= values < table.lowest[kpi]
    errors |= values > table.highest[kpi]
    warnings = (values < table.usual_low[kpi]) | (values > table.usual_high[kpi])
    warnings &= ~errors
    if total is not None:
        warnings &= total
    return errors, warnings


def _suffix(unit: str) -> str:
    clean = unit.strip()
    if clean.lower() in {"percent", "%", "pct"}:
        return "%"
    return f" {clean}" if clean and clean.lower() not in {"count", "ratio", "score"} else ""


def _number(value: float) -> str:
    """A number as it was written, as a person reads it: thousands separated, the
    decimals it has (0.131 stays 0.131), never in scientific notation (a magnitude no
    separator makes readable is `phrasing.number`'s power of ten)."""
    if not math.isfinite(value) or not 1e-6 <= abs(value) < 1e15:
        return number(value) if value else "0"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    magnitude = abs(value)
    decimals = 2 if magnitude >= 1 else max(2, 3 - math.floor(math.log10(magnitude)))
    text = f"{value:,.{min(decimals, 12)}f}".rstrip("0").rstrip(".")
    return text

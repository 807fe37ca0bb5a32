"""Status of a KPI value against its green / red thresholds.

The rule (docs/rules.md, "Status from thresholds"): for a `higher`-is-better KPI a value is
green above the green bound, red below the red bound and yellow in between, both bounds
included in yellow. For `lower` the comparisons flip. Without thresholds the status is
`unknown`, and a stale KPI is never green: stale data is flagged, not trusted.

Worst first (docs/rules.md, "Worst first"): dashboards list KPIs by their standing — red,
can't judge (its definition cannot be judged: say why), yellow, stale or no data, no
thresholds, green — and the first four need attention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput
from okrkit.domain.phrasing import number

__all__ = [
    "status_reason",
    "NEEDS_ATTENTION",
    "WORST_FIRST",
    "Direction",
    "Standing",
    "Status",
    "Thresholds",
    "standing",
    "status",
    "toward_red",
    "status_batch",
]


class Direction(StrEnum):
    """Which way is better for a KPI."""

    HIGHER = "higher"
    LOWER = "lower"

    @classmethod
    def parse(cls, text: str, *, source: str | None = None, field: str = "direction") -> Direction:
        """Read a direction from user input, with an error that names the field."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InvalidInput(
                f"{text!r} is not a direction; use 'higher' or 'lower'",
                source=source,
                field=field,
            ) from None


class Status(StrEnum):
    """A KPI's traffic light; `unknown` when it has no thresholds or no value."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNKNOWN = "unknown"


class Standing(StrEnum):
    """Where a KPI stands on a dashboard: its status, or that it cannot be judged, or
    that its data is stale or missing."""

    RED = "red"
    CANT_JUDGE = "cant_judge"
    YELLOW = "yellow"
    STALE = "stale"  # stale or no value at all, and neither red nor yellow
    UNKNOWN = "unknown"  # fresh, without thresholds
    GREEN = "green"


# The order of dashboards: the KPI that most needs attention first.
WORST_FIRST: tuple[Standing, ...] = tuple(Standing)
NEEDS_ATTENTION = frozenset({Standing.RED, Standing.CANT_JUDGE, Standing.YELLOW, Standing.STALE})


def standing(light: Status, stale: bool, *, judged: bool = True) -> Standing:
    """A KPI's standing from its status and freshness (`judged` False when its
    definition cannot be judged): red and yellow first, then stale or no data."""
    if not judged:
        return Standing.CANT_JUDGE
    if light in (Status.RED, Status.YELLOW, Status.GREEN):
        return Standing(light.value)
    return Standing.STALE if stale else Standing.UNKNOWN


def toward_red(value: float | None, thresholds: Thresholds | None, direction: Direction) -> float:
    """How far a value has gone from its green bound toward its red one: 0 at the green
    bound, 1 at the red bound (more beyond it, less than 0 inside green). Orders KPIs of
    one standing, the nearest to red first; 0 without a value or thresholds."""
    if value is None or thresholds is None or value != value:
        return 0.0
    width = thresholds.red - thresholds.green
    if width == 0:
        return (
            1.0
            if value == thresholds.red
            else (2.0 if _worse(value, thresholds.red, direction) else -1.0)
        )
    share = (value - thresholds.green) / width
    return share if math.isfinite(share) else 0.0


def _worse(value: float, bound: float, direction: Direction) -> bool:
    return value < bound if direction is Direction.HIGHER else value > bound


# Integer codes of `status_batch`, in the order of this tuple.
STATUS_CODES: tuple[Status, ...] = (Status.UNKNOWN, Status.GREEN, Status.YELLOW, Status.RED)


@dataclass(frozen=True)
class Thresholds:
    """The green and red bounds of a KPI; both bounds belong to yellow."""

    green: float
    red: float

    def check(self, direction: Direction, *, source: str | None = None) -> Thresholds:
        """Reject bounds in the wrong order for the direction and return self.

        For `higher` the green bound must not be below the red one (green > 15 %,
        red < 12 %); for `lower` it must not be above it (latency green < 200 ms,
        red > 400 ms). Equal bounds are allowed: yellow is then that single value.
        """
        for name, bound in (("green", self.green), ("red", self.red)):
            if not math.isfinite(bound):
                raise InvalidInput(f"{bound} is not a finite number", source=source, field=name)
        if direction is Direction.HIGHER and self.green < self.red:
            raise InvalidInput(
                f"green {number(self.green)} is below red {number(self.red)}, but higher is "
                "better: the green bound must be at or above the red one",
                source=source,
                field="thresholds",
            )
        if direction is Direction.LOWER and self.green > self.red:
            raise InvalidInput(
                f"green {number(self.green)} is above red {number(self.red)}, but lower is better: "
                "the green bound must be at or below the red one",
                source=source,
                field="thresholds",
            )
        return self


def status(
    value: float | None,
    thresholds: Thresholds | None,
    direction: Direction,
    *,
    stale: bool = False,
) -> Status:
    """The traffic light of one value.

    Green only when the value is strictly beyond the green bound in the good direction,
    red only when strictly beyond the red bound in the bad direction, yellow otherwise.
    No thresholds or no value → unknown. A stale KPI that would be green is shown yellow:
    the last good reading is not evidence that the KPI is still healthy.
    """
    if (
        thresholds is None
        or value is None
        or math.isnan(value)
        or math.isnan(thresholds.green)
        or math.isnan(thresholds.red)
    ):
        return Status.UNKNOWN
    if direction is Direction.HIGHER:
        is_green, is_red = value > thresholds.green, value < thresholds.red
    else:
        is_green, is_red = value < thresholds.green, value > thresholds.red
    if is_red:
        return Status.RED
    if is_green and not stale:
        return Status.GREEN
    return Status.YELLOW


def status_batch(
    values: npt.NDArray[np.float64],
    green: npt.NDArray[np.float64],
    red: npt.NDArray[np.float64],
    higher: npt.NDArray[np.bool_],
    stale: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int8]:
    """`status` for many KPIs at once, as codes into `STATUS_CODES`.

    Every argument has one entry per KPI; a NaN value, or a NaN green or red bound
    (no thresholds), gives `unknown`. Same rule as `status`, vectorised for dashboards
    and benchmarks over thousands of KPIs.
    """
    # Compared, not subtracted: a difference of two huge values would overflow.
    is_green = np.where(higher, values > green, values < green)
    is_red = np.where(higher, values < red, values > red)
    codes = np.full(values.shape, 2, dtype=np.int8)  # yellow
    codes[is_green & ~stale] = 1
    codes[is_red] = 3
    codes[np.isnan(values) | np.isnan(green) | np.isnan(red)] = 0
    return codes


def status_reason(
    value: float,
    thresholds: Thresholds,
    direction: Direction,
    light: Status,
    stale: bool,
    unit: str | None = None,
) -> str:
    """Why a value has its status, in words: which bound it is beyond, or that it lies
    between them (both bounds are yellow), or that stale data is never shown green."""
    higher = direction is Direction.HIGHER
    shown = number(value, unit)
    green, red = number(thresholds.green, unit), number(thresholds.red, unit)
    if light is Status.RED:
        return f"{shown} is {'below' if higher else 'above'} the red bound {red}"
    if light is Status.GREEN:
        return f"{shown} is {'above' if higher else 'below'} the green bound {green}"
    beyond_green = value > thresholds.green if higher else value < thresholds.green
    if stale and beyond_green:
        return (
            f"{shown} would be green, but the newest value is stale: stale data is never "
            "shown green"
        )
    return (
        f"{shown} is between the red bound {red} and the green bound {green} "
        "(both bounds count as yellow)"
    )

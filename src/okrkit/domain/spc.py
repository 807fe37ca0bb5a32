"""Signal or noise: XmR process-behaviour charts, and what a process is capable of.

Rule (docs/rules.md, "Signal or noise"): the limits come from a baseline window (the first
20 points, or all of them when fewer). The centre is the baseline mean and mR̄ the mean
of the moving ranges |xᵢ − xᵢ₋₁| inside the baseline; the natural process limits are
centre ± 2.66 · mR̄ and the upper range limit 3.268 · mR̄. Three rules then run over every
point and each finding is a signal: a point beyond a limit, a run of eight or more on one
side of the centre, three of four successive points beyond the same halfway line. A KPI
move without a signal is routine variation. With fewer than 2 baseline points, or a
constant baseline (mR̄ = 0), there are no limits and the result says why.

Rule ("Capability"): the natural range [lower limit, upper limit] against the green and
red bounds tells whether the process as it runs stays green (`capable`), will produce
red values with nothing changed (`incapable`), or sits in between (`marginal`).

Values must be finite numbers (data quality deals with gaps upstream). `xmr_batch` is one
vectorised NumPy pass over thousands of KPIs; `Signal` lists are built only when asked.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Thresholds

__all__ = [
    "BASELINE_POINTS",
    "CAPABILITY_CODES",
    "D4",
    "E2",
    "Capability",
    "Limits",
    "Rule",
    "Signal",
    "XmrBatch",
    "XmrResult",
    "capability",
    "capability_batch",
    "xmr",
    "xmr_batch",
]

BASELINE_POINTS = 20
# Scaling factors for moving ranges of two points as Wheeler uses them ("Understanding
# Variation", 1993; "Making Sense of Data", 2003): E2 = 3 / d2 with d2 = 1.128, rounded,
# and the upper range factor D4 for n = 2 (many tables print 3.267). Software using
# 3 / 1.128 = 2.6596 differs from these limits in the fourth significant digit.
E2 = 2.66
D4 = 3.268
RUN_LENGTH = 8
HALFWAY = E2 / 2  # the line halfway between the centre and a limit: centre ± 1.33 · mR̄

TOO_FEW_POINTS = "fewer than 2 baseline points: no limits"
NO_VARIATION = "a constant baseline has no variation: mR̄ = 0, no limits"

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Side = Literal["up", "down"]
_SIDES: tuple[Side, Side] = ("up", "down")


class Rule(StrEnum):
    """The detection rules of the XmR chart, in the order signals are listed."""

    OUTSIDE_LIMITS = "outside_limits"
    RUN_OF_8 = "run_of_8"
    THREE_OF_FOUR = "three_of_four"


_RULE_ORDER = {rule: i for i, rule in enumerate(Rule)}


class Capability(StrEnum):
    """Whether a process, left as it runs, stays within a KPI's thresholds."""

    CAPABLE = "capable"
    MARGINAL = "marginal"
    INCAPABLE = "incapable"
    UNKNOWN = "unknown"


# Integer codes of `capability_batch`, in the order of this tuple.
CAPABILITY_CODES: tuple[Capability, ...] = (
    Capability.UNKNOWN,
    Capability.CAPABLE,
    Capability.MARGINAL,
    Capability.INCAPABLE,
)


@dataclass(frozen=True)
class Signal:
    """One finding of a rule: which way it points and the 0-based points it covers."""

    rule: Rule
    direction: Side
    indices: tuple[int, ...]


@dataclass(frozen=True)
class Limits:
    """Centre, mR̄ and the limits computed from the baseline points."""

    centre: float
    moving_range_mean: float
    lower_limit: float
    upper_limit: float
    upper_range_limit: float
    baseline_points: int


@dataclass(frozen=True)
class XmrResult:
    """The XmR chart of one KPI: its limits (or why there are none) and its signals."""

    limits: Limits | None
    reason: str | None
    signals: tuple[Signal, ...]
    baseline_points: int
    points: int

    @property
    def verdict(self) -> Literal["signal", "routine"]:
        """'signal' when any rule fired: something changed; else routine variation."""
        return "signal" if self.signals else "routine"

    def describe(self) -> str:
        """The chart in one sentence for people, strongest rule first; points count from 1.

        "Routine variation: no point outside 13.3–16.5", "Signal: a run of 9 points below
        the centre 14.9 (points 21–29)", or "No limits: <reason>".
        """
        if self.limits is None:
            return f"No limits: {self.reason}"
        lim = self.limits
        num = _number_format(lim)
        if not self.signals:
            return (
                f"Routine variation: no point outside {num(lim.lower_limit)}–{num(lim.upper_limit)}"
            )
        # A long window can hold hundreds of signals: only those told are worded (all of
        # them up to four, else three and a count of the rest).
        sides = {s.direction for s in self.signals if s.rule is Rule.OUTSIDE_LIMITS}
        count = len(sides) + sum(1 for s in self.signals if s.rule is not Rule.OUTSIDE_LIMITS)
        told = list(itertools.islice(self._signal_texts(lim, num), count if count <= 4 else 3))
        if count > 4:
            told.append(f"and {count - 3} more signals")
        return "Signal: " + "; ".join(told)

    def _signal_texts(self, lim: Limits, num: Callable[[float], str]) -> Iterator[str]:
        """`describe`'s signals in words, one at a time: points beyond each limit, then
        runs, then 3-of-4 groups."""
        for side, where, limit in (
            ("up", "above the upper", lim.upper_limit),
            ("down", "below the lower", lim.lower_limit),
        ):
            points = [
                s.indices[0]
                for s in self.signals
                if s.rule is Rule.OUTSIDE_LIMITS and s.direction == side
            ]
            if points:
                count = f"{len(points)} point{'s' if len(points) > 1 else ''}"
                yield f"{count} {where} limit {num(limit)} ({_points(points)})"
        for s in self.signals:
            if s.rule is Rule.RUN_OF_8:
                where = "above" if s.direction == "up" else "below"
                yield (
                    f"a run of {len(s.indices)} points {where} the centre {num(lim.centre)} "
                    f"({_points(s.indices)})"
                )
        for s in self.signals:
            if s.rule is Rule.THREE_OF_FOUR:
                share = "3 of 4" if len(s.indices) == 4 else "at least 3 of every 4"
                where = "upper" if s.direction == "up" else "lower"
                yield f"{share} points near the {where} limit ({_points(s.indices)})"

    def latest_signal(self) -> Signal | None:
        """The signal that reaches the newest point: the one a reader acts on.

        Ties go to the stronger rule (outside the limits, then a run, then 3 of 4).
        """
        if not self.signals:
            return None
        return max(self.signals, key=lambda s: (s.indices[-1], -_RULE_ORDER[s.rule]))

    def headline(self, period: str = "point") -> str:
        """One sentence for a dashboard tile about the latest signal, or routine variation.

        `period` names one step of the KPI's cadence ("week"): "Signal: the last 8 weeks
        all below the centre 15.5", "Signal: 3 of 4 weeks near the lower limit 13.3,
        ending 2 weeks ago", "Routine variation: no point outside 13.3–16.5".
        """
        signal = self.latest_signal()
        if self.limits is None or signal is None:
            return self.describe()
        lim = self.limits
        num = _number_format(lim)
        ago = self.points - 1 - signal.indices[-1]
        ending = "" if ago == 0 else f", ending {_count(ago, period)} ago"
        below = signal.direction == "down"
        if signal.rule is Rule.OUTSIDE_LIMITS:
            limit = f"{'below the lower' if below else 'above the upper'} limit " + num(
                lim.lower_limit if below else lim.upper_limit
            )
            recent = [
                s
                for s in self.signals
                if s.rule is Rule.OUTSIDE_LIMITS
                and s.direction == signal.direction
                and s.indices[0] > signal.indices[0] - RUN_LENGTH
            ]
            if len(recent) > 1:
                last = "the last " if ago == 0 else ""
                return f"Signal: {len(recent)} of {last}{RUN_LENGTH} {period}s {limit}{ending}"
            if ago == 0:
                return f"Signal: the latest {period} is {limit}"
            return f"Signal: one {period} {limit}{ending}"
        if signal.rule is Rule.RUN_OF_8:
            side = f"{'below' if below else 'above'} the centre {num(lim.centre)}"
            if ago == 0:
                return f"Signal: the last {len(signal.indices)} {period}s all {side}"
            return f"Signal: {len(signal.indices)} {period}s in a row {side}{ending}"
        near = f"near the {'lower' if below else 'upper'} limit " + num(
            lim.lower_limit if below else lim.upper_limit
        )
        return f"Signal: 3 of 4 {period}s {near}{ending}"


@dataclass(frozen=True, eq=False)
class XmrBatch:
    """XmR charts of many series of one length: one row per series.

    Limit arrays hold NaN where a series has no limits. The masks mark, per point, the
    membership of each rule's findings; `signals(row)` turns one row into `Signal`s.
    `values` is the input the masks were computed from (kept, not copied).
    """

    centre: FloatArray
    moving_range_mean: FloatArray
    lower_limit: FloatArray
    upper_limit: FloatArray
    upper_range_limit: FloatArray
    has_limits: BoolArray
    baseline_points: int
    outside_up: BoolArray
    outside_down: BoolArray
    run_up: BoolArray
    run_down: BoolArray
    three_of_four_up: BoolArray
    three_of_four_down: BoolArray
    values: FloatArray

    @property
    def any_signal(self) -> BoolArray:
        """Per series: did any rule fire anywhere?"""
        masks = (self.outside_up, self.outside_down, self.run_up, self.run_down)
        union = np.logical_or.reduce((*masks, self.three_of_four_up, self.three_of_four_down))
        return np.asarray(union.any(axis=1), dtype=np.bool_)

    def signals(self, row: int) -> tuple[Signal, ...]:
        """The signals of one series, ordered by first point, then rule.

        A point beyond a limit is one signal; a run is one signal per maximal run (points
        on the centre inside it are skipped, not counted); windows of three-of-four that
        share a point merge into one signal covering all their points.
        """
        if not self.has_limits[row]:
            return ()
        x = self.values[row]
        centre, mr = self.centre[row], self.moving_range_mean[row]
        found: list[Signal] = []
        for side, outside in zip(
            _SIDES, (self.outside_up[row], self.outside_down[row]), strict=True
        ):
            for i in np.flatnonzero(outside).tolist():
                found.append(Signal(Rule.OUTSIDE_LIMITS, side, (i,)))
        if self.run_up[row].any() or self.run_down[row].any():
            above = x > centre
            off = np.flatnonzero(above | (x < centre))
            up = above[off]
            first = np.flatnonzero(np.concatenate(([True], up[1:] != up[:-1])))
            end = np.append(first[1:], off.size)
            long = end - first >= RUN_LENGTH
            for a, b in zip(first[long].tolist(), end[long].tolist(), strict=True):
                run_side: Side = "up" if up[a] else "down"
                found.append(Signal(Rule.RUN_OF_8, run_side, tuple(off[a:b].tolist())))
        for side, mask, beyond in zip(
            _SIDES,
            (self.three_of_four_up[row], self.three_of_four_down[row]),
            (x > centre + HALFWAY * mr, x < centre - HALFWAY * mr),
            strict=True,
        ):
            if mask.any():
                starts = np.flatnonzero(_flagged_windows(beyond[np.newaxis, :])[0])
                # windows overlap (share a point) when their starts are at most 3 apart
                apart = np.flatnonzero(np.diff(starts) > 3)
                firsts = np.concatenate((starts[:1], starts[apart + 1]))
                lasts = np.append(starts[apart], starts[-1])
                for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True):
                    found.append(Signal(Rule.THREE_OF_FOUR, side, tuple(range(a, b + 4))))
        found.sort(key=lambda s: (s.indices[0], _RULE_ORDER[s.rule]))
        return tuple(found)

    def result(self, row: int) -> XmrResult:
        """The XmR chart of one series of the batch."""
        if not self.has_limits[row]:
            reason = TOO_FEW_POINTS if self.baseline_points < 2 else NO_VARIATION
            return XmrResult(None, reason, (), self.baseline_points, self.values.shape[1])
        limits = Limits(
            centre=float(self.centre[row]),
            moving_range_mean=float(self.moving_range_mean[row]),
            lower_limit=float(self.lower_limit[row]),
            upper_limit=float(self.upper_limit[row]),
            upper_range_limit=float(self.upper_range_limit[row]),
            baseline_points=self.baseline_points,
        )
        return XmrResult(
            limits, None, self.signals(row), self.baseline_points, self.values.shape[1]
        )


def xmr_batch(
    values: npt.ArrayLike,
    baseline: int = BASELINE_POINTS,
    reference: npt.ArrayLike | None = None,
) -> XmrBatch:
    """XmR charts of k series of n points at once (a k × n array), fully vectorised.

    Each row's limits come from its first `baseline` points (all of them when the row is
    shorter) or, when `reference` is given (k × m), from that row of it: a locked
    baseline period, which may lie outside the values judged. The rules then run over
    every point of the row. A row with fewer than 2 baseline points or a constant
    baseline gets no limits and no signals.
    """
    if baseline < 1:
        raise InvalidInput("baseline must be at least 1 point", field="baseline")
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise InvalidInput("values must be a 2-D array: one row per series", field="values")
    k, n = x.shape
    if reference is None:
        base = x[:, : min(baseline, n)]
    else:
        base = np.asarray(reference, dtype=np.float64)
        if base.ndim != 2 or base.shape[0] != k:
            raise InvalidInput("the baseline must hold one row per series", field="baseline")
    points = base.shape[1]
    if points >= 2:
        centre = base.mean(axis=1)
        mr = np.abs(np.diff(base, axis=1)).mean(axis=1)
        has = mr > 0
    else:
        centre, mr, has = np.zeros(k), np.zeros(k), np.zeros(k, dtype=np.bool_)
    centre = np.where(has, centre, np.nan)
    mr = np.where(has, mr, np.nan)
    lower, upper = centre - E2 * mr, centre + E2 * mr
    # Comparisons with a NaN limit are False, so rows without limits get empty masks.
    column = np.newaxis
    run_up, run_down = _run_masks(x > centre[:, column], x < centre[:, column])
    half_up = _window_members(_flagged_windows(x > (centre + HALFWAY * mr)[:, column]), n)
    half_down = _window_members(_flagged_windows(x < (centre - HALFWAY * mr)[:, column]), n)
    return XmrBatch(
        centre=centre,
        moving_range_mean=mr,
        lower_limit=lower,
        upper_limit=upper,
        upper_range_limit=D4 * mr,
        has_limits=has,
        baseline_points=points,
        outside_up=x > upper[:, column],
        outside_down=x < lower[:, column],
        run_up=run_up,
        run_down=run_down,
        three_of_four_up=half_up,
        three_of_four_down=half_down,
        values=x,
    )


def xmr(
    values: Sequence[float] | FloatArray,
    baseline: int = BASELINE_POINTS,
    reference: Sequence[float] | FloatArray | None = None,
) -> XmrResult:
    """The XmR chart of one series: limits from its first `baseline` points (or from
    the `reference` values of a locked baseline period), then signals.

    Same rules as `xmr_batch`, which it calls with a single row.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise InvalidInput("values must be one series of numbers", field="values")
    base = None if reference is None else np.asarray(reference, dtype=np.float64)[np.newaxis, :]
    return xmr_batch(x[np.newaxis, :], baseline, base).result(0)


def capability(
    limits: Limits | None, thresholds: Thresholds | None, direction: Direction
) -> Capability:
    """Can the process as it runs stay green?

    For `higher`: capable when the lower limit is above the green bound, incapable when
    it is below the red bound, marginal otherwise; `lower` mirrors it with the upper
    limit. Unknown without limits or without thresholds. An incapable process in red
    with no signal does not need a cause hunted down: the process itself must change.
    """
    if limits is None or thresholds is None:
        return Capability.UNKNOWN
    if direction is Direction.HIGHER:
        capable = limits.lower_limit > thresholds.green
        incapable = limits.lower_limit < thresholds.red
    else:
        capable = limits.upper_limit < thresholds.green
        incapable = limits.upper_limit > thresholds.red
    if capable:
        return Capability.CAPABLE
    return Capability.INCAPABLE if incapable else Capability.MARGINAL


def capability_batch(
    lower: FloatArray, upper: FloatArray, green: FloatArray, red: FloatArray, higher: BoolArray
) -> npt.NDArray[np.int8]:
    """`capability` for many KPIs at once, as codes into `CAPABILITY_CODES`.

    One entry per KPI; a NaN limit (no limits) or a NaN bound (no thresholds) gives
    `unknown`, as in `status_batch`.
    """
    bound = np.where(higher, lower, upper)
    codes = np.full(bound.shape, 2, dtype=np.int8)  # marginal
    # Compared, not subtracted: a difference of two huge values would overflow.
    codes[np.where(higher, bound < red, bound > red)] = 3
    codes[np.where(higher, bound > green, bound < green)] = 1
    codes[np.isnan(lower) | np.isnan(upper) | np.isnan(green) | np.isnan(red)] = 0
    return codes


def _run_masks(above: BoolArray, below: BoolArray) -> tuple[BoolArray, BoolArray]:
    """Membership of runs of 8+ points on one side, points on the centre skipped.

    The off-centre points of all rows are laid end to end in row order; a run starts
    where the side changes or a new row begins, and its length is the distance to the
    next start.
    """
    k, n = above.shape
    off = above | below
    position = np.flatnonzero(off)
    run_up = np.zeros(k * n, dtype=np.bool_)
    run_down = np.zeros(k * n, dtype=np.bool_)
    if position.size:
        up = above.ravel()[position]
        start = np.empty(position.size, dtype=np.bool_)
        start[0] = True
        np.not_equal(up[1:], up[:-1], out=start[1:])
        per_row = off.sum(axis=1)
        start[(np.cumsum(per_row) - per_row)[per_row > 0]] = True
        first = np.flatnonzero(start)
        length = np.diff(first, append=position.size)
        member = np.repeat(length >= RUN_LENGTH, length)
        run_up[position[member & up]] = True
        run_down[position[member & ~up]] = True
    return run_up.reshape(k, n), run_down.reshape(k, n)


def _flagged_windows(beyond: BoolArray) -> BoolArray:
    """Per window of 4 successive points (by its first point): are 3 or more beyond?"""
    n = beyond.shape[1]
    if n < 4:
        return np.zeros((beyond.shape[0], 0), dtype=np.bool_)
    b = beyond.view(np.uint8)
    count = b[:, : n - 3] + b[:, 1 : n - 2] + b[:, 2 : n - 1] + b[:, 3:]
    return np.asarray(count >= 3, dtype=np.bool_)


def _window_members(flagged: BoolArray, n: int) -> BoolArray:
    """Points covered by at least one flagged window of 4."""
    member = np.zeros((flagged.shape[0], n), dtype=np.bool_)
    width = flagged.shape[1]
    for offset in range(4 if width else 0):
        member[:, offset : offset + width] |= flagged
    return member


def _points(indices: Sequence[int] | range) -> str:
    """0-based indices as people count them: "point 4", "points 3–5, 9 and 12"."""
    numbers = [i + 1 for i in indices]
    stretches: list[str] = []
    start = prev = numbers[0]
    for i in [*numbers[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        stretches.append(str(start) if start == prev else f"{start}–{prev}")
        if i is not None:
            start = prev = i
    word = "point" if len(numbers) == 1 else "points"
    if len(stretches) > 6:
        stretches = [*stretches[:5], f"{len(stretches) - 5} more"]
    listed = stretches[-1]
    if len(stretches) > 1:
        listed = ", ".join(stretches[:-1]) + " and " + listed
    return f"{word} {listed}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _number_format(lim: Limits) -> Callable[[float], str]:
    """One format for a chart's numbers: about 3 significant digits of its largest limit,
    with enough decimals to tell the centre from a limit (13.3, 16.5, 1,234)."""
    largest = max(abs(lim.lower_limit), abs(lim.upper_limit))
    spread = E2 * lim.moving_range_mean  # > 0 whenever there are limits
    decimals = max(0, 2 - math.floor(math.log10(largest)), -math.floor(math.log10(spread)))

    def number(x: float) -> str:
        text = f"{x:,.{min(decimals, 12)}f}"
        return text.lstrip("-") if text.strip("-0.,") == "" else text

    return number

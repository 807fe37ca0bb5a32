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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Status, Thresholds, status
from okrkit.domain.phrasing import number, period_labels, span

__all__ = [
    "BASELINE_POINTS",
    "CAPABILITY_CODES",
    "D4",
    "E2",
    "Capability",
    "Limits",
    "Rule",
    "Signal",
    "Timeline",
    "XmrBatch",
    "XmrResult",
    "capability",
    "capability_batch",
    "capability_sentence",
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

TOO_FEW_POINTS = "fewer than 2 values to learn it from"
TOO_LARGE = "the values are too large to compute it from"
NO_VARIATION = (
    "the values it is learnt from are all equal, so there is no variation to compare with"
)

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

    def describe(self, timeline: Timeline) -> str:
        """The chart in one sentence for people, strongest rule first, each period named
        by its dates and every number in the KPI's unit.

        "No signal: all 60 weeks since 5 Jan within the usual range of 13.3–16.5%",
        "Signal: since 11 Oct, 6 weeks below the usual range of 14.2–15.9%", or
        "No usual range yet: <reason>".
        """
        if self.limits is None:
            return f"No usual range yet: {self.reason}"
        if not self.signals:
            first = timeline.labels[0] if timeline.labels else ""
            return (
                f"No signal: all {_count(self.points, timeline.noun)} since {first} within "
                f"{_usual_range(self.limits, timeline.unit)}"
            )
        # A long window can hold hundreds of signals: only those told are worded (all of
        # them up to four, else three and a count of the rest).
        sides = {s.direction for s in self.signals if s.rule is Rule.OUTSIDE_LIMITS}
        count = len(sides) + sum(1 for s in self.signals if s.rule is not Rule.OUTSIDE_LIMITS)
        told = list(itertools.islice(self._signal_texts(timeline), count if count <= 4 else 3))
        if count > 4:
            told.append(f"and {count - 3} more signals")
        return "Signal: " + "; ".join(told)

    def _signal_texts(self, timeline: Timeline) -> Iterator[str]:
        """`describe`'s signals in words, one at a time: periods beyond each end of the
        usual range, then runs, then 3-of-4 groups."""
        assert self.limits is not None
        for side in _SIDES:
            points = [
                s.indices[0]
                for s in self.signals
                if s.rule is Rule.OUTSIDE_LIMITS and s.direction == side
            ]
            if points:
                yield self._beyond(points, side, timeline)
        for rule in (Rule.RUN_OF_8, Rule.THREE_OF_FOUR):
            for s in self.signals:
                if s.rule is rule:
                    yield self._pattern(s, timeline)

    def _beyond(self, points: Sequence[int], side: Side, timeline: Timeline) -> str:
        """Periods beyond one end of the usual range: "since 11 Oct, 6 weeks below the
        usual range of 14.2–15.9%", "the week of 1 Nov above …", "3 weeks below … (…)"."""
        assert self.limits is not None
        where = f"{'above' if side == 'up' else 'below'} {_usual_range(self.limits, timeline.unit)}"
        labels, n = timeline.labels, len(points)
        reaches_newest = points[-1] == self.points - 1
        if n == 1:
            if reaches_newest:
                return f"the latest {timeline.noun}, {timeline.one(points[0])}, {where}"
            return f"{timeline.one(points[0])} {where}"
        if reaches_newest and points[-1] - points[0] == n - 1:
            return f"since {labels[points[0]]}, {_count(n, timeline.noun)} {where}"
        if reaches_newest and points[-1] - points[0] < RUN_LENGTH:
            spanned = points[-1] - points[0] + 1
            return f"since {labels[points[0]]}, {n} of {_count(spanned, timeline.noun)} {where}"
        return f"{_count(n, timeline.noun)} {where} ({_stretches(points, labels)})"

    def _pattern(self, signal: Signal, timeline: Timeline) -> str:
        """A run on one side of the average, or 3 of 4 periods near one end of the range."""
        assert self.limits is not None
        lim, unit, labels = self.limits, timeline.unit, timeline.labels
        first, last = signal.indices[0], signal.indices[-1]
        below = signal.direction == "down"
        n = len(signal.indices)
        if signal.rule is Rule.RUN_OF_8:
            side = f"{'below' if below else 'above'} the average of {number(lim.centre, unit)}"
            if last == self.points - 1:
                return f"since {labels[first]}, {_count(n, timeline.noun)} in a row {side}"
            return f"{_count(n, timeline.noun)} in a row {side} ({labels[first]} – {labels[last]})"
        share = "3 of 4" if n == 4 else "at least 3 of every 4"
        half = lim.centre - HALFWAY * lim.moving_range_mean
        if not below:
            half = lim.centre + HALFWAY * lim.moving_range_mean
        near = (
            f"close to the {'bottom' if below else 'top'} of the usual range "
            f"({'below' if below else 'above'} {number(half, unit)})"
        )
        return f"{share} {timeline.noun}s from {labels[first]} to {labels[last]} {near}"

    def latest_signal(self) -> Signal | None:
        """The signal that reaches the newest point: the one a reader acts on.

        Ties go to the stronger rule (outside the limits, then a run, then 3 of 4).
        """
        if not self.signals:
            return None
        return max(self.signals, key=lambda s: (s.indices[-1], -_RULE_ORDER[s.rule]))

    def headline(self, timeline: Timeline) -> str:
        """One sentence for a dashboard tile about the latest signal, or no signal.

        "Signal: since 11 Oct, 6 weeks below the usual range of 14.2–15.9%", "Signal:
        since 4 Oct, 9 weeks in a row below the average of 15.5%", "No signal: all 60
        weeks since 5 Jan within the usual range of 13.3–16.5%".
        """
        signal = self.latest_signal()
        if self.limits is None or signal is None:
            return self.describe(timeline)
        if signal.rule is Rule.OUTSIDE_LIMITS:
            recent = [
                s.indices[0]
                for s in self.signals
                if s.rule is Rule.OUTSIDE_LIMITS
                and s.direction == signal.direction
                and s.indices[0] > signal.indices[0] - RUN_LENGTH
            ]
            return "Signal: " + self._beyond(sorted(recent), signal.direction, timeline)
        return "Signal: " + self._pattern(signal, timeline)


@dataclass(frozen=True)
class Timeline:
    """How a chart's points are named in its sentences: each point's period by its
    dates ("11 Oct", "Oct 2026"), the cadence's period ("week") and the KPI's unit."""

    labels: tuple[str, ...]
    period: str = "point"
    unit: str = ""

    @classmethod
    def of(cls, timestamps: npt.NDArray[np.datetime64], period: str, unit: str = "") -> Timeline:
        """The timeline of a series' timestamps in a cadence's period."""
        return cls(tuple(period_labels(timestamps, period)), period, unit)

    @property
    def noun(self) -> str:
        """What one point is called: its period ("week"), or "value" without a cadence."""
        return "value" if self.period == "point" else self.period

    def one(self, index: int) -> str:
        """One point's period in words: "the week of 11 Oct", "Oct 2026", "11 Oct"."""
        label = self.labels[index]
        return f"the week of {label}" if self.period == "week" else label


@dataclass(frozen=True, eq=False)
class XmrBatch:
    """XmR charts of many series of one length: one row per series.

    Limit arrays hold NaN where a series has no limits (`overflow` marks those whose
    values were too large to compute them). The masks mark, per point, the
    membership of each rule's findings; `signals(row)` turns one row into `Signal`s.
    `values` is the input the masks were computed from (kept, not copied).
    """

    centre: FloatArray
    moving_range_mean: FloatArray
    lower_limit: FloatArray
    upper_limit: FloatArray
    upper_range_limit: FloatArray
    has_limits: BoolArray
    overflow: BoolArray
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
            if self.overflow[row]:
                reason = TOO_LARGE
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
    # Values near the float limit (±1e308) overflow the mean or the moving ranges: such a
    # row gets no limits (`overflow`) rather than infinite ones.
    with np.errstate(over="ignore", invalid="ignore"):
        if points >= 2:
            centre = base.mean(axis=1)
            mr = np.abs(np.diff(base, axis=1)).mean(axis=1)
        else:
            centre, mr = np.zeros(k), np.zeros(k)
        overflow = ~(np.isfinite(centre) & np.isfinite(mr) & np.isfinite(E2 * mr + np.abs(centre)))
        has = (mr > 0) & ~overflow
    centre = np.where(has, centre, np.nan)
    mr = np.where(has, mr, np.nan)
    lower, upper = centre - E2 * mr, centre + E2 * mr
    overflow &= points >= 2
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
        overflow=overflow,
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


def capability_sentence(
    limits: Limits | None,
    thresholds: Thresholds | None,
    direction: Direction,
    latest: float,
    *,
    unit: str = "",
    stale: bool = False,
) -> str:
    """What the process can do against the thresholds, in words that agree with the
    arithmetic and with the status shown beside them.

    The usual range (the natural process limits) is compared with the bounds the way
    `capability` does: all of it green ("capable"), some of it red ("incapable"), or
    reaching into yellow but not red ("marginal"). When the status of the `latest`
    value is worse than the usual range allows, the sentence says why: the newest value
    is stale, or it lies outside the usual range — something changed.
    """
    if limits is None:
        return "unknown: no usual range yet to compare with the thresholds"
    if thresholds is None:
        return "unknown: no thresholds to compare the usual range with"
    judged = capability(limits, thresholds, direction)
    higher = direction is Direction.HIGHER
    usual = f"the usual range {span(limits.lower_limit, limits.upper_limit, unit)}"
    green, red = number(thresholds.green, unit), number(thresholds.red, unit)
    good, bad = ("above", "below") if higher else ("below", "above")
    best = limits.upper_limit if higher else limits.lower_limit
    if judged is Capability.CAPABLE:
        text = (
            f"capable: {usual} lies wholly {good} the green bound {green}, so routine "
            "variation stays green"
        )
        expected = Status.GREEN
    elif judged is Capability.INCAPABLE:
        whole = best < thresholds.red if higher else best > thresholds.red
        reach = "lies wholly" if whole else "reaches"
        often = "every value" if whole else "red values now and then"
        text = (
            f"incapable: {usual} {reach} {bad} the red bound {red}, so routine variation "
            f"alone will produce {often}; the process itself must change"
        )
        expected = Status.RED
    else:
        text = (
            f"marginal: {usual} reaches the green bound {green} but does not go {bad} the "
            f"red bound {red}, so routine variation reaches into yellow but not red"
        )
        expected = Status.YELLOW
    rank = {Status.GREEN: 0, Status.YELLOW: 1, Status.RED: 2, Status.UNKNOWN: 0}
    shown = status(latest, thresholds, direction, stale=stale)
    if rank[shown] > rank[expected]:
        if rank[status(latest, thresholds, direction)] <= rank[expected]:
            text += f"; it is shown {shown.value} only because the newest value is stale"
        else:
            text += (
                f"; the newest value is {shown.value} all the same: it lies outside the "
                "usual range, so something changed"
            )
    return text


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


def _stretches(indices: Sequence[int], labels: Sequence[str]) -> str:
    """Points named by their dates, neighbours joined: "5 Jan – 2 Feb, 16 Feb and 2 Mar"."""
    stretches: list[str] = []
    start = prev = indices[0]
    for i in [*indices[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        stretches.append(labels[start] if start == prev else f"{labels[start]} – {labels[prev]}")
        if i is not None:
            start = prev = i
    if len(stretches) > 6:
        stretches = [*stretches[:5], f"{len(stretches) - 5} more"]
    listed = stretches[-1]
    if len(stretches) > 1:
        listed = ", ".join(stretches[:-1]) + " and " + listed
    return listed


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _usual_range(lim: Limits, unit: str) -> str:
    """The natural process limits in plain words: "the usual range of 14.2–15.9%"."""
    return f"the usual range of {span(lim.lower_limit, lim.upper_limit, unit)}"

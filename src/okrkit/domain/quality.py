"""Data quality of a KPI's series: is the data whole enough to judge the KPI on?

Rule (docs/rules.md, "Data quality"): a series is checked for gaps (periods of its cadence
with no value), nulls, duplicates (two values for one segment and timestamp), and a
segment that stopped reporting while the others go on (dimension parity). A KPI whose
data is broken says so instead of showing a verdict.

A segment has stopped reporting when it reported before but is missing from the last
`STOPPED_AFTER_PERIODS` periods in which the other segments reported: one missing
period is often a late load, two in a row is a broken pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence
from okrkit.domain.phrasing import when

__all__ = [
    "STOPPED_AFTER_PERIODS",
    "Issue",
    "IssueKind",
    "Quality",
    "check_quality",
    "stopped_segments",
]

STOPPED_AFTER_PERIODS = 2
# Listing every index of a badly broken series helps nobody; the count says the rest.
_MAX_LISTED = 10


class IssueKind(StrEnum):
    """What is wrong with a series."""

    GAP = "gap"
    NULL = "null"
    DUPLICATE = "duplicate"
    SEGMENT_STOPPED = "segment_stopped"


@dataclass(frozen=True)
class Issue:
    """One data-quality finding, in words, with the positions it concerns.

    `indices` are 0-based positions in the time-sorted series (nulls, duplicates); for
    a gap they are the missing period numbers of the cadence.
    """

    kind: IssueKind
    message: str
    indices: tuple[int, ...] = ()
    segment: str | None = None


@dataclass(frozen=True)
class Quality:
    """All findings on a series; `ok` when there are none."""

    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when the series has no gap, null, duplicate or silent segment."""
        return not self.issues

    def describe(self) -> str:
        """One sentence for people: 'Data complete' or the findings joined."""
        return "Data complete" if self.ok else "; ".join(i.message for i in self.issues)


def _listed(items: Sequence[object]) -> str:
    shown = ", ".join(str(i) for i in items[:_MAX_LISTED])
    more = len(items) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _days(timestamps: npt.NDArray[np.datetime64], points: Sequence[int] | np.ndarray) -> list[str]:
    """The days of some points, as people write them ('3 Oct 2026'): never an index."""
    chosen = timestamps[np.asarray(points, dtype=np.int64)].astype("datetime64[s]")
    return [when(moment) for moment in chosen.tolist()]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def check_quality(
    timestamps: npt.NDArray[np.datetime64],
    values: npt.NDArray[np.float64],
    cadence: Cadence,
    segments: Sequence[str | None] | None = None,
    segments_newest: Mapping[str, datetime] | None = None,
) -> Quality:
    """Check a series (sorted by time; NaN marks a null) for gaps, nulls, duplicates
    and segments that stopped reporting. `segments` names each point's segment (None
    for the total); without it the series is one segment. `segments_newest` gives,
    for a KPI's total, its named segments' newest moments instead (what a workspace
    reads without loading every segment's values): each is judged against the periods
    the total reported in (`stopped_segments`)."""
    issues: list[Issue] = []
    labels = np.array(
        ["" if s is None else s for s in segments] if segments is not None else [""] * len(values),
        dtype=object,
    )
    periods = cadence.period_index(timestamps)

    nulls = np.flatnonzero(np.isnan(values))
    if nulls.size:
        issues.append(
            Issue(
                IssueKind.NULL,
                f"{_plural(nulls.size, 'null value')} on {_listed(_days(timestamps, nulls))}",
                tuple(nulls.tolist()),
            )
        )

    duplicates = _duplicates(labels, timestamps, plain=segments is None)
    if duplicates:
        issues.append(
            Issue(
                IssueKind.DUPLICATE,
                f"{_plural(len(duplicates), 'duplicate value')} for a timestamp already "
                f"seen, on {_listed(_days(timestamps, duplicates))}",
                tuple(duplicates),
            )
        )

    if periods.size:
        present = np.unique(periods)
        expected = np.arange(present[0], present[-1] + 1)
        missing = np.setdiff1d(expected, present)
        if missing.size:
            issues.append(
                Issue(
                    IssueKind.GAP,
                    f"{_plural(missing.size, 'missing period')} of the {cadence} cadence "
                    f"between the first and the latest value",
                    tuple(missing.tolist()),
                )
            )
        issues.extend(_stopped_segments(labels, periods))
        if segments_newest:
            names = sorted(segments_newest)
            moments = np.array([segments_newest[n] for n in names], dtype="datetime64[s]")
            newest = dict(zip(names, cadence.period_index(moments).tolist(), strict=True))
            issues.extend(stopped_segments(periods, newest))
    return Quality(tuple(issues))


def stopped_segments(
    reported: npt.NDArray[np.int64], newest: Mapping[str, int]
) -> tuple[Issue, ...]:
    """The segments that stopped reporting, judged from the periods in which the KPI
    reported (its total's periods) and each named segment's newest period — what a
    workspace reads without loading every segment's values. The rule is
    `check_quality`'s: at least two named segments, and one silent in the last
    `STOPPED_AFTER_PERIODS` or more periods the others reported, the latest included."""
    if len(newest) < 2:
        return ()
    names = sorted(newest)
    labels = np.array([""] * len(reported) + names, dtype=object)
    periods = np.concatenate(
        [np.asarray(reported, dtype=np.int64), np.array([newest[n] for n in names], np.int64)]
    )
    return tuple(_stopped_segments(labels, periods))


def _duplicates(
    labels: npt.NDArray[np.object_], timestamps: npt.NDArray[np.datetime64], *, plain: bool
) -> list[int]:
    """The points whose (segment, timestamp) an earlier point already has, in order.

    Sorted by segment, time and position, each run of equal keys starts with the point
    seen first and goes on with its duplicates: a window of a thousand points is checked
    without a loop in Python.
    """
    if not len(timestamps):
        return []
    stamps = timestamps.astype(np.int64)
    codes = (
        np.zeros(len(stamps), dtype=np.int64)
        if plain
        else np.unique(labels, return_inverse=True)[1].astype(np.int64)
    )
    order = np.lexsort((np.arange(len(stamps)), stamps, codes))
    keys_c, keys_t = codes[order], stamps[order]
    repeated = (keys_c[1:] == keys_c[:-1]) & (keys_t[1:] == keys_t[:-1])
    return sorted(order[1:][repeated].tolist())


def _stopped_segments(
    labels: npt.NDArray[np.object_], periods: npt.NDArray[np.int64]
) -> list[Issue]:
    names = sorted({str(s) for s in labels.tolist() if s})
    if len(names) < 2:
        return []
    reporting = np.unique(periods)
    issues = []
    for name in names:
        own = periods[labels == name]
        others = np.unique(periods[labels != name])
        silent_since = others[others > own.max()]
        if silent_since.size >= STOPPED_AFTER_PERIODS and reporting[-1] in silent_since:
            issues.append(
                Issue(
                    IssueKind.SEGMENT_STOPPED,
                    f"segment {name} stopped reporting: no value in the last "
                    f"{_plural(silent_since.size, 'period')} the other segments reported",
                    segment=name,
                )
            )
    return issues

"""Progress of key results and objectives, and guardrail breaches.

The rule (docs/rules.md, "Progress"): a numeric key result has moved
(current − start) / (target − start) of the way from its baseline to its target,
clamped to [0, 1], so it works for decreasing targets too (cut churn from 5 % to 3 %).
A boolean key result is done (1) or not (0); a milestone key result is done / total.
An objective's progress is the weighted mean of its non-guardrail key results. A
guardrail key result is not a goal but a line to hold: when it gets worse than its
start, the objective is marked `guardrail breached`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction

__all__ = [
    "KeyResult",
    "KeyResultType",
    "ObjectiveProgress",
    "guardrail_breached",
    "numeric_progress",
    "objective_progress",
    "progress",
]


class KeyResultType(StrEnum):
    """How a key result is measured; percent and currency are units of `numeric`."""

    NUMERIC = "numeric"
    BOOLEAN = "boolean"
    MILESTONE = "milestone"


@dataclass(frozen=True)
class KeyResult:
    """A key result as progress and guardrails see it.

    `current` is the newest check-in's value; None means nobody has checked in yet,
    which counts as no progress. `direction` says which way is better and is only
    needed for a guardrail whose target equals its start ("keep p95 latency at
    300 ms"); otherwise the way from start to target says it. Values are checked when
    progress is computed, not on construction, so a draft with gaps (which the linter
    reports) can still be represented.
    """

    title: str
    type: KeyResultType = KeyResultType.NUMERIC
    start: float | None = None
    target: float | None = None
    current: float | None = None
    weight: float = 1.0
    guardrail: bool = False
    direction: Direction | None = None
    milestones_done: int = 0
    milestones_total: int = 0


@dataclass(frozen=True)
class ObjectiveProgress:
    """An objective's progress and whether any of its guardrails was breached.

    `breached` holds the titles of the breached guardrails, in key-result order.
    """

    progress: float
    guardrail_breached: bool
    breached: tuple[str, ...]


def numeric_progress(start: float, target: float, current: float) -> float:
    """How far a numeric key result has come from its start towards its target.

    (current − start) / (target − start), clamped to [0, 1]: a key result behind its
    start has made no progress (0), one beyond its target is done (1). The same formula
    serves decreasing targets: cutting churn from 5 % to 3 %, a current 4 % is half
    way. A target equal to the start leaves nothing to change and is rejected.
    """
    for name, value in (("start", start), ("target", target), ("current", current)):
        _require_finite(value, name)
    if target == start:
        raise InvalidInput("target equals the start: nothing to change", field="target")
    moved, span = current - start, target - start
    if not (math.isfinite(moved) and math.isfinite(span)):
        # Differences of values near the float limit overflow; halving first cannot.
        moved, span = current / 2 - start / 2, target / 2 - start / 2
    ratio = moved / span
    return 0.0 if ratio <= 0.0 else min(ratio, 1.0)


def progress(kr: KeyResult) -> float:
    """A key result's progress in [0, 1]; before the first check-in it is 0.

    Numeric: see `numeric_progress`; a direction given on a non-guardrail key result
    must agree with the way from start to target. Boolean: 1 when done, 0 when not.
    Milestone: milestones done / milestones in total. A guardrail has no target to
    reach, only a start to hold: its progress is 1 while it holds and 0 once it is
    breached (see `guardrail_breached`) or before its first check-in.
    """
    if kr.guardrail:
        breached = guardrail_breached(kr)
        return 1.0 if kr.current is not None and not breached else 0.0
    if kr.type == KeyResultType.MILESTONE:
        return _milestone_progress(kr)
    if kr.type == KeyResultType.BOOLEAN:
        return _boolean_value(kr.current) if kr.current is not None else 0.0
    start = _require_value(kr.start, "start", "a numeric key result needs a start (baseline)")
    target = _require_value(kr.target, "target", "a numeric key result needs a target")
    if kr.direction is not None and target != start:
        implied = Direction.HIGHER if target > start else Direction.LOWER
        if kr.direction != implied:
            raise InvalidInput(
                f"direction {kr.direction} contradicts the way from start {start:g} "
                f"to target {target:g}",
                field="direction",
            )
    if kr.current is None:
        numeric_progress(start, target, start)  # validates start and target
        return 0.0
    return numeric_progress(start, target, kr.current)


def guardrail_breached(kr: KeyResult) -> bool:
    """Whether a guardrail key result got strictly worse than its start.

    A guardrail must not get worse than its baseline: holding exactly at the start is
    fine, one step in the bad direction is a breach. Which direction is bad comes from
    `direction` when given (so a guardrail may carry a tolerance target on its bad
    side), otherwise from target versus start; with neither, the guardrail cannot be
    judged and is rejected. No check-in yet, or a key result that is not a guardrail,
    is never breached. A milestone cannot be a guardrail: done milestones do not
    get worse.
    """
    if not kr.guardrail:
        return False
    if kr.type == KeyResultType.MILESTONE:
        raise InvalidInput(
            "a milestone key result cannot be a guardrail: there is no value to hold",
            field="guardrail",
        )
    start = _require_value(
        kr.start, "start", "a guardrail needs a start: it must not get worse than it"
    )
    direction = kr.direction
    if direction is None:
        target = kr.target
        if target is None or target == start:
            raise InvalidInput(
                "a guardrail whose target equals its start (or has none) needs a direction "
                "('higher' or 'lower') to tell which way is worse",
                field="direction",
            )
        _require_finite(target, "target")
        direction = Direction.HIGHER if target > start else Direction.LOWER
    if kr.current is None:
        return False
    current = kr.current
    if kr.type == KeyResultType.BOOLEAN:
        _boolean_value(current)
    else:
        _require_finite(current, "current")
    return current < start if direction == Direction.HIGHER else current > start


def objective_progress(krs: Sequence[KeyResult]) -> ObjectiveProgress:
    """An objective's progress and guardrail state from its key results.

    Progress is the weighted mean of the progress of the non-guardrail key results
    (weight 1 unless set; every weight must be a positive number). Guardrails do not
    count towards progress: they only mark the objective `guardrail breached` when one
    of them got worse than its start. An objective with no non-guardrail key result
    has made no progress yet: 0.0, not an error, so a draft still renders. The result
    does not depend on the order of the key results.
    """
    weighted: list[float] = []
    weights: list[float] = []
    breached: list[str] = []
    for kr in krs:
        if not (math.isfinite(kr.weight) and kr.weight > 0):
            raise InvalidInput(
                f"weight {kr.weight:g} of {kr.title!r} must be a positive number",
                field="weight",
            )
        if kr.guardrail:
            if guardrail_breached(kr):
                breached.append(kr.title)
            continue
        weighted.append(kr.weight * progress(kr))
        weights.append(kr.weight)
    # fsum is exactly rounded, so the mean is the same in any order of key results.
    total = math.fsum(weights)
    mean = min(math.fsum(weighted) / total, 1.0) if weights else 0.0
    return ObjectiveProgress(
        progress=mean, guardrail_breached=bool(breached), breached=tuple(breached)
    )


def _milestone_progress(kr: KeyResult) -> float:
    total, done = kr.milestones_total, kr.milestones_done
    if total < 1:
        raise InvalidInput(
            "a milestone key result needs at least one milestone", field="milestones_total"
        )
    if not 0 <= done <= total:
        raise InvalidInput(
            f"{done} milestones done is not between 0 and the {total} in total",
            field="milestones_done",
        )
    return done / total


def _boolean_value(current: float) -> float:
    if current not in (0.0, 1.0):
        raise InvalidInput(
            f"{current:g} is not a boolean value: a boolean key result is done (1) or not (0)",
            field="current",
        )
    return float(current)


def _require_value(value: float | None, field: str, message: str) -> float:
    if value is None:
        raise InvalidInput(message, field=field)
    _require_finite(value, field)
    return value


def _require_finite(value: float, field: str) -> None:
    if not math.isfinite(value):
        raise InvalidInput(f"{value} is not a finite number", field=field)

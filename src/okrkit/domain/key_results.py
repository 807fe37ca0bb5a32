"""Key results: how an objective's change is measured, and how each is judged.

A key result says what moves from where to where by when, and who owns it: numeric
(with a unit; percent and currency are units), boolean (done or not) or milestone (a
list of steps, done one after another). It may be a guardrail (a line to hold, not a
goal), carry a weight in its objective's progress, and be fed by a KPI — then its
current value is the KPI's newest value. Its fields are declared once, here.

The rules of progress, pace and forecast live in `progress`, `pace` and `forecast`;
this module checks a definition against its cycle, words recalibration and scoring.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from okrkit.domain.cycles import Cycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import declare
from okrkit.domain.health import Direction
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.progress import KeyResult, KeyResultType, guardrail_breached, progress
from okrkit.domain.versions import Revision

__all__ = [
    "MAX_STEPS",
    "KeyResultDefinition",
    "Steps",
    "StoredKeyResult",
    "objective_score",
    "proposed_score",
    "validate_key_result",
]

MAX_STEPS = 50
MAX_STEP_LENGTH = 200


@dataclass(frozen=True)
class Steps:
    """A milestone key result's steps, in the order they are done; written as text with
    '; ' between steps ("Beta shipped; 10 pilot customers; GA")."""

    names: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, *, field: str = "steps") -> Steps:
        names = tuple(part.strip() for part in text.replace("\n", ";").split(";"))
        names = tuple(name for name in names if name)
        if not names:
            raise InvalidInput("a milestone key result needs at least one step", field=field)
        if len(names) > MAX_STEPS:
            raise InvalidInput(f"{len(names)} steps: at most {MAX_STEPS}", field=field)
        long = next((name for name in names if len(name) > MAX_STEP_LENGTH), None)
        if long is not None:
            raise InvalidInput(
                f"step {long[:40]!r}… is longer than {MAX_STEP_LENGTH} characters", field=field
            )
        return cls(names)

    def __str__(self) -> str:
        return "; ".join(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class KeyResultDefinition:
    """A key result's definition: everything a person writes about it."""

    title: str = declare(
        "The outcome that moves, e.g. Increase setup wizard completion from 40% to 70%.",
        max_length=200,
        nonblank=True,
    )
    type: KeyResultType = declare(
        "numeric (a number with a unit), boolean (done or not) or milestone (steps).",
        default=KeyResultType.NUMERIC,
        max_length=16,
    )
    unit: str = declare(
        "percent, currency, count, ms, … (none: a plain number)", default="", max_length=32
    )
    start: float | None = declare(
        "Where it stands when the cycle starts (the baseline).", default=None
    )
    target: float | None = declare("Where it should be by the deadline.", default=None)
    owner: str | None = declare("Who checks in on it.", default=None, max_length=254)
    deadline: date | None = declare(
        "By when (YYYY-MM-DD): the cycle's last day unless earlier.", default=None
    )
    weight: float = declare("Its weight in the objective's progress.", default=1.0)
    guardrail: bool = declare(
        "A line to hold: must not get worse than its start; it never counts as progress.",
        default=False,
    )
    direction: Direction | None = declare(
        "Which way is better (higher or lower): needed only for a guardrail whose target "
        "equals its start.",
        default=None,
        max_length=8,
    )
    steps: Steps | None = declare(
        "A milestone key result's steps, separated by ';'.", default=None, max_length=10_000
    )
    kpi: str | None = declare(
        "Key of the KPI that feeds it: its current value is the KPI's newest value.",
        default=None,
        max_length=MAX_KEY_LENGTH,
        key=True,
    )

    def view(self, current: float | None) -> KeyResult:
        """The key result as progress and guardrails see it, at `current`."""
        steps = len(self.steps) if self.steps is not None else 0
        return KeyResult(
            title=self.title,
            type=self.type,
            start=self.start,
            target=self.target,
            current=current,
            weight=self.weight,
            guardrail=self.guardrail,
            direction=self.direction,
            milestones_done=0 if current is None else int(current),
            milestones_total=steps,
        )


@dataclass(frozen=True)
class StoredKeyResult:
    """A key result as the workspace keeps it, with its id (its address, /key-results/12).

    `original_target` is the target it started the cycle with when it was recalibrated
    since (None otherwise), `recalibration` the reason given. `score` is its
    end-of-cycle score once scored, `score_reason` why a person changed the proposed
    score; `final_value` is where it ended (a linked KPI's newest value at closing).
    """

    id: int
    objective: str
    definition: KeyResultDefinition
    revision: Revision
    position: int = 0
    original_target: float | None = None
    recalibration: str = ""
    score: float | None = None
    score_reason: str = ""
    final_value: float | None = None


def validate_key_result(definition: KeyResultDefinition, cycle: Cycle) -> KeyResultDefinition:
    """A key result's definition checked against its cycle, with what it implies filled
    in: the deadline defaults to the cycle's last day and must lie in the cycle (after
    its first day); a boolean runs from 0 (not done) to 1 (done), a milestone from 0 to
    its number of steps. A numeric key result needs a start and a target that differ
    (a guardrail may hold its start if it says which way is better); a weight is
    positive; a milestone cannot be a guardrail; only a numeric key result can be fed by
    a KPI. Each error names its field."""
    d = definition
    deadline = d.deadline or cycle.end
    if not cycle.start < deadline <= cycle.end:
        raise InvalidInput(
            f"the deadline {deadline} is not in cycle {cycle.name} "
            f"({cycle.start} to {cycle.end}, after its first day)",
            field="deadline",
        )
    if not (math.isfinite(d.weight) and d.weight > 0):
        raise InvalidInput(f"weight {d.weight:g} must be a positive number", field="weight")
    if d.type == KeyResultType.BOOLEAN:
        d = replace(d, start=0.0, target=1.0, steps=None)
    elif d.type == KeyResultType.MILESTONE:
        if d.steps is None:
            raise InvalidInput("a milestone key result needs its steps", field="steps")
        d = replace(d, start=0.0, target=float(len(d.steps)))
    else:
        if d.steps is not None:
            raise InvalidInput("only a milestone key result has steps", field="steps")
        for name in ("start", "target"):
            value = getattr(d, name)
            if value is None:
                raise InvalidInput(f"a numeric key result needs a {name}", field=name)
            if not math.isfinite(value):
                raise InvalidInput(f"{value} is not a finite number", field=name)
        if d.start == d.target and not d.guardrail:
            raise InvalidInput(
                "the target equals the start: there is nothing to change", field="target"
            )
        if d.start == d.target and d.direction is None:
            raise InvalidInput(
                "a guardrail that holds its start needs a direction (higher or lower is "
                "better) to tell which way is worse",
                field="direction",
            )
    if d.kpi is not None and d.type != KeyResultType.NUMERIC:
        raise InvalidInput("only a numeric key result can be fed by a KPI", field="kpi")
    view = d.view(None)
    progress(view)  # checks the direction against start and target
    guardrail_breached(view)  # checks a guardrail can be judged
    return replace(d, deadline=deadline)


def proposed_score(progress_now: float) -> float:
    """The end-of-cycle score proposed for a key result: its progress, to two decimals
    (a person may change it, with a reason)."""
    if not (math.isfinite(progress_now) and 0.0 <= progress_now <= 1.0):
        raise InvalidInput(f"progress {progress_now} is not between 0 and 1", field="score")
    return round(progress_now, 2)


def objective_score(scores: Sequence[tuple[float | None, float, bool]]) -> float | None:
    """An objective's score from its key results' (score, weight, guardrail): the
    weighted mean of the scores of the key results that are not guardrails, as progress
    is; None when none of them has a score."""
    counted = [(s, w) for s, w, guardrail in scores if not guardrail and s is not None]
    if not counted:
        return None
    total = math.fsum(w for _, w in counted)
    return round(min(math.fsum(s * w for s, w in counted) / total, 1.0), 9)

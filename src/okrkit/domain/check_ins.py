"""Check-ins: the weekly word on a key result — a value, a confidence, a note.

A check-in is never edited: a correction is a new check-in, and the history is kept.
Confidence (0–10) is the owner's belief that the target will be met; it is shown beside
the computed pace, never instead of it. A key result of an active cycle with no check-in
in the last seven days is "check-in due".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from okrkit.domain.errors import InvalidInput
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.progress import KeyResultType
from okrkit.domain.values import Series

__all__ = [
    "CHECK_IN_EVERY",
    "MAX_NOTE_LENGTH",
    "NO_CHECK_IN",
    "CheckIn",
    "CheckInTrail",
    "check_in_due",
    "check_value",
    "checked_confidence",
    "checked_note",
]

CHECK_IN_EVERY = timedelta(days=7)
MAX_NOTE_LENGTH = 5_000
MAX_CONFIDENCE = 10


@dataclass(frozen=True)
class CheckIn:
    """A weekly check-in: a value, a confidence, a note. Never edited: corrections are new
    check-ins."""

    at: datetime
    value: float
    confidence: float | None = None
    note: str = ""
    author: str | None = None


@dataclass(frozen=True)
class CheckInTrail:
    """A key result's check-ins as they are judged: their moments and values as a series
    (oldest first), the confidences given (oldest first; a check-in without one is
    skipped) and the newest check-in in full. Judging a page of key results needs no
    more — their whole histories, notes and all, are read where they are shown."""

    series: Series
    confidences: tuple[float, ...] = ()
    last: CheckIn | None = None

    @property
    def count(self) -> int:
        return len(self.series)

    @classmethod
    def of(cls, check_ins: Sequence[CheckIn]) -> CheckInTrail:
        """The trail of a history, oldest first."""
        return cls(
            Series.from_points((c.at, c.value) for c in check_ins),
            tuple(c.confidence for c in check_ins if c.confidence is not None),
            check_ins[-1] if check_ins else None,
        )


NO_CHECK_IN = CheckInTrail(
    Series(np.array([], dtype="datetime64[s]"), np.array([], dtype=np.float64))
)


def check_value(definition: KeyResultDefinition, value: float, *, field: str = "value") -> float:
    """A check-in's value as its key result's type allows: a finite number; 0 (not done)
    or 1 (done) for a boolean; a whole number of steps done, from 0 to all of them, for a
    milestone."""
    if isinstance(value, bool):
        value = float(value)
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{value!r} is not a number", field=field)
    value = float(value)
    if definition.type == KeyResultType.BOOLEAN and value not in (0.0, 1.0):
        raise InvalidInput(
            f"{value:g} is not done (1) or not done (0): this key result is done or not",
            field=field,
        )
    if definition.type == KeyResultType.MILESTONE:
        total = len(definition.steps) if definition.steps is not None else 0
        if value != int(value) or not 0 <= value <= total:
            raise InvalidInput(
                f"{value:g} is not a number of steps done from 0 to {total}", field=field
            )
    return value


def checked_confidence(confidence: float | None) -> float | None:
    """A confidence from 0 (it will not happen) to 10 (it surely will), or none given."""
    if confidence is None:
        return None
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise InvalidInput(f"{confidence!r} is not a number from 0 to 10", field="confidence")
    if not (math.isfinite(confidence) and 0 <= confidence <= MAX_CONFIDENCE):
        raise InvalidInput(
            f"confidence {confidence:g} is not from 0 (it will not happen) to 10 (it surely will)",
            field="confidence",
        )
    return float(confidence)


def checked_note(note: str) -> str:
    """A note of at most 5,000 characters, without NUL bytes, spaces at the ends trimmed."""
    if "\x00" in note:
        raise InvalidInput("the note contains a NUL byte", field="note")
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"the note is longer than {MAX_NOTE_LENGTH:,} characters", field="note")
    return note.strip()


def check_in_due(last: datetime | None, now: datetime) -> bool:
    """Whether a key result of an active cycle is due a check-in: none in the last seven
    days (or none at all)."""
    return last is None or now - last >= CHECK_IN_EVERY

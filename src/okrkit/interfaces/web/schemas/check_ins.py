"""Check-ins in the API: a new check-in's body, and a check-in of the history.

The rules of a check-in (a value its key result's type allows, a confidence from 0 to
10, a note of at most 5,000 characters; a key result fed by a KPI takes no value) are
the domain's (`domain.check_ins`) and the service's, which name the field they refuse;
the body only checks JSON types.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from okrkit.domain.check_ins import MAX_NOTE_LENGTH, CheckIn
from okrkit.interfaces.web.schemas.common import StrictIn, aware
from okrkit.services.check_ins import RecordCheckIn

__all__ = ["CheckInIn", "CheckInOut", "Number", "TextIn"]

# A number as JSON writes it: a string of digits ("12") or true is not one.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]


class TextIn(StrictIn):
    """A request body of the OKR side: unknown fields are refused by name, and no text
    is longer than a note (5,000 characters) unless its declaration allows more (a
    milestone's steps) — an objective's description included, which the declarations
    leave unbounded."""

    model_config = ConfigDict(extra="forbid", str_max_length=MAX_NOTE_LENGTH)


class CheckInIn(TextIn):
    """A check-in: where the key result stands now, how sure its owner is, and a note."""

    value: Number | None = Field(
        default=None,
        description="Where it stands now, in its unit; 1 (done) or 0 for a boolean key "
        "result, the steps done for a milestone. Leave it out for a key result fed by a "
        "KPI: its value is the KPI's newest.",
    )
    confidence: Number | None = Field(
        default=None,
        description="From 0 (it will not happen) to 10 (it surely will); shown beside the "
        "computed pace, never instead of it.",
    )
    note: str = Field(default="", description="What moved, blockers, the next step.")

    def to_command(self, key_result: int) -> RecordCheckIn:
        return RecordCheckIn(key_result, self.value, self.confidence, self.note)


class CheckInOut(BaseModel):
    """A check-in as written: never edited (a correction is a new check-in)."""

    at: datetime = Field(description="When it was written (UTC).")
    value: float
    confidence: float | None
    note: str
    author: str | None

    @classmethod
    def of(cls, check_in: CheckIn) -> CheckInOut:
        return cls(
            at=aware(check_in.at),
            value=check_in.value,
            confidence=check_in.confidence,
            note=check_in.note,
            author=check_in.author,
        )

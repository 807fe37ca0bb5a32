"""Key results in the API: a definition created or changed in part (a new target
mid-cycle with its reason), a key result as stored with its version, and judged as of
now — progress, pace, forecast, confidence, last check-in — as an objective's resource
and `GET /key-results/{id}` show it.

The definition's fields are `KeyResultDefinition`'s declarations (`domain.fields`); the
rules that tie them to a cycle (a deadline in it, a target that differs from the start,
a positive weight) are the domain's, which name the field they refuse.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from pydantic import BaseModel, ConfigDict, Field

from okrkit.adapters.declared_models import declared_model
from okrkit.domain.check_ins import MAX_NOTE_LENGTH
from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import changes_from_data, data_of, from_data
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.domain.pace import Pace
from okrkit.interfaces.documents import finite, forecast_document
from okrkit.interfaces.web.schemas.check_ins import CheckInOut, TextIn
from okrkit.interfaces.web.schemas.common import revision_fields
from okrkit.interfaces.web.schemas.initiatives import InitiativeOut
from okrkit.services.key_results import EditKeyResult, KeyResultState, KeyResultView

__all__ = [
    "ForecastOut",
    "KeyResultCreate",
    "KeyResultDetail",
    "KeyResultOut",
    "KeyResultPatch",
    "KeyResultStateOut",
    "key_result_detail",
    "key_result_state",
]

_VERSION = Field(default=None, description='Alternative to `If-Match: "<version>"`.')


class _Create(TextIn):
    """What a new key result's body turns into (its fields: the declared ones)."""

    def to_definition(self, prefix: str = "") -> KeyResultDefinition:
        """The domain definition; a value the domain refuses names its field, after
        `prefix` (`key_results[1].`) when it is an item of an objective's body."""
        try:
            return from_data(KeyResultDefinition, self.model_dump())
        except InvalidInput as error:
            raise InvalidInput(error.message, field=f"{prefix}{error.field}") from None


class _Patch(TextIn):
    """What a partial change turns into (its fields: the editable declared ones)."""

    if TYPE_CHECKING:  # fields of the API's own, made with the declared ones
        reason: str
        version: int | None

    def to_command(self, id: int, version: int) -> EditKeyResult:
        """The change: the declared fields given (null clears an optional one and is
        refused for the others), and the reason of a recalibration."""
        given = self.model_fields_set - {"reason", "version"}
        changes = changes_from_data(KeyResultDefinition, self.model_dump(include=given))
        return EditKeyResult(id, version, changes, self.reason)


class _Out(BaseModel):
    """A key result as stored (its definition: the domain's declared fields)."""

    model_config = ConfigDict(populate_by_name=True)

    id: int = Field(description="Its address: /api/v1/key-results/{id}.")
    objective: str = Field(description="Key of its objective.")

    @classmethod
    def fields_of(cls, stored: StoredKeyResult) -> dict[str, Any]:
        return {
            "id": stored.id,
            "objective": stored.objective,
            **data_of(stored.definition),
            "original_target": stored.original_target,
            "recalibration": stored.recalibration,
            "score": stored.score,
            "score_reason": stored.score_reason,
            "final_value": stored.final_value,
            **revision_fields(stored.revision),
        }

    @classmethod
    def from_stored(cls, stored: StoredKeyResult) -> Self:
        return cls(**cls.fields_of(stored))


if TYPE_CHECKING:  # the models are made at import from the declarations
    KeyResultCreate = _Create
    KeyResultPatch = _Patch
    KeyResultOut = _Out
else:
    KeyResultCreate = declared_model(
        KeyResultDefinition, "KeyResultCreate", base=_Create, doc="A new key result."
    )
    KeyResultPatch = declared_model(
        KeyResultDefinition,
        "KeyResultPatch",
        base=_Patch,
        partial=True,
        extra={
            "reason": (
                str,
                Field(
                    default="",
                    max_length=MAX_NOTE_LENGTH,
                    description="Why the target changes: needed for a new target while "
                    "the cycle is active (a recalibration; the original target is kept).",
                ),
            ),
            "version": (int | None, _VERSION),
        },
        doc="A partial change to a key result; omitted fields stay as they are, null "
        "clears an optional one.",
    )
    KeyResultOut = declared_model(
        KeyResultDefinition,
        "KeyResultOut",
        base=_Out,
        output=True,
        extra={
            "original_target": (
                float | None,
                Field(description="The target the cycle started with, once recalibrated."),
            ),
            "recalibration": (str, Field(description="Why the target was changed mid-cycle.")),
            "score": (float | None, Field(description="Its end-of-cycle score, once scored.")),
            "score_reason": (str, Field(description="Why a person changed the proposed score.")),
            "final_value": (
                float | None,
                Field(description="Where it ended (a KPI's newest value at closing)."),
            ),
            "version": (
                int,
                Field(description="Bumped by every change; send it back with a change."),
            ),
            "changed_at": (datetime, ...),
            "changed_by": (str, ...),
        },
        doc="A key result's definition, where it ended once scored, and its version.",
    )


class ForecastOut(BaseModel):
    """Where the key result lands by its deadline: the least-squares line through its
    check-ins (or its KPI's values) read at the deadline, with its 95 % prediction
    interval and the chance of reaching the target — the keys of `okrkit kr forecast
    --format json`'s forecast. Fewer than three points, a guardrail or a key result that
    is not numeric: no forecast, and `reason` says why."""

    n: int = Field(description="How many points the line is fitted on.")
    slope_per_day: float | None = Field(description="The line's change per day, in the unit.")
    forecast: float | None = Field(description="The point forecast at the deadline.")
    lower: float | None = Field(description="Lower end of the 95 % prediction interval.")
    upper: float | None = Field(description="Upper end of the 95 % prediction interval.")
    probability: float | None = Field(description="Chance (0–1) of reaching the target.")
    reason: str | None = Field(
        default=None,
        exclude_if=lambda reason: reason is None,
        description="Why there is no forecast; absent when there is one.",
    )


class KeyResultStateOut(KeyResultOut):
    """A key result judged as of now."""

    current: float | None = Field(
        description="Where it stands: its newest check-in, or its KPI's newest value."
    )
    progress: float = Field(description="0–1 of the way from start to target.")
    expected_progress: float = Field(description="0–1: the share of its time elapsed.")
    forecast_progress: float | None = Field(
        description="The progress the forecast reaches at the deadline."
    )
    pace: Pace | None = Field(description="null for a guardrail (it holds or is breached).")
    breached: bool = Field(description="A guardrail that got worse than its start.")
    check_in_due: bool = Field(description="No check-in in the last 7 days of an active cycle.")
    check_ins: int = Field(description="How many check-ins it has.")
    confidence: float | None = Field(description="The newest confidence given, 0–10.")
    confidence_trend: str | None = Field(
        description="up, down or steady since the confidence before; null before two."
    )
    last_check_in: CheckInOut | None
    forecast: ForecastOut


def _state_fields(state: KeyResultState) -> dict[str, Any]:
    last = state.last_check_in
    return {
        **KeyResultOut.fields_of(state.key_result),
        "current": state.current,
        "progress": state.progress,
        "expected_progress": state.expected_progress,
        "forecast_progress": state.forecast_progress,
        "pace": state.pace,
        "breached": state.breached,
        "check_in_due": state.check_in_due,
        "check_ins": state.check_in_count,
        "confidence": state.confidence,
        "confidence_trend": state.confidence_trend,
        "last_check_in": None if last is None else CheckInOut.of(last),
        "forecast": ForecastOut(**finite(forecast_document(state.forecast))),
    }


def key_result_state(state: KeyResultState) -> KeyResultStateOut:
    """A key result judged as of now, as an objective's resource lists it."""
    return KeyResultStateOut(**_state_fields(state))


class KeyResultDetail(KeyResultStateOut):
    """A key result judged as of now, with its cycle and the work under it."""

    cycle: str = Field(description="The cycle of its objective.")
    initiatives: list[InitiativeOut]


def key_result_detail(view: KeyResultView) -> KeyResultDetail:
    """`GET /key-results/{id}`: the key result judged, its cycle, its initiatives."""
    return KeyResultDetail(
        **_state_fields(view.state),
        cycle=view.cycle.cycle.name,
        initiatives=[InitiativeOut.from_stored(i) for i in view.initiatives],
    )

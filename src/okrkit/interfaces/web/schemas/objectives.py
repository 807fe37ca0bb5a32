"""Objectives in the API: a new objective with its key results, a change in part, the
scoring and carrying over of one; an objective as stored with its version and grade,
and judged as of now — progress, pace, guardrails, check-ins due, each key result — as
`GET /objectives/{objective}` and the listing show it.

The definition's fields are `Objective`'s declarations (`domain.fields`); the rules
(a parent in the same or an enclosing cycle and never a descendant, a team and North
Star KPI that exist, a score with its reason) are the services', which name the field
they refuse.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from okrkit.adapters.declared_models import declared_model
from okrkit.domain.fields import changes_from_data, data_of, fields_of, from_data
from okrkit.domain.grading import GradeColour, grade
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.objectives import Objective, ObjectiveStatus, StoredObjective
from okrkit.domain.pace import Pace
from okrkit.interfaces.web.schemas.check_ins import Number, TextIn
from okrkit.interfaces.web.schemas.common import revision_fields
from okrkit.interfaces.web.schemas.key_results import (
    KeyResultCreate,
    KeyResultOut,
    KeyResultStateOut,
    key_result_state,
)
from okrkit.services.objectives import (
    CarryOver,
    CreateObjective,
    EditObjective,
    ObjectiveState,
    Scored,
    ScoreObjective,
)

__all__ = [
    "MAX_KEY_RESULTS",
    "BreachedOut",
    "CarryIn",
    "GradeOut",
    "KeyResultScoreIn",
    "ObjectiveCreate",
    "ObjectiveDetail",
    "ObjectiveOut",
    "ObjectivePageOut",
    "ObjectivePatch",
    "ScoreIn",
    "ScoredOut",
    "objective_detail",
    "objective_page",
    "scored",
]

# A bound on a request's size, not a rule: an objective has 2 to 5 key results (the
# linter says so); a body with more than this is not a person's objective.
MAX_KEY_RESULTS = 50

_VERSION = Field(default=None, description='Alternative to `If-Match: "<version>"`.')
_NOT_EDITABLE = frozenset(f.name for f in fields_of(Objective) if not f.editable)


class _Create(TextIn):
    """What a new objective's body turns into (its fields: the declared ones, its key
    results, and whether it starts as a draft)."""

    if TYPE_CHECKING:  # fields of the API's own, made with the declared ones
        key_results: list[KeyResultCreate]
        status: Literal["draft", "active"]

    def to_command(self) -> CreateObjective:
        """The use case's command; a value the domain refuses names its field (a key
        result's by its place: `key_results[1].target`)."""
        objective = from_data(Objective, self.model_dump(exclude={"key_results", "status"}))
        key_results = tuple(
            kr.to_definition(f"key_results[{i}].") for i, kr in enumerate(self.key_results)
        )
        return CreateObjective(objective, key_results, ObjectiveStatus(self.status))


class _Patch(TextIn):
    """What a partial change turns into (its fields: the editable declared ones)."""

    if TYPE_CHECKING:
        version: int | None

    def to_command(self, key: str, version: int) -> EditObjective:
        """The changed fields as domain values; null clears an optional field (`parent`:
        aligned to nothing) and is refused for the others."""
        given = self.model_fields_set - {"version"}
        return EditObjective(
            key, version, changes_from_data(Objective, self.model_dump(include=given))
        )


class GradeOut(BaseModel):
    """An objective's end-of-cycle grade: red below 0.4, yellow to 0.7, green from 0.7."""

    score: float | None = Field(description="null only for a learning objective without one.")
    display: str = Field(description="The score as a person reads it, e.g. 0.7 or 0.69.")
    colour: GradeColour | None
    success: bool | None = Field(
        description="Aspirational from 0.7, committed only at 1.0; null for learning."
    )
    needs_explanation: bool = Field(
        description="A committed objective under 1.0, or a learning one, without a "
        "retrospective yet: it cannot be closed."
    )


class _Out(BaseModel):
    """An objective as stored (its definition: the domain's declared fields)."""

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def fields_of(cls, stored: StoredObjective) -> dict[str, Any]:
        graded = None
        if stored.status in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED):
            g = grade(stored.score, stored.objective.type, stored.retrospective)
            graded = GradeOut(
                score=g.score,
                display=g.display,
                colour=g.colour,
                success=g.success,
                needs_explanation=g.needs_explanation,
            )
        return {
            **data_of(stored.objective),
            "status": stored.status,
            "score": stored.score,
            "grade": graded,
            "retrospective": stored.retrospective,
            "carried_from": stored.carried_from,
            **revision_fields(stored.revision),
        }

    @classmethod
    def from_stored(cls, stored: StoredObjective) -> Self:
        return cls(**cls.fields_of(stored))


if TYPE_CHECKING:  # the models are made at import from the declarations
    ObjectiveCreate = _Create
    ObjectivePatch = _Patch
    ObjectiveOut = _Out
else:
    ObjectiveCreate = declared_model(
        Objective,
        "ObjectiveCreate",
        base=_Create,
        extra={
            "key_results": (
                list[KeyResultCreate],
                Field(
                    default_factory=list,
                    max_length=MAX_KEY_RESULTS,
                    description="Its key results, in order: created with it, all or none.",
                ),
            ),
            "status": (
                Literal["draft", "active"],
                Field(
                    default="active",
                    description="active (a person's commitment) or draft (a proposal "
                    "waiting for a person to activate it).",
                ),
            ),
        },
        doc="A new objective and its key results.",
    )
    ObjectivePatch = declared_model(
        Objective,
        "ObjectivePatch",
        base=_Patch,
        partial=True,
        exclude=_NOT_EDITABLE,
        extra={"version": (int | None, _VERSION)},
        doc="A partial change to an objective; omitted fields stay as they are, null "
        "clears an optional one (`parent: null`: aligned to nothing).",
    )
    ObjectiveOut = declared_model(
        Objective,
        "ObjectiveOut",
        base=_Out,
        output=True,
        extra={
            "status": (ObjectiveStatus, Field(description="draft, active, scored or closed.")),
            "score": (
                float | None,
                Field(description="Its end-of-cycle score (0–1), once scored."),
            ),
            "grade": (GradeOut | None, Field(description="Its grade, once scored.")),
            "retrospective": (
                str,
                Field(description="What happened and why it scored what it did."),
            ),
            "carried_from": (
                str | None,
                Field(description="The objective of an earlier cycle it continues."),
            ),
            "version": (
                int,
                Field(description="Bumped by every change; send it back with a change."),
            ),
            "changed_at": (datetime, ...),
            "changed_by": (str, ...),
        },
        doc="An objective's definition, status, score once scored, and version.",
    )


class BreachedOut(BaseModel):
    """A guardrail that got worse than its start."""

    id: int
    title: str


class ObjectiveDetail(ObjectiveOut):
    """An objective judged as of now, with each of its key results."""

    team_name: str = Field(description="Its team's name.")
    progress: float = Field(
        description="0–1: the weighted mean of its key results that are not guardrails."
    )
    pace: Pace
    guardrail_breached: bool
    breached: list[BreachedOut] = Field(description="Which guardrails were breached.")
    check_in_due: bool = Field(description="A key result of it is due a check-in.")
    key_results: list[KeyResultStateOut]


def objective_detail(state: ObjectiveState) -> ObjectiveDetail:
    """The objective resource: definition, status, version, grade, and its judgement."""
    return ObjectiveDetail(
        **ObjectiveOut.fields_of(state.stored),
        team_name=state.team_name,
        progress=state.progress,
        pace=state.pace,
        guardrail_breached=state.guardrail_breached,
        breached=[
            BreachedOut(id=s.key_result.id, title=s.key_result.definition.title)
            for s in state.key_results
            if s.breached
        ],
        check_in_due=state.check_in_due,
        key_results=[key_result_state(s) for s in state.key_results],
    )


class ObjectivePageOut(BaseModel):
    """A page of objectives, each judged as of now, by team then title."""

    total: int = Field(description="How many objectives the filters hold, on every page.")
    offset: int
    limit: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")
    items: list[ObjectiveDetail]


def objective_page(
    states: list[ObjectiveState], total: int, offset: int, limit: int
) -> ObjectivePageOut:
    """A page of the listing, with where the next one starts."""
    return ObjectivePageOut(
        total=total,
        offset=offset,
        limit=limit,
        next_offset=offset + limit if offset + limit < total else None,
        items=[objective_detail(s) for s in states],
    )


class KeyResultScoreIn(TextIn):
    """A key result's score where a person changes the one its progress proposes."""

    score: Number = Field(description="From 0.0 to 1.0.")
    reason: str = Field(
        default="", description="Why it differs from the proposed score (its progress)."
    )


class ScoreIn(TextIn):
    """Score an objective: the key results' scores a person changes (the others take
    the score their progress proposes), the retrospective, and whether to close it."""

    scores: dict[int, KeyResultScoreIn] = Field(
        default_factory=dict,
        max_length=MAX_KEY_RESULTS,
        description='By key result id, e.g. {"12": {"score": 0.6, "reason": "…"}}.',
    )
    retrospective: str | None = Field(
        default=None,
        description="What happened and why: needed to close a committed objective under "
        "1.0 and a learning one. Omitted: the one written before stays.",
    )
    close: bool = Field(default=False, description="Close it now (it leaves the cycle's work).")
    version: int | None = _VERSION

    def to_command(self, key: str, version: int) -> ScoreObjective:
        return ScoreObjective(
            key,
            version,
            {id: (s.score, s.reason) for id, s in self.scores.items()},
            self.retrospective,
            self.close,
        )


class ScoredOut(ObjectiveOut):
    """An objective as scoring left it, with each key result's score."""

    key_results: list[KeyResultOut]


def scored(result: Scored) -> ScoredOut:
    """What scoring did: the objective, its grade, each key result's score."""
    return ScoredOut(
        **ObjectiveOut.fields_of(result.objective),
        key_results=[KeyResultOut.from_stored(kr) for kr in result.key_results],
    )


class CarryIn(TextIn):
    """Carry an unfinished objective into another cycle."""

    cycle: str | None = Field(
        default=None, description="The cycle to carry it into; default: the next one."
    )
    key_results: list[int] | None = Field(
        default=None,
        max_length=MAX_KEY_RESULTS,
        description="Ids of the key results to carry; default: all that are unfinished.",
    )
    new_key: str | None = Field(
        default=None,
        max_length=MAX_KEY_LENGTH,
        description="The copy's key; default: the key and the cycle's name.",
    )

    def to_command(self, key: str) -> CarryOver:
        ids = None if self.key_results is None else tuple(self.key_results)
        return CarryOver(key, self.cycle, ids, self.new_key)

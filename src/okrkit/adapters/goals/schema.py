"""The goals-as-code file format: Pydantic models of `okrkit.yaml`.

These models are the one definition of the format: the loader validates with them and
`okrkit schema` prints their JSON Schema. Unknown fields are errors (a typo such as
`trget:` must not pass silently).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from okrkit.adapters.declared_models import (
    KEY_SCHEMA,
    KeptDay,
    KeptMoment,
    declared_model,
    group_model,
)
from okrkit.domain.check_ins import MAX_NOTE_LENGTH
from okrkit.domain.errors import InvalidInput
from okrkit.domain.key_results import MAX_STEPS
from okrkit.domain.keys import KEY_RULE, check_key
from okrkit.domain.kpis import Kpi

__all__ = [
    "CheckInModel",
    "CycleModel",
    "InitiativeModel",
    "KeyResultModel",
    "KpiModel",
    "ObjectiveModel",
    "TeamModel",
    "WorkspaceModel",
    "json_schema",
]


def _key(value: str) -> str:
    try:
        return check_key(value)
    except InvalidInput as error:
        raise ValueError(error.message) from None


# A key of a team, KPI or objective: the domain's one rule, its shape in the schema.
Slug = Annotated[
    str,
    AfterValidator(_key),
    Field(description=f"A stable key: {KEY_RULE}.", json_schema_extra=KEY_SCHEMA),
]
Text = Annotated[str, Field(min_length=1, max_length=500)]
# A written review or reason: a note, as long as a check-in's (domain.check_ins).
Note = Annotated[str, Field(max_length=MAX_NOTE_LENGTH)]
Score = Annotated[float, Field(ge=0, le=1)]
# A check-in's moment as YAML files write it: a date, or a date and a time (a space or a
# T between them), UTC unless it carries an offset. JSON Schema's `date-time` format asks
# for the T and the offset, which a person's YAML rarely has: the published schema says
# what the loader reads.
MOMENT_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}([Tt ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?([Zz]|[+-]\d{2}(:?\d{2})?))?)?$"
)
Moment = Annotated[
    KeptDay | KeptMoment,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MOMENT_PATTERN,
            "description": "A date (2026-10-05) or a moment (2026-10-19 16:30:00), UTC "
            "unless it carries an offset.",
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class TeamModel(_Model):
    """A team; `parent` is the team it belongs to (the company for a product team)."""

    key: Slug
    name: Text
    parent: Slug | None = None


# A KPI: every field as the domain declares it (`domain.kpis.Kpi`), unknown ones refused.
KpiModel = declared_model(
    Kpi,
    "KpiModel",
    base=_Model,
    groups={"thresholds": group_model(Kpi, "thresholds", "ThresholdsModel", base=_Model)},
    doc="A KPI: a health metric reviewed forever, with a target and thresholds.",
)


class CycleModel(_Model):
    """An OKR cycle: a quarter such as 2026-Q3 (its dates follow from its name), or a
    name with its start and end; planning, active or closed (its objectives scored)."""

    name: str = Field(description="2026-Q3, or a name such as 2026-H2 with start and end.")
    start: KeptDay | None = None
    end: KeptDay | None = None
    state: Literal["planning", "active", "closed"] = "active"


class CheckInModel(_Model):
    """A check-in: the value at a moment, a confidence (0–10) and a note."""

    at: Moment
    value: float
    confidence: float | None = Field(None, ge=0, le=10)
    note: str = ""
    author: str | None = None


class InitiativeModel(_Model):
    """Work attached to a key result; outputs ('launch X') belong here."""

    title: Text
    status: Literal["planned", "in_progress", "done", "dropped"] = "planned"
    url: str | None = None


class KeyResultModel(_Model):
    """A measurable outcome: from `start` to `target` by `deadline`, with an owner."""

    title: Text
    type: Literal["numeric", "boolean", "milestone"] = "numeric"
    start: float | None = Field(None, description="The baseline.")
    target: float | None = None
    unit: str = ""
    owner: str | None = Field(None, description="Defaults to the objective's owner.")
    deadline: KeptDay | None = Field(None, description="Defaults to the cycle's end.")
    kpi: Slug | None = Field(None, description="A KPI that feeds this key result.")
    guardrail: bool = Field(False, description="Must not get worse than its start.")
    weight: float = Field(1.0, gt=0)
    direction: Literal["higher", "lower"] | None = None
    milestones: int | None = Field(
        None, ge=1, description="How many milestones, for a milestone key result without steps."
    )
    steps: list[Text] | None = Field(
        None,
        min_length=1,
        max_length=MAX_STEPS,
        description="A milestone key result's steps, in the order they are done.",
    )
    original_target: float | None = Field(
        None, description="The target the cycle started with, when it was recalibrated."
    )
    recalibration: Note = Field("", description="Why the target was changed mid-cycle.")
    score: Score | None = Field(None, description="Its end-of-cycle score, once scored.")
    score_reason: Note = Field("", description="Why the score differs from the proposed one.")
    check_ins: list[CheckInModel] = Field(default_factory=list)
    initiatives: list[InitiativeModel] = Field(default_factory=list)


class ObjectiveModel(_Model):
    """A qualitative objective for one team and cycle, with 2–5 key results."""

    key: Slug
    title: Text
    description: str = ""
    cycle: str = Field(description="A quarter such as 2026-Q3, or a name with start and end.")
    cycle_start: KeptDay | None = None
    cycle_end: KeptDay | None = None
    team: Slug
    owner: str | None = None
    type: Literal["committed", "aspirational", "learning"] = "aspirational"
    parent: Slug | None = Field(None, description="The objective this one serves.")
    parent_key_result: int | None = Field(
        None,
        ge=1,
        description="The key result of the parent it serves, by its place (1 is the first).",
    )
    north_star: Slug | None = Field(None, description="The North Star KPI this one serves.")
    status: Literal["draft", "active", "scored", "closed"] = "active"
    private: bool = False
    score: Score | None = Field(None, description="Its end-of-cycle score, once scored.")
    retrospective: Note = Field("", description="The written review at the cycle's end.")
    carried_from: Slug | None = Field(
        None, description="The objective of an earlier cycle it continues."
    )
    key_results: list[KeyResultModel] = Field(default_factory=list)


class WorkspaceModel(_Model):
    """An okrkit goals file: any of teams, KPIs, cycles and objectives."""

    teams: list[TeamModel] = Field(default_factory=list)
    # A model made at run time from the domain's declarations: mypy sees a variable.
    kpis: list[KpiModel] = Field(default_factory=list)  # type: ignore[valid-type]
    cycles: list[CycleModel] = Field(default_factory=list)
    objectives: list[ObjectiveModel] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a goals file."""
    schema = WorkspaceModel.model_json_schema()
    schema["title"] = "okrkit goals file"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

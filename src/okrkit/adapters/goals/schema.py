"""The goals-as-code file format: Pydantic models of `okrkit.yaml`.

These models are the one definition of the format: the loader validates with them and
`okrkit schema` prints their JSON Schema. Unknown fields are errors (a typo such as
`trget:` must not pass silently).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput

__all__ = [
    "CheckInModel",
    "InitiativeModel",
    "KeyResultModel",
    "KpiModel",
    "ObjectiveModel",
    "TeamModel",
    "ThresholdsModel",
    "WorkspaceModel",
    "json_schema",
]

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_-]*$",
        max_length=64,
        description="A stable key: lower-case letters, digits, '-' and '_'.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=500)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class TeamModel(_Model):
    """A team; `parent` is the team it belongs to (the company for a product team)."""

    key: Slug
    name: Text
    parent: Slug | None = None


class ThresholdsModel(_Model):
    """Green and red bounds; both bounds belong to yellow."""

    green: float
    red: float


class KpiModel(_Model):
    """A KPI: a health metric reviewed forever, with a target and thresholds."""

    key: Slug
    name: Text
    description: str = Field("", description="The shared definition of the number.")
    unit: str = Field("", description="count, percent, currency, ms, hours, ratio, score, …")
    direction: Literal["higher", "lower"] = Field(description="Which way is better.")
    target: float | None = None
    thresholds: ThresholdsModel | None = None
    cadence: str = Field(description="daily, weekly, monthly, or a cron expression.")
    team: Slug
    owner: str | None = None
    kind: Literal["leading", "lagging"] = "lagging"
    north_star: bool = False
    guardrail: bool = False
    formula: str | None = Field(None, description="A derived KPI: an expression of KPI keys.")
    source: str | None = None

    @field_validator("cadence")
    @classmethod
    def _cadence(cls, value: str) -> str:
        try:
            Cadence.parse(value)
        except InvalidInput as error:
            raise ValueError(error.message) from None
        return value


class CheckInModel(_Model):
    """A check-in: the value at a moment, a confidence (0–10) and a note."""

    at: date | datetime
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
    deadline: date | None = Field(None, description="Defaults to the cycle's end.")
    kpi: Slug | None = Field(None, description="A KPI that feeds this key result.")
    guardrail: bool = Field(False, description="Must not get worse than its start.")
    weight: float = Field(1.0, gt=0)
    direction: Literal["higher", "lower"] | None = None
    milestones: int | None = Field(None, ge=1, description="Milestone count, for milestone type.")
    check_ins: list[CheckInModel] = Field(default_factory=list)
    initiatives: list[InitiativeModel] = Field(default_factory=list)


class ObjectiveModel(_Model):
    """A qualitative objective for one team and cycle, with 2–5 key results."""

    key: Slug
    title: Text
    description: str = ""
    cycle: str = Field(description="A quarter such as 2026-Q3, or a name with start and end.")
    cycle_start: date | None = None
    cycle_end: date | None = None
    team: Slug
    owner: str | None = None
    type: Literal["committed", "aspirational", "learning"] = "aspirational"
    parent: Slug | None = Field(None, description="The objective this one serves.")
    north_star: Slug | None = Field(None, description="The North Star KPI this one serves.")
    status: Literal["draft", "active", "scored", "closed"] = "active"
    private: bool = False
    key_results: list[KeyResultModel] = Field(default_factory=list)


class WorkspaceModel(_Model):
    """An okrkit goals file: any of teams, KPIs and objectives."""

    teams: list[TeamModel] = Field(default_factory=list)
    kpis: list[KpiModel] = Field(default_factory=list)
    objectives: list[ObjectiveModel] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a goals file."""
    schema = WorkspaceModel.model_json_schema()
    schema["title"] = "okrkit goals file"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

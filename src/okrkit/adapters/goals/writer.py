"""Writing `Goals` back out as a goals file (YAML), in the schema's field order.

The inverse of the loader: what it writes loads back to the same goals. Defaults are
left out so the file stays as short as a person would write it.
"""

from __future__ import annotations

from typing import Any

import yaml

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import data_of, fields_of, value_to_data
from okrkit.domain.goals import (
    Cycle,
    CycleSpec,
    CycleState,
    Goals,
    KeyResultSpec,
    KpiSpec,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.kpis import Kpi
from okrkit.domain.progress import KeyResultType

__all__ = ["CYCLES_FILE", "dump_goals", "dump_goals_by_team"]

# A folder export's file of cycles: a name no team key can take (keys start with a letter),
# read first (files are read in name order).
CYCLES_FILE = "_cycles.yaml"


def _num(value: float) -> float | int:
    """16.0 is written 16, as a person would."""
    return int(value) if float(value).is_integer() else value


def _moment(value: Any) -> Any:
    if (
        hasattr(value, "hour")
        and value.hour == value.minute == value.second == value.microsecond == 0
    ):
        return value.date()
    return value


def _team(spec: TeamSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"key": spec.team.key, "name": spec.team.name}
    if spec.parent:
        out["parent"] = spec.parent
    return out


def _kpi(spec: KpiSpec) -> dict[str, Any]:
    """A KPI's declared fields (`domain.kpis.Kpi`), those at their default left out."""
    out: dict[str, Any] = {}
    for field, value in zip(fields_of(Kpi), data_of(spec.kpi).values(), strict=True):
        if not field.required and value == value_to_data(field, field.default):
            continue
        if field.parts:
            value = {part: _num(value[part]) for part in field.parts}
        elif isinstance(value, float | int) and not isinstance(value, bool):
            value = _num(value)
        out[field.name] = value
    return out


def _cycle(spec: CycleSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": spec.cycle.name}
    if not _calendar_quarter(spec.cycle):
        out["start"] = spec.cycle.start
        out["end"] = spec.cycle.end
    if spec.state is not CycleState.ACTIVE:
        out["state"] = spec.state.value
    return out


def _calendar_quarter(cycle: Cycle) -> bool:
    try:
        return Cycle.parse(cycle.name) == cycle
    except InvalidInput:
        return False


def _key_result(kr: KeyResultSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"title": kr.title}
    if kr.type is not KeyResultType.NUMERIC:
        out["type"] = kr.type.value
    for name in ("start", "target", "unit", "owner", "deadline", "kpi"):
        value = getattr(kr, name)
        if value not in (None, ""):
            out[name] = _num(value) if name in ("start", "target") else value
    if kr.guardrail:
        out["guardrail"] = True
    if kr.weight != 1.0:
        out["weight"] = _num(kr.weight)
    if kr.direction is not None:
        out["direction"] = kr.direction.value
    if kr.steps is not None:
        out["steps"] = list(kr.steps)
    elif kr.milestones is not None:
        out["milestones"] = kr.milestones
    if kr.original_target is not None:
        out["original_target"] = _num(kr.original_target)
    if kr.recalibration:
        out["recalibration"] = kr.recalibration
    if kr.score is not None:
        out["score"] = _num(kr.score)
    if kr.score_reason:
        out["score_reason"] = kr.score_reason
    if kr.check_ins:
        out["check_ins"] = [
            {
                "at": _moment(c.at),
                "value": _num(c.value),
                **({"confidence": _num(c.confidence)} if c.confidence is not None else {}),
                **({"note": c.note} if c.note else {}),
                **({"author": c.author} if c.author else {}),
            }
            for c in kr.check_ins
        ]
    if kr.initiatives:
        out["initiatives"] = [
            {"title": i.title, "status": i.status.value, **({"url": i.url} if i.url else {})}
            for i in (spec.initiative for spec in kr.initiatives)
        ]
    return out


def _objective(spec: ObjectiveSpec, listed: set[str]) -> dict[str, Any]:
    """An objective; its cycle by name alone when `cycles:` lists it or it is a quarter."""
    out: dict[str, Any] = {"key": spec.key, "title": spec.title}
    if spec.description:
        out["description"] = spec.description
    out["cycle"] = spec.cycle.name
    if spec.cycle.name not in listed and not _calendar_quarter(spec.cycle):
        out["cycle_start"] = spec.cycle.start
        out["cycle_end"] = spec.cycle.end
    out["team"] = spec.team
    for name in ("owner", "parent", "parent_key_result", "north_star"):
        if getattr(spec, name):
            out[name] = getattr(spec, name)
    out["type"] = spec.type.value
    if spec.status.value != "active":
        out["status"] = spec.status.value
    if spec.private:
        out["private"] = True
    if spec.score is not None:
        out["score"] = _num(spec.score)
    for name in ("retrospective", "carried_from"):
        if getattr(spec, name):
            out[name] = getattr(spec, name)
    out["key_results"] = [_key_result(kr) for kr in spec.key_results]
    return out


def dump_goals(goals: Goals) -> str:
    """The goals as a YAML goals file: teams, KPIs, cycles, objectives."""
    document: dict[str, Any] = {}
    if goals.teams:
        document["teams"] = [_team(t) for t in goals.teams]
    if goals.kpis:
        document["kpis"] = [_kpi(k) for k in goals.kpis]
    if goals.cycles:
        document["cycles"] = [_cycle(c) for c in goals.cycles]
    if goals.objectives:
        listed = {c.cycle.name for c in goals.cycles}
        document["objectives"] = [_objective(o, listed) for o in goals.objectives]
    return _yaml(document)


def dump_goals_by_team(goals: Goals) -> dict[str, str]:
    """The goals as a folder of goals files: `_cycles.yaml` with the cycles, and one
    file a team, `<team>.yaml`, with the team, its KPIs and its objectives."""
    files: dict[str, str] = {}
    if goals.cycles:
        files[CYCLES_FILE] = dump_goals(Goals(cycles=goals.cycles))
    listed = {c.cycle.name for c in goals.cycles}
    for team in goals.teams:
        key = team.team.key
        document: dict[str, Any] = {"teams": [_team(team)]}
        kpis = [_kpi(k) for k in goals.kpis if k.kpi.team == key]
        objectives = [_objective(o, listed) for o in goals.objectives if o.team == key]
        if kpis:
            document["kpis"] = kpis
        if objectives:
            document["objectives"] = objectives
        files[f"{key}.yaml"] = _yaml(document)
    return files


def _yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)

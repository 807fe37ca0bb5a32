"""Loading goals files (YAML) into domain `Goals`, with the line of every entry.

PyYAML's composer keeps each node's position; the loader walks the node tree itself so
that every value's line is known, duplicate keys are caught (PyYAML would keep the last
one silently), and every error names the file, the line and the field — for a YAML
syntax error, a wrong type, an unknown or a missing field, a duplicate key, or a
reference to a team, KPI or objective that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from okrkit.adapters.goals.schema import ObjectiveModel, TeamModel, WorkspaceModel
from okrkit.adapters.sources.series_files import read_text
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import InvalidInput, SourceUnavailable
from okrkit.domain.fields import from_data
from okrkit.domain.goals import (
    CheckIn,
    Cycle,
    Goals,
    Initiative,
    InitiativeSpec,
    InitiativeStatus,
    KeyResultSpec,
    KpiSpec,
    Location,
    ObjectiveSpec,
    ObjectiveStatus,
    TeamSpec,
)
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction
from okrkit.domain.kpis import Kpi
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team

__all__ = ["dotted", "goal_files", "load_goals"]

Path_ = tuple[str | int, ...]
SUFFIXES = (".yaml", ".yml")
MAX_VALUES = 200_000


def dotted(path: Path_) -> str:
    """('objectives', 0, 'key_results', 1, 'target') → 'objectives[0].key_results[1].target'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _Document:
    """One YAML file as plain data, with the line of every path in it."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self._constructor = yaml.constructor.SafeConstructor()
        self._values = 0
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            raise InvalidInput(
                f"not valid YAML: {error.problem or error.context}", source=file, line=line
            ) from None
        except yaml.YAMLError as error:
            raise InvalidInput(f"not valid YAML: {error}", source=file) from None
        if node is None:
            raise InvalidInput(
                "the file is empty: expected teams:, kpis: or objectives:", source=file, line=1
            )
        self.data = self._convert(node, ())

    def line(self, path: Path_) -> int:
        """The line of a path, or of its nearest ancestor that was written."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def location(self, path: Path_) -> Location:
        return Location(self.file, self.line(path), dotted(path))

    def error(self, message: str, path: Path_) -> InvalidInput:
        return InvalidInput(message, source=self.file, line=self.line(path), field=dotted(path))

    def _convert(self, node: yaml.Node, path: Path_) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        # Aliases are expanded; a few lines of nested aliases can expand to billions.
        self._values += 1
        if self._values > MAX_VALUES:
            raise InvalidInput(
                f"more than {MAX_VALUES:,} values (nested aliases?): a goals file is not that big",
                source=self.file,
                line=node.start_mark.line + 1,
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._constructor.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    raise InvalidInput(
                        f"key {key!r} is not a name",
                        source=self.file,
                        line=key_node.start_mark.line + 1,
                        field=dotted(path),
                    )
                if key in result:
                    raise InvalidInput(
                        f"duplicate key {key!r}: it is already on line {self.lines[(*path, key)]}",
                        source=self.file,
                        line=key_node.start_mark.line + 1,
                        field=dotted((*path, key)),
                    )
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self._convert(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as error:
            problem = getattr(error, "problem", None) or str(error)
            raise InvalidInput(
                f"{node.value!r} cannot be read: {problem}",
                source=self.file,
                line=node.start_mark.line + 1,
                field=dotted(path),
            ) from None

    def validate(self) -> WorkspaceModel:
        if not isinstance(self.data, dict):
            raise InvalidInput(
                "expected a mapping with teams:, kpis: or objectives: at the top",
                source=self.file,
                line=1,
            )
        try:
            return WorkspaceModel.model_validate(self.data)
        except ValidationError as errors:
            first = errors.errors(include_url=False)[0]
            raise self.error(_message(first), self._written(first)) from None

    def _written(self, error: ErrorDetails) -> Path_:
        """The error's location as written in the file: Pydantic adds the names of union
        branches ("at.date") that are not in the document."""
        kept: Path_ = ()
        for part in error["loc"]:
            named = error["type"] in ("missing", "extra_forbidden") and part == error["loc"][-1]
            if (*kept, part) in self.lines or named:
                kept = (*kept, part)
        return kept


def _message(error: ErrorDetails) -> str:
    kind, loc, message = error["type"], error["loc"], error["msg"]
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"unknown field {name!r}"
    if kind == "missing":
        return f"missing required field {name!r}"
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    value = error.get("input")
    if kind != "value_error" and isinstance(value, str | int | float | bool):
        message += f", got {value!r}"
    return message[0].lower() + message[1:]


def goal_files(paths: Sequence[str | Path]) -> list[Path]:
    """The YAML files named: files as given, folders searched for *.yaml and *.yml."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not inside:
                raise SourceUnavailable(f"{path}: no .yaml or .yml files in this folder")
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise SourceUnavailable(f"{path}: no such file or folder")
    return found


def load_goals(paths: Sequence[str | Path]) -> Goals:
    """Load and check goals files (or folders of them) as one workspace.

    Keys must be unique across all files; every reference (a KPI's or objective's team,
    an objective's parent and North Star KPI, a key result's KPI, a team's parent)
    must name something defined in one of the files.
    """
    teams: list[TeamSpec] = []
    kpis: list[KpiSpec] = []
    objectives: list[ObjectiveSpec] = []
    references: list[tuple[_Document, Path_, str, str]] = []
    seen: dict[tuple[str, str], Location] = {}
    for file in goal_files(paths):
        document = _Document(str(file), read_text(file))
        model = document.validate()
        for i, team in enumerate(model.teams):
            teams.append(_team(document, ("teams", i), team, seen))
            if team.parent:
                references.append((document, ("teams", i, "parent"), "team", team.parent))
        for i, kpi in enumerate(model.kpis):
            kpis.append(_kpi(document, ("kpis", i), kpi, seen))
            references.append((document, ("kpis", i, "team"), "team", kpis[-1].kpi.team))
        for i, objective in enumerate(model.objectives):
            path: Path_ = ("objectives", i)
            objectives.append(_objective(document, path, objective, seen))
            references.append((document, (*path, "team"), "team", objective.team))
            if objective.parent:
                references.append((document, (*path, "parent"), "objective", objective.parent))
            if objective.north_star:
                references.append((document, (*path, "north_star"), "KPI", objective.north_star))
            for j, kr in enumerate(objective.key_results):
                if kr.kpi:
                    references.append((document, (*path, "key_results", j, "kpi"), "KPI", kr.kpi))
    for document, path, kind, key in references:
        if (kind, key) not in seen:
            known = sorted(k for (c, k) in seen if c == kind)
            listing = ", ".join(known) if known else "none is defined"
            raise document.error(f"unknown {kind} {key!r} (known: {listing})", path)
    return Goals(tuple(teams), tuple(kpis), tuple(objectives))


def _claim(
    document: _Document, path: Path_, kind: str, key: str, seen: dict[tuple[str, str], Location]
) -> Location:
    location = document.location(path)
    if (kind, key) in seen:
        raise document.error(
            f"{kind} key {key!r} is already defined at {seen[(kind, key)]}", (*path, "key")
        )
    seen[(kind, key)] = location
    return location


def _team(
    document: _Document, path: Path_, model: TeamModel, seen: dict[tuple[str, str], Location]
) -> TeamSpec:
    location = _claim(document, path, "team", model.key, seen)
    return TeamSpec(Team(model.key, model.name), model.parent, location)


def _kpi(
    document: _Document, path: Path_, model: BaseModel, seen: dict[tuple[str, str], Location]
) -> KpiSpec:
    key = model.model_dump()["key"]
    location = _claim(document, path, "KPI", key, seen)
    try:
        kpi = from_data(Kpi, model.model_dump())
        if kpi.thresholds is not None:
            kpi.thresholds.check(kpi.direction)
    except InvalidInput as error:
        field = (error.field or "").split(".")[0]
        raise document.error(error.message, (*path, field) if field else path) from None
    return KpiSpec(kpi, location)


def _objective(
    document: _Document, path: Path_, model: ObjectiveModel, seen: dict[tuple[str, str], Location]
) -> ObjectiveSpec:
    location = _claim(document, path, "objective", model.key, seen)
    try:
        cycle = Cycle.parse(model.cycle, model.cycle_start, model.cycle_end)
    except InvalidInput as error:
        raise document.error(error.message, (*path, "cycle")) from None
    key_results = tuple(
        KeyResultSpec(
            title=kr.title,
            type=KeyResultType(kr.type),
            start=kr.start,
            target=kr.target,
            unit=kr.unit,
            owner=kr.owner,
            deadline=kr.deadline,
            kpi=kr.kpi,
            guardrail=kr.guardrail,
            weight=kr.weight,
            direction=None if kr.direction is None else Direction(kr.direction),
            milestones=kr.milestones,
            check_ins=_check_ins(kr.check_ins),
            initiatives=tuple(
                InitiativeSpec(
                    Initiative(i.title, InitiativeStatus(i.status), i.url),
                    document.location((*path, "key_results", j, "initiatives", n)),
                )
                for n, i in enumerate(kr.initiatives)
            ),
            location=document.location((*path, "key_results", j)),
        )
        for j, kr in enumerate(model.key_results)
    )
    return ObjectiveSpec(
        key=model.key,
        title=model.title,
        cycle=cycle,
        team=model.team,
        type=ObjectiveType(model.type),
        description=model.description,
        owner=model.owner,
        parent=model.parent,
        north_star=model.north_star,
        status=ObjectiveStatus(model.status),
        private=model.private,
        key_results=key_results,
        location=location,
    )


def _check_ins(models: Iterable[Any]) -> tuple[CheckIn, ...]:
    return tuple(
        sorted(
            (CheckIn(as_utc(c.at), c.value, c.confidence, c.note, c.author) for c in models),
            key=lambda c: c.at,
        )
    )

"""Loading goals files (YAML) into domain `Goals`, with the line of every entry.

PyYAML's composer keeps each node's position; the loader walks the node tree itself so
that every value's line is known, duplicate keys are caught (PyYAML would keep the last
one silently), and every error names the file, the line and the field — for a YAML
syntax error, a wrong type, an unknown or a missing field, a duplicate key, or a
reference to a team, KPI or objective that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from okrkit.adapters.goals.schema import CycleModel, ObjectiveModel, TeamModel, WorkspaceModel
from okrkit.adapters.sources.series_files import read_text
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import InvalidInput, SourceUnavailable
from okrkit.domain.fields import from_data
from okrkit.domain.goals import (
    CheckIn,
    Cycle,
    CycleSpec,
    CycleState,
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

__all__ = ["SUFFIXES", "dotted", "goal_files", "load_goals"]

Path_ = tuple[str | int, ...]
SUFFIXES = (".yaml", ".yml")
_EMPTY: Any = object()  # a document without a node


def dotted(path: Path_) -> str:
    """('objectives', 0, 'key_results', 1, 'target') → 'objectives[0].key_results[1].target'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# libyaml's parser when PyYAML was built with it (the wheels are): the same events, and
# a large file read several times faster than in pure Python.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A goals file is a few levels deep (objectives[0].key_results[1].at.date); deeper
# nesting is a mistake or an attack, refused before anything walks it.
MAX_DEPTH = 32
# Values an alias may add by repeating what an anchor holds: a few lines of nested
# aliases can expand to billions ("billion laughs"); values written out are not counted.
MAX_ALIASED = 100_000
_STR = "tag:yaml.org,2002:str"


class _Open:
    """A mapping or sequence being read: its data, path, anchor and the key awaited."""

    __slots__ = ("anchor", "data", "key", "path", "size")

    def __init__(self, data: dict[str, Any] | list[Any], path: Path_, anchor: str | None):
        self.data, self.path, self.anchor = data, path, anchor
        self.key: str | None = None
        self.size = 1  # values it holds, itself included (what an alias repeats)


class _Document:
    """One YAML file as plain data, with the line of every path in it.

    Built from the parser's events in one loop rather than from PyYAML's node tree:
    no recursion (a file nested 50,000 deep is an error, not a crash), no node objects
    (a 7 MB file reads in seconds), and each alias counted by what it repeats.
    """

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self._constructor = yaml.constructor.SafeConstructor()
        self._resolve: Callable[..., str] = yaml.resolver.Resolver().resolve
        self._plain: dict[str, Any] = {}
        try:
            data = self._read(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            raise InvalidInput(
                f"not valid YAML: {error.problem or error.context}", source=file, line=line
            ) from None
        except yaml.YAMLError as error:
            raise InvalidInput(f"not valid YAML: {error}", source=file) from None
        if data is _EMPTY:
            raise InvalidInput(
                "the file is empty: expected teams:, kpis: or objectives:", source=file, line=1
            )
        self.data = data

    def _read(self, text: str) -> Any:
        """The document's data from the parser's events (`_EMPTY` when it has none)."""
        stack: list[_Open] = []
        anchors: dict[str, tuple[Any, int]] = {}
        result: Any = _EMPTY
        aliased = 0
        events: Iterable[Any] = yaml.parse(text, Loader=_LOADER)
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                value, size = self._scalar(event, stack), 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, size)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                path = self._place(stack, event.start_mark.line + 1)
                if len(path) >= MAX_DEPTH:
                    raise InvalidInput(
                        f"nested more than {MAX_DEPTH} levels deep: a goals file is not that deep",
                        source=self.file,
                        line=event.start_mark.line + 1,
                    )
                data: Any = {} if kind is yaml.MappingStartEvent else []
                stack.append(_Open(data, path, event.anchor))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                value, size = done.data, done.size
                if done.anchor is not None:
                    anchors[done.anchor] = (value, size)
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise InvalidInput(
                        f"the alias *{event.anchor} names no anchor (&{event.anchor}) "
                        "written before it",
                        source=self.file,
                        line=event.start_mark.line + 1,
                    )
                value, size = anchors[event.anchor]
                aliased += size
                if aliased > MAX_ALIASED:
                    raise InvalidInput(
                        f"its aliases repeat more than {MAX_ALIASED:,} values (nested "
                        "aliases?): write the values out",
                        source=self.file,
                        line=event.start_mark.line + 1,
                    )
            elif kind is yaml.DocumentStartEvent and result is not _EMPTY:
                raise InvalidInput(
                    "holds more than one YAML document (---): give one",
                    source=self.file,
                    line=event.start_mark.line + 1,
                )
            else:
                continue
            if not stack:
                result = value
            else:
                self._add(stack[-1], value, size, event)
        return result

    def _place(self, stack: list[_Open], line: int) -> Path_:
        """The path of the node that starts at `line`, its line recorded; a mapping or
        sequence where a mapping awaits a key is refused."""
        if not stack:
            path: Path_ = ()
        else:
            parent = stack[-1]
            if isinstance(parent.data, list):
                path = (*parent.path, len(parent.data))
            elif parent.key is None:
                raise InvalidInput(
                    "a key is not a name", source=self.file, line=line, field=dotted(parent.path)
                )
            else:
                path = (*parent.path, parent.key)
        self.lines.setdefault(path, line)
        return path

    def _add(self, parent: _Open, value: Any, size: int, event: Any) -> None:
        """Put a finished value into its parent: a list's next item, a mapping's key
        (its value is awaited) or its value."""
        parent.size += size
        data = parent.data
        if isinstance(data, list):
            data.append(value)
            return
        if parent.key is None:
            line = event.start_mark.line + 1
            if type(value) is not str or type(event) is not yaml.ScalarEvent:
                raise InvalidInput(
                    f"key {value!r} is not a name",
                    source=self.file,
                    line=line,
                    field=dotted(parent.path),
                )
            if value in data:
                raise InvalidInput(
                    f"duplicate key {value!r}: it is already on line "
                    f"{self.lines[(*parent.path, value)]}",
                    source=self.file,
                    line=line,
                    field=dotted((*parent.path, value)),
                )
            self.lines[(*parent.path, value)] = line
            parent.key = value
            return
        data[parent.key] = value
        parent.key = None

    def _scalar(self, event: Any, stack: list[_Open]) -> Any:
        """A scalar's value as PyYAML's safe loader reads it (a plain one by its look:
        a number, a date, true …); plain texts repeat, so each is resolved once."""
        plain = event.implicit[0] and event.tag is None
        if plain and event.value in self._plain:
            return self._plain[event.value]
        if event.tag is not None and event.tag != "!":
            tag = event.tag
        elif plain:
            tag = self._resolve(yaml.ScalarNode, event.value, (True, False))
        else:
            tag = _STR
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as error:
            problem = getattr(error, "problem", None) or str(error)
            at = stack[-1] if stack else None
            path = () if at is None else at.path
            raise InvalidInput(
                f"{event.value!r} cannot be read: {problem}",
                source=self.file,
                line=event.start_mark.line + 1,
                field=dotted(path if at is None or at.key is None else (*path, at.key)),
            ) from None
        if plain:
            self._plain[event.value] = value
        return value

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

    Keys must be unique across all files (cycles by name); every reference (a KPI's or
    objective's team, an objective's parent, the parent's key result it serves, its
    North Star KPI and the objective it was carried from, a key result's KPI, a team's
    parent) must name something defined in one of the files. An objective's cycle is
    one of `cycles:` when listed there, else it is known by its name and dates, the same
    wherever it is named.
    """
    teams: list[TeamSpec] = []
    kpis: list[KpiSpec] = []
    cycles: list[CycleSpec] = []
    objectives: list[tuple[_Document, Path_, ObjectiveModel]] = []
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
        for i, cycle in enumerate(model.cycles):
            cycles.append(_cycle(document, ("cycles", i), cycle, seen))
        for i, objective in enumerate(model.objectives):
            path: Path_ = ("objectives", i)
            _claim(document, path, "objective", objective.key, seen)
            objectives.append((document, path, objective))
            references.append((document, (*path, "team"), "team", objective.team))
            for name, kind in (("parent", "objective"), ("north_star", "KPI"),
                               ("carried_from", "objective")):  # fmt: skip
                if getattr(objective, name):
                    references.append((document, (*path, name), kind, getattr(objective, name)))
            for j, kr in enumerate(objective.key_results):
                if kr.kpi:
                    references.append((document, (*path, "key_results", j, "kpi"), "KPI", kr.kpi))
    for document, path, kind, key in references:
        if (kind, key) not in seen:
            known = sorted(k for (c, k) in seen if c == kind)
            listing = ", ".join(known) if known else "none is defined"
            raise document.error(f"unknown {kind} {key!r} (known: {listing})", path)
    listed = {spec.cycle.name: spec.cycle for spec in cycles}
    implied: dict[str, tuple[Cycle, Location]] = {}
    specs = [
        _objective(document, path, model, listed, implied) for document, path, model in objectives
    ]
    _check_key_result_places(objectives)
    return Goals(tuple(teams), tuple(kpis), tuple(specs), tuple(cycles))


def _check_key_result_places(objectives: Sequence[tuple[_Document, Path_, ObjectiveModel]]) -> None:
    """An objective aligned to one key result of its parent names it by a place the
    parent has (1 is its first key result)."""
    counts = {model.key: len(model.key_results) for _, _, model in objectives}
    for document, path, model in objectives:
        place = model.parent_key_result
        if place is None:
            continue
        if model.parent is None:
            raise document.error(
                "a key result to align to needs its objective: give parent too",
                (*path, "parent_key_result"),
            )
        if place > counts[model.parent]:
            raise document.error(
                f"objective {model.parent!r} has {counts[model.parent]} key results: "
                f"there is no key result number {place}",
                (*path, "parent_key_result"),
            )


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


def _cycle(
    document: _Document, path: Path_, model: CycleModel, seen: dict[tuple[str, str], Location]
) -> CycleSpec:
    try:
        cycle = Cycle.parse(model.name, model.start, model.end, field="name")
    except InvalidInput as error:
        raise document.error(error.message, (*path, error.field or "name")) from None
    location = _claim(document, path, "cycle", cycle.name, seen)
    return CycleSpec(cycle, CycleState(model.state), location)


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


def _objective_cycle(
    document: _Document,
    path: Path_,
    model: ObjectiveModel,
    listed: dict[str, Cycle],
    implied: dict[str, tuple[Cycle, Location]],
) -> Cycle:
    """The objective's cycle: the one `cycles:` lists by its name (dates given here must
    be its dates), else the one its name and dates say — the same wherever it is named."""
    where = (*path, "cycle")
    name = model.cycle.strip()
    if name in listed:
        cycle = listed[name]
        for given, known, field in ((model.cycle_start, cycle.start, "cycle_start"),
                                    (model.cycle_end, cycle.end, "cycle_end")):  # fmt: skip
            if given is not None and given != known:
                raise document.error(
                    f"cycle {name} runs from {cycle.start} to {cycle.end} (cycles:), not "
                    f"{'from' if field == 'cycle_start' else 'to'} {given}",
                    (*path, field),
                )
        return cycle
    try:
        cycle = Cycle.parse(model.cycle, model.cycle_start, model.cycle_end)
    except InvalidInput as error:
        raise document.error(error.message, where) from None
    first = implied.setdefault(cycle.name, (cycle, document.location(where)))
    if first[0] != cycle:
        raise document.error(
            f"cycle {cycle.name} runs from {first[0].start} to {first[0].end} at {first[1]}: "
            "a cycle has one span",
            where,
        )
    return cycle


def _objective(
    document: _Document,
    path: Path_,
    model: ObjectiveModel,
    listed: dict[str, Cycle],
    implied: dict[str, tuple[Cycle, Location]],
) -> ObjectiveSpec:
    location = document.location(path)
    cycle = _objective_cycle(document, path, model, listed, implied)
    check_ins = [
        _check_ins(document, (*path, "key_results", j), kr.check_ins)
        for j, kr in enumerate(model.key_results)
    ]
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
            milestones=_milestones(document, (*path, "key_results", j), kr.milestones, kr.steps),
            steps=None if kr.steps is None else tuple(kr.steps),
            original_target=kr.original_target,
            recalibration=kr.recalibration,
            score=kr.score,
            score_reason=kr.score_reason,
            check_ins=tuple(c for c, _ in check_ins[j]),
            check_in_locations=tuple(at for _, at in check_ins[j]),
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
        score=model.score,
        retrospective=model.retrospective,
        carried_from=model.carried_from,
        parent_key_result=model.parent_key_result,
        key_results=key_results,
        location=location,
    )


def _milestones(
    document: _Document, path: Path_, count: int | None, steps: Sequence[str] | None
) -> int | None:
    """How many milestones a key result has: its steps', or the number written (both
    given, they agree)."""
    if steps is None:
        return count
    if count is not None and count != len(steps):
        raise document.error(
            f"{count} milestones, but {len(steps)} steps are named: give the steps alone",
            (*path, "milestones"),
        )
    return len(steps)


def _check_ins(
    document: _Document, path: Path_, models: Sequence[Any]
) -> list[tuple[CheckIn, Location]]:
    """A key result's check-ins, oldest first, each with where it was written."""
    return sorted(
        (
            (
                CheckIn(as_utc(c.at), c.value, c.confidence, c.note, c.author),
                document.location((*path, "check_ins", n)),
            )
            for n, c in enumerate(models)
        ),
        key=lambda pair: pair[0].at,
    )

"""Objectives: create, edit, activate, score, close and carry over objectives, and the
read models of an objective's page and of the alignment tree.

Each use case is one transaction; every change bumps the objective's version (a stale
one is refused with who changed it and when) and is appended to the audit log with its
before and after. The read models judge key results in batches (`judge_key_results`):
a page of objectives costs a fixed number of queries and one vectorised fit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from okrkit.domain.access import Actor, Sight
from okrkit.domain.alerts import AlertLevel
from okrkit.domain.check_ins import CheckIn, checked_note
from okrkit.domain.classify import Classification, classify
from okrkit.domain.cycles import CycleState, StoredCycle, current_cycle, next_cycle
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.goals import KeyResultSpec, Location, ObjectiveSpec
from okrkit.domain.grading import Grade, ObjectiveType, closing_problem, grade
from okrkit.domain.initiatives import StoredInitiative
from okrkit.domain.key_results import (
    KeyResultDefinition,
    StoredKeyResult,
    objective_score,
    proposed_score,
)
from okrkit.domain.keys import MAX_KEY_LENGTH, check_key
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.lint import Finding
from okrkit.domain.objectives import (
    Objective,
    ObjectiveStatus,
    StoredObjective,
    check_alignment,
    objective_record,
)
from okrkit.domain.pace import Pace, expected_progress, pace
from okrkit.domain.progress import objective_progress
from okrkit.domain.teams import StoredTeam
from okrkit.services.access import require_objective_edit, require_objective_sight, seen_by, sight
from okrkit.services.key_results import (
    KeyResultState,
    append_key_result,
    checked_key_result,
    due_a_check_in,
    hidden_kpi,
    judge_key_results,
    key_result_record,
    seen_key_result,
    seen_objective,
    seen_stored,
)
from okrkit.services.lint import LintContext, lint_context, objective_findings
from okrkit.services.ports import KeptSummary, ObjectiveQuery, UnitOfWork
from okrkit.services.tiles import Tile, tiles

__all__ = [
    "CarryOver",
    "CreateObjective",
    "EditObjective",
    "ObjectiveEditor",
    "ObjectivePage",
    "ObjectiveState",
    "ObjectiveSummary",
    "ScoreObjective",
    "Scored",
    "activate_objective",
    "advice",
    "carry_over",
    "check_activation",
    "check_objective",
    "create_objective",
    "edit_objective",
    "get_objective",
    "judge_objectives",
    "keep_summaries",
    "keep_summaries_after",
    "list_objectives",
    "objective_editor",
    "objective_page",
    "objective_record",
    "objective_state",
    "score_key_results",
    "score_leftovers",
    "score_objective",
    "seen_state",
    "summarize_objectives",
]

_log = logging.getLogger(__name__)


# --- Judging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judged:
    """What every judgement of an objective says as of now: its progress (the weighted
    mean of its key results that are not guardrails), its pace, which guardrails were
    breached, and whether a key result is due a check-in."""

    stored: StoredObjective
    team_name: str
    progress: float
    pace: Pace
    breached: tuple[str, ...]
    check_in_due: bool

    @property
    def guardrail_breached(self) -> bool:
        return bool(self.breached)

    @property
    def key(self) -> str:
        return self.stored.objective.key


@dataclass(frozen=True)
class ObjectiveState(_Judged):
    """An objective judged as of now, each of its key results with it. `private_parent`:
    it aligns to a private objective the reader may not see (so it names no parent)."""

    cycle: StoredCycle
    key_results: tuple[KeyResultState, ...]
    private_parent: bool = False


def seen_state(state: ObjectiveState, hidden: Sight) -> ObjectiveState:
    """An objective judged, as one reader may see it (`hidden`: what they may not): a
    private parent, North Star KPI or KPI feeding a key result is named nowhere in it
    (`seen_objective`, `seen_key_result`); its progress and pace stand as judged."""
    if not (hidden.hidden_kpis or hidden.hidden_objectives):
        return state
    parent = state.stored.objective.parent
    return replace(
        state,
        stored=seen_objective(state.stored, hidden),
        key_results=tuple(seen_key_result(s, hidden) for s in state.key_results),
        private_parent=parent is not None and not hidden.objective(parent.objective),
    )


def _basis(
    states: Sequence[KeyResultState], cycle: StoredCycle
) -> tuple[float | None, int | None, tuple[date, ...]]:
    """What an objective's pace rests on besides its progress and the clock: the
    weighted progress its key results' forecasts reach at the deadline (when every one
    that counts has a forecast, or is done step by step), the fewest points of one that
    counts (None: none counts), and their deadlines."""
    counted = [s for s in states if not s.key_result.definition.guardrail]
    if not counted:
        return None, None, ()
    forecast_progress: float | None = None
    if all(s.forecast.forecast is not None or s.pace is None for s in counted):
        at_deadline = [
            s.key_result.definition.view(
                s.forecast.forecast if s.forecast.forecast is not None else s.current
            )
            for s in counted
        ]
        forecast_progress = objective_progress(at_deadline).progress
    deadlines = tuple(s.key_result.definition.deadline or cycle.cycle.end for s in counted)
    return forecast_progress, min(len(s.series) for s in counted), deadlines


def _objective_pace(
    kind: ObjectiveType,
    cycle: StoredCycle,
    progress_now: float,
    basis: tuple[float | None, int | None, tuple[date, ...]],
    now: datetime,
) -> Pace:
    """An objective's pace is judged as a key result's is (`domain.pace`), on the
    objective's progress: with three check-ins on every key result that counts, on the
    weighted progress their forecasts reach at the deadline; otherwise on its progress
    now (`progress_now`) against the share of the cycle elapsed, up to the latest
    deadline (`basis`, from `_basis`). Not started when no key result counts."""
    forecast_progress, fewest, deadlines = basis
    if fewest is None:
        return Pace.NOT_STARTED
    return pace(
        progress=progress_now,
        forecast_progress=forecast_progress,
        checkins=fewest,
        cycle_start=cycle.cycle.start,
        deadline=max(deadlines),
        today=now.date(),
        objective_type=kind,
    )


def judge_objectives(
    uow: UnitOfWork,
    objectives: Sequence[StoredObjective],
    cycles: Mapping[str, StoredCycle],
    now: datetime,
) -> list[ObjectiveState]:
    """Judge many objectives at once inside the caller's unit of work: their key results
    in one query, then `judge_key_results`; their teams' names in one more."""
    keys = [o.objective.key for o in objectives]
    wanted = {o.objective.team for o in objectives}
    team_names = {t.key: t.name for t in uow.teams.names(archived=True, keys=wanted)}
    key_results = uow.key_results.of(keys)
    owners = [(o, cycles[o.objective.cycle]) for o in objectives]
    states = judge_key_results(uow, owners, key_results, now)
    judged = []
    for objective, cycle in owners:
        own = tuple(states[kr.id] for kr in key_results[objective.objective.key])
        views = [s.key_result.definition.view(s.current) for s in own]
        summary = objective_progress(views)
        judged.append(
            ObjectiveState(
                stored=objective,
                cycle=cycle,
                team_name=team_names.get(objective.objective.team, objective.objective.team),
                key_results=own,
                progress=summary.progress,
                pace=_objective_pace(
                    objective.objective.type, cycle, summary.progress, _basis(own, cycle), now
                ),
                breached=summary.breached,
                check_in_due=any(s.check_in_due for s in own),
            )
        )
    return judged


@dataclass(frozen=True)
class ObjectiveSummary(_Judged):
    """An objective as a cycle's overview shows it, judged as of now: what every
    judgement says, the progress expected by now and how many key results it has — from
    its kept summary when that is current, else judged afresh (the same rules either
    way)."""

    key_result_count: int
    expected: float | None


def _kept(state: ObjectiveState, stamp: str) -> KeptSummary:
    """The part of a judged objective that does not depend on the clock."""
    forecast_progress, fewest, deadlines = _basis(state.key_results, state.cycle)
    return KeptSummary(
        stamp=stamp,
        key_results=len(state.key_results),
        progress=state.progress,
        forecast_progress=forecast_progress,
        fewest_points=fewest,
        deadlines=deadlines,
        breached=state.breached,
        last_check_ins=tuple(
            s.last_check_in.at if s.last_check_in is not None else None for s in state.key_results
        ),
    )


def _summary(
    stored: StoredObjective, cycle: StoredCycle, team_name: str, kept: KeptSummary, now: datetime
) -> ObjectiveSummary:
    """A kept summary judged as of now: pace, what was expected by now, check-ins due."""
    basis = (kept.forecast_progress, kept.fewest_points, kept.deadlines)
    expected = [expected_progress(cycle.cycle.start, d, now.date()) for d in kept.deadlines]
    return ObjectiveSummary(
        stored=stored,
        team_name=team_name,
        key_result_count=kept.key_results,
        progress=kept.progress,
        expected=min(expected) if expected else None,
        pace=_objective_pace(stored.objective.type, cycle, kept.progress, basis, now),
        breached=kept.breached,
        check_in_due=any(due_a_check_in(stored, cycle, at, now) for at in kept.last_check_ins),
    )


def summarize_objectives(
    uow: UnitOfWork,
    objectives: Sequence[StoredObjective],
    cycles: Mapping[str, StoredCycle],
    now: datetime,
) -> list[ObjectiveSummary]:
    """Many objectives as a cycle's overview shows them, inside the caller's unit of
    work: each from its kept summary when what it was judged on is unchanged (its
    stamp, read first), the others judged afresh (not kept: a read writes nothing)."""
    keys = [o.objective.key for o in objectives]
    stamps = uow.objectives.stamps(keys)
    kept = {
        key: summary
        for key, summary in uow.objectives.summaries(keys).items()
        if summary.stamp == stamps.get(key)
    }
    stale = [o for o in objectives if o.objective.key not in kept]
    for state in judge_objectives(uow, stale, cycles, now) if stale else ():
        kept[state.key] = _kept(state, stamps[state.key])
    wanted = {o.objective.team for o in objectives}
    names = {t.key: t.name for t in uow.teams.names(archived=True, keys=wanted)}
    return [
        _summary(
            o,
            cycles[o.objective.cycle],
            names.get(o.objective.team, o.objective.team),
            kept[o.objective.key],
            now,
        )
        for o in objectives
    ]


def keep_summaries(
    uow: UnitOfWork, keys: Sequence[str] | None, now: datetime, *, chunk: int = 500
) -> int:
    """Judge objectives (of `keys`, or every one) and keep their summaries, `chunk` at a
    time, each in a transaction of its own (a long refresh never holds a write lock for
    long); return how many were kept. What each was judged on is read before it is
    judged, so a summary never claims a newer stamp than its judgement."""
    if keys is None:
        with uow:
            listed, _ = uow.objectives.list(ObjectiveQuery())
        keys = [o.objective.key for o in listed]
    done = 0
    for first in range(0, len(keys), chunk):
        with uow:
            part = keys[first : first + chunk]
            stamps = uow.objectives.stamps(part)
            found, _ = uow.objectives.list(ObjectiveQuery(keys=part))
            states = judge_objectives(uow, found, _cycles(uow), now)
            uow.objectives.keep_summaries({s.key: _kept(s, stamps[s.key]) for s in states})
            uow.commit()
        done += len(states)
    return done


def keep_summaries_after(uow: UnitOfWork, keys: Sequence[str], now: datetime) -> None:
    """Keep the summaries of objectives a committed write has just changed, in a
    transaction of its own. A failure here never fails that write (it is on record): the
    summaries stay stale, and the overview judges those objectives afresh until the next
    write keeps them."""
    try:
        keep_summaries(uow, keys, now)
    except Exception:  # a read model's refresh, logged; the write it follows stands
        _log.warning("could not keep the summaries of %s", ", ".join(keys), exc_info=True)


def _cycles(uow: UnitOfWork) -> dict[str, StoredCycle]:
    return {c.cycle.name: c for c in uow.cycles.list()}


def _state(uow: UnitOfWork, objective: StoredObjective, now: datetime) -> ObjectiveState:
    return judge_objectives(uow, [objective], _cycles(uow), now)[0]


def objective_state(uow: UnitOfWork, key: str, now: datetime, *, viewer: Actor) -> ObjectiveState:
    """One objective judged as of now (inside the caller's unit of work), as `viewer`
    may see it; a private one they may not see is not found."""
    objective = uow.objectives.get(key)
    require_objective_sight(viewer, objective)
    return seen_state(_state(uow, objective, now), sight(uow, viewer))


def _findings(
    objective: Objective,
    cycle: StoredCycle,
    status: ObjectiveStatus,
    definitions: Sequence[KeyResultDefinition],
    context: LintContext,
    *,
    score: float | None = None,
    ids: Sequence[int] | None = None,
) -> list[Finding]:
    """The linter's findings on one objective and its key results (`domain.lint`), as
    the workspace's lint finds them (`services.lint.objective_findings`): the
    objective at its page's address, each key result at its own once stored (`ids`)."""
    objective_address = f"/objectives/{objective.key}"
    spec = ObjectiveSpec.of(
        objective,
        cycle.cycle,
        status=status,
        score=score,
        key_results=tuple(
            KeyResultSpec.of(
                d, location=Location.page(f"/key-results/{ids[i]}" if ids else objective_address)
            )
            for i, d in enumerate(definitions)
        ),
        location=Location.page(objective_address),
    )
    return objective_findings(spec, cycle.state, context)


def advice(state: ObjectiveState, context: LintContext) -> list[Finding]:
    """The linter's advice on one objective and its key results (`domain.lint`), with
    the workspace's teams and settings (`services.lint.lint_context`)."""
    return _findings(
        state.stored.objective,
        state.cycle,
        state.stored.status,
        [s.key_result.definition for s in state.key_results],
        context,
        score=state.stored.score,
        ids=[s.key_result.id for s in state.key_results],
    )


# --- Writing ------------------------------------------------------------------------------


def _check_parent(
    uow: UnitOfWork, objective: Objective, cycle: StoredCycle, viewer: Actor, kept: bool
) -> None:
    parent = objective.parent
    if parent is None:
        return
    if parent.objective == objective.key:
        raise InvalidInput(f"objective {objective.key!r} cannot align to itself", field="parent")
    try:
        above = uow.objectives.get(parent.objective)
        if not kept:  # a new parent is one they may see; the one it had stays
            require_objective_sight(viewer, above)
    except NotFound:
        raise InvalidInput(
            f"no objective {parent.objective!r} to align to", field="parent"
        ) from None
    span = uow.cycles.get(above.objective.cycle).cycle
    if not (span.start <= cycle.cycle.start and cycle.cycle.end <= span.end):
        raise InvalidInput(
            f"objective {parent.objective!r} is in cycle {span.name}, which does not enclose "
            f"{cycle.cycle.name}: align to an objective of the same or an enclosing cycle",
            field="parent",
        )
    if parent.key_result is not None:
        owned = {kr.id for kr in uow.key_results.of([parent.objective])[parent.objective]}
        if parent.key_result not in owned:
            raise InvalidInput(
                f"key result {parent.key_result} is not one of objective {parent.objective!r}'s",
                field="parent",
            )
    check_alignment(objective.key, parent, uow.objectives.alignments())


def check_objective(
    uow: UnitOfWork,
    objective: Objective,
    cycle: StoredCycle,
    *,
    viewer: Actor,
    before: Objective | None = None,
) -> None:
    """An objective's definition checked against the workspace, inside the caller's unit
    of work: its key's shape, a title, its team and North Star KPI exist, and what it
    aligns to (`_check_parent`). A North Star or parent that is a private thing `viewer`
    may not see does not exist for them — unless it is the one the objective had
    (`before`): their form never showed it, and it stays."""
    check_key(objective.key)
    if not objective.title.strip():
        raise InvalidInput("an objective needs a title", field="title")
    if not uow.teams.exists(objective.team):
        raise InvalidInput(f"no team {objective.team!r}", field="team")
    star = objective.north_star
    changed = before is None or star != before.north_star
    if star is not None and (
        not uow.kpis.existing([star]) or (changed and hidden_kpi(uow, viewer, star))
    ):
        raise InvalidInput(f"no KPI {star!r}", field="north_star")
    kept = before is not None and objective.parent == before.parent
    _check_parent(uow, objective, cycle, viewer, kept)


@dataclass(frozen=True)
class CreateObjective:
    """Add an objective with its key results (in the order given). A person's new
    objective is active; a proposal waiting for a person is a draft."""

    objective: Objective
    key_results: tuple[KeyResultDefinition, ...] = ()
    status: ObjectiveStatus = ObjectiveStatus.ACTIVE


def create_objective(
    uow: UnitOfWork, command: CreateObjective, who: Actor, now: datetime
) -> ObjectiveState:
    """Create an objective and its key results in one transaction: its key is unique,
    its cycle exists and is not closed, its team and North Star KPI exist, what it aligns
    to is in the same or an enclosing cycle; each key result is checked against the
    cycle (errors name the key result: `key_results[1].target`). Returns it judged as
    of now, its key results with their ids."""
    who.require_edit(
        command.objective.team, f"add an objective to the team {command.objective.team!r}"
    )
    actor = who.name
    if command.status not in (ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE):
        raise InvalidInput("a new objective is a draft or active", field="status")
    with uow:
        objective = command.objective
        check_key(objective.key)
        if uow.objectives.exists(objective.key):
            raise Conflict(f"objective {objective.key!r} already exists")
        try:
            cycle = uow.cycles.get(objective.cycle)
        except NotFound:
            raise InvalidInput(f"no cycle {objective.cycle!r}", field="cycle") from None
        if cycle.state == CycleState.CLOSED:
            raise InvalidInput(f"cycle {objective.cycle} is closed", field="cycle")
        check_objective(uow, objective, cycle, viewer=who)
        checked = []
        for i, definition in enumerate(command.key_results):
            try:
                checked.append(checked_key_result(uow, definition, cycle))
                if hidden_kpi(uow, who, definition.kpi):
                    raise InvalidInput(f"no KPI {definition.kpi!r}", field="kpi")
            except InvalidInput as error:
                raise InvalidInput(
                    error.message, field=f"key_results[{i}].{error.field or 'title'}"
                ) from None
        stored = uow.objectives.add(objective, command.status, None, actor, now)
        uow.audit.append(
            actor=actor, action="create", entity="objective", key=objective.key,
            before=None, after=objective_record(stored), at=now,
        )  # fmt: skip
        for definition in checked:
            append_key_result(uow, objective.key, definition, actor, now)
        state = judge_objectives(uow, [stored], _cycles(uow), now)[0]
        uow.commit()
    return state


@dataclass(frozen=True)
class EditObjective:
    """Change an objective seen at `version`: `changes` names the fields it changes
    (checked by `domain.fields.changes_from_data`)."""

    key: str
    version: int
    changes: Mapping[str, Any] = field(default_factory=dict)


def edit_objective(
    uow: UnitOfWork, command: EditObjective, who: Actor, now: datetime
) -> StoredObjective:
    """Edit an objective's definition if nobody changed it meanwhile; a scored or closed
    objective is on record and cannot change."""
    actor = who.name
    with uow:
        before = uow.objectives.get(command.key)
        require_objective_edit(who, before, f"change the objective {command.key!r}")
        if before.status in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED):
            raise Conflict(f"objective {command.key!r} is {before.status}: it is on record")
        objective = replace(before.objective, **_kept_hidden(uow, who, before, command.changes))
        if objective.team != before.objective.team:
            who.require_edit(
                objective.team, f"move the objective {command.key!r} to the team {objective.team!r}"
            )
        cycle = uow.cycles.get(objective.cycle)
        check_objective(uow, objective, cycle, viewer=who, before=before.objective)
        after = uow.objectives.update(
            command.key, command.version, replace(before, objective=objective), actor, now
        )
        uow.audit.append(
            actor=actor, action="edit", entity="objective", key=command.key,
            before=objective_record(before), after=objective_record(after), at=now,
        )  # fmt: skip
        hidden = sight(uow, who)
        uow.commit()
        # Answered as they may see it: a private parent or North Star is not named.
    return seen_objective(after, hidden)


def _kept_hidden(
    uow: UnitOfWork, who: Actor, before: StoredObjective, changes: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The changes of an edit, but for a parent or North Star KPI `who` may not see
    that they would clear: their form never showed it (`seen_objective`), so it stays."""
    o = before.objective
    kept = dict(changes)
    if "parent" in kept and kept["parent"] is None and o.parent is not None:
        hidden = sight(uow, who)
        if not hidden.objective(o.parent.objective):
            del kept["parent"]
    if "north_star" in kept and kept["north_star"] is None and hidden_kpi(uow, who, o.north_star):
        del kept["north_star"]
    return kept


def activate_objective(
    uow: UnitOfWork, key: str, version: int, who: Actor, now: datetime
) -> StoredObjective:
    """A person makes a draft objective active (nothing is activated without one). A
    draft a yellow KPI's unresolved alert proposed is accepted on its alert, with the
    hypothesis it needs."""
    actor = who.name
    with uow:
        before = uow.objectives.get(key)
        require_objective_edit(who, before, f"activate the objective {key!r}")
        status = check_activation(uow, before, viewer=who)
        after = uow.objectives.update(key, version, replace(before, status=status), actor, now)
        uow.audit.append(
            actor=actor, action="activate", entity="objective", key=key,
            before=objective_record(before), after=objective_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return after


def check_activation(uow: UnitOfWork, before: StoredObjective, *, viewer: Actor) -> ObjectiveStatus:
    """The status a draft moves to when a person activates it (inside the caller's unit
    of work): active — but a draft a yellow KPI's unresolved alert proposed is accepted
    on its alert, with the hypothesis it needs (the alert named only to `viewer` who may
    see its KPI)."""
    key = before.objective.key
    status = before.moved_to(ObjectiveStatus.ACTIVE)
    proposed = uow.alerts.of_objectives([key]).get(key)
    if (
        proposed is not None
        and proposed.unresolved
        and proposed.alert.level is AlertLevel.YELLOW
        and not before.objective.description.startswith("Hypothesis: ")
    ):
        if hidden_kpi(uow, viewer, proposed.alert.kpi):
            raise InvalidInput(
                f"objective {key!r} was proposed by an alert on a private KPI: its team "
                "accepts it there, with the hypothesis it needs",
                field="status",
            )
        raise InvalidInput(
            f"objective {key!r} was proposed by alert {proposed.id}: accept it there "
            f"(/alerts/{proposed.id}) with the hypothesis it needs",
            field="status",
        )
    return status


# --- Scoring and closing -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoreObjective:
    """Score an objective seen at `version`: a score per key result id where a person
    changes the proposed one (each with a reason), the retrospective, and whether to
    close it now."""

    key: str
    version: int
    scores: Mapping[int, tuple[float, str]] = field(default_factory=dict)
    retrospective: str | None = None
    close: bool = False


@dataclass(frozen=True)
class Scored:
    """What scoring did: the objective as stored, its grade, each key result's score."""

    objective: StoredObjective
    grade: Grade
    key_results: tuple[StoredKeyResult, ...]


def score_key_results(
    uow: UnitOfWork,
    state: ObjectiveState,
    scores: Mapping[int, tuple[float, str]],
    actor: str,
    now: datetime,
) -> tuple[list[StoredKeyResult], float | None]:
    """Give every key result a score (the one a person chose, with a reason, or the one
    proposed from its progress) and its final value, inside the caller's transaction;
    return them and the objective's score (their weighted mean; none only for a
    learning objective without scored key results)."""
    own = {s.key_result.id: s for s in state.key_results}
    unknown = sorted(set(scores) - set(own))
    if unknown:
        raise InvalidInput(
            f"key result {unknown[0]} is not one of objective {state.key!r}'s", field="scores"
        )
    stored = []
    for kr_id, s in own.items():
        kr = s.key_result
        proposed = proposed_score(s.progress)
        score, reason = scores.get(
            kr_id, (kr.score if kr.score is not None else proposed, kr.score_reason)
        )
        where = f"scores.{kr_id}"
        if not isinstance(score, int | float) or not 0.0 <= float(score) <= 1.0:
            raise InvalidInput(f"score {score} is not between 0.0 and 1.0", field=where)
        reason = checked_note(reason)
        if round(float(score), 2) != proposed and not reason:
            raise InvalidInput(
                f"the score {float(score):g} differs from the {proposed:g} its progress proposes: "
                "say why in a reason",
                field=where,
            )
        after = replace(kr, score=float(score), score_reason=reason, final_value=s.current)
        if after != kr:
            after = uow.key_results.update(kr.id, kr.revision.version, after, actor, now)
            uow.audit.append(
                actor=actor, action="score", entity="key_result", key=str(kr.id),
                before=key_result_record(kr), after=key_result_record(after), at=now,
            )  # fmt: skip
        stored.append(after)
    total = objective_score(
        [(kr.score, kr.definition.weight, kr.definition.guardrail) for kr in stored]
    )
    if total is None and state.stored.objective.type != ObjectiveType.LEARNING:
        total = 0.0
    return stored, total


def score_objective(uow: UnitOfWork, command: ScoreObjective, who: Actor, now: datetime) -> Scored:
    """Score an objective: each key result's score is proposed from its progress and may
    be changed with a reason; the objective's score is their weighted mean (guardrails
    apart). Closing it asks for the retrospective where grading needs one: a committed
    objective under 1.0 explains why, a learning one says what was learned."""
    actor = who.name
    with uow:
        before = uow.objectives.get(command.key)
        require_objective_edit(who, before, f"score the objective {command.key!r}")
        if before.status == ObjectiveStatus.CLOSED:
            raise Conflict(f"objective {command.key!r} is already closed")
        if before.status == ObjectiveStatus.DRAFT:
            raise InvalidInput(
                f"objective {command.key!r} is a draft: activate it before scoring", field="status"
            )
        cycles = _cycles(uow)
        state = judge_objectives(uow, [before], cycles, now)[0]
        krs, score = score_key_results(uow, state, command.scores, actor, now)
        retrospective = (
            before.retrospective
            if command.retrospective is None
            else checked_note(command.retrospective)
        )
        kind = before.objective.type
        if command.close:
            problem = closing_problem(score, kind, retrospective)
            if problem is not None:
                raise InvalidInput(problem, field="retrospective")
        status = ObjectiveStatus.CLOSED if command.close else ObjectiveStatus.SCORED
        after = uow.objectives.update(
            command.key,
            command.version,
            replace(before, status=status, score=score, retrospective=retrospective),
            actor,
            now,
        )
        uow.audit.append(
            actor=actor, action="close" if command.close else "score", entity="objective",
            key=command.key, before=objective_record(before), after=objective_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return Scored(after, grade(score, kind, retrospective), tuple(krs))


def score_leftovers(
    uow: UnitOfWork, cycle: StoredCycle, actor: str, now: datetime
) -> list[StoredObjective]:
    """Score every active objective of a closing cycle with its proposed scores, inside
    the caller's transaction (the cycle's close); drafts nobody activated stay drafts."""
    objectives, _ = uow.objectives.list(
        ObjectiveQuery(cycle=cycle.cycle.name, status=ObjectiveStatus.ACTIVE.value)
    )
    cycles = _cycles(uow)
    scored = []
    for state in judge_objectives(uow, objectives, cycles, now):
        _, score = score_key_results(uow, state, {}, actor, now)
        after = uow.objectives.update(
            state.key,
            state.stored.revision.version,
            replace(state.stored, status=ObjectiveStatus.SCORED, score=score),
            actor,
            now,
        )
        uow.audit.append(
            actor=actor, action="score", entity="objective", key=state.key,
            before=objective_record(state.stored), after=objective_record(after), at=now,
        )  # fmt: skip
        scored.append(after)
    return scored


# --- Carrying over ------------------------------------------------------------------------


@dataclass(frozen=True)
class CarryOver:
    """Copy an unfinished objective into another cycle (the next one unless named) with
    the key results chosen (all unless named), under a new key (the old one and the
    cycle's name unless given)."""

    key: str
    cycle: str | None = None
    key_results: tuple[int, ...] | None = None
    new_key: str | None = None


def carry_over(uow: UnitOfWork, command: CarryOver, who: Actor, now: datetime) -> StoredObjective:
    """Carry an unfinished objective into the next cycle: a copy in that cycle, linked
    back to the original, with the chosen key results each starting where it ended
    (its final value, or its current one) and due at the new cycle's end."""
    actor = who.name
    with uow:
        original = uow.objectives.get(command.key)
        require_objective_edit(who, original, f"carry over the objective {command.key!r}")
        state = _state(uow, original, now)
        name = command.cycle or next_cycle(state.cycle.cycle).name
        try:
            target_cycle = uow.cycles.get(name)
        except NotFound:
            raise InvalidInput(f"no cycle {name!r}: add it first", field="cycle") from None
        if target_cycle.state == CycleState.CLOSED:
            raise InvalidInput(f"cycle {name} is closed", field="cycle")
        if target_cycle.cycle.name == state.cycle.cycle.name:
            raise InvalidInput("carry an objective into another cycle", field="cycle")
        new_key = command.new_key or f"{command.key}-{name.lower()}"[:MAX_KEY_LENGTH]
        check_key(new_key, field="new_key")
        if uow.objectives.exists(new_key):
            raise Conflict(f"objective {new_key!r} already exists: give another key")
        chosen = state.key_results
        if command.key_results is not None:
            own = {s.key_result.id: s for s in state.key_results}
            unknown = [i for i in command.key_results if i not in own]
            if unknown:
                raise InvalidInput(
                    f"key result {unknown[0]} is not one of objective {command.key!r}'s",
                    field="key_results",
                )
            chosen = tuple(own[i] for i in command.key_results)
        copy = replace(original.objective, key=new_key, cycle=name)
        try:
            _check_parent(uow, copy, target_cycle, who, True)
        except InvalidInput:
            # The parent stays in its own cycle: the copy aligns anew once the next
            # cycle's parent exists.
            copy = replace(copy, parent=None)
        check_objective(uow, copy, target_cycle, viewer=who, before=original.objective)
        definitions = []
        for s in chosen:
            d = s.key_result.definition
            ended = s.key_result.final_value if s.key_result.final_value is not None else s.current
            start = d.start if ended is None or d.guardrail else ended
            moved = replace(d, start=start, deadline=None)
            if moved.start == moved.target and not d.guardrail:
                continue  # already reached: nothing left to carry
            definitions.append(checked_key_result(uow, moved, target_cycle))
        stored = uow.objectives.add(copy, ObjectiveStatus.ACTIVE, command.key, actor, now)
        uow.audit.append(
            actor=actor, action="carry over", entity="objective", key=new_key,
            before=None, after=objective_record(stored), at=now,
        )  # fmt: skip
        for definition in definitions:
            append_key_result(uow, new_key, definition, actor, now)
        uow.commit()
    return stored


# --- An objective's page -------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectivePage:
    """Everything an objective's page shows: the objective judged as of now; each key
    result's initiatives and check-ins (oldest first); the tiles of the KPIs that feed
    it (and its North Star); what it aligns to and what aligns to it; where it was
    carried from and to; its grade once scored; the linter's advice; and the
    workspace's cycles (where it may be carried). What aligns to it and where it was
    carried are those its reader may see; `state.private_parent` says it aligns to a
    private objective they may not; `private_aligned`, how many private objectives they
    may not see align to it (as the alignment tree counts them)."""

    state: ObjectiveState
    initiatives: Mapping[int, tuple[StoredInitiative, ...]]
    history: Mapping[int, tuple[CheckIn, ...]]
    kpis: Mapping[str, Tile]
    parent: StoredObjective | None
    parent_key_result: StoredKeyResult | None
    aligned: tuple[StoredObjective, ...]
    carried_to: tuple[StoredObjective, ...]
    grade: Grade | None
    advice: tuple[Finding, ...]
    cycles: tuple[StoredCycle, ...] = ()
    private_aligned: int = 0


def objective_page(uow: UnitOfWork, key: str, now: datetime, *, viewer: Actor) -> ObjectivePage:
    """An objective's page as `viewer` may see it, in a fixed number of queries however
    many key results, check-ins or initiatives it has. A private objective they may not
    see is not found; in one they see, a private objective or KPI it names (its parent,
    what aligns to it, its North Star, a KPI feeding a key result) is not named."""
    with uow:
        found = uow.objectives.get(key)
        require_objective_sight(viewer, found)
        hidden = sight(uow, viewer)
        judged = _state(uow, found, now)
        state = seen_state(judged, hidden)
        ids = [s.key_result.id for s in state.key_results]
        work = uow.initiatives.of(ids)
        history = uow.check_ins.of(ids)
        linked = sorted(
            {s.key_result.definition.kpi for s in state.key_results if s.key_result.definition.kpi}
            | ({state.stored.objective.north_star} if state.stored.objective.north_star else set())
        )
        kpi_tiles = (
            {t.stored.kpi.key: t for t in tiles(uow, uow.kpis.list(keys=linked), now)}
            if linked
            else {}
        )
        parent = parent_kr = None
        alignment = state.stored.objective.parent
        if alignment is not None and uow.objectives.exists(alignment.objective):
            parent = uow.objectives.get(alignment.objective)
            if alignment.key_result is not None:
                found_krs = uow.key_results.of([alignment.objective])[alignment.objective]
                parent_kr = next((kr for kr in found_krs if kr.id == alignment.key_result), None)
        below = uow.objectives.aligned_to(key)
        seen = seen_by(viewer)
        aligned, _ = (
            uow.objectives.list(ObjectiveQuery(keys=below, seen_by=seen)) if below else ([], 0)
        )
        carried, _ = uow.objectives.list(ObjectiveQuery(carried_from=key, seen_by=seen))
        unseen = [k for k in below if not hidden.objective(k)]
        private_aligned = uow.objectives.list(ObjectiveQuery(keys=unseen))[1] if unseen else 0
        cycles = tuple(uow.cycles.list())
        context = lint_context(uow)
    stored = state.stored
    graded = None
    if stored.status in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED):
        graded = grade(stored.score, stored.objective.type, stored.retrospective)
    return ObjectivePage(
        state=state,
        initiatives={i: tuple(work[i]) for i in ids},
        history={i: tuple(history[i]) for i in ids},
        kpis=kpi_tiles,
        parent=None if parent is None else seen_objective(parent, hidden),
        parent_key_result=parent_kr,
        aligned=tuple(seen_objective(a, hidden) for a in aligned),
        carried_to=tuple(seen_objective(c, hidden) for c in carried),
        grade=graded,
        # Judged on the objective as it is: the advice names none of what is hidden.
        advice=tuple(advice(judged, context)),
        cycles=cycles,
        private_aligned=private_aligned,
    )


def get_objective(uow: UnitOfWork, key: str, now: datetime, *, viewer: Actor) -> ObjectiveState:
    """One objective judged as of now (the API's resource), as `viewer` may see it; a
    private one they may not see is not found."""
    with uow:
        return objective_state(uow, key, now, viewer=viewer)


def list_objectives(
    uow: UnitOfWork,
    query: ObjectiveQuery,
    now: datetime,
    *,
    viewer: Actor,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[ObjectiveState], int]:
    """A page of the objectives `viewer` may see, judged as of now, and how many of
    them the query holds (a private objective of a team they are not in is neither
    listed nor counted)."""
    if offset < 0:
        raise InvalidInput("the offset is not a count", field="offset")
    if not 1 <= limit <= 200:
        raise InvalidInput("a page holds 1 to 200 objectives", field="limit")
    with uow:
        seen = replace(query, seen_by=seen_by(viewer))
        page, total = uow.objectives.list(seen, offset=offset, limit=limit)
        cycles = _cycles(uow)
        hidden = sight(uow, viewer)
        judged = judge_objectives(uow, page, cycles, now)
    return [seen_state(s, hidden) for s in judged], total


# --- The objective forms --------------------------------------------------------------------

# The objectives a form offers to align to: enough for any cycle a person plans by hand,
# bounded so a cycle of thousands of objectives still gives a form of a sane size.
MAX_PARENT_CHOICES = 200


@dataclass(frozen=True)
class ObjectiveEditor:
    """What the objective forms show: the teams, the cycles still open, the KPIs (one may
    feed a key result; the North Star among them), and the objectives of the cycle (or
    an enclosing one) to align to, with their key results; to edit, the objective and
    its key results. With a draft — what a person has typed so far — the decision
    filter's verdict on its title ("KPI or OKR?") and the linter's advice on it.
    `private_parent`: the objective aligns to a private objective the reader may not see
    (shown as none; an edit keeps it)."""

    teams: tuple[StoredTeam, ...]
    cycles: tuple[StoredCycle, ...]
    kpis: tuple[StoredKpi, ...]
    cycle: StoredCycle | None
    parents: tuple[StoredObjective, ...]
    parent_key_results: Mapping[str, tuple[StoredKeyResult, ...]]
    stored: StoredObjective | None = None
    key_results: tuple[StoredKeyResult, ...] = ()
    verdict: Classification | None = None
    advice: tuple[Finding, ...] | None = None
    private_parent: bool = False


def objective_editor(
    uow: UnitOfWork,
    today: date,
    key: str | None = None,
    *,
    viewer: Actor,
    cycle: str | None = None,
    draft: Objective | None = None,
    key_results: Sequence[KeyResultDefinition] | None = None,
) -> ObjectiveEditor:
    """What the create form (for `cycle`, else the current one) or the edit form (of
    `key`) shows. A `draft` gets the decision filter's verdict on its title and the
    linter's advice on it with `key_results` (the stored ones when editing and none are
    given) — the advice a person sees as they write, before anything is saved. A
    fixed number of queries: the objectives to align to are at most
    `MAX_PARENT_CHOICES`. Everything offered is what `viewer` may see: a private
    objective they may not see is not found, nor offered to align to; nor is a private
    KPI, and a private parent or KPI the objective names is not shown."""
    with uow:
        stored = uow.objectives.get(key) if key is not None else None
        if stored is not None:
            require_objective_sight(viewer, stored)
        hidden = sight(uow, viewer)
        seen = seen_by(viewer)
        own = tuple(uow.key_results.of([key])[key]) if key is not None else ()
        every = uow.cycles.list()
        name = draft.cycle if draft is not None else stored.objective.cycle if stored else cycle
        chosen = next((c for c in every if c.cycle.name == name), None)
        if chosen is None and name is None:
            chosen = current_cycle([c for c in every if c.state != CycleState.CLOSED], today)
        parents: list[StoredObjective] = []
        if chosen is not None:
            span = chosen.cycle
            for c in sorted(every, key=lambda c: (c.cycle.end - c.cycle.start, c.cycle.name)):
                if c.cycle.start <= span.start and span.end <= c.cycle.end:
                    room = MAX_PARENT_CHOICES - len(parents)
                    if room > 0:
                        found, _ = uow.objectives.list(
                            ObjectiveQuery(cycle=c.cycle.name, seen_by=seen), limit=room + 1
                        )
                        parents += [o for o in found if o.objective.key != key][:room]
        below = uow.key_results.of([o.objective.key for o in parents]) if parents else {}
        teams = tuple(uow.teams.list())
        kpis = tuple(k for k in uow.kpis.list() if viewer.sees(k.kpi.team, k.kpi.private))
        context = lint_context(uow) if draft is not None else None
    verdict = None
    found_advice = None
    if draft is not None:
        if draft.title.strip():
            verdict = classify(draft.title)
        if chosen is not None and context is not None:
            definitions = key_results if key_results is not None else [kr.definition for kr in own]
            status = stored.status if stored is not None else ObjectiveStatus.ACTIVE
            found_advice = tuple(_findings(draft, chosen, status, definitions, context))
    return ObjectiveEditor(
        teams=teams,
        cycles=tuple(c for c in every if c.state != CycleState.CLOSED or c is chosen),
        kpis=kpis,
        cycle=chosen,
        parents=tuple(seen_objective(p, hidden) for p in parents),
        parent_key_results={k: tuple(v) for k, v in below.items()},
        stored=None if stored is None else seen_objective(stored, hidden),
        key_results=tuple(seen_stored(kr, hidden) for kr in own),
        private_parent=(
            stored is not None
            and stored.objective.parent is not None
            and not hidden.objective(stored.objective.parent.objective)
        ),
        verdict=verdict,
        advice=found_advice,
    )

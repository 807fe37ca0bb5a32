"""Key result use cases: where a key result is heading and whether it is on pace, and
adding, editing and recalibrating the key results of the workspace.

`judge_key_results` judges the key results of many objectives at once — progress,
expected progress, forecast with its 95 % interval and probability, pace, guardrails,
check-in due, confidence trend — in a fixed number of queries and one vectorised fit.
`forecast_key_result` answers the weekly check-in question — will we get there by the
deadline? — from the check-ins so far: the progress now, the least-squares forecast at
the deadline with its 95 % prediction interval and the probability of reaching the
target, the progress expected by now, and the pace verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from okrkit.domain.access import Actor, Sight
from okrkit.domain.cadence import as_utc
from okrkit.domain.check_ins import NO_CHECK_IN, CheckIn, CheckInTrail, check_in_due
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.fields import data_of
from okrkit.domain.forecast import (
    MIN_CHECKINS,
    Forecast,
    days,
    days_of,
    forecast,
    forecast_batch,
)
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.initiatives import StoredInitiative
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult, validate_key_result
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.domain.pace import Pace, expected_progress, pace
from okrkit.domain.progress import KeyResultType, guardrail_breached, numeric_progress, progress
from okrkit.domain.values import Series
from okrkit.services.access import require_objective_edit, require_objective_sight, sight
from okrkit.services.ports import UnitOfWork

__all__ = [
    "AddKeyResult",
    "EditKeyResult",
    "KeyResultEditor",
    "KeyResultForecast",
    "KeyResultPlan",
    "KeyResultState",
    "KeyResultView",
    "add_key_result",
    "append_key_result",
    "check_open",
    "checked_key_result",
    "default_cycle_start",
    "due_a_check_in",
    "edit_key_result",
    "forecast_key_result",
    "judge_key_results",
    "key_result_editor",
    "key_result_record",
    "key_result_view",
    "hidden_kpi",
    "seen_key_result",
    "seen_objective",
    "seen_stored",
]


@dataclass(frozen=True)
class KeyResultPlan:
    """What a numeric key result promised: from `start` to `target` by `deadline`."""

    start: float
    target: float
    deadline: date
    cycle_start: date | None = None
    objective_type: ObjectiveType = ObjectiveType.ASPIRATIONAL


@dataclass(frozen=True)
class KeyResultForecast:
    """A key result's trajectory: the read model behind a check-in page."""

    forecast: Forecast
    current: float
    progress: float
    forecast_progress: float | None
    expected_progress: float
    pace: Pace
    cycle_start: date
    deadline: date


def default_cycle_start(deadline: date, first_check_in: date) -> date:
    """Without a declared cycle: the start of the calendar quarter the deadline is in,
    or the first check-in when that came earlier (a cycle holds all its check-ins)."""
    quarter_start = date(deadline.year, 3 * ((deadline.month - 1) // 3) + 1, 1)
    return min(quarter_start, first_check_in)


def forecast_key_result(check_ins: Series, plan: KeyResultPlan, today: date) -> KeyResultForecast:
    """Forecast a numeric key result from its check-ins (value over time) as of today.

    Progress is the latest check-in's; the forecast is taken at the deadline; the pace
    follows docs/rules.md ("Pace"): with three or more check-ins it is judged on the forecast, with
    fewer on progress against the share of the cycle elapsed.
    """
    if not len(check_ins):
        raise InvalidInput("no check-ins", field="value")
    if plan.target == plan.start:
        raise InvalidInput(
            "the target equals the start: there is nothing to change", field="--target"
        )
    times: list[datetime] = [t.item() for t in check_ins.timestamps.astype("datetime64[s]")]
    cycle_start = plan.cycle_start or default_cycle_start(plan.deadline, times[0].date())
    if plan.deadline <= cycle_start:
        raise InvalidInput(
            f"the deadline {plan.deadline} is not after the cycle start {cycle_start}",
            field="--deadline",
        )
    result = forecast(
        times,
        check_ins.values.tolist(),
        deadline=plan.deadline,
        start=plan.start,
        target=plan.target,
    )
    current = float(check_ins.values[-1])
    progress = numeric_progress(plan.start, plan.target, current)
    forecast_progress = (
        None
        if result.forecast is None
        else numeric_progress(plan.start, plan.target, result.forecast)
    )
    return KeyResultForecast(
        forecast=result,
        current=current,
        progress=progress,
        forecast_progress=forecast_progress,
        expected_progress=expected_progress(cycle_start, plan.deadline, today),
        pace=pace(
            progress=progress,
            forecast_progress=forecast_progress,
            checkins=len(check_ins),
            cycle_start=cycle_start,
            deadline=plan.deadline,
            today=today,
            objective_type=plan.objective_type,
        ),
        cycle_start=cycle_start,
        deadline=plan.deadline,
    )


# --- Key results of the workspace: judged in batches, added, edited, recalibrated -------


@dataclass(frozen=True)
class KeyResultState:
    """A key result as the pages and the API show it, judged as of now.

    `series` is what its progress and forecast are computed on: its check-ins' values,
    or for a key result fed by a KPI the KPI's values in the cycle (`points`, the same
    as (moment, value) pairs). `current` is the newest of them (a KPI's newest value);
    `check_in_count` how many check-ins it has and `last_check_in` the newest (the
    whole history is read where it is shown). `forecast_progress` is the progress the
    forecast reaches at the deadline; `pace` is None for a guardrail (it holds or is
    breached: `breached`). `confidence` is the newest confidence given and
    `confidence_trend` how it moved since the one before ("up", "down", "steady"; None
    before two). `private_kpi`: it is fed by a private KPI the reader may not see, so
    its definition names no KPI (its values still come from that KPI).
    """

    key_result: StoredKeyResult
    series: Series
    check_in_count: int
    last_check_in: CheckIn | None
    current: float | None
    progress: float
    expected_progress: float
    forecast: Forecast
    forecast_progress: float | None
    pace: Pace | None
    breached: bool
    check_in_due: bool
    confidence: float | None
    confidence_trend: str | None
    private_kpi: bool = False

    @property
    def guardrail_breached(self) -> bool:
        """The same question an objective answers, asked of one key result."""
        return self.breached

    @property
    def points(self) -> tuple[tuple[datetime, float], ...]:
        """`series` as (moment, value) pairs, oldest first."""
        moments = self.series.timestamps.astype("datetime64[s]").tolist()
        return tuple(zip(moments, self.series.values.tolist(), strict=True))


def seen_objective(stored: StoredObjective, hidden: Sight) -> StoredObjective:
    """An objective as one reader may see it: what it aligns to, its North Star KPI and
    the objective it was carried from are left out when they are private things the
    reader may not see (the objective itself they do see)."""
    o = stored.objective
    parent = None if o.parent is not None and not hidden.objective(o.parent.objective) else o.parent
    star = o.north_star if hidden.kpi(o.north_star) else None
    carried = stored.carried_from if hidden.objective(stored.carried_from) else None
    if (parent, star, carried) == (o.parent, o.north_star, stored.carried_from):
        return stored
    seen = replace(o, parent=parent, north_star=star)
    return replace(stored, objective=seen, carried_from=carried)


def hidden_kpi(uow: UnitOfWork, who: Actor, kpi: str | None) -> bool:
    """Whether `kpi` names a private KPI `who` may not see (one query, none for an admin
    or no KPI): a key result or objective they write may not name it, and one that
    names it keeps it when their form, which never showed it, sends none."""
    if kpi is None or who.admin:
        return False
    found = uow.kpis.list(keys={kpi}, archived=True)
    return any(not who.sees(k.kpi.team, k.kpi.private) for k in found)


def seen_stored(kr: StoredKeyResult, hidden: Sight) -> StoredKeyResult:
    """A key result as stored, as one reader may see it: fed by a private KPI they may
    not see, it names no KPI — neither key nor name."""
    if hidden.kpi(kr.definition.kpi):
        return kr
    return replace(kr, definition=replace(kr.definition, kpi=None))


def seen_key_result(state: KeyResultState, hidden: Sight) -> KeyResultState:
    """A key result judged, as one reader may see it: fed by a private KPI they may not
    see, it stays (its progress is its objective's), but names no KPI (`seen_stored`)
    and says `private_kpi`."""
    if hidden.kpi(state.key_result.definition.kpi):
        return state
    return replace(state, key_result=seen_stored(state.key_result, hidden), private_kpi=True)


def _confidence_trend(given: Sequence[float]) -> tuple[float | None, str | None]:
    if not given:
        return None, None
    if len(given) == 1:
        return given[-1], None
    change = given[-1] - given[-2]
    return given[-1], "up" if change > 0 else "down" if change < 0 else "steady"


def judge_key_results(
    uow: UnitOfWork,
    owners: Sequence[tuple[StoredObjective, StoredCycle]],
    key_results: Mapping[str, Sequence[StoredKeyResult]],
    now: datetime,
    trails: Mapping[int, CheckInTrail] | None = None,
) -> dict[int, KeyResultState]:
    """Judge the key results of many objectives at once, inside the caller's unit of
    work: their check-ins in two queries, the KPIs that feed some in two, and every
    forecast in one vectorised pass (`forecast_batch`) — never a query or a fit per key
    result. `owners` are the objectives with their cycles; `key_results` each
    objective's key results; `trails` the check-ins of those the caller already holds
    (a check-in about to be written, judged with it before the write)."""
    today = now.date()
    context = {o.objective.key: (o, c) for o, c in owners}
    flat = [kr for key in context for kr in key_results.get(key, ())]
    given = trails or {}
    trails = {**uow.check_ins.trails([kr.id for kr in flat if kr.id not in given]), **given}
    ranges: dict[str, tuple[datetime, datetime | None]] = {}
    for kr in flat:
        kpi = kr.definition.kpi
        if kpi is None:
            continue
        cycle = context[kr.objective][1].cycle
        start, end = as_utc(cycle.start), as_utc(_deadline(kr, cycle) + timedelta(days=1))
        if kpi in ranges:
            known_start, known_end = ranges[kpi]
            start, end = min(start, known_start), max(end, known_end or end)
        ranges[kpi] = (start, end)
    kpi_values = uow.values.totals_between(ranges) if ranges else {}
    newest = uow.values.latest(ranges) if ranges else {}

    points: list[Series] = []
    for kr in flat:
        kpi = kr.definition.kpi
        if kpi is None:
            points.append(trails[kr.id].series)
            continue
        cycle = context[kr.objective][1].cycle
        first = np.datetime64(as_utc(cycle.start), "s")
        last = np.datetime64(as_utc(_deadline(kr, cycle) + timedelta(days=1)), "s")
        series = kpi_values.get(kpi)
        if series is None:
            points.append(NO_CHECK_IN.series)
            continue
        moments = series.timestamps.astype("datetime64[s]")
        within = (moments >= first) & (moments < last)
        points.append(Series(moments[within], series.values[within].astype(np.float64)))

    forecasts = _forecasts(flat, points, context)
    states: dict[int, KeyResultState] = {}
    for i, kr in enumerate(flat):
        objective, stored_cycle = context[kr.objective]
        cycle = stored_cycle.cycle
        d = kr.definition
        own = points[i]
        if d.kpi is not None:
            current = newest[d.kpi][1] if d.kpi in newest else None
        else:
            current = float(own.values[-1]) if len(own) else None
        if kr.final_value is not None and stored_cycle.state == CycleState.CLOSED:
            current = kr.final_value
        view = d.view(current)
        progress_now = progress(view)
        deadline = _deadline(kr, cycle)
        expected = expected_progress(cycle.start, deadline, today)
        result = forecasts[i]
        forecast_progress = None
        if result.forecast is not None and not d.guardrail and d.type == KeyResultType.NUMERIC:
            assert d.start is not None
            assert d.target is not None
            forecast_progress = numeric_progress(d.start, d.target, result.forecast)
        breached = guardrail_breached(view)
        judged: Pace | None = None
        if not d.guardrail:
            judged = pace(
                progress=progress_now,
                forecast_progress=forecast_progress,
                checkins=len(own),
                cycle_start=cycle.start,
                deadline=deadline,
                today=today,
                objective_type=objective.objective.type,
            )
        trail = trails[kr.id]
        due = due_a_check_in(objective, stored_cycle, trail.last.at if trail.last else None, now)
        confidence, trend = _confidence_trend(trail.confidences)
        states[kr.id] = KeyResultState(
            key_result=kr,
            series=own,
            check_in_count=trail.count,
            last_check_in=trail.last,
            current=current,
            progress=progress_now,
            expected_progress=expected,
            forecast=result,
            forecast_progress=forecast_progress,
            pace=judged,
            breached=breached,
            check_in_due=due,
            confidence=confidence,
            confidence_trend=trend,
        )
    return states


def due_a_check_in(
    objective: StoredObjective, cycle: StoredCycle, last: datetime | None, now: datetime
) -> bool:
    """Whether a key result whose newest check-in was at `last` (None: none yet) is due
    one: its cycle is active and today falls in it, its objective is active, and the
    domain says a check-in is due (`check_in_due`)."""
    return (
        cycle.state == CycleState.ACTIVE
        and objective.status == ObjectiveStatus.ACTIVE
        and cycle.cycle.contains(now.date())
        and check_in_due(last, now)
    )


def _deadline(kr: StoredKeyResult, cycle: Cycle) -> date:
    return kr.definition.deadline or cycle.end


def _forecasts(
    flat: Sequence[StoredKeyResult],
    points: Sequence[Series],
    context: Mapping[str, tuple[StoredObjective, StoredCycle]],
) -> list[Forecast]:
    """Every numeric key result's forecast in one `forecast_batch` call; the others (a
    boolean, a milestone, a guardrail) say why they have none."""
    fit = [
        i
        for i, kr in enumerate(flat)
        if kr.definition.type == KeyResultType.NUMERIC
        and not kr.definition.guardrail
        and kr.definition.start != kr.definition.target
    ]
    width = max((len(points[i]) for i in fit), default=0)
    results: list[Forecast] = [
        Forecast(len(p), None, None, None, None, None, _no_forecast(kr, len(p)))
        for kr, p in zip(flat, points, strict=True)
    ]
    if not fit or width == 0:
        return results
    t = np.full((len(fit), width), np.nan)
    y = np.full((len(fit), width), np.nan)
    for row, i in enumerate(fit):
        own = points[i]
        t[row, : len(own)] = days_of(own.timestamps)
        y[row, : len(own)] = own.values
    deadline = np.array(
        [days(_deadline(flat[i], context[flat[i].objective][1].cycle)) for i in fit]
    )
    start = np.array([flat[i].definition.start for i in fit], dtype=np.float64)
    target = np.array([flat[i].definition.target for i in fit], dtype=np.float64)
    batch = forecast_batch(t, y, deadline, start, target)
    for row, i in enumerate(fit):
        n = int(batch.n[row])
        value = _optional(batch.forecast[row])
        results[i] = Forecast(
            n=n,
            slope_per_day=_optional(batch.slope_per_day[row]),
            forecast=value,
            lower=_optional(batch.lower[row]),
            upper=_optional(batch.upper[row]),
            probability=_optional(batch.probability[row]),
            reason=None if value is not None else _no_forecast(flat[i], n),
        )
    return results


def _no_forecast(kr: StoredKeyResult, n: int) -> str:
    d = kr.definition
    if d.guardrail:
        return "a guardrail is held, not forecast"
    if d.type != KeyResultType.NUMERIC:
        return f"a {d.type} key result is done step by step: there is no line to extend"
    if n < MIN_CHECKINS:
        are = "is" if n == 1 else "are"
        return f"a forecast needs at least {MIN_CHECKINS} check-ins; there {are} {n}"
    return "all check-ins are at the same moment: there is no trend to extend"


def _optional(value: np.float64) -> float | None:
    return None if math.isnan(value) else float(value)


def key_result_record(stored: StoredKeyResult) -> dict[str, Any]:
    """A key result as the audit log keeps it (JSON-ready)."""
    return {
        "objective": stored.objective,
        **data_of(stored.definition),
        "original_target": stored.original_target,
        "recalibration": stored.recalibration,
        "score": stored.score,
        "score_reason": stored.score_reason,
        "final_value": stored.final_value,
    }


def checked_key_result(
    uow: UnitOfWork, definition: KeyResultDefinition, cycle: StoredCycle
) -> KeyResultDefinition:
    """A key result's definition checked against its cycle and the workspace (its KPI
    exists), inside the caller's unit of work."""
    checked = validate_key_result(definition, cycle.cycle)
    if checked.kpi is not None and not uow.kpis.existing([checked.kpi]):
        raise InvalidInput(f"no KPI {checked.kpi!r}", field="kpi")
    return checked


@dataclass(frozen=True)
class AddKeyResult:
    """Add a key result to an objective."""

    objective: str
    definition: KeyResultDefinition


def add_key_result(
    uow: UnitOfWork, command: AddKeyResult, who: Actor, now: datetime
) -> StoredKeyResult:
    """Add a key result last in its objective; its objective's cycle must not be closed."""
    actor = who.name
    with uow:
        objective = uow.objectives.get(command.objective)
        require_objective_edit(who, objective, f"add a key result to {command.objective!r}")
        cycle = uow.cycles.get(objective.objective.cycle)
        check_open(cycle, objective)
        definition = checked_key_result(uow, command.definition, cycle)
        if hidden_kpi(uow, who, definition.kpi):
            raise InvalidInput(f"no KPI {definition.kpi!r}", field="kpi")
        stored = append_key_result(uow, command.objective, definition, actor, now)
        uow.commit()
    return stored


def append_key_result(
    uow: UnitOfWork, objective: str, definition: KeyResultDefinition, actor: str, now: datetime
) -> StoredKeyResult:
    """Store a checked key result last in its objective and audit it, inside the
    caller's transaction."""
    stored = uow.key_results.add(objective, definition, actor, now)
    uow.audit.append(
        actor=actor, action="create", entity="key_result", key=str(stored.id),
        before=None, after=key_result_record(stored), at=now,
    )  # fmt: skip
    return stored


@dataclass(frozen=True)
class EditKeyResult:
    """Change a key result seen at `version`. A new target while its cycle is active is a
    recalibration and needs a `reason`; the original target is kept."""

    id: int
    version: int
    changes: Mapping[str, Any]
    reason: str = ""


def edit_key_result(
    uow: UnitOfWork, command: EditKeyResult, who: Actor, now: datetime
) -> StoredKeyResult:
    """Edit a key result's definition (fields named in `changes`, already checked by
    `domain.fields`). Mid-cycle, a target change is a recalibration: it needs a reason,
    and the target the cycle started with is kept beside the new one."""
    actor = who.name
    with uow:
        before = uow.key_results.get(command.id)
        objective = uow.objectives.get(before.objective)
        require_objective_edit(
            who, objective, f"change key result {command.id}", f"no key result {command.id}"
        )
        cycle = uow.cycles.get(objective.objective.cycle)
        check_open(cycle, objective)
        changes = dict(command.changes)
        feeding, kept = changes.get("kpi", before.definition.kpi), before.definition.kpi
        if feeding != kept:
            if feeding is None and hidden_kpi(uow, who, kept):
                del changes["kpi"]  # a form that never showed the private KPI keeps it
            elif hidden_kpi(uow, who, feeding):
                raise InvalidInput(f"no KPI {feeding!r}", field="kpi")
        definition = checked_key_result(uow, replace(before.definition, **changes), cycle)
        after = replace(before, definition=definition)
        reason = command.reason.strip()
        if definition.target != before.definition.target and cycle.state == CycleState.ACTIVE:
            if not reason:
                raise InvalidInput(
                    "changing a target mid-cycle is a recalibration: say why in a reason",
                    field="reason",
                )
            original = before.original_target
            after = replace(
                after,
                original_target=before.definition.target if original is None else original,
                recalibration=reason,
            )
        stored = uow.key_results.update(command.id, command.version, after, actor, now)
        action = "recalibrate" if stored.recalibration != before.recalibration else "edit"
        uow.audit.append(
            actor=actor, action=action, entity="key_result", key=str(command.id),
            before=key_result_record(before), after=key_result_record(stored), at=now,
        )  # fmt: skip
        hidden = sight(uow, who)
        uow.commit()
        # Answered as they may see it: a private KPI feeding it is not named.
    return seen_stored(stored, hidden)


def check_open(cycle: StoredCycle, objective: StoredObjective) -> None:
    """A key result can be added or edited while its cycle is open and its objective
    not yet scored: afterwards it is on record."""
    if cycle.state == CycleState.CLOSED:
        raise Conflict(f"cycle {cycle.cycle.name} is closed: its key results are on record")
    if objective.status in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED):
        raise Conflict(
            f"objective {objective.objective.key!r} is {objective.status}: its key results "
            "are on record"
        )


@dataclass(frozen=True)
class KeyResultView:
    """One key result judged, with its objective, cycle, initiatives and its check-ins
    as written, oldest first."""

    state: KeyResultState
    objective: StoredObjective
    cycle: StoredCycle
    initiatives: tuple[StoredInitiative, ...]
    kpi_name: str | None = None
    check_ins: tuple[CheckIn, ...] = ()


def key_result_view(uow: UnitOfWork, id: int, now: datetime, *, viewer: Actor) -> KeyResultView:
    """A key result judged as of now, with its objective, cycle, initiatives and
    check-ins (and the name of the KPI that feeds it, if one does and `viewer` may see
    it). One under a private objective `viewer` may not see is not found ("no key
    result 12")."""
    with uow:
        kr = uow.key_results.get(id)
        objective = uow.objectives.get(kr.objective)
        require_objective_sight(viewer, objective, f"no key result {id}")
        hidden = sight(uow, viewer)
        cycle = uow.cycles.get(objective.objective.cycle)
        states = judge_key_results(uow, [(objective, cycle)], {kr.objective: [kr]}, now)
        work = uow.initiatives.of([id])[id]
        state = seen_key_result(states[id], hidden)
        kpi = state.key_result.definition.kpi
        kpi_name = uow.kpis.get(kpi).kpi.name if kpi is not None else None
        history = uow.check_ins.of([id])[id]
    return KeyResultView(
        state, seen_objective(objective, hidden), cycle, tuple(work), kpi_name, tuple(history)
    )


@dataclass(frozen=True)
class KeyResultEditor:
    """What a key result's form needs: its objective and cycle (the deadline lies in the
    cycle; a target changed while it is active needs a reason), the KPIs that could feed
    it, and, to edit, the key result as stored (with its version)."""

    objective: StoredObjective
    cycle: StoredCycle
    kpis: tuple[StoredKpi, ...]
    stored: StoredKeyResult | None = None


def key_result_editor(
    uow: UnitOfWork, *, viewer: Actor, objective: str | None = None, id: int | None = None
) -> KeyResultEditor:
    """The form's context for a new key result of `objective`, or to edit key result
    `id`; NotFound names the one that does not exist (or is under a private objective
    `viewer` may not see). The KPIs offered are those `viewer` may see; a stored key
    result fed by one they may not see names none."""
    with uow:
        stored = None if id is None else uow.key_results.get(id)
        key = stored.objective if stored is not None else objective
        if key is None:
            raise InvalidInput("name an objective or a key result", field="objective")
        owner = uow.objectives.get(key)
        require_objective_sight(viewer, owner, None if id is None else f"no key result {id}")
        hidden = sight(uow, viewer)
        cycle = uow.cycles.get(owner.objective.cycle)
        kpis = tuple(k for k in uow.kpis.list() if viewer.sees(k.kpi.team, k.kpi.private))
    seen = None if stored is None else seen_stored(stored, hidden)
    return KeyResultEditor(seen_objective(owner, hidden), cycle, kpis, seen)

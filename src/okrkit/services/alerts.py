"""Alerts: the bridge from a KPI that slips to the OKR that would lift it.

`raise_alerts` runs inside the transaction that judges KPIs anew (`tiles.keep_health`:
after every import, value typed in or deleted, definition edit and refresh), so an alert,
its draft objective and the notices to its subscribers (`uow.deliveries`, the outbox)
are written together or not at all. The rules are `domain.alerts.trigger`'s.

The use cases for people: list alerts (open, acknowledged, resolved; by team, KPI and
level), read one, acknowledge it, accept its draft — a person activates it, after
editing it if they wish; a yellow draft needs its hypothesis — or dismiss the draft with
a reason, and resolve an alert by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from okrkit.domain.access import Actor
from okrkit.domain.alerts import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertState,
    Escalate,
    Problem,
    Raise,
    Reading,
    Resolve,
    StoredAlert,
    draft_cycle,
    draft_key,
    draft_objective,
    green_for_a_period,
    key_result_target,
    trigger,
    with_hypothesis,
)
from okrkit.domain.cadence import longest_period
from okrkit.domain.cycles import StoredCycle
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.health import Direction, Status, status_reason
from okrkit.domain.key_results import StoredKeyResult
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.notifications import ChartData, Event, Notice
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective, objective_record
from okrkit.domain.phrasing import number, when
from okrkit.domain.quality import check_quality
from okrkit.domain.spc import Capability
from okrkit.domain.values import Series
from okrkit.services.access import require_kpi_edit, require_kpi_sight, seen_by
from okrkit.services.health import KpiCheck, describe_capability, judge_kpi
from okrkit.services.key_results import append_key_result, checked_key_result
from okrkit.services.ports import AlertQuery, UnitOfWork

__all__ = [
    "ACTOR",
    "AcceptDraft",
    "AlertList",
    "AlertPage",
    "AlertView",
    "accept_draft",
    "acknowledge_alert",
    "alert_counts",
    "alert_page",
    "dismiss_draft",
    "get_alert",
    "list_alerts",
    "proposing_alert",
    "raise_alerts",
    "resolve_alert",
]

# Who the audit log says wrote what the trigger wrote.
ACTOR = "okrkit"
# The newest periods whose data must be sound for a verdict to be trusted.
RECENT_PERIODS = 4
# Points of a KPI an e-mail's chart draws.
CHART_POINTS = 60


# --- The trigger, inside the judging transaction ----------------------------------------


def _bad_side(direction: Direction) -> str:
    return "down" if direction is Direction.HIGHER else "up"


def _broken(check: KpiCheck, cut: Series) -> str | None:
    """Why the newest periods' data can't be trusted (gaps, nulls, duplicates), or None."""
    cadence = check.cadence
    if cadence is None or len(cut) < 2:
        return None
    periods = cadence.period_index(cut.timestamps)
    recent = periods >= periods[-1] - (RECENT_PERIODS - 1)
    quality = check_quality(cut.timestamps[recent], cut.values[recent], cadence)
    return None if quality.ok else quality.describe()


def _reading(stored: StoredKpi, check: KpiCheck, cut: Series) -> Reading:
    kpi = stored.kpi
    base = {
        "kpi": kpi.key,
        "status": check.status,
        "value": check.latest_value,
        "value_at": check.latest_time,
    }
    if check.stale:
        return Reading(
            **base,  # type: ignore[arg-type]
            data_problem=(
                f"its newest value is from {when(check.latest_time)}: older than its "
                f"{kpi.cadence} cadence allows, so it is not trusted"
            ),
            data_kind=Problem.STALE,
        )
    broken = _broken(check, cut)
    if broken is not None:
        return Reading(**base, data_problem=broken, data_kind=Problem.BROKEN)  # type: ignore[arg-type]
    latest = check.xmr.latest_signal()
    signal = None
    if (
        latest is not None
        and latest.direction == _bad_side(kpi.direction)
        and latest.indices[-1] == len(cut) - 1
    ):
        signal = check.headline.removeprefix("Signal: ")
    green_enough = green_for_a_period(
        cut.timestamps, cut.values, kpi.thresholds, kpi.direction, longest_period(kpi.cadence)
    )
    return Reading(
        **base,  # type: ignore[arg-type]
        signal=signal,
        incapable=check.capability is Capability.INCAPABLE,
        capability=describe_capability(check) if kpi.thresholds is not None else "",
        green_for_a_period=green_enough,
    )


@dataclass
class _Trigger:
    """One run of the trigger over judged KPIs, inside the caller's transaction."""

    uow: UnitOfWork
    now: datetime
    notices: list[tuple[Notice, str, str]]
    team_names: dict[str, str]
    cycles: list[StoredCycle] | None = None

    def team_name(self, key: str) -> str:
        if key not in self.team_names:
            self.team_names[key] = self.uow.teams.get(key).team.name
        return self.team_names[key]

    def notice(
        self, event: Event, id: int, stored: StoredKpi, alert: Alert, summary: str,
        cut: Series | None, draft: StoredObjective | None = None,
    ) -> None:  # fmt: skip
        kpi = stored.kpi
        chart = None
        if cut is not None and len(cut):
            shown = slice(-CHART_POINTS, None)
            chart = ChartData(
                timestamps=tuple(cut.timestamps[shown].astype("datetime64[us]").tolist()),
                values=tuple(cut.values[shown].tolist()),
                unit=kpi.unit,
                green=None if kpi.thresholds is None else kpi.thresholds.green,
                red=None if kpi.thresholds is None else kpi.thresholds.red,
                target=kpi.target,
            )
        self.notices.append(
            (
                Notice(
                    message_id="",
                    event=event,
                    at=self.now,
                    alert_id=id,
                    kind=alert.kind.value,
                    level=alert.level.value,
                    kpi_key=kpi.key,
                    kpi_name=kpi.name,
                    team_key=kpi.team,
                    team_name=self.team_name(kpi.team),
                    status=alert.status.value,
                    status_words=_status_words(stored, alert),
                    value=alert.value,
                    value_text="" if alert.value is None else number(alert.value, kpi.unit),
                    value_at=alert.value_at,
                    problem=alert.problem.value,
                    reason=alert.reason,
                    summary=summary,
                    link=f"/alerts/{id}",
                    kpi_link=f"/kpis/{kpi.key}",
                    draft_objective=None if draft is None else draft.objective.key,
                    draft_title=None if draft is None else draft.objective.title,
                    chart=chart,
                ),
                kpi.key,
                kpi.team,
            )
        )

    def aimed(self, stored: StoredKpi, cycle: str) -> StoredObjective | None:
        """An objective of `cycle`, a draft or active, that already aims at the KPI
        through a key result it feeds: the alert links it instead of a new draft."""
        for kr in self.uow.key_results.feeding(stored.kpi.key):
            objective = self.uow.objectives.get(kr.objective)
            if objective.objective.cycle == cycle and objective.status in (
                ObjectiveStatus.DRAFT, ObjectiveStatus.ACTIVE,
            ):  # fmt: skip
                return objective
        return None

    def draft(
        self, stored: StoredKpi, alert: Alert, check: KpiCheck | None
    ) -> StoredObjective | None:
        """The objective an alert points at: one of the open cycle of today that already
        aims at the KPI, else a new draft there with its key result linked to the KPI;
        None without an open cycle (cycles are planned by people)."""
        uow, today = self.uow, self.now.date()
        if self.cycles is None:
            self.cycles = uow.cycles.list()
        cycle = draft_cycle(self.cycles, today)
        if cycle is None:
            return None
        aimed = self.aimed(stored, cycle.name)
        if aimed is not None:
            return aimed
        taken: list[str] = []
        key = draft_key(stored.kpi.key, today)
        while uow.objectives.exists(key):
            taken.append(key)
            key = draft_key(stored.kpi.key, today, taken)
        centre = None
        if check is not None and check.xmr.limits is not None:
            centre = check.xmr.limits.centre
        target = None if alert.value is None else key_result_target(stored.kpi, alert.value, centre)
        draft = draft_objective(stored.kpi, alert, key, cycle.name, target=target)
        objective = uow.objectives.add(
            draft.objective, ObjectiveStatus.DRAFT, None, ACTOR, self.now, urgent=draft.urgent
        )
        uow.audit.append(
            actor=ACTOR, action="draft", entity="objective", key=key, before=None,
            after=objective_record(objective), at=self.now,
        )  # fmt: skip
        if draft.key_result is not None:
            definition = checked_key_result(uow, draft.key_result, uow.cycles.get(cycle.name))
            append_key_result(uow, key, definition, ACTOR, self.now)
        return objective

    def urgent(self, key: str) -> None:
        """Mark a draft urgent (its KPI went red)."""
        before = self.uow.objectives.get(key)
        if before.status is not ObjectiveStatus.DRAFT or before.urgent:
            return
        after = self.uow.objectives.update(
            key, before.revision.version, replace(before, urgent=True), ACTOR, self.now
        )
        self.uow.audit.append(
            actor=ACTOR, action="urgent", entity="objective", key=key,
            before=objective_record(before), after=objective_record(after), at=self.now,
        )  # fmt: skip


def _status_words(stored: StoredKpi, alert: Alert) -> str:
    kpi = stored.kpi
    if alert.value is None:
        return f"{alert.status}: no value to judge"
    if kpi.thresholds is None:
        return f"{alert.status}: no thresholds set, newest value {number(alert.value, kpi.unit)}"
    stale = alert.kind is AlertKind.DATA and alert.problem is Problem.STALE
    why = status_reason(alert.value, kpi.thresholds, kpi.direction, alert.status, stale, kpi.unit)
    return f"{alert.status}: {why}"


def _audit(alert: Alert, state: AlertState, objective: str | None = None) -> dict[str, object]:
    return {
        "kpi": alert.kpi,
        "kind": alert.kind.value,
        "level": alert.level.value,
        "problem": alert.problem.value,
        "state": state.value,
        "status": alert.status.value,
        "value": alert.value,
        "objective": objective,
    }


def raise_alerts(
    uow: UnitOfWork,
    listed: Sequence[StoredKpi],
    checks: Mapping[str, tuple[KpiCheck, Series]],
    cant_judge: Mapping[str, str],
    now: datetime,
) -> int:
    """Open, escalate and resolve the alerts of KPIs just judged (`checks`: each one's
    check and the window it was judged on; `cant_judge`: why each of the others with
    values could not be), draft their objectives and write their notices to the outbox,
    inside the caller's transaction; return how many alerts moved."""
    keys = [s.kpi.key for s in listed if s.kpi.key in checks or s.kpi.key in cant_judge]
    if not keys:
        return 0
    unresolved = uow.alerts.unresolved(keys)
    run = _Trigger(uow, now, [], {})
    moved = 0
    for stored in listed:
        key = stored.kpi.key
        check: KpiCheck | None = None
        cut: Series | None = None
        if key in checks:
            check, cut = checks[key]
            reading = _reading(stored, check, cut)
        elif key in cant_judge:
            reading = Reading(
                kpi=key, status=Status.UNKNOWN, value=None, value_at=None,
                data_problem=f"it can't be judged: {cant_judge[key]}",
                data_kind=Problem.CANT_JUDGE,
            )  # fmt: skip
        else:
            continue
        for action in trigger(reading, unresolved.get(key, {})):
            moved += 1
            if isinstance(action, Raise):
                _open(run, stored, action.alert, check, cut)
            elif isinstance(action, Escalate):
                _escalate(run, stored, unresolved[key][AlertKind.STATUS], action.alert, cut)
            else:
                _resolve(run, stored, action, unresolved[key], cut)
    uow.deliveries.enqueue(run.notices, now)
    return moved


def _open(
    run: _Trigger, stored: StoredKpi, alert: Alert, check: KpiCheck | None, cut: Series | None
) -> None:
    uow, now, name = run.uow, run.now, stored.kpi.name
    id = uow.alerts.open(alert, now)
    draft = None
    if alert.kind is AlertKind.STATUS:
        draft = run.draft(stored, alert, check)
        if draft is not None:
            uow.alerts.link(id, draft.objective.key)
        if alert.problem is Problem.SIGNAL and alert.status is Status.GREEN:
            summary = f"{name} shows a signal in the wrong direction"
        else:
            summary = f"{name} turned {alert.status}"
        summary += f": {_status_words(stored, alert).split(': ', 1)[1]}"
    else:
        summary = f"{name}: its data can't be trusted — {alert.reason}"
    uow.audit.append(
        actor=ACTOR, action="raise", entity="alert", key=str(id), before=None,
        after=_audit(alert, AlertState.OPEN, None if draft is None else draft.objective.key),
        at=now,
    )  # fmt: skip
    run.notice(Event.OPENED, id, stored, alert, summary, cut, draft)


def _escalate(
    run: _Trigger, stored: StoredKpi, before: StoredAlert, alert: Alert, cut: Series | None
) -> None:
    uow, now = run.uow, run.now
    uow.alerts.escalate(before.id, alert, now)
    if before.objective is not None:
        run.urgent(before.objective)
    uow.audit.append(
        actor=ACTOR, action="escalate", entity="alert", key=str(before.id),
        before=_audit(before.alert, before.state, before.objective),
        after=_audit(alert, before.state, before.objective), at=now,
    )  # fmt: skip
    summary = f"{stored.kpi.name} turned red: {_status_words(stored, alert).split(': ', 1)[1]}"
    draft = None if before.objective is None else uow.objectives.get(before.objective)
    run.notice(Event.ESCALATED, before.id, stored, alert, summary, cut, draft)


def _resolve(
    run: _Trigger,
    stored: StoredKpi,
    action: Resolve,
    open_: Mapping[AlertKind, StoredAlert],
    cut: Series | None,
) -> None:
    uow, now = run.uow, run.now
    before = next(a for a in open_.values() if a.id == action.id)
    uow.alerts.resolve(action.id, now, None, action.reason)
    uow.audit.append(
        actor=ACTOR, action="resolve", entity="alert", key=str(action.id),
        before=_audit(before.alert, before.state, before.objective),
        after=_audit(before.alert, AlertState.RESOLVED, before.objective), at=now,
    )  # fmt: skip
    summary = f"{stored.kpi.name} is healthy again: {action.reason}"
    if before.alert.kind is AlertKind.DATA:
        summary = f"{stored.kpi.name}: {action.reason}"
    run.notice(Event.RESOLVED, action.id, stored, before.alert, summary, cut)


# --- The use cases for people -----------------------------------------------------------


@dataclass(frozen=True)
class AlertView:
    """An alert as a person reads it: the KPI's name and team, and its draft."""

    stored: StoredAlert
    kpi_name: str
    kpi_unit: str
    team: str
    draft: StoredObjective | None

    @property
    def value_text(self) -> str:
        value = self.stored.alert.value
        return "" if value is None else number(value, self.kpi_unit)


@dataclass(frozen=True)
class AlertList:
    """One page of alerts, how many match, and how many are in each state."""

    alerts: tuple[AlertView, ...]
    total: int
    counts: Mapping[AlertState, int]
    query: AlertQuery


def _views(uow: UnitOfWork, found: Sequence[StoredAlert], viewer: Actor) -> tuple[AlertView, ...]:
    """The alerts as `viewer` reads them (alerts they may see): a draft objective they
    may not see (a private objective of another team the alert links) is left out."""
    keys = list({a.alert.kpi for a in found})
    kpis = {s.kpi.key: s for s in uow.kpis.list(keys=keys, archived=True)}
    views = []
    for alert in found:
        kpi = kpis[alert.alert.kpi].kpi
        draft = None
        if alert.objective is not None:
            draft = uow.objectives.get(alert.objective)
            if not viewer.sees(draft.objective.team, draft.objective.private):
                draft = None
        views.append(AlertView(alert, kpi.name, kpi.unit, kpi.team, draft))
    return tuple(views)


def _seen(uow: UnitOfWork, id: int, viewer: Actor) -> tuple[StoredAlert, StoredKpi]:
    """An alert and its KPI; not found ("no alert 12") when there is none or when its
    KPI is private and `viewer` may not see it."""
    stored = uow.alerts.get(id)
    kpi = uow.kpis.get(stored.alert.kpi)
    require_kpi_sight(viewer, kpi, f"no alert {id}")
    return stored, kpi


def list_alerts(uow: UnitOfWork, query: AlertQuery, *, viewer: Actor) -> AlertList:
    """One page of the alerts `viewer` may see, newest first, with their KPIs and drafts;
    the counts by state count those only (an alert of a private KPI is its team's
    members' and admins')."""
    query = replace(query, seen_by=seen_by(viewer))
    with uow:
        if query.kpi is not None:
            require_kpi_sight(viewer, uow.kpis.get(query.kpi))
        if query.team is not None and not uow.teams.exists(query.team):
            raise InvalidInput(f"no team {query.team!r}", field="team")
        found, total = uow.alerts.list(query)
        counts = uow.alerts.counts(query.team, seen_by=query.seen_by)
        return AlertList(_views(uow, found, viewer), total, counts, query)


def get_alert(uow: UnitOfWork, id: int, *, viewer: Actor) -> AlertView:
    """One alert with its KPI and draft; NotFound names it (also an alert of a private
    KPI `viewer` may not see)."""
    with uow:
        stored, _ = _seen(uow, id, viewer)
        return _views(uow, [stored], viewer)[0]


def _require_edit(uow: UnitOfWork, who: Actor, alert: StoredAlert, what: str) -> None:
    """Refuse acting on an alert unless they may change its KPI."""
    kpi = uow.kpis.get(alert.alert.kpi)
    require_kpi_edit(who, kpi, what, f"no alert {alert.id}")


def _unresolved(alert: StoredAlert) -> None:
    if not alert.unresolved:
        raise Conflict(f"alert {alert.id} is resolved already")


def _by_a_person(
    uow: UnitOfWork, id: int, version: int, who: Actor, now: datetime, note: str, action: str
) -> AlertView:
    """A person acknowledges (`action` "acknowledge") or resolves ("resolve") an
    unresolved alert seen at `version`, with an optional note; audited."""
    note = note.strip()
    if len(note) > 2000:
        raise InvalidInput("a note is at most 2,000 characters", field="note")
    actor = who.name
    with uow:
        before = uow.alerts.get(id)
        _require_edit(uow, who, before, f"{action} alert {id}")
        _unresolved(before)
        move = uow.alerts.acknowledge if action == "acknowledge" else uow.alerts.close
        after = move(id, version, actor, now, note)
        uow.audit.append(
            actor=actor, action=action, entity="alert", key=str(id),
            before=_audit(before.alert, before.state, before.objective),
            after=_audit(after.alert, after.state, after.objective), at=now,
        )  # fmt: skip
        view = _views(uow, [after], who)[0]
        uow.commit()
    return view


def acknowledge_alert(
    uow: UnitOfWork, id: int, version: int, who: Actor, now: datetime, note: str = ""
) -> AlertView:
    """A person has seen the alert: it stays unresolved (so the KPI raises nothing new)
    but no longer waits for anyone."""
    return _by_a_person(uow, id, version, who, now, note, "acknowledge")


def resolve_alert(
    uow: UnitOfWork, id: int, version: int, who: Actor, now: datetime, note: str = ""
) -> AlertView:
    """A person resolves the alert (the next judgement raises a new one if the KPI is
    still unhealthy)."""
    return _by_a_person(uow, id, version, who, now, note, "resolve")


def _draft_of(uow: UnitOfWork, alert: StoredAlert) -> StoredObjective:
    if alert.objective is None:
        raise Conflict(f"alert {alert.id} has no draft objective")
    draft = uow.objectives.get(alert.objective)
    if draft.status is not ObjectiveStatus.DRAFT:
        raise Conflict(f"objective {alert.objective!r} is {draft.status}, no longer a draft")
    return draft


def dismiss_draft(
    uow: UnitOfWork, id: int, version: int, reason: str, who: Actor, now: datetime
) -> AlertView:
    """A person dismisses an alert's draft, saying why: the draft is removed (the audit
    log keeps it) and the alert is acknowledged with the reason."""
    actor = who.name
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the draft is dismissed", field="reason")
    if len(reason) > 2000:
        raise InvalidInput("a reason is at most 2,000 characters", field="reason")
    with uow:
        before = uow.alerts.get(id)
        _require_edit(uow, who, before, f"dismiss the draft of alert {id}")
        _unresolved(before)
        draft = _draft_of(uow, before)
        uow.audit.append(
            actor=actor, action="dismiss", entity="objective", key=draft.objective.key,
            before=objective_record(draft), after={"reason": reason}, at=now,
        )  # fmt: skip
        after = uow.alerts.acknowledge(id, version, actor, now, f"Draft dismissed: {reason}")
        uow.objectives.remove_draft(draft.objective.key)
        uow.audit.append(
            actor=actor, action="acknowledge", entity="alert", key=str(id),
            before=_audit(before.alert, before.state, before.objective),
            after=_audit(after.alert, after.state, None), at=now,
        )  # fmt: skip
        view = _views(uow, [uow.alerts.get(id)], who)[0]
        uow.commit()
    return view


@dataclass(frozen=True)
class AcceptDraft:
    """Accept an alert's draft seen at `version` (the alert's): the person may change
    its title, owner and description first; a yellow draft needs the `hypothesis`."""

    id: int
    version: int
    title: str | None = None
    owner: str | None = None
    hypothesis: str = ""


def accept_draft(
    uow: UnitOfWork, command: AcceptDraft, who: Actor, now: datetime
) -> StoredObjective:
    """A person accepts an alert's draft: edited as they say, activated, and the alert
    acknowledged — one transaction."""
    actor = who.name
    hypothesis = command.hypothesis.strip()
    with uow:
        alert = uow.alerts.get(command.id)
        _require_edit(uow, who, alert, f"accept the draft of alert {command.id}")
        _unresolved(alert)
        draft = _draft_of(uow, alert)
        if alert.alert.level is AlertLevel.YELLOW and not hypothesis:
            raise InvalidInput(
                "a yellow KPI's draft needs its hypothesis: what change do you believe will "
                "move it, and why?",
                field="hypothesis",
            )
        objective = draft.objective
        if command.title is not None:
            title = command.title.strip()
            if not title:
                raise InvalidInput("an objective needs a title", field="title")
            if len(title) > 200:
                raise InvalidInput("a title is at most 200 characters", field="title")
            objective = replace(objective, title=title)
        if command.owner is not None:
            objective = replace(objective, owner=command.owner.strip()[:254] or None)
        if hypothesis:
            if len(hypothesis) > 2000:
                raise InvalidInput("a hypothesis is at most 2,000 characters", field="hypothesis")
            objective = replace(
                objective, description=with_hypothesis(objective.description, hypothesis)
            )
        after = uow.objectives.update(
            objective.key,
            draft.revision.version,
            replace(draft, objective=objective, status=draft.moved_to(ObjectiveStatus.ACTIVE)),
            actor,
            now,
        )
        uow.audit.append(
            actor=actor, action="accept", entity="objective", key=objective.key,
            before=objective_record(draft), after=objective_record(after), at=now,
        )  # fmt: skip
        acknowledged = uow.alerts.acknowledge(
            command.id, command.version, actor, now, f"Draft accepted as {objective.key}"
        )
        uow.audit.append(
            actor=actor, action="acknowledge", entity="alert", key=str(command.id),
            before=_audit(alert.alert, alert.state, alert.objective),
            after=_audit(acknowledged.alert, acknowledged.state, acknowledged.objective), at=now,
        )  # fmt: skip
        uow.commit()
    return after


# --- Reads for the pages, the API and the CLI ------------------------------------------


@dataclass(frozen=True)
class AlertPage:
    """Everything an alert's page shows: the alert as a person reads it, its KPI and
    team, the KPI judged now (None without values or when its definition can't be
    judged), why the alert was raised in words (`status_words`), and its draft's key
    results."""

    view: AlertView
    kpi: StoredKpi
    team_name: str
    check: KpiCheck | None
    status_words: str
    key_results: tuple[StoredKeyResult, ...]


def _judged_now(uow: UnitOfWork, stored: StoredKpi, as_of: datetime) -> KpiCheck | None:
    """The KPI judged on its window as of `as_of`, as its dashboard tile is (its last
    `window_periods` periods, a locked baseline's limits); None without values or when
    its definition can't be judged."""
    kpi = stored.kpi
    if kpi.cadence.problem is not None:
        return None
    span = (stored.window_periods + 1) * longest_period(kpi.cadence)
    series = uow.values.windows({kpi.key: span}).get(kpi.key)
    if series is None or not len(series):
        return None
    locked = None
    if stored.baseline is not None:
        locked = uow.values.totals_between({kpi.key: stored.baseline}).get(kpi.key)
    try:
        return judge_kpi(kpi, series, as_of, stored.window_periods, locked)
    except InvalidInput:  # thresholds a direction forbids, written before the rule
        return None


def alert_page(uow: UnitOfWork, id: int, as_of: datetime, *, viewer: Actor) -> AlertPage:
    """One alert's page: the alert, its KPI judged as of now, its team and its draft
    objective's key results; NotFound names a missing alert (and one of a private KPI
    `viewer` may not see)."""
    with uow:
        stored, kpi = _seen(uow, id, viewer)
        view = _views(uow, [stored], viewer)[0]
        team_name = uow.teams.get(kpi.kpi.team).team.name
        key_results: tuple[StoredKeyResult, ...] = ()
        if view.draft is not None:
            key = view.draft.objective.key
            key_results = tuple(uow.key_results.of([key]).get(key, ()))
        check = _judged_now(uow, kpi, as_of)
    return AlertPage(view, kpi, team_name, check, _status_words(kpi, stored.alert), key_results)


def proposing_alert(uow: UnitOfWork, objective: str, *, viewer: Actor) -> AlertView | None:
    """The alert that proposed an objective (a draft an alert made, accepted or not),
    with its KPI; None for an objective a person wrote, and for one proposed by a
    private KPI `viewer` may not see."""
    with uow:
        found = uow.alerts.of_objectives([objective]).get(objective)
        if found is None:
            return None
        kpi = uow.kpis.get(found.alert.kpi).kpi
        if not viewer.sees(kpi.team, kpi.private):
            return None
        return _views(uow, [found], viewer)[0]


def alert_counts(
    uow: UnitOfWork, team: str | None = None, *, viewer: Actor
) -> Mapping[AlertState, int]:
    """How many alerts `viewer` may see are open, acknowledged and resolved (of one
    team's KPIs): the site's navigation shows the open ones."""
    with uow:
        counts = uow.alerts.counts(team, seen_by=seen_by(viewer))
    return {state: counts.get(state, 0) for state in AlertState}

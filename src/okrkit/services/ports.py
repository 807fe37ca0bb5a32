"""What services need from the outside world, as Protocols: the contract a store or a
source must meet.

Services never import adapters (the layers contract forbids it); the store and the
sources implement these shapes and `okrkit.bootstrap` hands the concrete unit of work to
the services. The contract speaks the domain: things are named by their keys, values
are domain objects, and moments are `datetime`s in UTC. Row ids, how a time is stored
(seconds since 1970) and how a kept tile is encoded never cross it.

Moments: okrkit keeps UTC moments as naive `datetime`s, as the domain does (NumPy's
`datetime64` carries no zone); a repository also takes an aware `datetime` and converts
it to UTC (`domain.cadence.as_utc`), and returns naive UTC.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from okrkit.domain.accounts import Account, Scope, StoredAccount, TokenInfo, TokenUse
from okrkit.domain.alerts import Alert, AlertKind, AlertLevel, AlertState, StoredAlert
from okrkit.domain.check_ins import CheckIn, CheckInTrail
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.initiatives import Initiative, StoredInitiative
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.notifications import Channel, DeliveryState, Event, Notice, Outcome
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus, StoredObjective
from okrkit.domain.quality import Quality
from okrkit.domain.teams import StoredTeam, Team
from okrkit.domain.trend import Trend
from okrkit.domain.values import Series
from okrkit.domain.versions import Revision

__all__ = [
    "AccountRepository",
    "AlertQuery",
    "AlertRepository",
    "AuditLog",
    "AuditQuery",
    "AuditRecord",
    "CheckInRepository",
    "CheckedValues",
    "ClaimedDelivery",
    "CycleRepository",
    "DeliveryLogEntry",
    "DeliveryRepository",
    "Sender",
    "StoredSubscription",
    "SubscriptionRepository",
    "ImportRecord",
    "ImportRepository",
    "PendingImport",
    "UndoneImport",
    "InitiativeRepository",
    "KeyResultRepository",
    "ObjectiveQuery",
    "ObjectiveRepository",
    "Passwords",
    "KeptSummary",
    "KeptTile",
    "KpiRepository",
    "KpiSpan",
    "SegmentLatest",
    "SettingsRepository",
    "StoredSettings",
    "TeamRepository",
    "TileRepository",
    "UnitOfWork",
    "ValueBatch",
    "ValueRepository",
    "ValueSource",
]


class TeamRepository(Protocol):
    """The workspace's teams, inside the unit of work's transaction."""

    def get(self, key: str) -> StoredTeam:
        """The team with this key, archived or not; `NotFound` ("no team 'x'") otherwise."""
        ...

    def exists(self, key: str) -> bool:
        """Whether a team, archived or not, has this key."""
        ...

    def list(self, *, archived: bool = False) -> list[StoredTeam]:
        """Every team by name (then key); archived teams only when `archived`."""
        ...

    def names(
        self,
        *,
        archived: bool = False,
        keys: Collection[str] | None = None,
        limit: int | None = None,
    ) -> tuple[Team, ...]:
        """Every team's key and name, by name (then key) — a light read for listings
        that only name teams; archived teams only when `archived`; only those with
        one of `keys` when given; the first `limit` when given."""
        ...

    def add(self, team: Team, parent: str | None, actor: str, now: datetime) -> StoredTeam:
        """Store a new team at version 1, changed by `actor` at `now`; return it."""
        ...

    def update(
        self, key: str, expected_version: int, new: StoredTeam, actor: str, now: datetime
    ) -> StoredTeam:
        """Write `new`'s name, parent and archived flag when the team is still at
        `expected_version`, bumping its version; else `Conflict` naming who changed it
        and when. Return the team as stored."""
        ...


class KpiRepository(Protocol):
    """The workspace's KPI definitions, inside the unit of work's transaction."""

    def get(self, key: str) -> StoredKpi:
        """The KPI with this key, archived or not; `NotFound` ("no KPI 'x'") otherwise."""
        ...

    def private_outside(self, teams_in: Collection[str]) -> set[str]:
        """The keys of the private KPIs (archived ones too) of teams not in `teams_in`."""
        ...

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` name a KPI of the workspace, archived or not (any number of
        keys; strings that are no key name none)."""
        ...

    def list(
        self,
        *,
        team: str | None = None,
        archived: bool = False,
        keys: Collection[str] | None = None,
    ) -> list[StoredKpi]:
        """KPIs — of one team, or those of `keys` — North Star first, then by name and
        key; archived ones only when `archived`."""
        ...

    def add(self, kpi: Kpi, actor: str, now: datetime) -> StoredKpi:
        """Store a new KPI of its team at version 1 (values version 0); `NotFound` when
        the team does not exist. Return it as stored."""
        ...

    def update(
        self, key: str, expected_version: int, new: StoredKpi, actor: str, now: datetime
    ) -> StoredKpi:
        """Write `new`'s definition (its team included), window, locked baseline and
        archived flag when the KPI is still at `expected_version`, bumping its version;
        `Conflict` naming who changed it and when otherwise, `NotFound` for a team that
        does not exist. Return the KPI as stored."""
        ...

    def touch_values(self, keys: Iterable[str]) -> None:
        """Count a write of those KPIs' values: their `values_version` goes up by one
        (their definitions' versions stay)."""
        ...


@dataclass(frozen=True)
class SegmentLatest:
    """A segment's newest value (at `latest_time`, UTC) and the value before it (None
    for a segment with a single value)."""

    segment: str
    latest: float
    latest_time: datetime
    previous: float | None


@dataclass(frozen=True)
class ValueBatch:
    """Valid rows of a value source as parallel columns, one entry per row.

    `kpi` is each row's KPI as a position in `kpis` (the keys, each once), so a million
    rows of a few KPIs carry a few keys rather than a million strings; `timestamps` are
    UTC, whole seconds; `segment` "" is the KPI's total.
    """

    kpis: tuple[str, ...]
    kpi: npt.NDArray[np.int64]
    segment: Sequence[str]
    timestamps: npt.NDArray[np.datetime64]
    value: npt.NDArray[np.float64]
    # Each row's place in its source (0-based), for naming it (`ValueSource.lines`).
    rows: npt.NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return len(self.timestamps)


class ValueRepository(Protocol):
    """KPI values, one per (KPI, segment, second), inside the unit of work's transaction.

    Every read is of a KPI's total (segment "") unless it names a segment; KPIs are named
    by key, and a key that names no KPI reads as a KPI without values.
    """

    def upsert(self, batch: ValueBatch, written_by: int | None = None) -> int:
        """Insert the batch's rows, replacing a stored value of the same KPI, segment and
        second when it differs (so writing the same rows twice changes nothing), each
        row set by the write `written_by` (`ImportRepository.start`); a replaced value is
        kept in the history. Return how many rows were inserted or changed."""
        ...

    def stored(self, batch: ValueBatch) -> npt.NDArray[np.float64]:
        """The values stored at the batch's rows (same KPI, segment, second); NaN for
        none."""
        ...

    def series(self, kpi: str, segment: str = "", since: datetime | None = None) -> Series:
        """One KPI's values of one segment from `since` (included) on, oldest first."""
        ...

    def windows(self, spans: Mapping[str, timedelta]) -> dict[str, Series]:
        """Each KPI's total over the `span` before (and including) its own newest value,
        oldest first; an empty series for a KPI without values. One query for hundreds
        of KPIs."""
        ...

    def totals_between(
        self, ranges: Mapping[str, tuple[datetime, datetime | None]]
    ) -> dict[str, Series]:
        """Each KPI's total between its own start and end (both included; no end: up to
        its newest value), oldest first; an empty series for a KPI without values."""
        ...

    def latest(self, kpis: Iterable[str]) -> dict[str, tuple[datetime, float]]:
        """The newest moment and value of each KPI's total (KPIs without values are
        left out), in one query."""
        ...

    def segments(self, kpi: str) -> list[str]:
        """The named segments a KPI has values for, in order."""
        ...

    def page(
        self, kpi: str, segment: str, offset: int, limit: int
    ) -> tuple[list[tuple[datetime, float]], int]:
        """`limit` values of one segment's series, newest first, skipping the `offset`
        newest; and how many values the series holds."""
        ...

    def segments_latest(self, kpi: str) -> list[SegmentLatest]:
        """Each named segment's newest value and the one before it, by segment (the
        total left out), in one query however many segments."""
        ...

    def segments_newest(self, kpis: Iterable[str]) -> dict[str, dict[str, datetime]]:
        """Each KPI's named segments' newest moments, by KPI and segment (KPIs without a
        named segment left out), in one query per few hundred KPIs."""
        ...


@dataclass(frozen=True)
class KeptTile:
    """A KPI's dashboard tile as judged once and kept (the health read model): all of
    it that does not depend on the clock, and what it was judged on — the KPI's
    definition `version` and `values_version` then.

    `latest_time` is UTC; `spark` is one value per cadence period (NaN for a period
    without values); `quality` the data quality of the window it was judged on.
    """

    version: int
    values_version: int
    latest_time: datetime
    latest_value: float
    trend: Trend
    verdict: str
    headline: str
    spark: tuple[float, ...]
    quality: Quality


class TileRepository(Protocol):
    """The kept tiles of the health read model, one per KPI, inside the unit of work's
    transaction. Whatever the store keeps of another layout (an older release's) reads
    as missing."""

    def get(self, kpis: Iterable[str]) -> dict[str, KeptTile]:
        """The kept tiles of those KPIs that have one, in one query."""
        ...

    def put(self, tiles: Mapping[str, KeptTile]) -> None:
        """Keep (or replace) those KPIs' tiles; two writers of one KPI's tile never
        collide (readers check what a tile was judged on)."""
        ...

    def forget(self, kpis: Iterable[str]) -> None:
        """Drop those KPIs' tiles (their definition or values changed)."""
        ...


@dataclass(frozen=True)
class AuditQuery:
    """Which audit entries to read: about one team (its key: the team, its KPIs, its
    objectives and everything under them), one kind of thing (`entity`: "kpi",
    "objective", "key_result" …) and one of them (`key`), by one person (`actor`); a page
    of `limit` entries older than the id `before` or newer than `after` (neither: the
    newest). For a reader who is not an admin: `seen_by` (the teams they are a member
    of) leaves out entries about other teams' private things, and `kinds` keeps the
    kinds of thing they may read (None: any)."""

    team: str | None = None
    entity: str | None = None
    key: str | None = None
    actor: str | None = None
    limit: int = 50
    before: int | None = None
    after: int | None = None
    seen_by: Collection[str] | None = None
    kinds: Collection[str] | None = None


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry as written (`action` of the `entity` with this `key`, by `actor`
    at `at`, its JSON state `before` and `after`), with what the workspace says about it
    now: the `team` it belongs to (None for what no team holds: a cycle, the settings),
    `private` (a private objective or KPI is, or was when it is gone, behind it), `exists`
    (the thing is still there), its `title` (a name or title, when it exists) and, for an
    initiative, the id of its key result (`key_result`)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    key: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    team: str | None
    private: bool
    exists: bool
    title: str | None = None
    key_result: int | None = None


class AuditLog(Protocol):
    """Who changed what when, appended in the transaction of the change."""

    def append(
        self,
        *,
        actor: str,
        action: str,
        entity: str,
        key: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        at: datetime,
    ) -> None:
        """Record one change: `action` ("create", "edit", "archive", "import", "load")
        of the `entity` ("team", "kpi", "workspace") with this `key`, its JSON-ready
        state `before` and `after` (None where there is none), by `actor` at `at`."""
        ...

    def history(self, entity: str, key: str) -> list[dict[str, Any]]:
        """One thing's entries, oldest first: each with `at`, `actor`, `action`,
        `entity`, `entity_key`, `before` and `after`."""
        ...

    def page(self, query: AuditQuery) -> list[AuditRecord]:
        """At most `query.limit` entries matching its filters, newest first (by id):
        older than `query.before`, or the oldest ones newer than `query.after`; each
        with the team it is about and whether a private objective is behind it."""
        ...


# --- The OKR side -----------------------------------------------------------------------


class CycleRepository(Protocol):
    """The workspace's OKR cycles, named by their names (`2026-Q3`)."""

    def get(self, name: str) -> StoredCycle:
        """The cycle with this name; `NotFound` ("no cycle 'x'") otherwise."""
        ...

    def list(self) -> list[StoredCycle]:
        """Every cycle, the latest to start first."""
        ...

    def add(self, cycle: Cycle, state: CycleState, actor: str, now: datetime) -> StoredCycle:
        """Store a new cycle at version 1; return it."""
        ...

    def update(
        self, name: str, expected_version: int, new: StoredCycle, actor: str, now: datetime
    ) -> StoredCycle:
        """Write `new`'s dates and state when the cycle is still at `expected_version`;
        else `Conflict` naming who changed it and when."""
        ...


@dataclass(frozen=True)
class ObjectiveQuery:
    """Which objectives a listing holds: of one cycle, team, owner, type or status, or
    those of `keys` (None: any); archived ones only when `archived`. With `seen_by` (the
    teams a reader is a member of), a private objective of another team is left out."""

    cycle: str | None = None
    team: str | None = None
    owner: str | None = None
    type: str | None = None
    status: str | None = None
    keys: Collection[str] | None = None
    carried_from: str | None = None
    archived: bool = False
    seen_by: Collection[str] | None = None


@dataclass(frozen=True)
class KeptSummary:
    """The part of an objective's judgement that does not depend on the clock, judged
    once and kept (the cycle overview's read model), and `stamp`, what it was judged on
    (`ObjectiveRepository.stamps`). `fewest_points` is the fewest points (check-ins, or
    a feeding KPI's values) of a key result that counts, None when none counts;
    `deadlines` are those key results' deadlines; `last_check_ins` the moment of each
    key result's newest check-in (None: none yet)."""

    stamp: str
    key_results: int
    progress: float
    forecast_progress: float | None
    fewest_points: int | None
    deadlines: tuple[date, ...]
    breached: tuple[str, ...]
    last_check_ins: tuple[datetime | None, ...]


class ObjectiveRepository(Protocol):
    """The workspace's objectives, named by their keys."""

    def stamps(self, keys: Collection[str]) -> dict[str, str]:
        """What each objective's judgement rests on now, as one text: its version, its
        cycle's, and each key result's id and version, its check-ins (how many, the
        newest's id) and the values version of the KPI feeding it. Equal texts, equal
        judgements but for the clock. In three queries."""
        ...

    def summaries(self, keys: Collection[str]) -> dict[str, KeptSummary]:
        """The kept summaries of those objectives that have one, in one query; one kept
        in another layout reads as missing."""
        ...

    def keep_summaries(self, summaries: Mapping[str, KeptSummary]) -> None:
        """Keep these summaries, replacing those kept before."""
        ...

    def get(self, key: str) -> StoredObjective:
        """The objective with this key; `NotFound` ("no objective 'x'") otherwise."""
        ...

    def private_outside(self, teams_in: Collection[str]) -> set[str]:
        """The keys of the private objectives (archived ones too) of teams not in
        `teams_in`."""
        ...

    def exists(self, key: str) -> bool:
        """Whether an objective has this key."""
        ...

    def list(
        self, query: ObjectiveQuery, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[StoredObjective], int]:
        """A page of the objectives the query holds — by team name, urgent drafts first
        within a team, then title and key — skipping `offset`, at most `limit`; and how
        many it holds in all."""
        ...

    def alignments(self, cycles: Collection[str] | None = None) -> dict[str, Alignment | None]:
        """What each objective (of those cycles, or all) aligns to, by key."""
        ...

    def owners(
        self, cycle: str, *, limit: int | None = None, seen_by: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Everyone who owns an objective of the cycle, sorted (the first `limit`
        when given); with `seen_by`, as `ObjectiveQuery` has it, of the objectives seen."""
        ...

    def aligned_to(self, key: str) -> tuple[str, ...]:
        """The keys of the objectives that align to this one (or to one of its key
        results), by key."""
        ...

    def add(
        self,
        objective: Objective,
        status: ObjectiveStatus,
        carried_from: str | None,
        actor: str,
        now: datetime,
        *,
        urgent: bool = False,
    ) -> StoredObjective:
        """Store a new objective at version 1; `NotFound` for a cycle or team that does
        not exist. Return it as stored."""
        ...

    def remove_draft(self, key: str) -> None:
        """Delete a draft objective and its key results (a dismissed proposal)."""
        ...

    def update(
        self, key: str, expected_version: int, new: StoredObjective, actor: str, now: datetime
    ) -> StoredObjective:
        """Write `new`'s definition (not its key or cycle), status, score, retrospective,
        urgent and archived flags when the objective is still at `expected_version`; else
        `Conflict`."""
        ...


class KeyResultRepository(Protocol):
    """Key results, named by their ids (their addresses, /key-results/12)."""

    def get(self, id: int) -> StoredKeyResult:
        """The key result with this id; `NotFound` ("no key result 12") otherwise."""
        ...

    def of(self, objectives: Collection[str]) -> dict[str, list[StoredKeyResult]]:
        """Each objective's key results, in their order (an objective without any maps
        to an empty list), in one query."""
        ...

    def owners(self, cycles: Collection[str], seen_by: Collection[str] | None = None) -> list[str]:
        """Everyone who owns a key result of those cycles, sorted; with `seen_by`, as
        `ObjectiveQuery` has it, of the objectives seen."""
        ...

    def owned_by(self, owner: str, cycles: Collection[str]) -> list[StoredKeyResult]:
        """The key results `owner` owns in those cycles, by objective and position."""
        ...

    def feeding(self, kpi: str) -> list[StoredKeyResult]:
        """The key results the KPI feeds, the newest first."""
        ...

    def add(
        self, objective: str, definition: KeyResultDefinition, actor: str, now: datetime
    ) -> StoredKeyResult:
        """Store a new key result last in its objective, at version 1; `NotFound` for an
        objective or KPI that does not exist."""
        ...

    def update(
        self, id: int, expected_version: int, new: StoredKeyResult, actor: str, now: datetime
    ) -> StoredKeyResult:
        """Write `new`'s definition, recalibration, score and final value when the key
        result is still at `expected_version`; else `Conflict`."""
        ...


class CheckInRepository(Protocol):
    """Check-ins, append-only: never updated, never deleted."""

    def append(self, key_result: int, check_in: CheckIn) -> None:
        """Add a check-in to a key result's history (two at one moment keep the order
        they were written in)."""
        ...

    def of(self, key_results: Collection[int]) -> dict[int, list[CheckIn]]:
        """Each key result's check-ins, oldest first (none: an empty list), in one query."""
        ...

    def trails(self, key_results: Collection[int]) -> dict[int, CheckInTrail]:
        """Each key result's check-ins as they are judged (`CheckInTrail`; none:
        `NO_CHECK_IN`), in two queries, without reading every note."""
        ...


class InitiativeRepository(Protocol):
    """The work under key results, named by ids."""

    def get(self, id: int) -> StoredInitiative:
        """The initiative with this id; `NotFound` ("no initiative 12") otherwise."""
        ...

    def of(self, key_results: Collection[int]) -> dict[int, list[StoredInitiative]]:
        """Each key result's initiatives, in the order they were added, in one query."""
        ...

    def add(
        self, key_result: int, initiative: Initiative, actor: str, now: datetime
    ) -> StoredInitiative:
        """Store a new initiative under a key result at version 1."""
        ...

    def update(
        self, id: int, expected_version: int, new: Initiative, actor: str, now: datetime
    ) -> StoredInitiative:
        """Write the initiative when it is still at `expected_version`; else `Conflict`."""
        ...


@dataclass(frozen=True)
class ImportRecord:
    """One write of KPI values as the store records it: an import (`kind` "file" or
    "rows"), a value typed in ("typed") or deleted ("deleted").

    `rows` counts the rows it held, `changed` those it inserted or changed (a row equal
    to the stored value changes nothing), `replaced` the values it replaced or deleted;
    `first` and `last` bound its times (naive UTC); `kpis` are the keys it touched.
    """

    id: int
    at: datetime
    actor: str
    kind: str
    source: str
    rows: int
    changed: int
    replaced: int
    first: datetime | None
    last: datetime | None
    kpis: tuple[str, ...]
    undone_at: datetime | None = None
    undone_by: str | None = None

    @property
    def added(self) -> int:
        """The values it added where there was none."""
        return max(self.changed - self.replaced, 0)


@dataclass(frozen=True)
class UndoneImport:
    """An import once undone: its record, the values it held that were removed, and
    the values it had replaced that were put back."""

    record: ImportRecord
    removed: int
    restored: int


@dataclass(frozen=True)
class PendingImport:
    """A file uploaded on a page and kept until its preview is confirmed."""

    token: str
    at: datetime
    actor: str
    kpi: str
    name: str


class ImportRepository(Protocol):
    """Every write of KPI values, recorded so that it can be listed and undone."""

    def start(self, kind: str, source: str, actor: str, at: datetime) -> int:
        """Record a write of values that begins; return its id."""
        ...

    def finish(
        self,
        import_id: int,
        *,
        rows: int,
        changed: int,
        first: datetime | None,
        last: datetime | None,
        per_kpi: Mapping[str, int],
    ) -> ImportRecord:
        """Complete the record with its counts and its rows per KPI key."""
        ...

    def record_deletion(self, import_id: int, kpi: str, segment: str, at: datetime) -> float | None:
        """Delete one value as the write `import_id`, kept in the history; return it (None:
        there was no value)."""
        ...

    def get(self, import_id: int) -> ImportRecord:
        """One write of values; `NotFound` otherwise."""
        ...

    def list(
        self,
        kpi: str | None = None,
        *,
        limit: int = 20,
        seen_by: Collection[str] | None = None,
    ) -> list[ImportRecord]:
        """The newest writes first, of one KPI or of all; with `seen_by` (the teams a
        reader is a member of), not those that touched other teams' private KPIs only."""
        ...

    def undo(self, import_id: int, actor: str, at: datetime) -> UndoneImport:
        """Remove the values it still holds and put back those it replaced."""
        ...

    def stash(self, pending: PendingImport, content: bytes, keep: timedelta) -> None:
        """Keep an uploaded file until it is confirmed (older ones than `keep` go)."""
        ...

    def kept(self, token: str) -> tuple[PendingImport, bytes] | None:
        """The file kept under `token`; None when there is none."""
        ...

    def drop(self, token: str) -> None:
        """Forget the file kept under `token`."""
        ...


@dataclass(frozen=True)
class AlertQuery:
    """Which alerts to list: in these states (all when empty), of one KPI or team, of
    one level; one page of them. With `seen_by` (the teams a reader is a member of),
    the alerts of another team's private KPI are left out."""

    states: Collection[AlertState] = ()
    kpi: str | None = None
    team: str | None = None
    level: AlertLevel | None = None
    limit: int = 50
    offset: int = 0
    seen_by: Collection[str] | None = None


class AlertRepository(Protocol):
    """Alerts (`domain.alerts`), by id; KPIs and objectives by key."""

    def get(self, id: int) -> StoredAlert:
        """The alert with this id; NotFound names it."""
        ...

    def unresolved(self, keys: Collection[str]) -> dict[str, dict[AlertKind, StoredAlert]]:
        """The unresolved alerts of these KPIs, by KPI and kind."""
        ...

    def open(self, alert: Alert, now: datetime) -> int:
        """Store a new open alert; its id."""
        ...

    def escalate(self, id: int, alert: Alert, now: datetime) -> None:
        """Say anew what an unresolved alert is (its level rose)."""
        ...

    def resolve(self, id: int, now: datetime, by: str | None, note: str) -> None:
        """Resolve an alert (`by` None: it resolved by itself)."""
        ...

    def link(self, id: int, objective: str) -> None:
        """Record the draft objective an alert proposed."""
        ...

    def acknowledge(
        self, id: int, expected_version: int, actor: str, now: datetime, note: str
    ) -> StoredAlert:
        """A person has seen it; a stale version is a conflict."""
        ...

    def close(
        self, id: int, expected_version: int, actor: str, now: datetime, note: str
    ) -> StoredAlert:
        """A person resolves it; a stale version is a conflict."""
        ...

    def record(
        self, id: int, opened_at: datetime, by: str, acknowledged_at: datetime, note: str
    ) -> None:
        """Give a loaded workspace's alert its history (opened, acknowledged by whom)."""
        ...

    def of_objectives(self, keys: Collection[str]) -> dict[str, StoredAlert]:
        """The alert that proposed each of these objectives (those drafted by one)."""
        ...

    def list(self, query: AlertQuery) -> tuple[list[StoredAlert], int]:
        """One page of alerts, newest first — red, then yellow, then data first when
        only unresolved states are asked for — and how many match in all."""
        ...

    def counts(
        self, team: str | None = None, *, seen_by: Collection[str] | None = None
    ) -> Mapping[AlertState, int]:
        """How many alerts are in each state (of one team's KPIs); with `seen_by`, not
        counting those of other teams' private KPIs."""
        ...


@dataclass(frozen=True)
class StoredSettings:
    """The workspace's settings document (TOML) as stored, and its revision."""

    document: str
    revision: Revision


class SettingsRepository(Protocol):
    """The workspace's settings: one document, versioned like every edit."""

    def get(self) -> StoredSettings | None:
        """The stored document, None before any was stored."""
        ...

    def put(
        self, document: str, expected_version: int | None, actor: str, now: datetime
    ) -> StoredSettings:
        """Store the document when the stored one is still at `expected_version` (0:
        none stored yet; None: whatever is stored), bumping its version; else
        `Conflict`. Return it as stored."""
        ...


@dataclass(frozen=True)
class StoredSubscription:
    """Who is told about alerts, and how, as the workspace keeps it.

    `team` and `kpi` are the keys it is limited to (both None: every alert); `secret`
    signs a webhook's messages (None for Slack and e-mail); `enabled` False once a
    person switched it off or its endpoint answered 410 Gone, `disabled_reason` says
    which in words. `last_state` and `last_at` are its newest delivery's state and
    moment (None before its first), read by the listing only.
    """

    id: int
    channel: Channel
    target: str
    team: str | None
    kpi: str | None
    secret: str | None
    enabled: bool
    disabled_reason: str
    revision: Revision
    created_at: datetime
    last_state: DeliveryState | None = None
    last_at: datetime | None = None


class SubscriptionRepository(Protocol):
    """Subscriptions, named by their ids (`/subscriptions/12`)."""

    def get(self, id: int) -> StoredSubscription:
        """The subscription with this id; `NotFound` ("no subscription 12") otherwise."""
        ...

    def list(self) -> list[StoredSubscription]:
        """Every subscription, oldest first, each with its newest delivery's state and
        moment, in one query."""
        ...

    def add(
        self,
        channel: Channel,
        target: str,
        secret: str | None,
        team: str | None,
        kpi: str | None,
        actor: str,
        now: datetime,
    ) -> StoredSubscription:
        """Store a new, enabled subscription at version 1 (`NotFound` for a team or KPI
        that does not exist); return it."""
        ...

    def switch(
        self,
        id: int,
        expected_version: int | None,
        enabled: bool,
        reason: str,
        actor: str,
        now: datetime,
    ) -> StoredSubscription:
        """Switch it on (its reason cleared) or off with `reason`, bumping its version,
        when it is still at `expected_version` (None: whatever its version, as okrkit
        itself does on a 410); else `Conflict`. Return it as stored."""
        ...

    def delete(self, id: int, expected_version: int) -> None:
        """Delete it and its deliveries when it is still at `expected_version`; else
        `Conflict` (`NotFound` when it does not exist)."""
        ...


@dataclass(frozen=True)
class ClaimedDelivery:
    """An outbox row a consumer has claimed: its notice, how many attempts it had
    before this one, the moment of the claim (what its result is written against) and
    its subscription as it is now."""

    id: int
    notice: Notice
    attempts: int
    claimed_at: datetime
    subscription: StoredSubscription


@dataclass(frozen=True)
class DeliveryLogEntry:
    """One delivery as its log shows it: which alert event to which subscription, its
    state, its attempts and the last one's answer, and its moments (UTC)."""

    id: int
    message_id: str
    subscription_id: int
    channel: Channel
    target: str
    alert_id: int
    event: Event
    kpi: str
    kpi_name: str
    summary: str
    state: DeliveryState
    attempts: int
    last_status: int | None
    last_error: str
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class DeliveryRepository(Protocol):
    """The outbox of notifications (`domain.notifications`): what is to be sent, written
    in the transaction that caused it, and what became of every attempt."""

    def enqueue(self, notices: Sequence[tuple[Notice, str, str]], now: datetime) -> int:
        """Write each notice (with its KPI's and its team's keys) once for every enabled
        subscription to its KPI, its team or everything — a private KPI's to its KPI's
        and its team's only — due now; return how many."""
        ...

    def due(self, now: datetime, claimed_before: datetime, limit: int) -> list[int]:
        """The ids of up to `limit` deliveries due at `now`: waiting ones whose next
        attempt has come, oldest first, and ones being sent whose claim was made before
        `claimed_before` (the consumer that claimed them died mid-send)."""
        ...

    def claim(self, id: int, now: datetime, claimed_before: datetime) -> ClaimedDelivery | None:
        """Claim a due delivery for sending at `now`, in one UPDATE whose conditions
        are those of `due`: of two claims, one wins. None when it is not due (another
        consumer has it, it was sent, it failed, it is gone)."""
        ...

    def record_attempt(self, id: int, at: datetime, outcome: Outcome) -> None:
        """Add an attempt begun at `at` to the delivery's log."""
        ...

    def finish(
        self,
        id: int,
        claimed_at: datetime,
        *,
        state: DeliveryState,
        attempts: int,
        next_attempt_at: datetime | None,
        status: int | None,
        error: str,
        delivered_at: datetime | None,
    ) -> bool:
        """Move a claimed delivery on (delivered, waiting for `next_attempt_at`, or
        failed) when the claim made at `claimed_at` still holds it; False when another
        consumer has claimed it since (its claim had timed out)."""
        ...

    def fail_waiting(self, subscription: int, error: str, now: datetime) -> int:
        """Give up every waiting delivery of a subscription with `error`; how many."""
        ...

    def log(
        self,
        subscription: int | None,
        limit: int,
        offset: int,
        *,
        seen_by: Collection[str] | None = None,
    ) -> tuple[list[DeliveryLogEntry], int]:
        """A page of deliveries, of one subscription or of all, the newest first
        (`limit` of them after skipping `offset`), and how many there are; with
        `seen_by` (the teams a reader is a member of), leaving out those of alerts of
        other teams' private KPIs."""
        ...


class Sender(Protocol):
    """What sends one notice to one subscription's target (the notify adapters, with
    their settings): an attempt's `Outcome`, never an exception for a receiver that
    fails, is slow or is gone."""

    def __call__(
        self, notice: Notice, channel: Channel, target: str, secret: str | None
    ) -> Outcome: ...


class AccountRepository(Protocol):
    """Accounts, named by their e-mail, with their teams, sessions, API tokens and
    one-time sign-in links. Secrets come and go as hashes only."""

    def find(self, email: str) -> StoredAccount | None: ...
    def get(self, email: str) -> StoredAccount:
        """The account with this e-mail; NotFound names it."""
        ...

    def by_id(self, user_id: int) -> StoredAccount | None: ...
    def every(self) -> list[StoredAccount]:
        """Every account, by e-mail."""
        ...

    def owned(self) -> dict[str, tuple[int, int, int]]:
        """Every owner named by a KPI, an objective or a key result (archived ones left
        out), as written, with how many KPIs, objectives and key results they own."""
        ...

    def count(self, *, admins: bool = False) -> int:
        """How many accounts there are (enabled admins only, when asked)."""
        ...

    def add(
        self, account: Account, password_hash: str | None, actor: str, now: datetime
    ) -> StoredAccount:
        """A new account (RuleViolated when the e-mail has one; NotFound for a team)."""
        ...

    def update(
        self, stored: StoredAccount, account: Account, actor: str, now: datetime
    ) -> StoredAccount:
        """Write an account's name, admin, disabled and teams, based on its version."""
        ...

    def password_hash(self, email: str) -> tuple[int, str | None, bool] | None:
        """An account's row id, password hash and whether it is disabled; None when
        there is no such account."""
        ...

    def set_password_hash(
        self, user_id: int, password_hash: str | None, actor: str, now: datetime
    ) -> None: ...
    def add_session(
        self, user_id: int, token_hash: str, now: datetime, expires: datetime
    ) -> None: ...
    def session(self, token_hash: str, now: datetime) -> StoredAccount | None:
        """The enabled account whose unexpired session this is, or None."""
        ...

    def end_session(self, token_hash: str) -> None: ...
    def end_sessions(self, user_id: int, now: datetime) -> int:
        """End every session of an account; how many were open."""
        ...

    def add_token(
        self,
        user_id: int,
        token_hash: str,
        *,
        name: str,
        scope: Scope,
        hint: str,
        now: datetime,
        expires: datetime | None,
    ) -> TokenInfo: ...
    def tokens(self, email: str | None = None) -> list[TokenInfo]:
        """API tokens, oldest first: an account's, or everybody's."""
        ...

    def token_info(self, token_id: int) -> TokenInfo:
        """One token as listed; NotFound names it."""
        ...

    def token(self, token_hash: str, now: datetime) -> TokenUse | None:
        """The enabled account a live token belongs to, with the token's scope, id and
        last use; None for an unknown, revoked or expired token."""
        ...

    def token_used(self, token_id: int, now: datetime) -> None:
        """Record a token's last use."""
        ...

    def revoke_token(self, token_id: int, now: datetime) -> TokenInfo: ...
    def add_link(self, user_id: int, token_hash: str, now: datetime, expires: datetime) -> None: ...
    def use_link(self, token_hash: str, now: datetime) -> StoredAccount | None:
        """Spend a one-time sign-in link: its enabled account, once, unexpired."""
        ...


class Passwords(Protocol):
    """Hashes passwords slowly on purpose (argon2id), and checks one against a hash."""

    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` is the one hashed; with no hash, spends the same time and
        says False (so an unknown e-mail answers as slowly as a wrong password)."""
        ...


class UnitOfWork(Protocol):
    """One transaction: `with uow:` … `uow.commit()`; anything else rolls back."""

    @property
    def teams(self) -> TeamRepository: ...
    @property
    def kpis(self) -> KpiRepository: ...
    @property
    def values(self) -> ValueRepository: ...
    @property
    def tiles(self) -> TileRepository: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def cycles(self) -> CycleRepository: ...
    @property
    def objectives(self) -> ObjectiveRepository: ...
    @property
    def key_results(self) -> KeyResultRepository: ...
    @property
    def check_ins(self) -> CheckInRepository: ...
    @property
    def initiatives(self) -> InitiativeRepository: ...
    @property
    def imports(self) -> ImportRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def alerts(self) -> AlertRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def settings(self) -> SettingsRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def dialect(self) -> str:
        """The database's kind: "sqlite" or "postgresql"."""
        ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None:
        """Commit everything done since `with uow:`; leaving the block without it rolls
        everything back."""
        ...


# --- KPI values from outside (a file, a request body), for the import ----------------


@dataclass(frozen=True)
class KpiSpan:
    """What a source holds for one KPI: how many rows, and its first and last moment
    (UTC)."""

    key: str
    rows: int
    first: datetime
    last: datetime


class CheckedValues(Protocol):
    """A source's rows once every one of them passed the checks."""

    @property
    def rows(self) -> int:
        """How many rows the source holds (blank lines of a file left out)."""
        ...

    @property
    def spans(self) -> Sequence[KpiSpan]:
        """What the source holds for each KPI, by key."""
        ...

    def batches(self) -> Iterator[ValueBatch]:
        """The rows in the source's order, a batch at a time (memory stays flat)."""
        ...


class ValueSource(Protocol):
    """KPI values to import: checked completely before a single row is handed over.

    `default_kpi` names the KPI of a source that has no `kpi` column.
    """

    @property
    def name(self) -> str:
        """The source as messages and the audit log name it (a path, "request body")."""
        ...

    def kpi_keys(self, default_kpi: str | None) -> list[str]:
        """The distinct KPI keys the source names (as written: maybe no key at all)."""
        ...

    def validate(self, known: Collection[str], default_kpi: str | None) -> CheckedValues:
        """Check every row, `known` being the keys among `kpi_keys` that name a KPI of
        the workspace; `BadRows` names every bad row, and nothing is handed over."""
        ...

    def lines(self, rows: Sequence[int]) -> tuple[list[int], str]:
        """How messages name rows given by their place (`ValueBatch.rows`): their line
        or row numbers, and the word for them ("line", "row", "item")."""
        ...

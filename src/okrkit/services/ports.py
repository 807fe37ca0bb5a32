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
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.teams import StoredTeam, Team
from okrkit.domain.trend import Trend
from okrkit.domain.values import Series

__all__ = [
    "AuditLog",
    "CheckedValues",
    "KeptTile",
    "KpiRepository",
    "KpiSpan",
    "SegmentLatest",
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

    def __len__(self) -> int:
        return len(self.timestamps)


class ValueRepository(Protocol):
    """KPI values, one per (KPI, segment, second), inside the unit of work's transaction.

    Every read is of a KPI's total (segment "") unless it names a segment; KPIs are named
    by key, and a key that names no KPI reads as a KPI without values.
    """

    def upsert(self, batch: ValueBatch) -> int:
        """Insert the batch's rows, replacing a stored value of the same KPI, segment and
        second (so writing the same rows twice changes nothing); return the row count."""
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


@dataclass(frozen=True)
class KeptTile:
    """A KPI's dashboard tile as judged once and kept (the health read model): all of
    it that does not depend on the clock, and what it was judged on — the KPI's
    definition `version` and `values_version` then.

    `latest_time` is UTC; `spark` is one value per cadence period (NaN for a period
    without values).
    """

    version: int
    values_version: int
    latest_time: datetime
    latest_value: float
    trend: Trend
    verdict: str
    headline: str
    spark: tuple[float, ...]


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

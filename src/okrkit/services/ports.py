"""What services need from the outside world, as Protocols.

Services never import adapters (the layers contract forbids it); the store implements
these shapes and `okrkit.bootstrap` hands the concrete unit of work to the services.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.teams import StoredTeam, Team
from okrkit.domain.values import Series

__all__ = [
    "AuditLog",
    "CheckedValues",
    "TileRepository",
    "KpiRepository",
    "KpiSpan",
    "TeamRepository",
    "UnitOfWork",
    "ValueBatch",
    "ValueRepository",
    "ValueSource",
]


class TeamRepository(Protocol):
    def get(self, key: str) -> StoredTeam: ...
    def id_of(self, key: str) -> int: ...
    def exists(self, key: str) -> bool: ...
    def list(self, *, archived: bool = False) -> list[StoredTeam]: ...
    def add(self, team: Team, parent: str | None, actor: str, now: datetime) -> StoredTeam: ...
    def update(
        self, key: str, expected_version: int, new: StoredTeam, actor: str, now: datetime
    ) -> StoredTeam: ...


class KpiRepository(Protocol):
    def get(self, key: str) -> StoredKpi: ...
    def ids(self, keys: Iterable[str]) -> dict[str, int]: ...
    def touch_values(self, kpi_ids: Iterable[int]) -> None: ...
    def list(
        self,
        *,
        team: str | None = None,
        archived: bool = False,
        keys: Collection[str] | None = None,
    ) -> list[tuple[int, StoredKpi]]: ...
    def add(self, kpi: Kpi, team_id: int, actor: str, now: datetime) -> StoredKpi: ...
    def update(
        self,
        key: str,
        expected_version: int,
        new: StoredKpi,
        team_id: int,
        actor: str,
        now: datetime,
    ) -> StoredKpi: ...


class ValueRepository(Protocol):
    def upsert(self, rows: Sequence[tuple[int, str, int, float]]) -> int: ...
    def series(self, kpi_id: int, segment: str = "", since: int | None = None) -> Series: ...
    def totals_since(self, since: dict[int, int]) -> dict[int, Series]: ...
    def windows(self, spans: dict[int, int]) -> dict[int, Series]: ...
    def totals_between(self, ranges: dict[int, tuple[int, int | None]]) -> dict[int, Series]: ...
    def newest(self, kpi_ids: Iterable[int]) -> dict[int, int]: ...
    def latest(self, kpi_ids: Iterable[int]) -> dict[int, tuple[int, float]]: ...
    def segments(self, kpi_id: int) -> list[str]: ...
    def page(
        self, kpi_id: int, segment: str, offset: int, limit: int
    ) -> tuple[list[tuple[int, float]], int]: ...
    def segments_latest(self, kpi_id: int) -> list[tuple[str, int, float, float | None]]: ...


class TileRepository(Protocol):
    """The KPI health read model: one document per KPI, of a format the services set."""

    def get(self, kpi_ids: Iterable[int], format: int) -> dict[int, str]: ...
    def put(self, documents: Mapping[int, str], format: int) -> None: ...
    def forget(self, kpi_ids: Iterable[int]) -> None: ...


class AuditLog(Protocol):
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
    ) -> None: ...
    def history(self, entity: str, key: str) -> list[dict[str, Any]]: ...


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
    def dialect(self) -> str: ...
    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


# --- KPI values from outside (a file), for the import --------------------------------


@dataclass(frozen=True)
class ValueBatch:
    """Valid rows of a value source as parallel columns, one entry per row.

    `ts` is whole seconds since 1970-01-01 UTC; `segment` "" is the KPI's total.
    """

    kpi_id: Sequence[int]
    segment: Sequence[str]
    ts: Sequence[int]
    value: Sequence[float]

    def __len__(self) -> int:
        return len(self.ts)


@dataclass(frozen=True)
class KpiSpan:
    """What a source holds for one KPI: how many rows, first and last time (seconds UTC)."""

    key: str
    rows: int
    first: int
    last: int


class CheckedValues(Protocol):
    """A source's rows once every one of them passed the checks."""

    @property
    def rows(self) -> int: ...
    @property
    def spans(self) -> Sequence[KpiSpan]: ...
    def batches(self) -> Iterator[ValueBatch]: ...


class ValueSource(Protocol):
    """KPI values to import: checked completely before a single row is handed over.

    `default_kpi` names the KPI of a source that has no `kpi` column.
    """

    @property
    def name(self) -> str: ...
    def kpi_keys(self, default_kpi: str | None) -> list[str]: ...
    def validate(self, known: Mapping[str, int], default_kpi: str | None) -> CheckedValues: ...

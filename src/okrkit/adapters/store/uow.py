"""The unit of work: one transaction per use case, rolled back unless committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Connection, Engine, RootTransaction

from okrkit.adapters.store.accounts import AccountRepository
from okrkit.adapters.store.alerts import AlertRepository
from okrkit.adapters.store.audit import AuditLog
from okrkit.adapters.store.check_ins import CheckInRepository
from okrkit.adapters.store.cycles import CycleRepository
from okrkit.adapters.store.deliveries import DeliveryRepository
from okrkit.adapters.store.imports import ImportRepository
from okrkit.adapters.store.initiatives import InitiativeRepository
from okrkit.adapters.store.key_results import KeyResultRepository
from okrkit.adapters.store.kpis import KpiIds, KpiRepository
from okrkit.adapters.store.objectives import ObjectiveRepository
from okrkit.adapters.store.settings import SettingsRepository
from okrkit.adapters.store.subscriptions import SubscriptionRepository
from okrkit.adapters.store.teams import TeamRepository
from okrkit.adapters.store.tiles import TileRepository
from okrkit.adapters.store.values import ValueRepository

__all__ = ["SqlUnitOfWork"]

_log = logging.getLogger(__name__)


class SqlUnitOfWork:
    """Opens a connection and a transaction; repositories work inside it.

    Leaving the `with` block without `commit()` — by an error or on purpose — rolls
    everything back: nothing half-written is ever committed.

    `after_commit`, when given, is called after a commit that wrote deliveries to the
    outbox (`bootstrap` wakes the job queue with it, so a notice leaves at once rather
    than at the next periodic dispatch); the services never see it. What it raises is
    logged and swallowed: the change is committed, and the periodic dispatch sends what
    a lost wake-up left behind.
    """

    teams: TeamRepository
    kpis: KpiRepository
    values: ValueRepository
    tiles: TileRepository
    audit: AuditLog
    cycles: CycleRepository
    objectives: ObjectiveRepository
    key_results: KeyResultRepository
    check_ins: CheckInRepository
    initiatives: InitiativeRepository
    imports: ImportRepository
    deliveries: DeliveryRepository
    alerts: AlertRepository
    subscriptions: SubscriptionRepository
    settings: SettingsRepository
    accounts: AccountRepository

    def __init__(self, engine: Engine, after_commit: Callable[[], None] | None = None) -> None:
        self._engine = engine
        self._after_commit = after_commit
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def __enter__(self) -> SqlUnitOfWork:
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        # One map of KPI keys to row ids for the transaction's repositories.
        ids = KpiIds(self._connection)
        self.teams = TeamRepository(self._connection)
        self.kpis = KpiRepository(self._connection, ids)
        self.values = ValueRepository(self._connection, ids)
        self.imports = ImportRepository(self._connection, ids)
        self.tiles = TileRepository(self._connection, ids)
        self.audit = AuditLog(self._connection)
        self.cycles = CycleRepository(self._connection)
        self.objectives = ObjectiveRepository(self._connection)
        self.key_results = KeyResultRepository(self._connection)
        self.check_ins = CheckInRepository(self._connection)
        self.initiatives = InitiativeRepository(self._connection)
        self.deliveries = DeliveryRepository(self._connection, ids)
        self.alerts = AlertRepository(self._connection, ids)
        self.subscriptions = SubscriptionRepository(self._connection, ids)
        self.settings = SettingsRepository(self._connection)
        self.accounts = AccountRepository(self._connection)
        return self

    def commit(self) -> None:
        assert self._transaction is not None, "commit() outside the with block"
        self._transaction.commit()
        if self._after_commit is not None and self.deliveries.written:
            self.deliveries.written = 0
            try:
                self._after_commit()
            except Exception:  # the change is committed: never report it as failed
                _log.exception("waking the job queue after a commit failed")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._connection is not None
        assert self._transaction is not None
        if self._transaction.is_active:
            self._transaction.rollback()
        self._connection.close()
        self._connection = self._transaction = None

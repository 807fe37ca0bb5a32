"""What every workspace command shares: the database brought to the newest migration
first, who acts, the clock, and a unit of work on the workspace.

Several features use it — `db`, `teams`, `kpis`, `values` and `workspace` (`serve`) —
so it is a module of its own rather than part of one of them.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

from okrkit import bootstrap
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.access import Actor, operator

__all__ = ["actor", "now", "ready", "unit_of_work"]


def ready() -> str | None:
    """Bring the workspace's database to the newest migration; returns its revision.
    Every workspace command calls this first."""
    return upgrade(bootstrap.engine())


def actor() -> Actor:
    """Who acts on the command line of the server's own machine: its operator, who holds
    the database and so may do everything, recorded under their login (else `cli`)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "cli"
    return operator(name)


def now() -> datetime:
    """The clock, read by the interface: naive UTC now."""
    return datetime.now(UTC).replace(tzinfo=None)


def unit_of_work() -> SqlUnitOfWork:
    """A fresh unit of work on the workspace's database (one per use case)."""
    return bootstrap.unit_of_work()

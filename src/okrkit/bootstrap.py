"""The one place that picks concrete adapters and hands them to the services."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine

from okrkit.adapters.store.engine import database_url, make_engine
from okrkit.adapters.store.uow import SqlUnitOfWork

__all__ = ["engine", "unit_of_work"]


@lru_cache(maxsize=4)
def engine(url: str | None = None) -> Engine:
    """The engine for a URL (default: OKRKIT_DATABASE_URL or the embedded SQLite file)."""
    return make_engine(url or database_url())


def unit_of_work(url: str | None = None) -> SqlUnitOfWork:
    """A fresh unit of work on the workspace's database."""
    return SqlUnitOfWork(engine(url))

"""The edit columns of everything a person edits, and the one versioned write that keeps
optimistic concurrency for every table that has them (teams, KPIs, and the OKR side's
tables to come)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, update

__all__ = ["created", "update_versioned"]


def created(actor: str, now: datetime) -> dict[str, Any]:
    """The edit columns of a new row: version 1, made and changed by `actor` at `now`."""
    return {"version": 1, "created_at": now, "updated_at": now, "updated_by": actor}


def update_versioned(
    connection: Connection,
    table: Table,
    key: str | int,
    expected_version: int,
    changes: dict[str, Any],
    actor: str,
    now: datetime,
) -> bool:
    """Write `changes` to the row with this key when it is still at `expected_version`,
    bumping its version; False when it is not (or is gone).

    A row is named by its key, or by its id where it has no key (a key result, an
    initiative). The check and the write are one UPDATE … WHERE version = expected, so of
    two concurrent edits exactly one matches; the caller words the other's conflict.
    """
    which = table.c.id == key if isinstance(key, int) else table.c.key == key
    result = connection.execute(
        update(table)
        .where(which, table.c.version == expected_version)
        .values(**changes, version=table.c.version + 1, updated_at=now, updated_by=actor)
    )
    return bool(result.rowcount == 1)

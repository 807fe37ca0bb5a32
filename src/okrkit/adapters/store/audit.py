"""The audit log: who changed what when, with the before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from okrkit.adapters.store.tables import audit_log

__all__ = ["AuditLog"]

# One statement for every entry, compiled once (a trigger run appends thousands).
_APPEND = insert(audit_log)


class AuditLog:
    """Appends to and reads the audit log on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

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
        self._c.execute(
            _APPEND,
            {
                "at": at,
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_key": key,
                "before": before,
                "after": after,
            },
        )

    def history(self, entity: str, key: str) -> list[dict[str, Any]]:
        """Entries about one thing, oldest first."""
        rows = self._c.execute(
            select(audit_log)
            .where(audit_log.c.entity == entity, audit_log.c.entity_key == key)
            .order_by(audit_log.c.id)
        )
        return [dict(row._mapping) for row in rows]

"""The workspace's settings in the store: one row (id 1) holding one TOML document."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from okrkit.adapters.store.tables import workspace_settings
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.errors import Conflict
from okrkit.domain.versions import Revision
from okrkit.services.ports import StoredSettings

__all__ = ["SettingsRepository"]

# The one row the settings live in.
_ROW = 1


class SettingsRepository:
    """Reads and writes the workspace's settings document on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self) -> StoredSettings | None:
        row = self._c.execute(
            select(workspace_settings).where(workspace_settings.c.id == _ROW)
        ).one_or_none()
        if row is None:
            return None
        return StoredSettings(row.document, Revision(row.version, row.updated_at, row.updated_by))

    def put(
        self, document: str, expected_version: int | None, actor: str, now: datetime
    ) -> StoredSettings:
        stored = self.get()
        if stored is None:
            if expected_version not in (None, 0):
                raise Conflict(
                    f"the settings were never stored (version 0, yours {expected_version})"
                )
            try:
                self._c.execute(
                    workspace_settings.insert().values(
                        id=_ROW, document=document, **created(actor, now)
                    )
                )
            except IntegrityError:  # another first write committed in between (the unit
                # of work rolls back the whole transaction on the way out)
                raise Conflict(
                    "the settings were stored by someone else just now: reload and apply "
                    "your change again"
                ) from None
        else:
            expected = stored.revision.version if expected_version is None else expected_version
            changes = {"document": document}
            if not update_versioned(
                self._c, workspace_settings, _ROW, expected, changes, actor, now
            ):
                current = self.get()
                assert current is not None
                raise current.revision.conflict("the settings", expected)
        found = self.get()
        assert found is not None
        return found

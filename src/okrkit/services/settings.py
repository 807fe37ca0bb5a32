"""The workspace's settings: one TOML document (`domain.settings`), shown and replaced
as a whole, versioned and audited like every edit. Its `[lint]` section switches rules
off for every lint of the workspace: `okrkit lint`, the advice on pages."""

from __future__ import annotations

from datetime import datetime

from okrkit.domain.access import Actor
from okrkit.domain.errors import InvalidInput
from okrkit.domain.settings import Settings, parse_settings
from okrkit.domain.versions import check_version
from okrkit.services.ports import StoredSettings, UnitOfWork

__all__ = ["MAX_DOCUMENT", "current_settings", "set_settings", "show_settings"]

# A settings document is a few lines a person writes; more than this is no such thing.
MAX_DOCUMENT = 64_000
# How errors in the stored document name it.
SOURCE = "settings"


def current_settings(uow: UnitOfWork) -> Settings:
    """The workspace's settings as read, inside an open unit of work (the defaults —
    every rule on — before any were stored)."""
    stored = uow.settings.get()
    return Settings() if stored is None else parse_settings(stored.document, SOURCE)


def show_settings(uow: UnitOfWork) -> StoredSettings | None:
    """The stored settings document with its version (None before any was stored)."""
    with uow:
        return uow.settings.get()


def set_settings(
    uow: UnitOfWork,
    document: str,
    version: int | None,
    who: Actor,
    now: datetime,
    *,
    source: str = SOURCE,
) -> StoredSettings:
    """Check a settings document and store it in place of the one stored, in one
    transaction with its audit entry. An unknown section, key or rule code is refused
    with its line and nothing is stored. With `version`, the stored document must still
    be at it (0: none stored yet), else `Conflict`; without, it replaces whatever is
    stored (a document kept in git is the truth). `source` names the document in
    errors (the file it was read from)."""
    who.require_admin("change the workspace's settings")
    actor = who.name
    if len(document) > MAX_DOCUMENT:
        raise InvalidInput(
            f"a settings document has at most {MAX_DOCUMENT:,} characters; this one has "
            f"{len(document):,}",
            source=source,
        )
    if version is not None and version != 0:
        check_version(version)
    parse_settings(document, source)
    with uow:
        before = uow.settings.get()
        stored = uow.settings.put(document, version, actor, now)
        uow.audit.append(
            actor=actor, action="edit" if before else "create", entity="settings",
            key="workspace", before=None if before is None else {"document": before.document},
            after={"document": document}, at=now,
        )  # fmt: skip
        uow.commit()
    return stored

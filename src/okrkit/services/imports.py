"""Writes of KPI values as a history: each import listed, undone, and a page's upload
kept between its preview and the person's confirmation.

Every write of values — a file or request body imported, a value typed in, a value
deleted — is recorded (who, when, from where, its rows) with every value it replaced
(`ports.ImportRepository`). Undoing one removes the values it still holds and puts
back what it replaced, where nothing newer took its place since: a later correction is
never undone by undoing an earlier import. It is audited and can be done once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from okrkit.domain.access import Actor
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import Conflict, NotFound
from okrkit.services.access import (
    require_kpi_edit,
    require_kpi_edits,
    require_kpi_sight,
    seen_by,
    sight,
)
from okrkit.services.ports import (
    ImportRecord,
    PendingImport,
    UndoneImport,
    UnitOfWork,
    ValueSource,
)
from okrkit.services.tiles import refresh_health

__all__ = [
    "KEEP_UPLOAD",
    "Upload",
    "keep_upload",
    "list_imports",
    "drop_upload",
    "kept_upload",
    "undo_import",
]

# How long an uploaded file waits for its confirmation.
KEEP_UPLOAD = timedelta(hours=2)


@dataclass(frozen=True)
class Upload:
    """A file kept for its confirmation: who uploaded it for which KPI, named how."""

    pending: PendingImport
    content: bytes


def list_imports(
    uow: UnitOfWork, kpi: str | None = None, *, viewer: Actor, limit: int = 20
) -> list[ImportRecord]:
    """The newest writes of values first, of one KPI (`NotFound` if there is none, or if
    it is private and `viewer` may not see it) or of every KPI; `limit` 1 to 200. For
    `viewer`, a write of other teams' private KPIs only is not there, and one of several
    KPIs does not name those they may not see."""
    limit = min(max(limit, 1), 200)
    with uow:
        if kpi is not None:
            require_kpi_sight(viewer, uow.kpis.get(kpi))
        found = uow.imports.list(kpi, limit=limit, seen_by=seen_by(viewer))
        hidden = sight(uow, viewer).hidden_kpis
    if not hidden:
        return found
    return [replace(r, kpis=tuple(k for k in r.kpis if k not in hidden)) for r in found]


def undo_import(uow: UnitOfWork, import_id: int, who: Actor, now: datetime) -> UndoneImport:
    """Undo a write of values (`NotFound` for an unknown id; `Conflict` when it was
    undone already), in one transaction with its audit entry; then judge the tiles of
    the KPIs it touched."""
    actor = who.name
    with uow:
        record = uow.imports.get(import_id)
        require_kpi_edits(
            uow, who, record.kpis, f"undo import {import_id}", f"no import {import_id}"
        )
        if record.undone_at is not None:
            raise Conflict(
                f"import {import_id} was undone already, on "
                f"{record.undone_at:%-d %b %Y %H:%M} by {record.undone_by}"
            )
        undone = uow.imports.undo(import_id, actor, now)
        uow.kpis.touch_values(record.kpis)
        uow.audit.append(
            actor=actor,
            action="undo-import",
            entity="kpi",
            key=record.kpis[0] if len(record.kpis) == 1 else "*",
            before={"import": import_id, "kind": record.kind, "source": record.source},
            after={"removed": undone.removed, "restored": undone.restored},
            at=now,
        )
        uow.commit()
    refresh_health(uow, now, record.kpis)
    return undone


def keep_upload(
    uow: UnitOfWork,
    source: ValueSource,
    content: bytes,
    who: Actor,
    now: datetime,
    *,
    kpi: str,
) -> str:
    """Keep an uploaded file (`content`, read as `source`) for its confirmation; return
    the token that confirms it. A file that is not values for the workspace is refused
    first, every bad row named (`BadRows`), and nothing is kept. Files left unconfirmed
    longer than `KEEP_UPLOAD` are dropped."""
    actor = who.name
    token = secrets.token_urlsafe(24)
    name = source.name
    with uow:
        require_kpi_edit(who, uow.kpis.get(kpi), f"import values into the KPI {kpi!r}")
        source.validate(uow.kpis.existing(source.kpi_keys(kpi)), kpi)
        uow.imports.stash(PendingImport(token, now, actor, kpi, name[:255]), content, KEEP_UPLOAD)
        uow.commit()
    return token


# What a kept file that is not there (or not theirs to see) is called.
_NOT_KEPT = "this preview has expired or was imported already: upload the file again"


def kept_upload(uow: UnitOfWork, token: str, now: datetime, *, viewer: Actor) -> Upload:
    """The file kept under `token`; `NotFound` when it was imported already, expired,
    was never kept, or is for a private KPI `viewer` may not see."""
    with uow:
        found = uow.imports.kept(token)
        if found is not None:
            require_kpi_sight(viewer, uow.kpis.get(found[0].kpi), _NOT_KEPT)
    if found is None or as_utc(found[0].at) < now - KEEP_UPLOAD:
        raise NotFound(_NOT_KEPT)
    return Upload(*found)


def drop_upload(uow: UnitOfWork, token: str, who: Actor) -> None:
    """Forget a kept file (once imported, or cancelled): the business of those who may
    import into its KPI. One that is gone already is nothing to forget."""
    with uow:
        found = uow.imports.kept(token)
        if found is None:
            return
        kpi = found[0].kpi
        require_kpi_edit(
            who, uow.kpis.get(kpi), f"cancel an import into the KPI {kpi!r}", _NOT_KEPT
        )
        uow.imports.drop(token)
        uow.commit()

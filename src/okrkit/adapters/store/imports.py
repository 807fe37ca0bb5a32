"""Writes of KPI values in the store: each import recorded, undone, and the files kept
between a page's preview and its confirmation.

Every write of values is a row of `value_imports` (a file or request body, a value
typed in, a value deleted), and every value it wrote carries its id
(`kpi_values.import_id`). What it replaced is in `value_history`, written by the
table's trigger for every change of a value (migration 0006), so undoing an import is
two statements: delete the values it still holds, and put back what it replaced where
nothing newer took its place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from okrkit.adapters.store.kpis import KpiIds, hidden_kpi_ids
from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import (
    kpi_values,
    kpis,
    pending_imports,
    value_history,
    value_import_kpis,
    value_imports,
)
from okrkit.domain.errors import NotFound
from okrkit.services.ports import ImportRecord, PendingImport, UndoneImport

__all__ = ["ImportRepository"]

_CHUNK = 500

# Put back what an import replaced, where no value has taken its place since — unless
# the write that had set it was undone itself (its value must not come back).
_RESTORE = text(
    "INSERT INTO kpi_values (kpi_id, segment, ts, value, import_id) "
    "SELECT h.kpi_id, h.segment, h.ts, h.before, h.before_import FROM value_history h "
    "LEFT JOIN value_imports earlier ON earlier.id = h.before_import "
    "WHERE h.import_id = :id AND h.before IS NOT NULL AND earlier.undone_at IS NULL "
    "ON CONFLICT (kpi_id, segment, ts) DO NOTHING"
)


class ImportRepository:
    """The record of every write of values, on one connection; KPIs by key."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids

    def start(self, kind: str, source: str, actor: str, at: datetime) -> int:
        """Record a write of values that begins now; return its id (the values it
        writes carry it)."""
        return int(
            self._c.execute(
                insert(value_imports)
                .values(
                    at=at, actor=actor, kind=kind, source=source[:1000], rows=0, changed=0,
                    replaced=0,
                )
                .returning(value_imports.c.id)
            ).scalar_one()
        )  # fmt: skip

    def finish(
        self,
        import_id: int,
        *,
        rows: int,
        changed: int,
        first: datetime | None,
        last: datetime | None,
        per_kpi: Mapping[str, int],
    ) -> ImportRecord:
        """Complete the record: its counts (the values it replaced are counted from the
        history the trigger wrote) and the KPIs it touched with their rows."""
        replaced = int(
            self._c.execute(
                select(func.count())
                .select_from(value_history)
                .where(value_history.c.import_id == import_id)
            ).scalar_one()
        )
        self._c.execute(
            update(value_imports)
            .where(value_imports.c.id == import_id)
            .values(
                rows=rows,
                changed=changed,
                replaced=replaced,
                first=None if first is None else seconds(first),
                last=None if last is None else seconds(last),
            )
        )
        ids = self._ids.of(per_kpi)
        listed = [
            {"kpi_id": ids[key], "import_id": import_id, "rows": count}
            for key, count in per_kpi.items()
            if key in ids
        ]
        for first_row in range(0, len(listed), _CHUNK):
            self._c.execute(insert(value_import_kpis), listed[first_row : first_row + _CHUNK])
        return self.get(import_id)

    def record_deletion(self, import_id: int, kpi: str, segment: str, at: datetime) -> float | None:
        """Delete one value as the write `import_id`, keeping it in the history; return
        the value deleted, or None when there was none."""
        kpi_id = self._ids.one(kpi)
        if kpi_id is None:
            raise NotFound(f"no KPI {kpi!r}")
        where = and_(
            kpi_values.c.kpi_id == kpi_id,
            kpi_values.c.segment == segment,
            kpi_values.c.ts == seconds(at),
        )
        found = self._c.execute(select(kpi_values.c.value, kpi_values.c.import_id).where(where))
        row = found.first()
        if row is None:
            return None
        self._c.execute(
            insert(value_history).values(
                import_id=import_id, kpi_id=kpi_id, segment=segment, ts=seconds(at),
                before=row.value, before_import=row.import_id, after=None,
            )
        )  # fmt: skip
        self._c.execute(delete(kpi_values).where(where))
        return float(row.value)

    def get(self, import_id: int) -> ImportRecord:
        """One write of values; `NotFound` when there is none with this id."""
        row = self._c.execute(select(value_imports).where(value_imports.c.id == import_id)).first()
        if row is None:
            raise NotFound(f"no import {import_id}")
        return self._record(row, self._kpis_of([import_id]).get(import_id, ()))

    def list(
        self,
        kpi: str | None = None,
        *,
        limit: int = 20,
        seen_by: Collection[str] | None = None,
    ) -> list[ImportRecord]:
        """The newest writes of values first — of one KPI, or of every KPI; with
        `seen_by`, not those that touched other teams' private KPIs only."""
        query = select(value_imports).order_by(value_imports.c.id.desc()).limit(limit)
        if seen_by is not None:
            hidden = hidden_kpi_ids(seen_by)
            touched = select(value_import_kpis.c.import_id)
            query = query.where(
                or_(
                    value_imports.c.id.in_(
                        touched.where(value_import_kpis.c.kpi_id.not_in(hidden))
                    ),
                    value_imports.c.id.not_in(
                        touched.where(value_import_kpis.c.kpi_id.in_(hidden))
                    ),
                )
            )
        if kpi is not None:
            kpi_id = self._ids.one(kpi)
            if kpi_id is None:
                raise NotFound(f"no KPI {kpi!r}")
            query = query.where(
                value_imports.c.id.in_(
                    select(value_import_kpis.c.import_id).where(
                        value_import_kpis.c.kpi_id == kpi_id
                    )
                )
            )
        rows = self._c.execute(query).all()
        keys = self._kpis_of([int(row.id) for row in rows])
        return [self._record(row, keys.get(int(row.id), ())) for row in rows]

    def undo(self, import_id: int, actor: str, at: datetime) -> UndoneImport:
        """Undo a write of values: delete the values it still holds (those no later
        write replaced) and put back what it replaced or deleted, where nothing has
        taken its place since. The caller checks it was not undone already."""
        kpi_ids = [
            int(found)
            for found in self._c.execute(
                select(value_import_kpis.c.kpi_id).where(value_import_kpis.c.import_id == import_id)
            ).scalars()
        ]
        removed = 0
        for first in range(0, len(kpi_ids), _CHUNK):
            removed += self._c.execute(
                delete(kpi_values).where(
                    kpi_values.c.kpi_id.in_(kpi_ids[first : first + _CHUNK]),
                    kpi_values.c.import_id == import_id,
                )
            ).rowcount
        restored = self._c.execute(_RESTORE, {"id": import_id}).rowcount
        self._c.execute(
            update(value_imports)
            .where(value_imports.c.id == import_id)
            .values(undone_at=at, undone_by=actor)
        )
        return UndoneImport(self.get(import_id), removed=removed, restored=restored)

    # --- files waiting for a person's confirmation -------------------------------------

    def stash(self, pending: PendingImport, content: bytes, keep: timedelta) -> None:
        """Keep an uploaded file until it is confirmed, dropping those older than `keep`."""
        self._c.execute(delete(pending_imports).where(pending_imports.c.at < pending.at - keep))
        self._c.execute(
            insert(pending_imports).values(
                token=pending.token, at=pending.at, actor=pending.actor, kpi=pending.kpi,
                name=pending.name, content=content,
            )
        )  # fmt: skip

    def drop(self, token: str) -> None:
        """Forget the file kept under this token."""
        self._c.execute(delete(pending_imports).where(pending_imports.c.token == token))

    def kept(self, token: str) -> tuple[PendingImport, bytes] | None:
        """The file kept under this token (None: none, or it was dropped already)."""
        row = self._c.execute(
            select(pending_imports).where(pending_imports.c.token == token)
        ).first()
        if row is None:
            return None
        return PendingImport(row.token, row.at, row.actor, row.kpi, row.name), bytes(row.content)

    # --- reading ----------------------------------------------------------------------

    def _kpis_of(self, import_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        if not import_ids:
            return {}
        out: dict[int, list[str]] = {}
        query = (
            select(value_import_kpis.c.import_id, kpis.c.key)
            .join(kpis, kpis.c.id == value_import_kpis.c.kpi_id)
            .where(value_import_kpis.c.import_id.in_(import_ids))
            .order_by(kpis.c.key)
        )
        for row in self._c.execute(query):
            out.setdefault(int(row.import_id), []).append(str(row.key))
        return {key: tuple(keys) for key, keys in out.items()}

    @staticmethod
    def _record(row: object, keys: tuple[str, ...]) -> ImportRecord:
        r = row._mapping  # type: ignore[attr-defined]
        return ImportRecord(
            id=int(r["id"]),
            at=r["at"],
            actor=str(r["actor"]),
            kind=str(r["kind"]),
            source=str(r["source"]),
            rows=int(r["rows"]),
            changed=int(r["changed"]),
            replaced=int(r["replaced"]),
            first=None if r["first"] is None else moment(int(r["first"])),
            last=None if r["last"] is None else moment(int(r["last"])),
            kpis=keys,
            undone_at=r["undone_at"],
            undone_by=r["undone_by"],
        )

"""Reading the audit log: who changed what, when, before and after — a page at a time,
newest first, filtered by team, by thing (kind and key) and by person.

The log is written by every use case that changes something (`uow.audit.append`, in
the change's own transaction) and is never edited: this module only reads it. Each
entry comes back in a product manager's words ("edited", "checked in" on the key result
"Activation rate from 30 % to 40 %"), with only the fields an edit changed, the team it
belongs to (a KPI's, an objective's, a key result's objective's …) and whether a private
objective or KPI is behind it — the two facts that decide who may see it: an entry about
another team's private thing is not there for a reader outside that team (filtered by
the store, so a page stays full), and entries about accounts, API tokens and sign-ins are
an admin's only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from okrkit.domain.access import Actor
from okrkit.domain.errors import InvalidInput, NotFound
from okrkit.services.access import seen_by, sight
from okrkit.services.goals.changes import FieldChange
from okrkit.services.ports import AuditQuery, AuditRecord, UnitOfWork
from okrkit.services.values import SEVERAL_KPIS

__all__ = [
    "ACTION_WORDS",
    "KIND_WORDS",
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "AuditEntry",
    "AuditPage",
    "audit_page",
    "changed_fields",
    "parse_object",
]

# How many entries a page holds unless asked otherwise, and at most.
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200

# The kinds of thing the log names, in words; the keys are the names the log keeps.
KIND_WORDS: Mapping[str, str] = {
    "team": "team",
    "kpi": "KPI",
    "cycle": "cycle",
    "objective": "objective",
    "key_result": "key result",
    "initiative": "initiative",
    "alert": "alert",
    "subscription": "subscription",
    "settings": "settings",
    "workspace": "workspace",
}

# What was done, in words; an action not listed reads as it was recorded.
ACTION_WORDS: Mapping[str, str] = {
    "create": "created",
    "edit": "edited",
    "archive": "archived",
    "restore": "restored",
    "start": "started",
    "close": "closed",
    "activate": "activated",
    "score": "scored",
    "carry over": "carried over",
    "draft": "drafted",
    "urgent": "marked urgent",
    "accept": "accepted",
    "dismiss": "dismissed",
    "raise": "raised",
    "escalate": "escalated",
    "acknowledge": "acknowledged",
    "resolve": "resolved",
    "recalibrate": "recalibrated",
    "check in": "checked in",
    "switch on": "switched on",
    "switch off": "switched off",
    "delete": "deleted",
    "load": "loaded",
    "history": "loaded its history",
    "import": "imported values",
    "typed": "typed in a value",
    "delete-value": "deleted a value",
    "undo-import": "undid an import",
}

# Where each kind of thing has its page; an initiative is shown on its key result's.
_PAGES: Mapping[str, str] = {
    "team": "/teams/{}",
    "kpi": "/kpis/{}",
    "cycle": "/cycles/{}",
    "objective": "/objectives/{}",
    "key_result": "/key-results/{}",
    "alert": "/alerts/{}",
    "subscription": "/subscriptions/{}",
}

_EMPTY: tuple[Any, ...] = (None, "", [], {})


@dataclass(frozen=True)
class AuditEntry:
    """One entry as a person reads it: when, who (`actor`), what was done (`action` as
    recorded, `words` as said), on what (`entity` as recorded, `kind` in words, `key`,
    its `title` and the `link` to its page while it exists), the team it belongs to
    (None for what no team holds: a cycle, the settings, an import of several KPIs),
    whether it is private (a private objective is behind it) and the `changes`: an
    edit's changed fields only, a creation's state, a removal's last state."""

    id: int
    at: datetime
    actor: str
    action: str
    words: str
    entity: str
    kind: str
    key: str
    title: str | None
    link: str | None
    team: str | None
    private: bool
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first, the query it answers, and where the pages
    around it start: `newer` (entries after this id; None on the newest page) and
    `older` (entries before this id; None on the oldest)."""

    entries: tuple[AuditEntry, ...]
    query: AuditQuery
    newer: int | None
    older: int | None


def parse_object(text: str, *, field: str = "object") -> tuple[str | None, str | None]:
    """A thing as a person names it in a filter: `KIND:KEY` (`kpi:signups`,
    `objective:grow-activation`, `key_result:12`) or a kind alone (`kpi`); empty: any.
    An unknown kind is refused, naming the kinds there are."""
    text = text.strip()
    if not text:
        return None, None
    kind, _, key = text.partition(":")
    kind = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if kind not in KIND_WORDS:
        raise InvalidInput(
            f"{kind!r} is not a kind of thing the log names: {', '.join(KIND_WORDS)}",
            field=field,
        )
    return kind, key.strip() or None


def changed_fields(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[FieldChange, ...]:
    """The fields whose value differs between the two records (a field one of them
    lacks counts as none), in the order the records list them: an edit's changes, a
    creation's state (none → value), a removal's last state (value → none). A field
    empty on both sides (none, "", [], {}) changed nothing."""
    before, after = before or {}, after or {}
    names = list(after) + [name for name in before if name not in after]
    return tuple(
        FieldChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
        and not (before.get(name) in _EMPTY and after.get(name) in _EMPTY)
    )


def _entry(record: AuditRecord) -> AuditEntry:
    link = None
    if record.entity == "settings":
        link = "/lint"
    elif record.exists and record.entity == "initiative" and record.key_result is not None:
        link = f"/key-results/{record.key_result}"
    elif record.exists and record.entity in _PAGES:
        link = _PAGES[record.entity].format(record.key)
    return AuditEntry(
        id=record.id,
        at=record.at,
        actor=record.actor,
        action=record.action,
        words=ACTION_WORDS.get(record.action, record.action),
        entity=record.entity,
        kind=KIND_WORDS.get(record.entity, record.entity.replace("_", " ")),
        key=record.key,
        title=record.title if record.exists else None,
        link=link,
        team=record.team,
        private=record.private,
        changes=changed_fields(record.before, record.after),
    )


def _check(query: AuditQuery) -> None:
    if not 1 <= query.limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"a page holds 1 to {MAX_PAGE_SIZE} entries", field="limit")
    for name, cursor in (("before", query.before), ("after", query.after)):
        if cursor is not None and cursor < 1:
            raise InvalidInput(f"{name} is an entry's number, from 1", field=name)
    if query.before is not None and query.after is not None:
        raise InvalidInput("page by before or by after, not both", field="after")
    if query.entity is not None and query.entity not in KIND_WORDS:
        raise InvalidInput(f"{query.entity!r} is not a kind of thing the log names", field="kind")


def _unnamed(record: AuditRecord, hidden: frozenset[str]) -> AuditRecord:
    """An import of several KPIs without the KPIs the reader may not see (`hidden`):
    they are counted in its totals, never named."""
    if record.entity != "kpi" or record.key != SEVERAL_KPIS or not hidden:
        return record
    after = dict(record.after or {})
    per_kpi = after.get("per_kpi")
    if isinstance(per_kpi, Mapping):
        after["per_kpi"] = {k: v for k, v in per_kpi.items() if k not in hidden}
    return replace(record, after=after)


def audit_page(uow: UnitOfWork, query: AuditQuery, *, viewer: Actor) -> AuditPage:
    """A page of the audit log, newest first: the entries about one team's things (the
    team, its KPIs and their alerts and subscriptions, its objectives with their key
    results, check-ins and initiatives), about one thing, by one person — any of them
    together. An unknown team is NotFound; a thing that names nothing just has no
    entries (a removed one keeps its history).

    `viewer` reads what they may see: an entry about a private KPI or objective (or
    anything of it) is its team's members' and admins', and entries about accounts,
    API tokens and sign-ins are admins' only (a reader who is not an admin reads the
    kinds of `KIND_WORDS`); an import of several KPIs names only those they may see."""
    _check(query)
    reader = replace(
        query,
        limit=query.limit + 1,
        seen_by=seen_by(viewer),
        kinds=None if viewer.admin else frozenset(KIND_WORDS),
    )
    with uow:
        if query.team is not None and not uow.teams.exists(query.team):
            raise NotFound(f"no team {query.team!r}")
        records = uow.audit.page(reader)
        hidden = sight(uow, viewer).hidden_kpis
    records = [_unnamed(r, hidden) for r in records]
    more = len(records) > query.limit
    newer: int | None
    older: int | None
    if query.after is not None:
        # Read oldest first from `after`: the one too many is the newest.
        shown = records[1:] if more else records
        newer = shown[0].id if more and shown else None
        older = shown[-1].id if shown else query.after + 1
    else:
        shown = records[: query.limit]
        newer = shown[0].id if query.before is not None and shown else None
        older = shown[-1].id if more else None
    return AuditPage(tuple(_entry(r) for r in shown), query, newer, older)

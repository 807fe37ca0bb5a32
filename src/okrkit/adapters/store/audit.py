"""The audit log: who changed what when, with the before and after; appended in the
transaction of each change, and read back a page at a time (`page`), each entry with the
team it belongs to and whether a private objective or KPI is behind it.

An entry names its thing by kind and key only (`entity`, `entity_key`: a key, a cycle's
name, or a row id for key results, initiatives, alerts and subscriptions), so its team
is found the way the workspace holds it now: a KPI's team, an objective's, a key
result's objective's, an initiative's key result's, an alert's KPI's, a subscription's
team or KPI's. A thing that is gone (a dismissed draft with its key results, a deleted
subscription) is placed by what the log itself recorded about it last.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Integer,
    Row,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    insert,
    or_,
    select,
    true,
)
from sqlalchemy.sql.functions import coalesce

from okrkit.adapters.store.subscriptions import naive_utc
from okrkit.adapters.store.tables import (
    alerts,
    audit_log,
    cycles,
    initiatives,
    key_results,
    kpis,
    objectives,
    subscriptions,
    teams,
)
from okrkit.services.ports import AuditQuery, AuditRecord

__all__ = ["AuditLog"]

# One statement for every entry, compiled once (a trigger run appends thousands).
_APPEND = insert(audit_log)

# The kinds of thing an entry names by a row id rather than a key.
_NUMBERED = ("key_result", "initiative", "alert", "subscription")

_a = audit_log


def _recorded(entity: str, key: ColumnElement[Any], field: str, *, flag: bool = False) -> Any:
    """What the log last recorded as `field` of the thing (`entity`, `key`): where a thing
    that is gone is placed. A change keeps the whole record before it; a dismissal's
    after holds its reason only, so the after comes first and the before stands in."""
    prior = audit_log.alias()
    if flag:
        value: Any = coalesce(prior.c.after[field].as_boolean(), prior.c.before[field].as_boolean())
    else:
        value = coalesce(prior.c.after[field].as_string(), prior.c.before[field].as_string())
    return (
        select(value)
        .where(prior.c.entity == entity, prior.c.entity_key == key, value.is_not(None))
        .order_by(prior.c.id.desc())
        .limit(1)
        .correlate_except(prior)
        .scalar_subquery()
    )


def _own(field: str) -> Any:
    """`field` of the entry's own record: its after, else its before."""
    return coalesce(_a.c.after[field].as_string(), _a.c.before[field].as_string())


def _resolved() -> tuple[Select[Any], ColumnElement[Any], ColumnElement[Any]]:
    """Every entry with its team, private flag, whether its thing exists, its title and
    (an initiative's) key result: outer joins on keys and ids, one row per entry; and
    the expressions of its team and private flag, to filter on."""
    number = case((_a.c.entity.in_(_NUMBERED), cast(_a.c.entity_key, Integer)))
    is_ = _a.c.entity.__eq__
    tm, cy, kp, ini, kr = (
        teams.alias("tm"), cycles.alias("cy"), kpis.alias("kp"), initiatives.alias("ini"),
        key_results.alias("kr"),
    )  # fmt: skip
    al, sub, ob_kr, ob = (
        alerts.alias("al"), subscriptions.alias("sub"), objectives.alias("ob_kr"),
        objectives.alias("ob"),
    )  # fmt: skip
    kp_of, kp_rec, tm_ob, tm_kp, tm_sub = (
        kpis.alias("kp_of"), kpis.alias("kp_rec"), teams.alias("tm_ob"), teams.alias("tm_kp"),
        teams.alias("tm_sub"),
    )  # fmt: skip
    # A key result's id as the log names it: the entry's own, or an initiative's (its
    # row's, else what the log recorded about the initiative).
    kr_key = case(
        (is_("key_result"), _a.c.entity_key),
        else_=coalesce(
            cast(ini.c.key_result_id, String),
            cast(_recorded("initiative", _a.c.entity_key, "key_result"), String),
        ),
    )
    # The objective an entry is about or under (a key result's, a check-in's, an
    # initiative's), by key: its row's, else what the log recorded about the key result.
    objective = case(
        (is_("objective"), _a.c.entity_key),
        (
            _a.c.entity.in_(("key_result", "initiative")),
            coalesce(ob_kr.c.key, _recorded("key_result", kr_key, "objective")),
        ),
    )
    # A deleted subscription: its team or KPI as recorded.
    gone_sub = and_(is_("subscription"), sub.c.id.is_(None))
    team = case(
        (is_("team"), _a.c.entity_key),
        (objective.is_not(None), coalesce(tm_ob.c.key, _recorded("objective", objective, "team"))),
        else_=coalesce(tm_kp.c.key, tm_sub.c.key, case((gone_sub, _own("team")))),
    )
    # Private when a private objective is behind it, or a private KPI: the KPI itself
    # (its definition, its values), an alert it raised, a subscription to it.
    kpi_private = case(
        (is_("kpi"), kp.c.private),
        (_a.c.entity.in_(("alert", "subscription")), coalesce(kp_of.c.private, kp_rec.c.private)),
    )
    private = case(
        (
            objective.is_not(None),
            coalesce(ob.c.private, _recorded("objective", objective, "private", flag=True), true()),
        ),
        else_=coalesce(kpi_private, false()),
    )
    exists = case(
        (is_("team"), tm.c.id.is_not(None)),
        (is_("cycle"), cy.c.id.is_not(None)),
        (is_("kpi"), kp.c.id.is_not(None)),
        (is_("objective"), ob.c.id.is_not(None)),
        (is_("key_result"), kr.c.id.is_not(None)),
        (is_("initiative"), ini.c.id.is_not(None)),
        (is_("alert"), al.c.id.is_not(None)),
        (is_("subscription"), sub.c.id.is_not(None)),
        else_=false(),
    )
    title = case(
        (is_("team"), tm.c.name),
        (is_("kpi"), kp.c.name),
        (is_("objective"), ob.c.title),
        (is_("key_result"), kr.c.title),
        (is_("initiative"), ini.c.title),
        (is_("alert"), kp_of.c.name),
    )
    joined = (
        _a.outerjoin(tm, and_(is_("team"), tm.c.key == _a.c.entity_key))
        .outerjoin(cy, and_(is_("cycle"), cy.c.key == _a.c.entity_key))
        .outerjoin(kp, and_(is_("kpi"), kp.c.key == _a.c.entity_key))
        .outerjoin(ini, and_(is_("initiative"), ini.c.id == number))
        .outerjoin(
            kr,
            kr.c.id == case((is_("key_result"), number), (is_("initiative"), ini.c.key_result_id)),
        )
        .outerjoin(ob_kr, ob_kr.c.id == kr.c.objective_id)
        .outerjoin(ob, ob.c.key == objective)
        .outerjoin(tm_ob, tm_ob.c.id == ob.c.team_id)
        .outerjoin(al, and_(is_("alert"), al.c.id == number))
        .outerjoin(sub, and_(is_("subscription"), sub.c.id == number))
        .outerjoin(kp_of, kp_of.c.id == coalesce(al.c.kpi_id, sub.c.kpi_id))
        .outerjoin(kp_rec, and_(gone_sub, kp_rec.c.key == _own("kpi")))
        .outerjoin(tm_kp, tm_kp.c.id == coalesce(kp.c.team_id, kp_of.c.team_id, kp_rec.c.team_id))
        .outerjoin(tm_sub, tm_sub.c.id == sub.c.team_id)
    )
    columns = select(
        _a,
        team.label("team"),
        cast(private, Boolean).label("private"),
        cast(exists, Boolean).label("exists"),
        title.label("title"),
        ini.c.key_result_id.label("key_result"),
    ).select_from(joined)
    return columns, team, private


def _record(row: Row[Any]) -> AuditRecord:
    at = naive_utc(row.at)
    assert at is not None
    return AuditRecord(
        id=row.id,
        at=at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        key=row.entity_key,
        before=row.before,
        after=row.after,
        team=row.team,
        private=bool(row.private),
        exists=bool(row.exists),
        title=row.title,
        key_result=row.key_result,
    )


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

    def page(self, query: AuditQuery) -> list[AuditRecord]:
        """A page of entries matching the query, newest first, placed by team; for a
        reader (`seen_by`), not those about other teams' private things, and only of
        the kinds they may read (`kinds`) — filtered here, so a page stays full."""
        statement, team, private = _resolved()
        if query.seen_by is not None:
            statement = statement.where(or_(private == false(), team.in_(sorted(query.seen_by))))
        if query.kinds is not None:
            statement = statement.where(_a.c.entity.in_(sorted(query.kinds)))
        wanted = ((team, query.team), (_a.c.entity, query.entity),
                  (_a.c.entity_key, query.key), (_a.c.actor, query.actor))  # fmt: skip
        for column, value in wanted:
            if value is not None:
                statement = statement.where(column == value)
        if query.after is not None:
            statement = statement.where(_a.c.id > query.after).order_by(_a.c.id)
        else:
            if query.before is not None:
                statement = statement.where(_a.c.id < query.before)
            statement = statement.order_by(_a.c.id.desc())
        rows = [_record(row) for row in self._c.execute(statement.limit(query.limit))]
        return rows[::-1] if query.after is not None else rows

"""An outbox for tests: a team and a KPI, an alert row (written as plain rows: the
alerts' own use cases are not what these tests are about), and its notice written to the
outbox through the store's port, as the alerts' use cases write it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from okrkit import bootstrap
from okrkit.adapters.store.tables import alerts, deliveries, kpis
from okrkit.domain.cadence import Cadence
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.domain.notifications import Event, Notice
from okrkit.services.kpis import create_kpi
from okrkit.services.ports import UnitOfWork
from okrkit.services.teams import CreateTeam, create_team
from tests.support.actors import as_actor

__all__ = [
    "NOW",
    "alert_notice",
    "delivery_rows",
    "enqueue_alert",
    "forget_workspace",
    "workspace",
]

NOW = datetime(2026, 11, 23, 9, 0)


def workspace(uow: UnitOfWork, teams: tuple[str, ...] = ("growth",)) -> None:
    """Teams, each with a KPI `<team>_conversion`."""
    for team in teams:
        create_team(uow, CreateTeam(team, team.title()), as_actor("maya"), NOW)
        create_kpi(
            uow,
            Kpi(
                key=f"{team}_conversion",
                name=f"{team.title()} conversion rate",
                unit="percent",
                direction=Direction.HIGHER,
                cadence=Cadence.parse("weekly"),
                team=team,
                target=16,
                thresholds=Thresholds(15, 12),
                owner="maya@example.com",
            ),
            as_actor("maya"),
            NOW,
        )


def alert_notice(alert_id: int, kpi: str, team: str, **changes: Any) -> Notice:
    """The notice of an opened red alert of `kpi`."""
    base = Notice(
        message_id="",
        event=Event.OPENED,
        at=NOW,
        alert_id=alert_id,
        kind="status",
        level="red",
        kpi_key=kpi,
        kpi_name=f"{team.title()} conversion rate",
        team_key=team,
        team_name=team.title(),
        status="red",
        status_words="Red: below the red bound",
        value=8.2,
        value_text="8.2%",
        value_at=NOW - timedelta(days=1),
        problem="incapable",
        reason="Routine variation of an incapable process: the process itself must change.",
        summary=f"{team.title()} conversion rate turned red: 8.2%, below the red bound of 12%",
        link=f"/alerts/{alert_id}",
        kpi_link=f"/kpis/{kpi}",
    )
    return replace(base, **changes)


def enqueue_alert(uow: UnitOfWork, engine: Engine, team: str = "growth") -> int:
    """An open red alert of the team's KPI, its notice written to the outbox in one
    transaction; returns how many deliveries were written."""
    kpi = f"{team}_conversion"
    with engine.begin() as connection:
        kpi_id = connection.execute(select(kpis.c.id).where(kpis.c.key == kpi)).scalar_one()
        # One unresolved alert per KPI and kind: the one before is resolved.
        connection.execute(update(alerts).where(alerts.c.kpi_id == kpi_id).values(state="resolved"))
        alert_id = connection.execute(
            insert(alerts)
            .values(
                kpi_id=kpi_id, kind="status", level="red", state="open", problem="incapable",
                reason="routine variation", status="red", value=8.2, opened_at=NOW,
                updated_at=NOW,
            )
            .returning(alerts.c.id)
        ).scalar_one()  # fmt: skip
    with uow:
        written = uow.deliveries.enqueue([(alert_notice(alert_id, kpi, team), kpi, team)], NOW)
        uow.commit()
    return written


def delivery_rows(engine: Engine) -> list[dict[str, Any]]:
    """Every outbox row, by id."""
    with engine.connect() as connection:
        return [
            dict(row._mapping)
            for row in connection.execute(select(deliveries).order_by(deliveries.c.id))
        ]


def forget_workspace(url: str) -> None:
    """Close what this process opened on a workspace through `bootstrap` (its engine's
    pool, its queue's connection), as a process's exit would."""
    if bootstrap.job_queue.cache_info().currsize:
        bootstrap.job_queue(url).close()
    bootstrap.job_queue.cache_clear()
    if bootstrap.engine.cache_info().currsize:
        bootstrap.engine(url).dispose()
    bootstrap.engine.cache_clear()

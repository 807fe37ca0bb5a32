"""Workspace use cases: load a whole workspace (the demo) into an empty database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from okrkit.domain.errors import Conflict
from okrkit.domain.kpis import Kpi
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.ports import UnitOfWork, ValueBatch
from okrkit.services.tiles import refresh_health

__all__ = ["BATCH_ROWS", "is_empty", "load_workspace"]

BATCH_ROWS = 50_000


def is_empty(uow: UnitOfWork) -> bool:
    """True when the workspace has no team yet (a first start)."""
    with uow:
        return not uow.teams.list(archived=True)


def load_workspace(
    uow: UnitOfWork,
    teams: Sequence[Team],
    kpis: Sequence[Kpi],
    values: Mapping[str, Series],
    actor: str,
    now: datetime,
) -> int:
    """Load teams, KPIs and their values into an empty workspace in one transaction,
    then judge their tiles for the health read model; returns the number of values
    written. A workspace that has teams is refused."""
    with uow:
        if uow.teams.list(archived=True):
            raise Conflict("the workspace is not empty: load a workspace only into a new database")
        for team in teams:
            uow.teams.add(team, None, actor, now)
        for kpi in kpis:
            uow.kpis.add(kpi, actor, now)
        written = 0
        for key, series in values.items():
            for start in range(0, len(series), BATCH_ROWS):
                part = slice(start, start + BATCH_ROWS)
                size = len(series.values[part])
                written += uow.values.upsert(
                    ValueBatch(
                        kpis=(key,),
                        kpi=np.zeros(size, dtype=np.int64),
                        segment=[""] * size,
                        timestamps=series.timestamps[part],
                        value=series.values[part],
                    )
                )
        uow.audit.append(
            actor=actor, action="load", entity="workspace", key="demo", before=None,
            after={"teams": len(teams), "kpis": len(kpis), "values": written}, at=now,
        )  # fmt: skip
        uow.commit()
    refresh_health(uow, now)
    return written

"""Notices for tests: the seeds' trial-to-paid KPI turning red, as every channel says
it, with twelve weekly values to draw."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from okrkit.domain.notifications import ChartData, Event, Notice

__all__ = ["AT", "chart_data", "notice"]

AT = datetime(2026, 8, 12, 9, 0, tzinfo=UTC)


def chart_data(points: int = 12) -> ChartData:
    """Weekly values sliding from green through yellow into red."""
    start = AT - timedelta(weeks=points)
    return ChartData(
        timestamps=tuple(start + timedelta(weeks=i) for i in range(points)),
        values=tuple(round(16.2 - 0.7 * i, 1) for i in range(points)),
        unit="percent",
        green=15.0,
        red=12.0,
        target=16.0,
    )


def notice(**changes: Any) -> Notice:
    """A notice of an opened red alert (a fresh `message_id` each call), with `changes`."""
    base = Notice(
        message_id=f"msg_{uuid.uuid4().hex}",
        event=Event.OPENED,
        at=AT,
        alert_id=12,
        kind="status",
        level="red",
        kpi_key="trial_to_paid",
        kpi_name="Trial-to-paid conversion rate",
        team_key="growth",
        team_name="Growth",
        status="red",
        status_words="Red: below the red bound",
        value=8.2,
        value_text="8.2%",
        value_at=AT - timedelta(days=1),
        problem="incapable",
        reason=(
            "Routine variation of an incapable process: the process itself must change. "
            "That is an OKR's job."
        ),
        summary="Trial-to-paid conversion rate turned red: 8.2%, below the red bound of 12%",
        link="/alerts/12",
        kpi_link="/kpis/trial_to_paid",
        draft_objective="/objectives/41",
        draft_title="Lift trial-to-paid conversion rate from 8.2% to 16%",
        chart=chart_data(),
    )
    return replace(base, **changes)

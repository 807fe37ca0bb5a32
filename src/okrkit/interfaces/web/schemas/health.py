"""A KPI's health in the API: status, freshness, trend, XmR signal or routine variation,
capability and data quality — `okrkit kpi check --format json`'s document and more."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from okrkit.domain.health import Status
from okrkit.domain.kpis import Kpi
from okrkit.domain.quality import IssueKind, Quality
from okrkit.domain.spc import Capability
from okrkit.interfaces import formatting as fmt

# `kpi check --format json` and the API's health share one function, so they cannot
# drift apart; it lives with the CLI command that first needed it.
from okrkit.interfaces.documents import check_document, finite
from okrkit.interfaces.web.schemas.common import aware
from okrkit.services.tiles import Tile

__all__ = [
    "Freshness",
    "Health",
    "Latest",
    "QualityIssueOut",
    "QualityOut",
    "SignalOut",
    "TrendOut",
    "XmrOut",
    "health_of",
]


class Latest(BaseModel):
    timestamp: str
    value: float


class TrendOut(BaseModel):
    """The latest cadence period against the one before."""

    previous: float | None
    change: float | None
    relative_change: float | None


class SignalOut(BaseModel):
    rule: str = Field(description="outside_limits, run_of_8 or three_of_four.")
    direction: str = Field(description="up or down.")
    indices: list[int] = Field(description="0-based positions in the judged window.")


class XmrOut(BaseModel):
    """The XmR chart of the judged window: limits from its baseline, and the signals."""

    centre: float | None
    moving_range_mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    upper_range_limit: float | None
    baseline_points: int
    reason: str | None = Field(description="Why there are no limits, when there are none.")
    signals: list[SignalOut]


class Freshness(BaseModel):
    """Whether the newest value is as recent as the cadence asks."""

    cadence: str
    newest: str | None = Field(description="Timestamp of the newest value.")
    stale_after: str | None = Field(
        description="A newest value before this is stale; null when the KPI can't be judged."
    )
    stale: bool


class QualityIssueOut(BaseModel):
    kind: IssueKind
    message: str
    indices: list[int]
    segment: str | None


class QualityOut(BaseModel):
    """Data quality of the judged window: gaps, nulls, duplicates, stopped segments."""

    ok: bool
    summary: str
    issues: list[QualityIssueOut]


class Health(BaseModel):
    """A KPI's health as of a moment: the document `okrkit kpi check --format json`
    prints (status … capability), plus freshness and data quality. Without values the
    status is `unknown` and the measured parts are null."""

    as_of: datetime
    status: str = Field(description="green, yellow, red or unknown (stale is never green).")
    stale: bool
    latest: Latest | None
    trend: TrendOut | None
    xmr: XmrOut | None
    verdict: str | None = Field(description="signal or routine (variation).")
    capability: str = Field(description="capable, marginal, incapable or unknown.")
    freshness: Freshness
    quality: QualityOut | None
    cant_judge: str | None = Field(
        default=None,
        description="Why the KPI can't be judged (its definition, e.g. a cadence that never "
        "fires), when it can't: the status is then unknown and nothing is measured.",
    )


def _freshness(kpi: Kpi, newest: datetime | None, stale: bool, as_of: datetime) -> Freshness:
    judged = kpi.cadence.problem is None
    return Freshness(
        cadence=str(kpi.cadence),
        newest=None if newest is None else fmt.moment(newest),
        stale_after=fmt.moment(kpi.cadence.stale_after(as_of)) if judged else None,
        stale=stale,
    )


def _quality(quality: Quality | None) -> QualityOut | None:
    if quality is None:
        return None
    return QualityOut(
        ok=quality.ok,
        summary=quality.describe(),
        issues=[
            QualityIssueOut(
                kind=i.kind, message=i.message, indices=list(i.indices), segment=i.segment
            )
            for i in quality.issues
        ],
    )


def health_of(tile: Tile, quality: Quality | None, as_of: datetime) -> Health:
    """A tile's health: `kpi check`'s JSON (the same function makes both), freshness and
    quality; a KPI without values is stale, `unknown`, and has nothing measured."""
    kpi = tile.stored.kpi
    if tile.check is None:
        return Health(
            as_of=aware(as_of),
            status=Status.UNKNOWN.value,
            stale=True,
            latest=None,
            trend=None,
            xmr=None,
            verdict=None,
            capability=Capability.UNKNOWN.value,
            freshness=_freshness(kpi, None, True, as_of),
            quality=None,
            cant_judge=tile.cant_judge,
        )
    document = finite(check_document(tile.check))
    return Health(
        **document,
        as_of=aware(as_of),
        freshness=_freshness(kpi, tile.check.latest_time, tile.check.stale, as_of),
        quality=_quality(quality),
    )

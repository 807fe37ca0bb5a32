"""A KPI in the API: its definition created, changed in part (thresholds, baseline) and
shown with its version; and the KPI resource, which adds its health, its segments' newest
values and, for a derived KPI, which input moved it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind, StoredKpi
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.schemas.common import Moment, StrictIn, aware, naive, revision_fields
from okrkit.interfaces.web.schemas.health import Health, health_of
from okrkit.services.derived import LatestFactors
from okrkit.services.kpis import KpiPage

__all__ = [
    "Baseline",
    "DecompositionOut",
    "FactorOut",
    "KpiCreate",
    "KpiDetail",
    "KpiOut",
    "KpiPatch",
    "SegmentOut",
    "ThresholdsIn",
    "kpi_detail",
]


class ThresholdsIn(StrictIn):
    """The green and red bounds; both bounds belong to yellow."""

    green: float
    red: float


class Baseline(BaseModel):
    """A locked XmR baseline period: the limits come from the values between these."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: Moment = Field(alias="from")
    end: Moment = Field(alias="to")


def _thresholds(value: ThresholdsIn | None) -> Thresholds | None:
    return None if value is None else Thresholds(value.green, value.red)


class KpiCreate(StrictIn):
    """A new KPI definition."""

    key: str = Field(description="Stable key: lower-case letters, digits, '-', '_'.")
    name: str
    unit: str = Field(description="count, percent, currency, ms, ratio, …")
    direction: Direction
    cadence: str = Field(description="daily, weekly, monthly or a cron expression.")
    team: str = Field(description="Key of the team whose dashboard shows it.")
    description: str = ""
    target: float | None = None
    thresholds: ThresholdsIn | None = None
    owner: str | None = None
    kind: KpiKind = KpiKind.LAGGING
    north_star: bool = False
    guardrail: bool = False
    formula: str | None = Field(
        default=None, description="A derived KPI's formula over other KPIs."
    )
    source: str | None = None

    def to_kpi(self) -> Kpi:
        """The domain definition (a cadence that does not parse names its field)."""
        fields = self.model_dump(exclude={"thresholds", "cadence"})
        return Kpi(
            **fields, cadence=Cadence.parse(self.cadence), thresholds=_thresholds(self.thresholds)
        )


# Fields a patch may clear with null; the others must have a value when given.
_NULLABLE = frozenset({"target", "thresholds", "owner", "formula", "source", "baseline"})


class KpiPatch(StrictIn):
    """A partial change to a KPI; omitted fields stay as they are, null clears one."""

    name: str | None = None
    description: str | None = None
    unit: str | None = None
    direction: Direction | None = None
    cadence: str | None = None
    team: str | None = None
    target: float | None = None
    thresholds: ThresholdsIn | None = None
    owner: str | None = None
    kind: KpiKind | None = None
    north_star: bool | None = None
    guardrail: bool | None = None
    formula: str | None = None
    source: str | None = None
    window_periods: int | None = Field(
        default=None, description="Periods the dashboard judges it on."
    )
    baseline: Baseline | None = Field(
        default=None, description="Lock a baseline period; null unlocks."
    )
    version: int | None = Field(default=None, description='Alternative to `If-Match: "<version>"`.')

    def definition_changes(self) -> dict[str, Any]:
        """The changed definition fields, as domain values (for `EditKpi.changes`)."""
        given = self.model_fields_set - {"window_periods", "baseline", "version"}
        changes: dict[str, Any] = {}
        for name in sorted(given):
            value = getattr(self, name)
            if value is None and name not in _NULLABLE:
                raise InvalidInput("cannot be null", field=name)
            if name == "cadence":
                value = Cadence.parse(value)
            elif name == "thresholds":
                value = _thresholds(value)
            changes[name] = value
        return changes

    def baseline_change(self) -> tuple[tuple[datetime, datetime] | None, bool]:
        """(new locked baseline, unlock?) from the `baseline` field."""
        if "baseline" not in self.model_fields_set:
            return None, False
        if self.baseline is None:
            return None, True
        return (naive(self.baseline.start), naive(self.baseline.end)), False


class KpiOut(BaseModel):
    """A KPI's definition, how it is judged, and its version."""

    model_config = ConfigDict(populate_by_name=True)

    key: str
    name: str
    description: str
    unit: str
    direction: Direction
    cadence: str
    team: str
    target: float | None
    thresholds: ThresholdsIn | None
    owner: str | None
    kind: KpiKind
    north_star: bool
    guardrail: bool
    formula: str | None
    source: str | None
    window_periods: int
    baseline: Baseline | None
    archived: bool
    version: int = Field(description="Bumped by every change; send it back with a change.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def fields_of(cls, stored: StoredKpi) -> dict[str, Any]:
        kpi = stored.kpi
        return {
            "key": kpi.key,
            "name": kpi.name,
            "description": kpi.description,
            "unit": kpi.unit,
            "direction": kpi.direction,
            "cadence": str(kpi.cadence),
            "team": kpi.team,
            "target": kpi.target,
            "thresholds": None
            if kpi.thresholds is None
            else ThresholdsIn(green=kpi.thresholds.green, red=kpi.thresholds.red),
            "owner": kpi.owner,
            "kind": kpi.kind,
            "north_star": kpi.north_star,
            "guardrail": kpi.guardrail,
            "formula": kpi.formula,
            "source": kpi.source,
            "window_periods": stored.window_periods,
            "baseline": None
            if stored.baseline is None
            else Baseline.model_validate(
                {"from": aware(stored.baseline[0]), "to": aware(stored.baseline[1])}
            ),
            "archived": stored.archived,
            **revision_fields(stored.revision),
        }

    @classmethod
    def from_stored(cls, stored: StoredKpi) -> KpiOut:
        return cls(**cls.fields_of(stored))


class SegmentOut(BaseModel):
    """A segment's newest value and the one before it."""

    segment: str
    latest: float
    latest_time: str
    previous: float | None


class FactorOut(BaseModel):
    """One input of a derived KPI: its value in both periods and its part of the change."""

    key: str
    before: float
    after: float
    contribution: float | None = Field(description="Its part of the change, in the KPI's unit.")
    share: float | None = Field(description="Its share of the change (1.0 = all of it).")


class DecompositionOut(BaseModel):
    """Which input moved a derived KPI: its latest period of its cadence against the one
    before. Without `periods`, `reason` says why it cannot be said."""

    formula: str
    periods: list[str] | None = Field(description="The two periods compared, oldest first.")
    before: float | None
    after: float | None
    method: str | None = Field(description="log_change (log-change shares) or shapley.")
    factors: list[FactorOut]
    reason: str | None


class KpiDetail(KpiOut):
    """A KPI's definition with its health, its segments and, for a derived KPI, which
    input moved it."""

    health: Health
    segments: list[SegmentOut]
    decomposition: DecompositionOut | None = Field(
        default=None, description="For a KPI with a formula; null otherwise."
    )


def kpi_detail(page: KpiPage, as_of: datetime) -> KpiDetail:
    """The KPI resource: definition, version, health as of the page's moment, segments."""
    tile = page.tile
    return KpiDetail(
        **KpiOut.fields_of(tile.stored),
        health=health_of(tile, page.quality, as_of),
        segments=[
            SegmentOut(
                segment=row.segment,
                latest=row.latest,
                latest_time=fmt.moment(row.latest_time),
                previous=row.previous,
            )
            for row in page.segments
        ],
        decomposition=_decomposition(page.factors),
    )


def _decomposition(factors: LatestFactors | None) -> DecompositionOut | None:
    if factors is None:
        return None
    view = factors.explanation
    if view is None:
        return DecompositionOut(
            formula=factors.formula, periods=None, before=None, after=None, method=None,
            factors=[], reason=factors.reason,
        )  # fmt: skip
    result = view.result
    return DecompositionOut(
        formula=factors.formula,
        periods=list(view.window.labels),
        before=result.before,
        after=result.after,
        method=str(result.method),
        factors=[
            FactorOut(
                key=f.key,
                before=f.before,
                after=f.after,
                contribution=f.contribution,
                share=f.share,
            )  # fmt: skip
            for f in result.factors
        ],
        reason=result.reason,
    )

"""A KPI in the API: its definition created, changed in part (thresholds, baseline) and
shown with its version; and the KPI resource, which adds its health, its segments' newest
values and, for a derived KPI, which input moved it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from pydantic import BaseModel, ConfigDict, Field

from okrkit.adapters.declared_models import declared_model, group_model
from okrkit.domain.fields import changes_from_data, data_of, from_data
from okrkit.domain.kpis import Kpi, StoredKpi
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


# The green and red bounds, one model for every KPI shape of the API.
ThresholdsIn = group_model(Kpi, "thresholds", "ThresholdsIn", base=StrictIn)


class Baseline(BaseModel):
    """A locked XmR baseline period: the limits come from the values between these."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: Moment = Field(alias="from")
    end: Moment = Field(alias="to")


_VERSION = Field(default=None, description='Alternative to `If-Match: "<version>"`.')


class _Create(StrictIn):
    """What a new KPI's body turns into (its fields: the domain's declared ones)."""

    def to_kpi(self) -> Kpi:
        """The domain definition; a value the domain refuses names its field."""
        return from_data(Kpi, self.model_dump())


class _Patch(StrictIn):
    """What a partial change turns into (its fields: the editable declared ones)."""

    if TYPE_CHECKING:  # fields of the API's own, made with the declared ones
        window_periods: int | None
        baseline: Baseline | None
        version: int | None

    def definition_changes(self) -> dict[str, Any]:
        """The changed definition fields, as domain values (for `EditKpi.changes`); null
        clears an optional field and is refused for the others."""
        given = self.model_fields_set - {"window_periods", "baseline", "version"}
        return changes_from_data(Kpi, self.model_dump(include=given))

    def baseline_change(self) -> tuple[tuple[datetime, datetime] | None, bool]:
        """(new locked baseline, unlock?) from the `baseline` field."""
        if "baseline" not in self.model_fields_set:
            return None, False
        if self.baseline is None:
            return None, True
        return (naive(self.baseline.start), naive(self.baseline.end)), False


class _Out(BaseModel):
    """A KPI as the API shows it (its definition: the domain's declared fields)."""

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def fields_of(cls, stored: StoredKpi) -> dict[str, Any]:
        return {
            **data_of(stored.kpi),
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
    def from_stored(cls, stored: StoredKpi) -> Self:
        return cls(**cls.fields_of(stored))


_GROUPS = {"thresholds": ThresholdsIn}
if TYPE_CHECKING:  # the models are made at import from the declarations
    KpiCreate = _Create
    KpiPatch = _Patch
    KpiOut = _Out
else:
    KpiCreate = declared_model(
        Kpi, "KpiCreate", base=_Create, groups=_GROUPS, doc="A new KPI definition."
    )
    KpiPatch = declared_model(
        Kpi,
        "KpiPatch",
        base=_Patch,
        partial=True,
        exclude={"key"},
        groups=_GROUPS,
        extra={
            "window_periods": (
                int | None,
                Field(default=None, description="Periods the dashboard judges it on."),
            ),
            "baseline": (
                Baseline | None,
                Field(default=None, description="Lock a baseline period; null unlocks."),
            ),
            "version": (int | None, _VERSION),
        },
        doc="A partial change to a KPI; omitted fields stay as they are, null clears one.",
    )
    KpiOut = declared_model(
        Kpi,
        "KpiOut",
        base=_Out,
        output=True,
        groups=_GROUPS,
        extra={
            "window_periods": (int, ...),
            "baseline": (Baseline | None, ...),
            "archived": (bool, ...),
            "version": (
                int,
                Field(description="Bumped by every change; send it back with a change."),
            ),
            "changed_at": (datetime, ...),
            "changed_by": (str, ...),
        },
        doc="A KPI's definition, how it is judged, and its version.",
    )


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

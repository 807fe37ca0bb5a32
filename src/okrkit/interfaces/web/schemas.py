"""The JSON API's request and response shapes (Pydantic), and their mapping to the domain.

Requests check JSON types at the edge; the business rules (what a key looks like,
thresholds in the right order, a cadence that parses) stay in the services, which name
the field they reject — so a rule is never written twice. Responses are built from the
services' read models by the `from_*` constructors; the OpenAPI document describes them.

Moments: `timestamp` strings are ISO 8601 in UTC — the date alone when it is midnight,
otherwise date and time with `Z`, as `okrkit kpi check --format json` prints them;
`changed_at` is a full UTC datetime.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from okrkit.adapters.sources.values.rows import ValueRow
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind, StoredKpi
from okrkit.domain.quality import IssueKind, Quality
from okrkit.domain.spc import Capability
from okrkit.domain.teams import StoredTeam
from okrkit.domain.versions import Revision
from okrkit.interfaces import formatting as fmt

# `kpi check --format json` and the API's health share one function, so they cannot
# drift apart; it lives with the CLI command that first needed it.
from okrkit.interfaces.documents import check_document
from okrkit.services.derived import LatestFactors
from okrkit.services.kpis import KpiPage
from okrkit.services.tiles import Tile
from okrkit.services.values import ImportReport, ValuePage

__all__ = [
    "Baseline",
    "DecompositionOut",
    "FactorOut",
    "FieldError",
    "Freshness",
    "Health",
    "ImportOut",
    "KpiImportOut",
    "KpiCreate",
    "KpiDetail",
    "KpiOut",
    "KpiPatch",
    "Latest",
    "Moment",
    "Problem",
    "ProblemTypeOut",
    "QualityIssueOut",
    "QualityOut",
    "SegmentOut",
    "SignalOut",
    "TeamCreate",
    "TeamOut",
    "TeamPatch",
    "ThresholdsIn",
    "TrendOut",
    "ValueIn",
    "ValueOut",
    "ValuesPageOut",
    "VersionBody",
    "XmrOut",
    "aware",
    "finite",
    "health_of",
    "kpi_detail",
    "naive",
]


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ].+)?$")


def _iso_only(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_MOMENT.match(value.strip()):
        raise ValueError(
            "use an ISO 8601 date or datetime, e.g. 2026-11-23 or 2026-11-23T09:30:00Z"
        )
    return value


# An ISO 8601 date (its midnight) or datetime; without an offset it is UTC.
Moment = Annotated[datetime, BeforeValidator(_iso_only)]


def aware(moment: datetime) -> datetime:
    """A naive UTC moment (as the services keep them) marked as UTC for rendering."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def finite(value: Any) -> Any:
    """The same JSON data with NaN and infinities as null (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


class _In(BaseModel):
    """A request body: unknown fields are an error that names them."""

    model_config = ConfigDict(extra="forbid")


# --- problems ---------------------------------------------------------------------


class FieldError(BaseModel):
    """One bad field of a request."""

    location: str = Field(description="Where the field is: body, query, header or path.")
    field: str | None = Field(
        default=None, description="The field, e.g. `name`, `thresholds.green`, `[3].value`."
    )
    detail: str = Field(description="What is wrong with it.")
    pointer: str | None = Field(
        default=None,
        description="For a body field, a JSON Pointer (RFC 6901) to it, e.g. `/3/value`.",
    )


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(description="URI of the problem type; GET it for its description.")
    title: str = Field(description="Short summary of the problem type; the same every time.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, in words.")
    instance: str | None = Field(default=None, description="The path of the request that failed.")
    field: str | None = Field(default=None, description="The offending field, when there is one.")
    errors: list[FieldError] | None = Field(
        default=None, description="Every bad field with its location (validation problems)."
    )


class ProblemTypeOut(BaseModel):
    """A problem type: what its type URI means."""

    type: str
    title: str
    status: int
    description: str


# --- versions ---------------------------------------------------------------------


class VersionBody(_In):
    """The version a change is based on, for a request with no other body (DELETE)."""

    version: int | None = Field(default=None, description='Alternative to `If-Match: "<version>"`.')


def _revision(revision: Revision) -> dict[str, Any]:
    return {
        "version": revision.version,
        "changed_at": aware(revision.changed_at),
        "changed_by": revision.changed_by,
    }


# --- teams ------------------------------------------------------------------------


class TeamCreate(_In):
    """A new team."""

    key: str = Field(description="Stable key: lower-case letters, digits, '-', '_'.")
    name: str
    parent: str | None = Field(default=None, description="Key of the team it belongs to.")


class TeamPatch(_In):
    """A partial change to a team; omitted fields stay as they are."""

    name: str | None = None
    parent: str | None = Field(default=None, description="Key of the new parent; null detaches it.")
    version: int | None = Field(default=None, description='Alternative to `If-Match: "<version>"`.')


class TeamOut(BaseModel):
    """A team as the workspace keeps it."""

    key: str
    name: str
    parent: str | None
    archived: bool
    version: int = Field(description="Bumped by every change; send it back with a change.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def from_stored(cls, stored: StoredTeam) -> TeamOut:
        return cls(
            key=stored.team.key,
            name=stored.team.name,
            parent=stored.parent,
            archived=stored.archived,
            **_revision(stored.revision),
        )


# --- KPIs -------------------------------------------------------------------------


class ThresholdsIn(_In):
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


def naive(moment: datetime) -> datetime:
    """A moment as naive UTC (the services' convention); a naive one is taken as UTC."""
    return aware(moment).replace(tzinfo=None)


class KpiCreate(_In):
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


class KpiPatch(_In):
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
            **_revision(stored.revision),
        }

    @classmethod
    def from_stored(cls, stored: StoredKpi) -> KpiOut:
        return cls(**cls.fields_of(stored))


# --- health -----------------------------------------------------------------------


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
    stale_after: str = Field(description="A newest value before this is stale.")
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


def _freshness(kpi: Kpi, newest: datetime | None, stale: bool, as_of: datetime) -> Freshness:
    return Freshness(
        cadence=str(kpi.cadence),
        newest=None if newest is None else fmt.moment(newest),
        stale_after=fmt.moment(kpi.cadence.stale_after(as_of)),
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
        )
    document = finite(check_document(tile.check))
    return Health(
        **document,
        as_of=aware(as_of),
        freshness=_freshness(kpi, tile.check.latest_time, tile.check.stale, as_of),
        quality=_quality(quality),
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


# --- values -----------------------------------------------------------------------


class ValueIn(_In):
    """One value to import; the KPI is the one of the path."""

    timestamp: Moment = Field(
        description="ISO 8601 date (its midnight) or datetime; UTC unless it has an offset."
    )
    value: float = Field(description="A finite number (15 for 15 %).")
    segment: str | None = Field(
        default=None, description="A segment such as plan=pro; omitted or null: the total."
    )

    def to_row(self) -> ValueRow:
        return ValueRow(self.timestamp, self.value, self.segment or "")


class KpiImportOut(BaseModel):
    """What an import wrote for one KPI."""

    key: str
    rows: int
    first: datetime
    last: datetime


class ImportOut(BaseModel):
    """The outcome of an import: rows read and written, and each KPI it touched."""

    source: str
    rows_read: int
    rows_written: int
    kpis: list[KpiImportOut]

    @classmethod
    def from_report(cls, report: ImportReport) -> ImportOut:
        return cls(
            source=report.source,
            rows_read=report.rows_read,
            rows_written=report.rows_written,
            kpis=[
                KpiImportOut(key=k.key, rows=k.rows, first=aware(k.first), last=aware(k.last))
                for k in report.kpis
            ],
        )


class ValueOut(BaseModel):
    timestamp: str
    value: float


class ValuesPageOut(BaseModel):
    """One page of a KPI segment's values, oldest first."""

    kpi: str
    segment: str | None = Field(description="null for the KPI's total.")
    start: str | None = Field(alias="from", description="Start of the range (inclusive).")
    end: str | None = Field(alias="to", description="End of the range (inclusive).")
    total: int = Field(description="How many values the whole range holds.")
    offset: int
    limit: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")
    items: list[ValueOut]

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def from_page(cls, page: ValuePage) -> ValuesPageOut:
        return cls.model_validate(
            {
                "kpi": page.kpi,
                "segment": page.segment or None,
                "from": None if page.start is None else fmt.moment(page.start),
                "to": None if page.end is None else fmt.moment(page.end),
                "total": page.total,
                "offset": page.offset,
                "limit": page.limit,
                "next_offset": page.next_offset,
                "items": [ValueOut(timestamp=fmt.moment(t), value=v) for t, v in page.points],
            }
        )

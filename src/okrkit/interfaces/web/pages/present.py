"""What a KPI's health reads like on a page: the status in words with its reason, the
change against the prior period, the sparkline, the counts of a team.

Colour is never the only signal (DESIGN.md, Interfaces): every status carries a word
and an icon of its own shape, and every change an arrow and whether it is better or
worse for the KPI's direction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.model import Kpi
from okrkit.domain.trend import period_means
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.charts import Sparkline, sparkline
from okrkit.services.dashboards import TeamSummary, Tile
from okrkit.services.kpis import describe_capability

__all__ = [
    "STATUS_ORDER",
    "capability_words",
    "ChangeView",
    "CountView",
    "StatusView",
    "change_view",
    "counts_view",
    "spark",
    "status_view",
    "thresholds_words",
    "tile_facts",
    "tiles_summary",
    "total_counts",
]

STATUS_ORDER = ("green", "yellow", "red", "unknown")
# One icon per status, each of another shape, so the status reads without colour.
_ICONS = {"green": "✓", "yellow": "▲", "red": "✕", "unknown": "?", "stale": "◷"}
_WORDS = {
    "green": "Green",
    "yellow": "Yellow",
    "red": "Red",
    "unknown": "Unknown",
    "stale": "Stale",
}


@dataclass(frozen=True)
class StatusView:
    """A status as shown: its key (the CSS class), icon, word and reason in words."""

    key: str
    icon: str
    word: str
    reason: str


def thresholds_words(kpi: Kpi) -> str:
    """The thresholds of a KPI in words: 'green above 15.0%, red below 12.0%'."""
    if kpi.thresholds is None:
        return "no thresholds"
    good, bad = ("above", "below") if kpi.direction is Direction.HIGHER else ("below", "above")
    return (
        f"green {good} {fmt.number(kpi.thresholds.green, kpi.unit)}, "
        f"red {bad} {fmt.number(kpi.thresholds.red, kpi.unit)}"
    )


def _reason(kpi: Kpi, thresholds: Thresholds, value: float, light: Status, stale: bool) -> str:
    higher = kpi.direction is Direction.HIGHER
    shown = fmt.number(value, kpi.unit)
    green, red = fmt.number(thresholds.green, kpi.unit), fmt.number(thresholds.red, kpi.unit)
    if light is Status.RED:
        return f"{shown} is {'below' if higher else 'above'} the red bound {red}"
    if light is Status.GREEN:
        return f"{shown} is {'above' if higher else 'below'} the green bound {green}"
    beyond_green = value > thresholds.green if higher else value < thresholds.green
    if stale and beyond_green:
        return (
            f"{shown} would be green, but the newest value is stale: stale data is never "
            "shown green"
        )
    return (
        f"{shown} is between the red bound {red} and the green bound {green} "
        "(both bounds count as yellow)"
    )


def status_view(tile: Tile) -> StatusView:
    """A tile's status with the reason in words: which bound the newest value is beyond,
    or that it lies between them (both bounds are yellow), or why it is unknown."""
    light = tile.status.value
    kpi, check = tile.stored.kpi, tile.check
    if check is None:
        reason = "no values yet"
    elif kpi.thresholds is None:
        reason = "no thresholds set: a KPI without thresholds is never shown green"
    else:
        reason = _reason(kpi, kpi.thresholds, check.latest_value, check.status, check.stale)
    return StatusView(light, _ICONS[light], _WORDS[light], reason)


@dataclass(frozen=True)
class ChangeView:
    """The change against the prior period: arrow, signed change, and better or worse."""

    arrow: str
    text: str
    verdict: str


def change_view(tile: Tile) -> ChangeView:
    """The latest period against the one before, in the KPI's unit (points for a
    percentage), with its relative size and whether that is better or worse for a KPI
    where higher (or lower) is better."""
    check, kpi = tile.check, tile.stored.kpi
    if check is None:
        return ChangeView("", "no values yet", "none")
    period = check.cadence.period_name if check.cadence else "period"
    trend = check.trend
    if trend.change is None or trend.previous is None:
        return ChangeView("", f"no value in the {period} before the latest", "none")
    arrow = "▲" if trend.change > 0 else "▼" if trend.change < 0 else "▶"
    relative = (
        "" if trend.relative_change is None else f" ({fmt.percent_share(trend.relative_change)})"
    )
    text = (
        f"{fmt.change(trend.change, kpi.unit)}{relative} against the previous {period} "
        f"({fmt.number(trend.previous, kpi.unit)})"
    )
    if trend.change == 0:
        verdict = "unchanged"
    else:
        better = (trend.change > 0) == (kpi.direction is Direction.HIGHER)
        verdict = "better" if better else "worse"
    return ChangeView(arrow, text, verdict)


def capability_words(tile: Tile) -> str:
    """What the process can do against the thresholds, in words: capable (stays green as
    it runs), marginal (reaches into yellow) or incapable (produces red values with
    nothing changed — the process itself must change)."""
    if tile.check is None:
        return "unknown: no values yet"
    return describe_capability(tile.check)


def spark(tile: Tile) -> Sparkline | None:
    """The tile's window as a sparkline of one point per cadence period (a period
    holding several values is worth their mean), labelled in words."""
    cadence = tile.stored.kpi.cadence
    if not len(tile.values):
        return None
    _, means = period_means(
        cadence.period_index(tile.values.timestamps), tile.values.values.reshape(1, -1)
    )
    return sparkline(means[0].tolist(), tile.stored.kpi.unit, cadence.period_name)


def tile_facts(tile: Tile) -> dict[str, str]:
    """The small facts under a tile: when the newest value is from, cadence, owner."""
    kpi, check = tile.stored.kpi, tile.check
    facts = {"Cadence": str(kpi.cadence), "Owner": kpi.owner or "nobody"}
    if check is not None:
        facts = {"Newest value": fmt.moment(check.latest_time), **facts}
    return facts


def tiles_summary(tiles: Sequence[Tile]) -> str:
    """A dashboard in one sentence: '3 KPIs: 1 green, 2 yellow; 1 stale.'"""
    if not tiles:
        return "No KPIs yet."
    counts = Counter(t.status.value for t in tiles)
    parts = [f"{counts[k]} {k}" for k in STATUS_ORDER if counts[k]]
    stale = sum(1 for t in tiles if t.check is not None and t.check.stale)
    text = f"{len(tiles)} KPI{'' if len(tiles) == 1 else 's'}: {', '.join(parts)}"
    return text + (f"; {stale} stale." if stale else ".")


@dataclass(frozen=True)
class CountView:
    """One status's count on the home page: how many, the word, the icon, the bar share."""

    key: str
    icon: str
    count: int
    word: str
    share: float


def total_counts(teams: Sequence[TeamSummary]) -> tuple[dict[str, int], int]:
    """Every team's counts added up, and how many KPIs that is."""
    total: Counter[str] = Counter()
    for team in teams:
        total.update(team.counts)
    return dict(total), sum(team.kpis for team in teams)


def counts_view(counts: dict[str, int], total: int) -> list[CountView]:
    """A team's counts of green, yellow, red, unknown and stale KPIs, in words."""
    views = []
    for key in (*STATUS_ORDER, "stale"):
        n = counts.get(key, 0)
        word = _WORDS[key].lower()
        views.append(CountView(key, _ICONS[key], n, word, n / total if total else 0.0))
    return views

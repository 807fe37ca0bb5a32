"""What a KPI's health reads like on a page: the status in words with its reason, the
change against the prior period, the sparkline, the counts of a team.

Colour is never the only signal (an accessibility rule): every status carries a word
and an icon of its own shape, and every change an arrow and whether it is better or
worse for the KPI's direction.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from okrkit.domain.decompose import FactorContribution, Method
from okrkit.domain.health import Direction, Status, status_reason
from okrkit.domain.kpis import Kpi
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.charts.sparklines import Sparkline, sparkline
from okrkit.services.dashboards import Attention, TeamSummary
from okrkit.services.derived import LatestFactors
from okrkit.services.health import KpiCheck, describe_capability
from okrkit.services.tiles import Tile

__all__ = [
    "STATUS_ORDER",
    "attention_view",
    "capability_words",
    "ChangeView",
    "CountView",
    "FactorRow",
    "FactorsView",
    "StatusView",
    "change_view",
    "confidence_words",
    "counts_view",
    "factors_view",
    "light_view",
    "pace_view",
    "percent",
    "spark",
    "status_view",
    "thresholds_words",
    "tile_facts",
    "tiles_summary",
    "total_counts",
]

STATUS_ORDER = ("green", "yellow", "red", "unknown")
# What a dashboard counts: the statuses and, beside red, the KPIs that can't be judged.
_COUNTED = ("green", "yellow", "red", "cant_judge", "unknown")
# One icon per status, each of another shape, so the status reads without colour.
_ICONS = {"green": "✓", "yellow": "▲", "red": "✕", "cant_judge": "⊘", "unknown": "?", "stale": "◷"}
_WORDS = {
    "green": "Green",
    "yellow": "Yellow",
    "red": "Red",
    "cant_judge": "Can't judge",
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


def status_view(tile: Tile) -> StatusView:
    """A tile's status with the reason in words: which bound the newest value is beyond,
    or that it lies between them (both bounds are yellow), or why it is unknown."""
    light = tile.status.value
    kpi, check = tile.stored.kpi, tile.health
    if tile.cant_judge is not None:
        light, reason = "cant_judge", tile.cant_judge
    elif check is None:
        reason = "no values yet"
    elif kpi.thresholds is None:
        reason = "no thresholds set: a KPI without thresholds is never shown green"
    else:
        reason = status_reason(
            check.latest_value, kpi.thresholds, kpi.direction, check.status, check.stale, kpi.unit
        )
    return StatusView(light, _ICONS[light], _WORDS[light], reason)


def attention_view(item: Attention) -> StatusView:
    """A KPI that needs attention, as the home page names it: its status (or can't
    judge, or stale) with the reason in words."""
    kpi = item.stored.kpi
    if item.cant_judge is not None:
        return StatusView("cant_judge", _ICONS["cant_judge"], _WORDS["cant_judge"], item.cant_judge)
    if item.newest is None or item.value is None:
        return StatusView("stale", _ICONS["stale"], _WORDS["stale"], "no values yet")
    stale = (
        f"the newest value ({fmt.moment(item.newest)}) is older than a {kpi.cadence} cadence allows"
    )
    if kpi.thresholds is None or item.status is Status.UNKNOWN:
        return StatusView("stale", _ICONS["stale"], _WORDS["stale"], stale)
    light = item.status.value
    reason = status_reason(
        item.value, kpi.thresholds, kpi.direction, item.status, item.stale, kpi.unit
    )
    if item.stale and "stale" not in reason:
        reason = f"{reason}; {stale}"
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
    check, kpi = tile.health, tile.stored.kpi
    if check is None:
        return ChangeView("", "no values yet", "none")
    period = check.cadence.period_name
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
    if tile.cant_judge is not None:
        return "unknown: the KPI can't be judged"
    if tile.check is None:
        return "unknown: no values yet"
    return describe_capability(tile.check)


def spark(tile: Tile) -> Sparkline | None:
    """The tile's window as a sparkline of one point per cadence period (a period
    holding several values is worth their mean), labelled in words."""
    if tile.health is None or not tile.health.spark:
        return None
    return sparkline(
        list(tile.health.spark), tile.stored.kpi.unit, tile.stored.kpi.cadence.period_name
    )


def tile_facts(tile: Tile) -> dict[str, str]:
    """The small facts under a tile: when the newest value is from, cadence, owner."""
    kpi, check = tile.stored.kpi, tile.health
    facts = {"Cadence": str(kpi.cadence), "Owner": kpi.owner or "nobody"}
    if check is not None:
        facts = {"Newest value": fmt.moment(check.latest_time), **facts}
    return facts


def tiles_summary(tiles: Sequence[Tile]) -> str:
    """A dashboard in one sentence: '3 KPIs: 1 green, 2 yellow; 1 stale.'"""
    if not tiles:
        return "No KPIs yet."
    counts = Counter("cant_judge" if t.cant_judge else t.status.value for t in tiles)
    parts = [f"{counts[k]} {_WORDS[k].lower()}" for k in _COUNTED if counts[k]]
    stale = sum(1 for t in tiles if t.health is not None and t.health.stale)
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
    """A team's counts of green, yellow, red, can't judge, unknown and stale KPIs, in
    words."""
    views = []
    for key in (*_COUNTED, "stale"):
        n = counts.get(key, 0)
        if key == "cant_judge" and not n:
            continue  # said only when a KPI can't be judged
        word = _WORDS[key].lower()
        views.append(CountView(key, _ICONS[key], n, word, n / total if total else 0.0))
    return views


@dataclass(frozen=True)
class FactorRow:
    """One input of a derived KPI as its page shows it: its value in both periods, how
    much it moved, its share of the KPI's change, and that share in words."""

    key: str
    before: str
    after: str
    change: str
    share: str
    words: str


@dataclass(frozen=True)
class FactorsView:
    """Which input moved a derived KPI, in words: a headline, the two periods compared,
    one row per input (biggest mover first) and notes on reading the shares; or only
    `reason` when it cannot be computed."""

    formula: str
    reason: str | None = None
    headline: str = ""
    periods: tuple[str, str] = ("", "")
    rows: tuple[FactorRow, ...] = ()
    notes: tuple[str, ...] = ()


def _share(share: float | None) -> str:
    """A share of a change, whole percent ('42%'); a dash when there is none (or an
    overflow made it infinite)."""
    if share is None or not math.isfinite(share):
        return "—"
    return f"{share * 100:.0f}%".replace("-", "\N{MINUS SIGN}")


def _input_change(factor: FactorContribution) -> str:
    if factor.before == 0:
        return fmt.change(factor.after - factor.before)
    return fmt.percent_share((factor.after - factor.before) / abs(factor.before))


def _factor_words(factor: FactorContribution, noun: str) -> str:
    if factor.before == factor.after:
        return f"{factor.key} did not change"
    if factor.contribution is None:
        return f"{factor.key}: its share cannot be computed"
    if factor.share is None:
        return f"{factor.key} moved, but the KPI did not"
    percent = round(factor.share * 100)
    if percent > 0:
        return f"{factor.key} explains {percent}% of the {noun}"
    if percent < 0:
        return f"{factor.key} pulled the other way, offsetting {-percent}% of the {noun}"
    return f"{factor.key} explains almost none of the {noun}"


def factors_view(kpi: Kpi, factors: LatestFactors | None) -> FactorsView | None:
    """A derived KPI's move between the latest period and the one before, as a product
    manager reads it: "ARPA fell from $481 to $467 (−$14, −2.9%) between 2026-10 and
    2026-11; paying_customers explains 170% of the fall", each input's share in words
    (an input that pulled the other way offsets part of the move, so the others exceed
    100%), or the sentence saying why it cannot be computed. None for a KPI that is not
    derived."""
    if factors is None:
        return None
    view = factors.explanation
    if view is None:
        return FactorsView(factors.formula, reason=factors.reason or "")
    result, labels, unit = view.result, view.window.labels, kpi.unit
    before, after = fmt.number(result.before, unit), fmt.number(result.after, unit)
    shares = [f.share for f in result.factors if f.share is not None]
    if not shares:
        headline = f"{kpi.name} did not change between {labels[0]} and {labels[1]} ({after})."
        noun = "change"
    else:
        noun = "rise" if result.change > 0 else "fall"
        amount = fmt.change(result.change, unit)
        if result.relative_change is not None:
            amount += f", {fmt.percent_share(result.relative_change)}"
        headline = (
            f"{kpi.name} {'rose' if result.change > 0 else 'fell'} from {before} to {after} "
            f"({amount}) between {labels[0]} and {labels[1]}"
        )
        top = max(result.factors, key=lambda f: f.share if f.share is not None else -math.inf)
        if top.share is not None and top.share > 0:
            headline += f": {top.key} explains {round(top.share * 100)}% of the {noun}"
        headline += "."
    name = view.window.cadence.period_name
    period = "period" if name == "point" else name
    notes = []
    if any(share < 0 or share > 1 for share in shares):
        notes.append(
            "The shares add up to 100%: an input above 100% was partly offset by one that "
            "pulled the other way."
        )
    if result.method is Method.LOG_CHANGE:
        notes.append(
            "Each share is the input's relative change as a part of the KPI's relative "
            f"change (log-change shares); an input with several values in a {period} counts "
            "their mean."
        )
    else:
        notes.append(
            "Each share is the input's average effect when switched from its earlier to its "
            "later value, in every order (Shapley values); an input with several values in "
            f"a {period} counts their mean."
        )
    if result.reason and shares:
        notes.append(f"Note: {result.reason}.")
    rows = tuple(
        FactorRow(
            f.key,
            fmt.number(f.before),
            fmt.number(f.after),
            _input_change(f),
            _share(f.share),
            _factor_words(f, noun),
        )
        for f in result.ranked
    )
    return FactorsView(
        factors.formula,
        headline=headline,
        periods=(labels[0], labels[1]),
        rows=rows,
        notes=tuple(notes),
    )


# --- The OKR side: pace, progress, confidence --------------------------------------------

# Pace in a product manager's words, each with an icon of its own shape (colour is never
# the only signal) and the CSS class of the status colour it borrows.
_PACE = {
    "on_track": ("green", "✓", "On track"),
    "at_risk": ("yellow", "▲", "At risk"),
    "off_track": ("red", "✕", "Off track"),
    "not_started": ("unknown", "○", "Not started"),
}


def pace_view(pace: str | None) -> StatusView:
    """A key result's or objective's pace as a badge: word, icon, colour and what it
    means (a guardrail has no pace: it holds or it is breached)."""
    if pace is None:
        return StatusView("unknown", "—", "Guardrail", "a line to hold, not a goal")
    key, icon, word = _PACE[str(pace)]
    reasons = {
        "on_track": "on course to reach its target by the deadline",
        "at_risk": "behind the pace its target needs, but within reach",
        "off_track": "far behind the pace its target needs",
        "not_started": "no check-in yet, or still in the cycle's first week",
    }
    return StatusView(key, icon, word, reasons[str(pace)])


def percent(share: float | None) -> str:
    """A share in [0, 1] as a whole percentage ("54 %"); a dash without one."""
    if share is None or not math.isfinite(share):
        return "—"
    return f"{round(share * 100):d} %"


def confidence_words(confidence: float | None, trend: str | None = None) -> str:
    """A confidence from 0 to 10 in words, with how it moved since the check-in before."""
    if confidence is None:
        return "no confidence given"
    arrow = {"up": " ↑ up", "down": " ↓ down", "steady": " → steady"}.get(trend or "", "")
    return f"{confidence:g}/10{arrow}"


def light_view(check: KpiCheck | None) -> StatusView:
    """A judgement's status alone (a preview's before and after): its key, icon and word."""
    light = "unknown" if check is None else check.status.value
    return StatusView(light, _ICONS[light], _WORDS[light], "")

"""The chart of a key result, its text summary, and a key result's numbers in words.

The chart shows where a numeric key result has been (its check-ins, or the values of
the KPI that feeds it), the straight line from its start on the cycle's first day to
its target at the deadline (the pace it needs), the least-squares forecast to the
deadline with its 95 % prediction interval as a band, and the target as a line; a
guardrail shows the line it must hold instead. It is a Vega-Lite spec built with
Altair, embedded in the objective's page and drawn by the Vega bundle (`charts.bundle`)
like the KPI's XmR chart; `key_result_summary` says the same in words, for a screen
reader and a browser without scripts.

As for the XmR chart (`charts.xmr`), Altair is too slow for every page: it builds one
template, kept in the user's cache folder (`okrkit serve` prepares it before its
workers start), and each page fills in its own data, words and scales.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import platformdirs

from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle
from okrkit.domain.forecast import days, days_of, forecast_batch
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.progress import KeyResultType
from okrkit.interfaces import formatting as fmt
from okrkit.services.key_results import KeyResultState

__all__ = [
    "POINTS_DATASET",
    "TEMPLATES_VERSION",
    "amount",
    "amount_span",
    "chance_words",
    "day",
    "forecast_words",
    "key_result_spec",
    "key_result_summary",
    "prepare_templates",
    "unit_words",
]

log = logging.getLogger(__name__)

POINTS_DATASET = "points"

_INK = "#1f2933"
_MUTED = "#52606d"

# The chart's series, in the legend's order: what each is called (filled in per
# chart), its colour, its dash (so that colour is never the only signal) and width.
_OBSERVED, _PLAN, _FORECAST, _BAND, _TARGET, _ORIGINAL = range(6)
_COLOURS = ["#2f5f8a", "#7b8794", "#9a5b13", "#f0d9b5", "#1e7b4f", "#7c5295"]
_DASHES = [[1, 0], [7, 4], [3, 3], [1, 0], [1, 0], [2, 4]]
_WIDTHS = [2, 1.5, 2, 12, 1.5, 1.5]
_SERIES_MARKS = [f"\x00series{i}\x00" for i in range(6)]
_UNIT_MARK = "\x00unit\x00"
# Marker values of the scales' ends, replaced per chart.
_X0, _X1, _Y0, _Y1 = -1.0e301, -2.0e301, 1.0e301, 2.0e301

# How many moments the 95 % band is computed at between the first check-in and the
# deadline: the band is a smooth curve, and this keeps the page small.
_BAND_STEPS = 24
_DAY_MS = 86_400_000

_NBSP = "\N{NO-BREAK SPACE}"
_UNITS = {
    "": "value",
    "min": "minutes",
    "ms": "milliseconds",
    "h": "hours",
    "s": "seconds",
    "currency": "US dollars",
}
# Units the number formatting writes itself ("12.0%" is written "12 %" here: a key
# result's figures are round numbers a person chose).
_FORMATTED = {"currency", "ms", "hours", "count", "score", "ratio"}


# --- A key result's numbers in words -------------------------------------------------------


def _plain(value: float) -> str:
    size = abs(value)
    decimals = 0 if size >= 1000 else 1 if size >= 10 else 2 if size >= 0.1 else 3
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", "\N{MINUS SIGN}", 1)


def unit_words(unit: str) -> str:
    """A unit as an axis title says it: 'percent', 'minutes' for min, 'value' for none."""
    return _UNITS.get(unit, unit)


def amount(value: float | None, unit: str) -> str:
    """A key result's figure with its unit: '58 %', '7.5 min', '1,300', '$48.2k' (a
    no-break space before the unit, so a line never breaks between them)."""
    if value is None or not math.isfinite(value):
        return "—"
    if unit in _FORMATTED:
        return fmt.number(value, unit)
    if unit == "percent":
        return f"{_plain(value)}{_NBSP}%"
    return f"{_plain(value)}{_NBSP}{unit}" if unit else _plain(value)


def amount_span(low: float, high: float, unit: str) -> str:
    """Two figures of one unit as a range: '74–88 %', '3.2–4.1 min', '$1.2k–$1.5k'."""
    if unit in _FORMATTED:
        return f"{amount(low, unit)}–{amount(high, unit)}"
    return f"{_plain(low)}–{amount(high, unit)}"


def day(when: date | datetime, today: date | None = None) -> str:
    """A day as a person writes it: '30 Sep 2026', or '30 Sep' in the year of `today`."""
    when = when.date() if isinstance(when, datetime) else when
    if today is not None and when.year == today.year:
        return f"{when.day} {when:%b}"
    return f"{when.day} {when:%b %Y}"


def chance_words(probability: float) -> str:
    """A probability as a share a person reads: '96 %', 'over 99 %', 'under 1 %'."""
    if 0.995 <= probability < 1.0:
        return "over 99 %"
    if 0.0 < probability < 0.005:
        return "under 1 %"
    return f"{round(probability * 100):d} %"


def forecast_words(state: KeyResultState, deadline: date, today: date) -> str:
    """Where a key result lands by its deadline, in words: 'forecast 81 % (95 % interval
    74–88 %) by 30 Sep; 96 % chance of reaching 70 %', or why there is no forecast."""
    d = state.key_result.definition
    f = state.forecast
    if f.forecast is None or f.lower is None or f.upper is None:
        return f"no forecast: {f.reason}" if f.reason else "no forecast"
    unit = d.unit
    if f.upper - f.lower <= 1e-9 * max(1.0, abs(f.forecast)):
        points = "the KPI's values" if d.kpi else "the check-ins"
        spread = f"{points} lie on a straight line, so the interval has no width"
    else:
        spread = f"95 % interval {amount_span(f.lower, f.upper, unit)}"
    words = f"forecast {amount(f.forecast, unit)} ({spread}) by {day(deadline, today)}"
    if f.probability is not None:
        words += f"; {chance_words(f.probability)} chance of reaching {amount(d.target, unit)}"
    return words


# --- The chart -----------------------------------------------------------------------------


def _ms(when: date | datetime) -> int:
    """A moment as the chart's time axis counts it: milliseconds since 1970 UTC."""
    return round(days(when) * _DAY_MS)


@dataclass(frozen=True)
class _Chart:
    """One key result's chart: its words and the values of its data sets and scales."""

    names: list[str]  # the series' names, '' for a series this chart lacks
    unit: str
    points: list[dict[str, Any]]
    plan: list[dict[str, Any]]
    fit: list[dict[str, Any]]
    band: list[dict[str, Any]]
    levels: list[dict[str, Any]]
    today: list[dict[str, Any]]
    x: tuple[float, float]
    y: tuple[float, float]

    def data(self) -> dict[str, list[dict[str, Any]]]:
        return {
            POINTS_DATASET: self.points,
            "plan": self.plan,
            "fit": self.fit,
            "band": self.band,
            "levels": self.levels,
            "today": self.today,
        }


def _band(state: KeyResultState, deadline: date) -> tuple[list[float], list[float], list[float]]:
    """The 95 % prediction interval at moments from the first check-in to the deadline:
    the domain's forecast (`forecast_batch`) read at each of them, in one pass."""
    d = state.key_result.definition
    assert d.start is not None
    assert d.target is not None
    t = days_of(state.series.timestamps)
    y = state.series.values
    moments = np.linspace(float(t.min()), days(deadline), _BAND_STEPS)
    rows = len(moments)
    batch = forecast_batch(
        np.tile(t, (rows, 1)),
        np.tile(y, (rows, 1)),
        moments,
        np.full(rows, d.start),
        np.full(rows, d.target),
    )
    return moments.tolist(), batch.lower.tolist(), batch.upper.tolist()


def _chart(
    state: KeyResultState, cycle: Cycle, now: datetime, check_ins: Sequence[CheckIn]
) -> _Chart:
    kr = state.key_result
    d = kr.definition
    assert d.start is not None
    assert d.target is not None
    unit = d.unit
    deadline = d.deadline or cycle.end
    today = now.date()
    names = [""] * 6
    names[_OBSERVED] = f"Values of KPI {d.kpi}" if d.kpi else "Check-ins"
    confidence = {c.at: c for c in check_ins}
    points: list[dict[str, Any]] = []
    for at, value in state.points:
        check_in = confidence.get(at)
        points.append(
            {
                "time": _ms(at),
                "when": day(at, today),
                "value": value,
                "shown": amount(value, unit),
                "confidence": "—"
                if check_in is None or check_in.confidence is None
                else f"{check_in.confidence:g}/10",
                "series": names[_OBSERVED],
            }
        )
    levels: list[dict[str, Any]] = []
    plan: list[dict[str, Any]] = []
    fit: list[dict[str, Any]] = []
    band: list[dict[str, Any]] = []
    if d.guardrail:
        names[_TARGET] = f"Line to hold: no worse than {amount(d.start, unit)}"
        levels.append(
            {"value": d.start, "series": names[_TARGET], "label": f"hold {amount(d.start, unit)}"}
        )
    else:
        names[_PLAN] = "Straight line from start to target"
        plan = [
            {"time": _ms(cycle.start), "value": d.start, "series": names[_PLAN]},
            {"time": _ms(deadline), "value": d.target, "series": names[_PLAN]},
        ]
        names[_TARGET] = f"Target {amount(d.target, unit)}"
        levels.append(
            {
                "value": d.target,
                "series": names[_TARGET],
                "label": f"target {amount(d.target, unit)}",
            }
        )
        if kr.original_target is not None and kr.original_target != d.target:
            names[_ORIGINAL] = f"Original target {amount(kr.original_target, unit)}"
            levels.append(
                {
                    "value": kr.original_target,
                    "series": names[_ORIGINAL],
                    "label": f"original target {amount(kr.original_target, unit)}",
                }
            )
    f = state.forecast
    if not d.guardrail and f.forecast is not None and f.slope_per_day is not None:
        names[_FORECAST] = "Forecast: the trend to the deadline"
        names[_BAND] = "95 % interval of the forecast"
        moments, lower, upper = _band(state, deadline)
        if all(hi - lo <= 1e-9 * max(1.0, abs(hi)) for lo, hi in zip(lower, upper, strict=True)):
            names[_BAND] = ""  # a perfect line: no band to draw
        first = moments[0]
        at_first = f.forecast - f.slope_per_day * (days(deadline) - first)
        fit = [
            {"time": round(first * _DAY_MS), "value": at_first, "series": names[_FORECAST]},
            {"time": _ms(deadline), "value": f.forecast, "series": names[_FORECAST]},
        ]
        band = [
            {"time": round(t * _DAY_MS), "lower": lo, "upper": hi, "series": names[_BAND]}
            for t, lo, hi in zip(moments, lower, upper, strict=True)
            if names[_BAND]
        ]
    x0 = _ms(cycle.start)
    x1 = max([_ms(deadline)] + [p["time"] for p in points])
    shown = [p["value"] for p in points] + [p["value"] for p in plan + fit + levels]
    low, high = min(shown), max(shown)
    reach = (high - low) or abs(high) * 0.1 or 1.0
    # The band widens the axis, but not so far that a wide interval of few check-ins
    # squeezes the rest into a line; it is clipped at the chart's edge.
    for row in band:
        low = min(low, max(row["lower"], min(shown) - 0.5 * reach))
        high = max(high, min(row["upper"], max(shown) + 0.5 * reach))
    pad = (high - low) * 0.08 or 1.0
    moment = _ms(now)
    today_rows = (
        [{"time": moment, "label": f"today, {day(today, today)}"}] if x0 <= moment <= x1 else []
    )
    return _Chart(
        names=names,
        unit=unit_words(unit),
        points=points,
        plan=plan,
        fit=fit,
        band=band,
        levels=levels,
        today=today_rows,
        x=(x0, x1),
        y=(low - pad, high + pad),
    )


def _altair_spec(c: _Chart) -> dict[str, Any]:
    """The chart built with Altair (validated against the Vega-Lite schema)."""
    import altair as alt

    present = [i for i, name in enumerate(c.names) if name]
    domain = [c.names[i] for i in present]
    x_scale = alt.Scale(type="utc", domain=list(c.x), nice=False)
    y_scale = alt.Scale(domain=list(c.y), zero=False, nice=False)
    x = alt.X("time:T", title=None, scale=x_scale, axis=alt.Axis(format="%-d %b", tickCount=6))
    y = alt.Y("value:Q", title=c.unit, scale=y_scale)
    legend = alt.Legend(
        orient="bottom", direction="vertical", symbolType="stroke", labelLimit=360, title=None
    )
    series = {
        "color": alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[_COLOURS[i] for i in present]),
            legend=legend,
        ),
        "strokeDash": alt.StrokeDash(
            "series:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[_DASHES[i] for i in present]),
            legend=legend,
        ),
        "strokeWidth": alt.StrokeWidth(
            "series:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[_WIDTHS[i] for i in present]),
            legend=legend,
        ),
    }

    def data(name: str, values: list[dict[str, Any]]) -> alt.InlineData:
        return alt.InlineData(values=values, name=name)

    band = (
        alt.Chart(data("band", c.band))
        .mark_area(clip=True)
        .encode(x=x, y=alt.Y("lower:Q", scale=y_scale), y2="upper:Q", **series)
    )
    plan = alt.Chart(data("plan", c.plan)).mark_line(clip=True).encode(x=x, y=y, **series)
    fit = alt.Chart(data("fit", c.fit)).mark_line(clip=True).encode(x=x, y=y, **series)
    rule = alt.Chart().mark_rule().encode(y=alt.Y("value:Q", scale=y_scale), **series)

    def level_labels(**style: Any) -> alt.Chart:
        chart: alt.Chart = (
            alt.Chart()
            .mark_text(align="right", baseline="bottom", dx=-2, dy=-3, fontSize=11, **style)
            .encode(y=alt.Y("value:Q", scale=y_scale), x=alt.value("width"), text="label:N")
        )
        return chart

    today = (
        alt.Chart()
        .mark_rule(color=_MUTED, strokeDash=[2, 2], strokeWidth=1)
        .encode(x=alt.X("time:T", scale=x_scale))
    )
    today_label = (
        alt.Chart()
        .mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=11, color=_MUTED)
        .encode(x=alt.X("time:T", scale=x_scale), y=alt.value(0), text="label:N")
    )
    tooltip = [
        alt.Tooltip("when:N", title="when"),
        alt.Tooltip("shown:N", title="value"),
        alt.Tooltip("confidence:N", title="confidence"),
    ]
    line = alt.Chart().mark_line().encode(x=x, y=y, **series)
    dots = (
        alt.Chart()
        .mark_point(filled=True, opacity=1, size=36)
        .encode(x=x, y=y, color=series["color"], tooltip=tooltip)
    )
    # A white halo under each label keeps it readable where a line crosses it; the
    # labels are drawn last, over the lines.
    halo = level_labels(stroke="white", strokeWidth=4, strokeJoin="round", color="white")
    label = level_labels(color=_INK)
    chart = (
        alt.layer(
            band,
            plan,
            fit,
            alt.layer(rule, data=data("levels", c.levels)),
            alt.layer(today, today_label, data=data("today", c.today)),
            alt.layer(line, dots, data=data(POINTS_DATASET, c.points)),
            alt.layer(halo, label, data=data("levels", c.levels)),
        )
        .properties(
            width="container",
            height=390,  # the legend under the plot included
            # The axes and the legend fit inside the page's column, at phone width too.
            autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        )
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=_INK,
            titleColor=_INK,
            gridColor="#e4e7eb",
            labelFontSize=11,
            titleFontSize=12,
        )
        .configure_legend(labelColor=_INK, labelFontSize=12, symbolSize=160)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


# Altair builds a spec in about 200 ms: it builds one template with marker values, and
# each page fills in its own (tests/web/charts check both give the same spec). The
# template is kept in the user's cache folder, keyed by Altair's version and this
# module's code, so a worker reads it instead of importing Altair.
TEMPLATES_VERSION = hashlib.sha256(
    metadata.version("altair").encode() + Path(__file__).read_bytes()
).hexdigest()[:12]
_TEMPLATE: dict[str, Any] = {}
_TEMPLATE_LOCK = threading.Lock()


def _marked() -> _Chart:
    return _Chart(
        names=list(_SERIES_MARKS),
        unit=_UNIT_MARK,
        points=[],
        plan=[],
        fit=[],
        band=[],
        levels=[],
        today=[],
        x=(_X0, _X1),
        y=(_Y0, _Y1),
    )


def _template_file() -> Path:
    folder = Path(platformdirs.user_cache_dir("okrkit", appauthor=False))
    return folder / f"kr-template-{TEMPLATES_VERSION}.json"


def _read_template() -> dict[str, Any]:
    try:
        kept = orjson.loads(_template_file().read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return kept if isinstance(kept, dict) and "layer" in kept else {}


def _write_template(template: dict[str, Any]) -> None:
    path = _template_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(orjson.dumps(template))
        partial.replace(path)
        for old in path.parent.glob("kr-template-*.json"):
            if old != path:  # built by another version of okrkit or Altair
                old.unlink(missing_ok=True)
    except OSError as error:
        # A read-only home still gets charts: the template stays in memory.
        log.warning("cannot keep the key result chart's template in %s: %s", path, error)


def _template() -> dict[str, Any]:
    with _TEMPLATE_LOCK:
        if not _TEMPLATE:
            kept = _read_template()
            if not kept:
                kept = _altair_spec(_marked())
                _write_template(kept)
            _TEMPLATE.update(kept)
        return _TEMPLATE


def prepare_templates() -> None:
    """Have the chart's template in memory and in the cache folder, built with Altair
    only when the cache folder lacks it (a new version of okrkit or Altair)."""
    _template()


_SCALE_MARKS = {_X0: 0, _X1: 1, _Y0: 2, _Y1: 3}


def _fill(node: Any, c: _Chart, data: dict[str, Any], present: list[int]) -> Any:
    if isinstance(node, dict):
        if node.get("name") in data and "values" in node:
            return {**node, "values": data[node["name"]]}
        return {k: _fill(v, c, data, present) for k, v in node.items()}
    if isinstance(node, list):
        if node == _SERIES_MARKS:
            return [c.names[i] for i in present]
        if node == _COLOURS:
            return [_COLOURS[i] for i in present]
        if node == _DASHES:
            return [_DASHES[i] for i in present]
        if node == _WIDTHS:
            return [_WIDTHS[i] for i in present]
        return [_fill(v, c, data, present) for v in node]
    if isinstance(node, str) and node == _UNIT_MARK:
        return c.unit
    if isinstance(node, float) and node in _SCALE_MARKS:
        return (*c.x, *c.y)[_SCALE_MARKS[node]]
    return node


def key_result_spec(
    state: KeyResultState,
    cycle: Cycle,
    now: datetime,
    check_ins: Sequence[CheckIn] = (),
    *,
    validated: bool = False,
) -> dict[str, Any] | None:
    """A numeric key result's chart as a Vega-Lite spec (None for a boolean or
    milestone key result: done or not, step by step, there is no line to draw).

    It draws the check-ins (or the feeding KPI's values in the cycle) as points on a
    line, the straight line from the start on the cycle's first day to the target at
    the deadline, the forecast from the first check-in to the deadline with its 95 %
    interval as a band, the target (and the original one after a recalibration) as a
    line, and today; each point's tooltip gives the confidence of its check-in in
    `check_ins` (the history as written). A guardrail draws the line it must hold
    instead of a plan and a forecast. `validated=True` builds it through Altair
    directly (slow; for tests).
    """
    if state.key_result.definition.type != KeyResultType.NUMERIC:
        return None
    c = _chart(state, cycle, now, check_ins)
    if validated:
        spec = _altair_spec(c)
    else:
        present = [i for i, name in enumerate(c.names) if name]
        spec = _fill(_template(), c, c.data(), present)
    spec["description"] = key_result_summary(state, cycle, now)
    return spec


def _expected_value(d: KeyResultDefinition, share: float) -> float:
    assert d.start is not None
    assert d.target is not None
    return d.start + share * (d.target - d.start)


def key_result_summary(state: KeyResultState, cycle: Cycle, now: datetime) -> str:
    """The key result's chart in words: its values so far, where the straight line
    from start to target says it should be today, the forecast at the deadline with its
    interval and chance, or the line a guardrail holds."""
    kr = state.key_result
    d = kr.definition
    unit = d.unit
    today = now.date()
    deadline = d.deadline or cycle.end
    what = f"values of KPI {d.kpi}" if d.kpi else "check-ins"
    parts = []
    count = len(state.points)
    if count:
        first, last = state.points[0], state.points[-1]
        noun = what if count != 1 else what.removesuffix("s").replace("values", "value")
        parts.append(
            f"{count} {noun} from {day(first[0], today)} to {day(last[0], today)}, "
            f"from {amount(first[1], unit)} to {amount(last[1], unit)}."
        )
    else:
        parts.append(f"No {what} yet.")
    if d.guardrail:
        parts.append(f"A guardrail: it must not get worse than its start, {amount(d.start, unit)}.")
        if state.breached:
            parts.append("It is breached.")
        return " ".join(parts)
    expected = _expected_value(d, state.expected_progress)
    parts.append(
        f"The straight line from {amount(d.start, unit)} on {day(cycle.start, today)} to the "
        f"target {amount(d.target, unit)} on {day(deadline, today)} reaches "
        f"{amount(expected, unit)} by today, {day(today, today)}."
    )
    if kr.original_target is not None and kr.original_target != d.target:
        parts.append(f"The original target was {amount(kr.original_target, unit)}.")
    words = forecast_words(state, deadline, today)
    parts.append(words[:1].upper() + words[1:] + ".")
    return " ".join(parts)

"""The XmR chart of a KPI's window: a Vega-Lite spec built with Altair, and its text
summary.

The spec is embedded in the page as JSON and drawn in the browser by the Vega bundle
(`charts.bundle`). Building and validating a spec with Altair is too slow for every
page, so Altair builds one template per shape of chart, kept in the user's cache folder,
and each page fills in its own data and texts (`xmr_spec`). The text summary
(`xmr_summary`) says in words what the picture shows, so a screen reader — or a browser
without scripts — gets the same facts.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import platformdirs

from okrkit.domain.cadence import Cadence
from okrkit.domain.health import Direction
from okrkit.domain.spc import Rule, XmrResult
from okrkit.interfaces import formatting as fmt
from okrkit.services.tiles import Tile

__all__ = [
    "POINTS_DATASET",
    "TEMPLATES_VERSION",
    "prepare_templates",
    "xmr_spec",
    "xmr_summary",
]

log = logging.getLogger(__name__)

# The data set of a chart's points, by name, so a script (or a test) can ask the view.
POINTS_DATASET = "points"

# Colours of the chart: calm, readable on white, and never alone (shapes and words too).
_INK = "#1f2933"
_LINE = "#2f5f8a"
_SIGNAL = "#b42318"
_GREEN_ZONE = "#b7e4c7"
_RED_ZONE = "#f6c1bc"
_TARGET = "#146c2e"
# The plot's height in pixels, and how far apart two labels of lines must stand.
_HEIGHT = 300
_LABEL_GAP = 13

# Ticks of the time axis: one per period of the cadence, or every few periods — the
# steps a person counts in — so that at most this many ticks stand on a wide chart
# (a narrow one hides the labels that would overlap).
_MAX_TICKS = 12
_TICK_STEPS = {
    "month": (1, 2, 3, 6, 12, 24),
    "week": (1, 2, 4, 8, 13, 26, 52),
    "day": (1, 2, 7, 14, 28, 56, 91, 182, 364),
}
# How a tick names its period: "Oct 2026" for months, "11 Oct" for days and weeks.
_TICK_FORMAT = {"month": "%b %Y"}
_DAY_FORMAT = "%-d %b"

# A point's verdict, from the key of the rules that flagged it ('' for none).
_VERDICT = {"verdict": "datum.rules ? 'Signal' : 'Routine variation'"}
_NO_RULE = "no detection rule fired"
_RULES_DATASET = "rules"

_RULE_WORDS = {
    Rule.OUTSIDE_LIMITS: "beyond a natural process limit",
    Rule.RUN_OF_8: "in a run of 8 or more on one side of the centre",
    Rule.THREE_OF_FOUR: "3 of 4 points near a limit",
}


def _limits_range(tile: Tile) -> list[float]:
    """Every level the chart draws, so its y axis shows them all."""
    check, kpi = tile.check, tile.stored.kpi
    levels = [float(v) for v in tile.values.values.tolist()]
    if check is not None and check.xmr.limits is not None:
        lim = check.xmr.limits
        levels += [lim.lower_limit, lim.upper_limit, lim.centre]
    if kpi.thresholds is not None:
        levels += [kpi.thresholds.green, kpi.thresholds.red]
    if kpi.target is not None:
        levels.append(kpi.target)
    return [v for v in levels if math.isfinite(v)]


def _signal_rules(xmr: XmrResult, points: int) -> tuple[list[str], list[dict[str, str]]]:
    """Per point, a short key of the detection rules that flagged it ('' for none), and
    each key's words ("beyond a natural process limit (up); …") for the chart to look up:
    the words of hundreds of flagged points are written once per combination.

    A long window can hold hundreds of signals: their points are gathered per rule and
    direction, and each point's key is a bit per rule, set a rule at a time in NumPy.
    """
    flagged: dict[tuple[Rule, str], list[int]] = {}
    for signal in xmr.signals:
        flagged.setdefault((signal.rule, signal.direction), []).extend(signal.indices)
    codes = np.zeros(points, dtype=np.int64)
    texts = []
    for bit, ((rule, direction), indices) in enumerate(flagged.items()):
        texts.append(f"{_RULE_WORDS[rule]} ({'up' if direction == 'up' else 'down'})")
        where = np.asarray(indices, dtype=np.int64)
        codes[where[where < points]] |= 1 << bit
    present = [int(code) for code in np.unique(codes) if code]
    names = {0: "", **{code: str(code) for code in present}}
    words = [
        {
            "rules": names[code],
            "why": "; ".join(text for bit, text in enumerate(texts) if code >> bit & 1),
        }
        for code in present
    ]
    return [names[code] for code in codes.tolist()], words


@dataclass(frozen=True)
class _Chart:
    """What one XmR chart shows; its `shape` decides the layers."""

    name: str
    unit: str
    rows: list[dict[str, Any]]
    rules: list[dict[str, str]]
    low: float
    high: float
    higher: bool
    thresholds: tuple[float, float] | None  # green, red
    threshold_texts: tuple[str, str]
    lines: list[dict[str, Any]] | None
    target: list[dict[str, Any]]  # one row when the KPI has a target, else none
    ticks: list[float]  # epoch milliseconds of the time axis' ticks
    tick_format: str

    @property
    def shape(self) -> tuple[bool, bool, bool]:
        return (self.thresholds is not None, self.higher, self.lines is not None)

    def zones(self) -> list[dict[str, Any]]:
        assert self.thresholds is not None
        green, red = self.thresholds
        green_text, red_text = self.threshold_texts
        low, high, higher = self.low, self.high, self.higher
        return [
            {
                "zone": f"Green zone ({'above' if higher else 'below'} {green_text})",
                "from": green if higher else low,
                "to": high if higher else green,
            },
            {
                "zone": f"Red zone ({'below' if higher else 'above'} {red_text})",
                "from": low if higher else red,
                "to": red if higher else high,
            },
        ]


def _chart(tile: Tile) -> _Chart:
    kpi = tile.stored.kpi
    assert tile.check is not None
    xmr = tile.check.xmr
    values = tile.values.values.tolist()
    # Up to a thousand points a page: their texts are written a column at a time, the
    # time is epoch milliseconds, and what points share (a verdict, the words of their
    # rules) is worked out by the chart itself (`_VERDICT`, `rules`): the page carries less.
    stamps = tile.values.timestamps.astype("datetime64[s]")
    keys, rules = _signal_rules(xmr, len(values))
    rows = [
        {"time": t, "when": when, "value": v, "shown": shown, "rules": key}
        for t, when, v, shown, key in zip(
            (stamps.astype(np.int64) * 1000).tolist(),
            fmt.moments(stamps),
            values,
            fmt.numbers(values, kpi.unit),
            keys,
            strict=True,
        )
    ]
    period = tile.check.cadence.period_name if tile.check.cadence else "point"
    levels = _limits_range(tile)
    low, high = min(levels), max(levels)
    pad = (high - low) * 0.08 or abs(high) * 0.05 or 1.0
    thresholds = kpi.thresholds
    lines = None
    if xmr.limits is not None:
        lim = xmr.limits
        lines = [
            {
                "level": level,
                "value": value,
                "dash": dash,
                "label": f"{level} {fmt.number(value, kpi.unit)}",
            }
            for level, value, dash in (
                ("upper limit", lim.upper_limit, "limit"),
                ("average", lim.centre, "centre"),
                ("lower limit", lim.lower_limit, "limit"),
            )
            if math.isfinite(value)
        ]
    target = (
        []
        if kpi.target is None
        else [{"value": kpi.target, "label": f"target {fmt.number(kpi.target, kpi.unit)}"}]
    )
    _place_labels([*(lines or []), *target], low - pad, high + pad)
    return _Chart(
        name=kpi.name,
        unit=kpi.unit,
        rows=rows,
        rules=rules,
        low=low - pad,
        high=high + pad,
        higher=kpi.direction is Direction.HIGHER,
        thresholds=None if thresholds is None else (thresholds.green, thresholds.red),
        threshold_texts=("", "")
        if thresholds is None
        else (fmt.number(thresholds.green, kpi.unit), fmt.number(thresholds.red, kpi.unit)),
        lines=lines,
        target=target,
        ticks=_ticks(stamps, tile.check.cadence, period),
        tick_format=_TICK_FORMAT.get(period, _DAY_FORMAT),
    )


def _place_labels(rows: list[dict[str, Any]], low: float, high: float) -> None:
    """Set each line's label height (`at`) so no two labels overlap: from the lowest
    line up, a label too close to the one below moves up by the gap (in pixels of the
    plot's height, turned into the y axis' units)."""
    per_pixel = (high - low) / _HEIGHT
    previous = -math.inf
    for row in sorted(rows, key=lambda r: r["value"]):
        at = max(row["value"], previous + _LABEL_GAP * per_pixel)
        row["at"] = at
        previous = at


def _ticks(stamps: np.ndarray, cadence: Cadence | None, period: str) -> list[float]:
    """The time axis' ticks: the first moment of every period holding a value, or of
    every few periods (counted back from the newest, so the newest always has one)."""
    if not stamps.size:
        return []
    index = (
        cadence.period_index(stamps)
        if cadence is not None
        else np.arange(stamps.size, dtype=np.int64)
    )
    first_of_period = np.concatenate(([True], index[1:] != index[:-1]))
    starts, periods = stamps[first_of_period], index[first_of_period]
    span = int(periods[-1] - periods[0]) + 1
    steps = _TICK_STEPS.get(period, (1,))
    step = next((s for s in steps if span / s <= _MAX_TICKS), steps[-1])
    if period not in _TICK_STEPS:  # no cadence: every n-th value
        step = max(1, -(-span // _MAX_TICKS))
    keep = (periods[-1] - periods) % step == 0
    ticks: list[float] = starts[keep].astype("datetime64[ms]").astype(np.int64).tolist()
    return ticks


def _altair_spec(c: _Chart) -> dict[str, Any]:
    """The chart built with Altair (validated against the Vega-Lite schema)."""
    import altair as alt

    y_scale = alt.Scale(domain=[c.low, c.high], zero=False, nice=False)
    x = alt.X(
        "time:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(
            values=c.ticks,
            format=c.tick_format,
            labelOverlap="greedy",
            labelSeparation=6,
            labelFlush=True,
            grid=True,
        ),
    )
    y = alt.Y("value:Q", title=c.unit, scale=y_scale)
    layers: list[Any] = []
    labels: list[Any] = []  # drawn last, over the line
    if c.thresholds is not None:
        zones = c.zones()
        layers.append(
            alt.Chart(alt.InlineData(values=zones, name="zones"))
            .mark_rect(opacity=0.45)
            .encode(
                y=alt.Y("from:Q", scale=y_scale),
                y2="to:Q",
                fill=alt.Fill(
                    "zone:N",
                    title=None,
                    scale=alt.Scale(
                        domain=[z["zone"] for z in zones], range=[_GREEN_ZONE, _RED_ZONE]
                    ),
                    legend=alt.Legend(orient="bottom", symbolType="square", direction="vertical"),
                ),
            )
        )
    if c.lines is not None:
        levels_data = alt.InlineData(values=c.lines, name="levels")
        rule = (
            alt.Chart(levels_data)
            .mark_rule(color=_INK, strokeWidth=1)
            .encode(
                y=alt.Y("value:Q", scale=y_scale),
                strokeDash=alt.StrokeDash(
                    "dash:N",
                    scale=alt.Scale(domain=["centre", "limit"], range=[[1, 0], [6, 4]]),
                    legend=None,
                ),
            )
        )

        layers.append(rule)
        labels.append(_gutter_labels(levels_data, y_scale, _INK))
    # The target: a line of its own colour and dash, labelled like the levels.
    target_data = alt.InlineData(values=c.target, name="target")
    layers.append(
        alt.Chart(target_data)
        .mark_rule(color=_TARGET, strokeWidth=2, strokeDash=[2, 3])
        .encode(y=alt.Y("value:Q", scale=y_scale))
    )
    labels.append(_gutter_labels(target_data, y_scale, _TARGET, bold=True))
    tooltip = [
        alt.Tooltip("when:N", title="when"),
        alt.Tooltip("shown:N", title=c.name),
        alt.Tooltip("verdict:N", title="verdict"),
        alt.Tooltip("why:N", title="why"),
    ]
    signal = alt.datum.verdict == "Signal"
    line = alt.Chart().mark_line(color=_LINE, strokeWidth=1.5).encode(x=x, y=y)
    dots = (
        alt.Chart()
        .mark_point(filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "verdict:N",
                title=None,
                scale=alt.Scale(
                    domain=["Routine variation", "Signal"], range=["circle", "diamond"]
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            color=alt.Color(
                "verdict:N",
                title=None,
                scale=alt.Scale(domain=["Routine variation", "Signal"], range=[_LINE, _SIGNAL]),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            size=alt.when(signal).then(alt.value(90)).otherwise(alt.value(22)),
            tooltip=tooltip,
        )
    )
    points = alt.InlineData(values=c.rows, name=POINTS_DATASET)
    rules = alt.LookupData(
        data=alt.InlineData(values=c.rules, name=_RULES_DATASET), key="rules", fields=["why"]
    )
    drawn = (
        alt.layer(line, dots, data=points)
        .transform_calculate(**_VERDICT)
        .transform_lookup(lookup="rules", from_=rules, default=_NO_RULE)
    )
    chart = (
        alt.layer(*layers, drawn, *labels)
        .properties(width="container", height=_HEIGHT)
        .configure_view(stroke=None)
        .configure_axis(labelColor=_INK, titleColor=_INK, gridColor="#e4e7eb")
        .configure_legend(labelColor=_INK, labelLimit=320)
    )
    spec: dict[str, Any] = chart.to_dict()
    # Legends under the chart stack rather than stand side by side, so they fit a phone.
    spec["config"]["legend"]["layout"] = {"bottom": {"anchor": "start", "direction": "vertical"}}
    return spec


def _gutter_labels(data: Any, y_scale: Any, colour: str, *, bold: bool = False) -> Any:
    """Labels of horizontal lines right of the plot, beside its newest point rather than
    over it; the chart's size makes room for them (autosize "fit")."""
    import altair as alt

    return (
        alt.Chart(data)
        .mark_text(
            align="left",
            baseline="middle",
            dx=4,
            fontSize=11,
            color=colour,
            fontWeight="bold" if bold else "normal",
        )
        .encode(y=alt.Y("at:Q", scale=y_scale), x=alt.value("width"), text="label:N")
    )


# Altair builds and validates a spec in ~230 ms, too slow for a page: it builds one
# template per shape of chart (thresholds or not, direction, limits or not) with marker
# values, and each page fills in its own (~2 ms). tests/web check both give the same spec.
# The templates are kept in the user's cache folder too, keyed by Altair's version and
# this module's code: `okrkit serve` builds them before its workers start
# (`prepare_templates`), so a worker reads them instead of importing Altair (27 MB).
_MARK_LOW, _MARK_HIGH = -1.0e301, 1.0e301
_MARKS = ("\x00name\x00", "\x00unit\x00", "\x00green\x00", "\x00red\x00", "\x00ticks\x00")
_MARK_TICK = 1.0e300
_Shape = tuple[bool, bool, bool]
_SHAPES: tuple[_Shape, ...] = tuple(itertools.product((False, True), (False, True), (False, True)))
_TEMPLATES: dict[tuple[bool, bool, bool], dict[str, Any]] = {}
_TEMPLATES_LOCK = threading.Lock()
TEMPLATES_VERSION = hashlib.sha256(
    metadata.version("altair").encode() + Path(__file__).read_bytes()
).hexdigest()[:12]


def _marked(shape: tuple[bool, bool, bool]) -> _Chart:
    """A chart of that shape with marker values, to build its template from."""
    thresholds, higher, lines = shape
    return _Chart(
        name=_MARKS[0],
        unit=_MARKS[1],
        rows=[],
        rules=[],
        low=_MARK_LOW,
        high=_MARK_HIGH,
        higher=higher,
        thresholds=(0.0, 0.0) if thresholds else None,
        threshold_texts=(_MARKS[2], _MARKS[3]),
        lines=[] if lines else None,
        target=[],
        ticks=[_MARK_TICK],
        tick_format=_MARKS[4],
    )


def _templates_file() -> Path:
    folder = Path(platformdirs.user_cache_dir("okrkit", appauthor=False))
    return folder / f"xmr-templates-{TEMPLATES_VERSION}.json"


def _shape_key(shape: tuple[bool, bool, bool]) -> str:
    return "".join("1" if flag else "0" for flag in shape)


def _read_templates() -> dict[tuple[bool, bool, bool], dict[str, Any]]:
    """The templates kept in the cache folder (none when missing or unreadable)."""
    try:
        kept = orjson.loads(_templates_file().read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {shape: kept[_shape_key(shape)] for shape in _SHAPES if _shape_key(shape) in kept}


def _write_templates(templates: dict[tuple[bool, bool, bool], dict[str, Any]]) -> None:
    path = _templates_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(orjson.dumps({_shape_key(k): v for k, v in templates.items()}))
        partial.replace(path)
        for old in path.parent.glob("xmr-templates-*.json"):
            if old != path:  # built by another version of okrkit or Altair
                old.unlink(missing_ok=True)
    except OSError as error:
        # A read-only home still gets charts: the templates stay in memory.
        log.warning("cannot keep the chart templates in %s: %s", path, error)


def _ensure_templates(shapes: Sequence[_Shape]) -> None:
    """Have those shapes' templates in memory: from the cache folder, else built with
    Altair and kept there. Called with the lock held."""
    if any(shape not in _TEMPLATES for shape in shapes):
        _TEMPLATES.update(_read_templates())
    missing = [shape for shape in shapes if shape not in _TEMPLATES]
    for shape in missing:
        _TEMPLATES[shape] = _altair_spec(_marked(shape))
    if missing:
        _write_templates(_TEMPLATES)


def _template(c: _Chart) -> dict[str, Any]:
    with _TEMPLATES_LOCK:
        _ensure_templates([c.shape])
        return _TEMPLATES[c.shape]


def prepare_templates() -> None:
    """Have every chart template in memory and in the cache folder, built with Altair
    only when the cache folder lacks one (a new version of okrkit or Altair)."""
    with _TEMPLATES_LOCK:
        _ensure_templates(_SHAPES)


def _fill(node: Any, c: _Chart, texts: dict[str, str], data: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if node.get("name") in data and "values" in node:
            return {**node, "values": data[node["name"]]}
        return {k: _fill(v, c, texts, data) for k, v in node.items()}
    if isinstance(node, list):
        if node == [_MARK_TICK]:
            return c.ticks
        return [_fill(v, c, texts, data) for v in node]
    if isinstance(node, str) and "\x00" in node:
        for mark, text in texts.items():
            node = node.replace(mark, text)
        return node
    if isinstance(node, float) and node in (_MARK_LOW, _MARK_HIGH):
        return c.low if node == _MARK_LOW else c.high
    return node


def _filled_spec(c: _Chart) -> dict[str, Any]:
    texts = dict(zip(_MARKS, (c.name, c.unit, *c.threshold_texts, c.tick_format), strict=True))
    data: dict[str, Any] = {POINTS_DATASET: c.rows, _RULES_DATASET: c.rules, "target": c.target}
    if c.thresholds is not None:
        data["zones"] = c.zones()
    if c.lines is not None:
        data["levels"] = c.lines
    spec: dict[str, Any] = _fill(_template(c), c, texts, data)
    return spec


def xmr_spec(tile: Tile, *, validated: bool = False) -> dict[str, Any] | None:
    """The XmR chart of a KPI's window as a Vega-Lite spec; None when it has no values.

    It draws the values as a line, the centre line and the natural process limits, the
    green and red zones of the thresholds, and marks every point a detection rule
    flagged as a signal with another shape and colour (and says which rule in its
    tooltip). `validated=True` builds it through Altair directly (slow; for tests).
    """
    if tile.check is None or not len(tile.values):
        return None
    c = _chart(tile)
    spec = _altair_spec(c) if validated else _filled_spec(c)
    spec["description"] = xmr_summary(tile)
    return spec


def xmr_summary(tile: Tile) -> str:
    """The chart in words: how many values over which dates, the usual range (the
    natural process limits), the zones of the thresholds, the target, the latest value,
    and the verdict — the signals with their dates, or that there is none."""
    kpi = tile.stored.kpi
    check = tile.check
    if check is None or not len(tile.values):
        return f"{kpi.name} has no values yet: there is nothing to chart."
    unit = kpi.unit
    period = check.cadence.period_name if check.cadence else "point"
    count = len(tile.values)
    first = tile.values.timestamps[0].astype("datetime64[s]").item()
    noun = {"day": "daily", "week": "weekly", "month": "monthly"}.get(period, "")
    values_word = "value" if count == 1 else "values"
    parts = [
        f"Chart of {count} {noun + ' ' if noun else ''}{values_word} of {kpi.name} "
        f"from {fmt.when(first)} to {fmt.when(check.latest_time)}."
    ]
    lim = check.xmr.limits
    if lim is not None:
        locked = tile.stored.baseline
        source = (
            f"learnt from the first {lim.baseline_points} values"
            if locked is None
            else f"learnt from the {lim.baseline_points} values of the locked baseline "
            f"{fmt.when(locked[0])} to {fmt.when(locked[1])}"
        )
        parts.append(
            f"Usual range {fmt.span(lim.lower_limit, lim.upper_limit, unit)} around an "
            f"average of {fmt.number(lim.centre, unit)}, {source} (the XmR chart's natural "
            "process limits)."
        )
    if kpi.thresholds is not None:
        good, bad = ("above", "below") if kpi.direction is Direction.HIGHER else ("below", "above")
        parts.append(
            f"Green zone {good} {fmt.number(kpi.thresholds.green, unit)}, red zone {bad} "
            f"{fmt.number(kpi.thresholds.red, unit)}."
        )
    if kpi.target is not None:
        parts.append(f"Target {fmt.number(kpi.target, unit)}.")
    parts.append(
        f"Latest value {fmt.number(check.latest_value, unit)} on {fmt.when(check.latest_time)}."
    )
    parts.append(check.signals + ".")
    return " ".join(parts)

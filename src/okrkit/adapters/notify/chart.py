"""The KPI's chart an e-mail carries: its recent values as a line, with its green and
red bounds and its target as rules named in a legend, drawn as a PNG.

Altair builds the Vega-Lite spec and vl-convert renders it offline (its own JavaScript
engine and Vega bundle: no browser, no network). Mail clients show no scripts and few
show SVG, so the picture is a PNG at twice its size for sharp screens; `chart_words`
says the same in words for the image's `alt` text and the plain-text part.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from okrkit.domain.notifications import ChartData
from okrkit.domain.phrasing import number, when

__all__ = ["HEIGHT", "SCALE", "WIDTH", "chart_png", "chart_spec", "chart_words"]

# The picture's size in CSS pixels (an e-mail is at most about 600 wide) and the
# device-pixel scale it is rendered at.
WIDTH = 520
HEIGHT = 200
SCALE = 2

_INK = "#1f2933"
_LINE = "#2f5f8a"
# Each line of the chart: its colour and dash, so colour is never alone.
_RULES = {
    "green bound": ("#2e7d32", [6, 3]),
    "red bound": ("#b42318", [2, 2]),
    "target": ("#146c2e", [10, 2, 2, 2]),
}


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def _lines(chart: ChartData) -> list[tuple[str, float]]:
    """The chart's horizontal lines that are set: (name, value)."""
    lines = [("green bound", chart.green), ("red bound", chart.red), ("target", chart.target)]
    return [(name, value) for name, value in lines if value is not None]


def chart_spec(chart: ChartData, title: str) -> dict[str, Any]:
    """The Vega-Lite spec of the chart (times in UTC, values in the KPI's unit)."""
    import altair as alt  # heavy; only a sender of e-mails with charts needs it

    points = [
        {"at": _ms(t), "value": v, "shown": number(v, chart.unit)}
        for t, v in zip(chart.timestamps, chart.values, strict=True)
    ]
    series = (
        alt.Chart(alt.InlineData(values=points))
        .mark_line(point=alt.OverlayMarkDef(size=30, color=_LINE), color=_LINE, strokeWidth=2)
        .encode(
            x=alt.X(
                "at:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(labelColor=_INK, tickCount=6),
            ),
            y=alt.Y(
                "value:Q",
                title=chart.unit or None,
                scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(labelColor=_INK, titleColor=_INK),
            ),
        )
    )
    layers: list[Any] = [series]
    lines = _lines(chart)
    if lines:
        names = [f"{name}: {number(value, chart.unit)}" for name, value in lines]
        rules = [
            {"line": label, "y": value} for label, (_, value) in zip(names, lines, strict=True)
        ]
        colours = [_RULES[name][0] for name, _ in lines]
        dashes = [_RULES[name][1] for name, _ in lines]
        layers.append(
            alt.Chart(alt.InlineData(values=rules))
            .mark_rule(strokeWidth=1.5)
            .encode(
                y="y:Q",
                color=alt.Color(
                    "line:N",
                    scale=alt.Scale(domain=names, range=colours),
                    legend=alt.Legend(title=None, orient="bottom", labelColor=_INK),
                ),
                strokeDash=alt.StrokeDash(
                    "line:N", scale=alt.Scale(domain=names, range=dashes), legend=None
                ),
            )
        )
    spec: dict[str, Any] = (
        alt.layer(*layers)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.TitleParams(title, anchor="start", color=_INK),
            background="white",
        )
        .configure_view(stroke=None)
        .to_dict()
    )
    return spec


def chart_png(chart: ChartData, title: str) -> bytes:
    """The chart as PNG bytes, rendered offline by vl-convert."""
    import altair as alt
    import vl_convert

    vega_lite = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    png: bytes = vl_convert.vegalite_to_png(
        chart_spec(chart, title), vl_version=vega_lite, scale=SCALE
    )
    return png


def chart_words(chart: ChartData, title: str) -> str:
    """What the chart shows, in one sentence: its span, its latest value, its lines."""
    if not chart.values:
        return f"{title}: no values to draw."
    first, last = chart.timestamps[0], chart.timestamps[-1]
    count = len(chart.values)
    said = (
        f"{title}: {count} value{'s' if count != 1 else ''} from {when(first)} to "
        f"{when(last)}, the latest {number(chart.values[-1], chart.unit)}"
    )
    lines = _lines(chart)
    if lines:
        said += "; " + ", ".join(f"{name} {number(v, chart.unit)}" for name, v in lines)
    return said + "."

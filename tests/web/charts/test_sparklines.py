"""Sparklines: the recent values span their box, high values on top, with a label in words."""

from __future__ import annotations

from okrkit.interfaces.web.charts.sparklines import sparkline


def _xy(points: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]


def test_a_sparkline_spans_its_box_high_values_on_top():
    line = sparkline([10.0, 12.0, float("nan"), 11.0, 14.0], "percent", "week")
    assert line is not None
    xy = _xy(line.points)
    assert len(xy) == 4  # the NaN is left out
    assert xy[0][0] == 3.0
    assert xy[-1][0] == 237.0
    assert [y for _, y in xy] == [37.0, 20.0, 28.5, 3.0]  # 14 on top, 10 at the bottom
    assert (line.last_x, line.last_y) == (237.0, 3.0)
    assert line.label == "Last 4 weeks: from 10.0% to 14.0%, low 10.0%, high 14.0%"


def test_a_flat_or_single_sparkline_is_drawn_at_mid_height():
    flat = sparkline([5.0, 5.0, 5.0], None, "day")
    single = sparkline([5.0], None, "month")
    assert flat is not None
    assert single is not None
    assert {y for _, y in _xy(flat.points)} == {20.0}
    assert _xy(single.points) == [(3.0, 20.0), (3.0, 20.0)]
    assert single.label.startswith("Last 1 month: from 5 to 5")
    assert sparkline([float("nan")], None) is None
    assert sparkline([], None) is None

"""The chart an e-mail carries: the values, the bounds and the target named in its
legend, rendered offline as a PNG, and said in words."""

from __future__ import annotations

from okrkit.adapters.notify.chart import chart_png, chart_spec, chart_words
from okrkit.domain.notifications import ChartData
from tests.support.notices import chart_data


def test_the_legend_names_each_line_with_its_value():
    spec = chart_spec(chart_data(), "Trial-to-paid conversion rate")

    rules = spec["layer"][1]
    legend = rules["encoding"]["color"]["scale"]["domain"]
    assert legend == ["green bound: 15.0%", "red bound: 12.0%", "target: 16.0%"]
    assert spec["title"]["text"] == "Trial-to-paid conversion rate"


def test_a_chart_without_lines_draws_the_values_alone():
    bare = ChartData(timestamps=chart_data().timestamps, values=chart_data().values, unit="")
    spec = chart_spec(bare, "Signups")

    assert "layer" in spec
    assert len(spec["layer"]) == 1
    assert chart_words(bare, "Signups") == (
        "Signups: 12 values from 20 May 2026 to 5 Aug 2026, the latest 8.5."
    )


def test_the_chart_is_a_png():
    png = chart_png(chart_data(), "Trial-to-paid conversion rate")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_chart_in_words():
    assert chart_words(chart_data(), "Trial-to-paid conversion rate") == (
        "Trial-to-paid conversion rate: 12 values from 20 May 2026 to 5 Aug 2026, the "
        "latest 8.5%; green bound 15.0%, red bound 12.0%, target 16.0%."
    )

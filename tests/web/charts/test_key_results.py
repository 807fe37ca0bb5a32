"""A key result's chart: the layers it draws (check-ins, the straight line from start to
target, the forecast with its 95 % band, the target, today) with the right values and
a legend in words; its fast path gives Altair's spec; its summary and the figures of a
key result read as a person writes them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle
from okrkit.domain.forecast import Forecast, days, forecast
from okrkit.domain.health import Direction
from okrkit.domain.key_results import KeyResultDefinition, Steps, StoredKeyResult
from okrkit.domain.pace import expected_progress
from okrkit.domain.progress import KeyResultType
from okrkit.domain.values import Series
from okrkit.domain.versions import Revision
from okrkit.interfaces.web.charts.key_results import (
    amount,
    amount_span,
    chance_words,
    day,
    forecast_words,
    key_result_spec,
    key_result_summary,
)
from okrkit.services.key_results import KeyResultState
from tests.web.charts.helpers import run_fresh

CYCLE = Cycle.parse("2026-Q3")
NOW = datetime(2026, 8, 12, 9, 0)
DAY_MS = 86_400_000
WIZARD = KeyResultDefinition(
    "Increase setup wizard completion from 40% to 70%",
    start=40,
    target=70,
    unit="percent",
    owner="noah@example.com",
)
NOISY = [43.0, 47.0, 48.0, 53.0, 54.0, 56.0]


def _state(
    definition: KeyResultDefinition,
    values: list[float],
    *,
    original_target: float | None = None,
    breached: bool = False,
) -> KeyResultState:
    """A key result judged as the service judges it: weekly check-ins from 5 Jul."""
    definition = replace(definition, deadline=definition.deadline or CYCLE.end)
    points = tuple((datetime(2026, 7, 5, 10) + timedelta(weeks=i), v) for i, v in enumerate(values))
    check_ins = (
        ()
        if definition.kpi
        else tuple(CheckIn(at, v, 6, f"week {i + 1}", "noah") for i, (at, v) in enumerate(points))
    )
    assert definition.deadline is not None
    if definition.guardrail or definition.type != KeyResultType.NUMERIC:
        result = Forecast(len(points), None, None, None, None, None, "no line")
    else:
        assert definition.start is not None
        assert definition.target is not None
        result = forecast(
            [at for at, _ in points],
            list(values),
            deadline=definition.deadline,
            start=definition.start,
            target=definition.target,
        )
    stored = StoredKeyResult(
        7,
        "streamline-onboarding",
        definition,
        Revision(1, NOW, "test"),
        original_target=original_target,
        recalibration="the wizard launch slipped" if original_target is not None else "",
    )
    return KeyResultState(
        key_result=stored,
        series=Series.from_points(points),
        check_in_count=len(check_ins),
        last_check_in=check_ins[-1] if check_ins else None,
        current=values[-1] if values else None,
        progress=0.5,
        expected_progress=expected_progress(CYCLE.start, definition.deadline, NOW.date()),
        forecast=result,
        forecast_progress=None,
        pace=None,
        breached=breached,
        check_in_due=False,
        confidence=6,
        confidence_trend="steady",
    )


def _history(state: KeyResultState) -> tuple[CheckIn, ...]:
    """The check-ins `_state` judged, as written (none for a key result a KPI feeds)."""
    if state.key_result.definition.kpi:
        return ()
    return tuple(
        CheckIn(at, v, 6, f"week {i + 1}", "noah") for i, (at, v) in enumerate(state.points)
    )


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every layer of the chart, those nested in a layer too."""
    found = []
    for layer in spec.get("layer", []):
        found += [layer, *_layers(layer)]
    return found


def _layer(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The values of the data set `name`, the same in every layer that draws it."""
    sets = [
        layer["data"]["values"]
        for layer in _layers(spec)
        if layer.get("data", {}).get("name") == name
    ]
    assert sets, f"no layer with the data set {name!r}"
    assert all(values == sets[0] for values in sets)
    values: list[dict[str, Any]] = sets[0]
    return values


def _legend(spec: dict[str, Any]) -> list[str]:
    """The series the legend names, in its order."""
    for layer in _layers(spec):
        colour = layer.get("encoding", {}).get("color", {})
        if colour.get("field") == "series":
            domain: list[str] = colour["scale"]["domain"]
            return domain
    raise AssertionError("no legend")


def plain(value: Any) -> Any:
    """Texts with a plain space where the chart keeps a figure and its unit together."""
    if isinstance(value, str):
        return value.replace("\N{NO-BREAK SPACE}", " ")
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value


def _ms(moment: date | datetime) -> int:
    return round(days(moment) * DAY_MS)


def test_the_chart_draws_check_ins_plan_forecast_band_target_and_today():
    state = _state(WIZARD, NOISY)
    spec = key_result_spec(state, CYCLE, NOW, _history(state))
    assert spec is not None
    f = state.forecast
    assert f.forecast is not None
    assert f.lower is not None
    assert f.upper is not None

    points = _layer(spec, "points")
    assert [p["value"] for p in points] == NOISY
    assert plain([p["shown"] for p in points][:2]) == ["43 %", "47 %"]
    assert points[0]["when"] == "5 Jul"
    assert points[0]["time"] == _ms(datetime(2026, 7, 5, 10))
    assert points[0]["confidence"] == "6/10"

    # The straight line from the start on the cycle's first day to the target at the
    # deadline.
    plan = _layer(spec, "plan")
    assert [(p["time"], p["value"]) for p in plan] == [
        (_ms(date(2026, 7, 1)), 40),
        (_ms(date(2026, 9, 30)), 70),
    ]
    # The forecast runs from the first check-in to the point forecast at the deadline.
    fit = _layer(spec, "fit")
    assert fit[0]["time"] == points[0]["time"]
    assert fit[-1]["time"] == _ms(date(2026, 9, 30))
    assert fit[-1]["value"] == pytest.approx(f.forecast)
    # Its band ends at the 95 % interval of the forecast, and is widest there.
    band = _layer(spec, "band")
    assert band[-1]["time"] == _ms(date(2026, 9, 30))
    assert (band[-1]["lower"], band[-1]["upper"]) == (
        pytest.approx(f.lower),
        pytest.approx(f.upper),
    )
    widths = [b["upper"] - b["lower"] for b in band]
    assert max(widths) == widths[-1] > min(widths) > 0
    levels = _layer(spec, "levels")
    assert [(lv["value"], plain(lv["label"])) for lv in levels] == [(70, "target 70 %")]
    today = _layer(spec, "today")
    assert today == [{"time": _ms(NOW), "label": "today, 12 Aug"}]

    assert plain(_legend(spec)) == [
        "Check-ins",
        "Straight line from start to target",
        "Forecast: the trend to the deadline",
        "95 % interval of the forecast",
        "Target 70 %",
    ]
    titles = {
        layer["encoding"]["y"].get("title")
        for layer in _layers(spec)
        if "y" in layer.get("encoding", {})
    }
    assert "percent" in titles
    assert spec["description"] == key_result_summary(state, CYCLE, NOW)


def test_colour_is_never_the_only_signal_in_the_legend():
    spec = key_result_spec(_state(WIZARD, NOISY), CYCLE, NOW)
    assert spec is not None
    drawn = next(layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "plan")[
        "encoding"
    ]
    dashes = drawn["strokeDash"]["scale"]["range"]
    assert drawn["strokeDash"]["scale"]["domain"] == _legend(spec)
    assert len({json.dumps(d) for d in dashes[:3]}) == 3  # check-ins, plan, forecast differ


@pytest.mark.parametrize(
    ("definition", "values", "original"),
    [
        (WIZARD, NOISY, None),
        (WIZARD, [43, 46, 49, 52], None),  # a perfect line: no band
        (WIZARD, [43, 46], None),  # too few for a forecast
        (WIZARD, [], None),  # nothing yet: the plan and the target
        (WIZARD, NOISY, 65.0),  # recalibrated
        (replace(WIZARD, kpi="trial_to_paid"), NOISY, None),
        (
            KeyResultDefinition(
                "Cut time to first key action from 8 to 3 minutes", start=8, target=3, unit="min"
            ),
            [7.5, 7.1, 6.2, 6.0, 5.4],
            None,
        ),
        (
            KeyResultDefinition(
                "Keep support tickets at or under 5",
                start=5,
                target=5,
                unit="count",
                guardrail=True,
                direction=Direction.LOWER,
            ),
            [4.6, 4.5, 4.6],
            None,
        ),
    ],
)
def test_the_fast_spec_equals_altairs(definition, values, original):
    state = _state(definition, values, original_target=original)
    assert key_result_spec(state, CYCLE, NOW) == key_result_spec(state, CYCLE, NOW, validated=True)


def test_without_a_forecast_the_chart_has_no_forecast_and_no_band():
    spec = key_result_spec(_state(WIZARD, [43, 46]), CYCLE, NOW)
    assert spec is not None
    assert _layer(spec, "fit") == []
    assert _layer(spec, "band") == []
    assert "95 % interval of the forecast" not in _legend(spec)


def test_a_recalibrated_key_result_shows_its_original_target_too():
    spec = key_result_spec(_state(WIZARD, NOISY, original_target=65), CYCLE, NOW)
    assert spec is not None
    assert [plain(lv["label"]) for lv in _layer(spec, "levels")] == [
        "target 70 %",
        "original target 65 %",
    ]
    assert plain(_legend(spec)[-1]) == "Original target 65 %"


def test_a_guardrail_draws_the_line_it_holds_instead_of_a_plan():
    guardrail = KeyResultDefinition(
        "Keep support tickets at or under 5",
        start=5,
        target=5,
        unit="count",
        guardrail=True,
        direction=Direction.LOWER,
    )
    spec = key_result_spec(_state(guardrail, [4.6, 4.5, 4.6]), CYCLE, NOW)
    assert spec is not None
    assert _layer(spec, "plan") == []
    assert _layer(spec, "fit") == []
    assert _legend(spec) == ["Check-ins", "Line to hold: no worse than 5"]


def test_a_kpi_fed_key_result_names_the_kpi_s_values():
    spec = key_result_spec(_state(replace(WIZARD, kpi="trial_to_paid"), NOISY), CYCLE, NOW)
    assert spec is not None
    assert _legend(spec)[0] == "Values of KPI trial_to_paid"


@pytest.mark.parametrize("kind", [KeyResultType.BOOLEAN, KeyResultType.MILESTONE])
def test_a_key_result_done_step_by_step_has_no_chart(kind):
    steps = Steps.parse("beta; pilot") if kind == KeyResultType.MILESTONE else None
    target = 1.0 if steps is None else 2.0
    definition = KeyResultDefinition(
        "Pilot with ten customers", type=kind, start=0, target=target, steps=steps
    )
    assert key_result_spec(_state(definition, [0, 1]), CYCLE, NOW) is None


def test_the_summary_says_what_the_chart_shows():
    state = _state(WIZARD, NOISY)
    f = state.forecast
    assert f.lower is not None
    assert f.upper is not None
    assert f.probability is not None
    summary = plain(key_result_summary(state, CYCLE, NOW))
    assert summary.startswith("6 check-ins from 5 Jul to 9 Aug, from 43 % to 56 %.")
    # 40 + 30 × 42/91 of the cycle gone by (1 Jul → 12 Aug of 1 Jul → 30 Sep) = 53.8 %.
    assert (
        "The straight line from 40 % on 1 Jul to the target 70 % on 30 Sep reaches 53.8 % by "
        "today, 12 Aug." in summary
    )
    interval = f"{round(f.lower, 1):g}–{round(f.upper, 1):g} %"
    assert f"(95 % interval {interval}) by 30 Sep" in summary
    assert "chance of reaching 70 %." in summary


def test_the_forecast_in_words():
    state = _state(WIZARD, NOISY)
    f = state.forecast
    assert f.forecast is not None
    assert f.lower is not None
    assert f.upper is not None
    assert f.probability is not None
    words = plain(forecast_words(state, CYCLE.end, NOW.date()))
    assert words == (
        f"forecast {round(f.forecast, 1):g} % (95 % interval {round(f.lower, 1):g}–"
        f"{round(f.upper, 1):g} %) by 30 Sep; {chance_words(f.probability)} chance of "
        "reaching 70 %"
    )
    perfect = forecast_words(_state(WIZARD, [43, 46, 49, 52]), CYCLE.end, NOW.date())
    assert "the check-ins lie on a straight line, so the interval has no width" in perfect
    few = forecast_words(_state(WIZARD, [43, 46]), CYCLE.end, NOW.date())
    assert few == "no forecast: a forecast needs at least 3 check-ins; there are 2"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (58.0, "percent", "58 %"),
        (80.2857, "percent", "80.3 %"),
        (7.5, "min", "7.5 min"),
        (1300.0, "", "1,300"),
        (1.2857, "min", "1.29 min"),
        (48_200.0, "currency", "$48.2k"),
        (212.0, "ms", "212 ms"),
        (-2.5, "percent", "\N{MINUS SIGN}2.5 %"),
        (None, "percent", "—"),
    ],
)
def test_a_figure_with_its_unit(value, unit, shown):
    assert plain(amount(value, unit)) == shown


def test_a_figure_and_its_unit_never_break_apart():
    assert amount(58, "percent") == "58\N{NO-BREAK SPACE}%"
    assert amount(7.5, "min") == "7.5\N{NO-BREAK SPACE}min"


def test_ranges_days_and_chances_read_as_written():
    assert plain(amount_span(74.2, 88.0, "percent")) == "74.2–88 %"
    assert plain(amount_span(3.21, 4.1, "min")) == "3.21–4.1 min"
    assert day(date(2026, 9, 30), date(2026, 8, 12)) == "30 Sep"
    assert day(date(2026, 9, 30), date(2027, 1, 2)) == "30 Sep 2026"
    assert day(datetime(2026, 9, 30, 17)) == "30 Sep 2026"
    assert chance_words(0.96) == "96 %"
    assert chance_words(0.999) == "over 99 %"
    assert chance_words(0.001) == "under 1 %"
    assert chance_words(1.0) == "100 %"
    assert chance_words(0.0) == "0 %"


_WITHOUT_ALTAIR = """
import json, sys
from datetime import datetime
from okrkit.domain.cycles import Cycle
from okrkit.interfaces.web.charts import key_results
from tests.web.charts.test_key_results import NOISY, WIZARD, _state

spec = key_results.key_result_spec(_state(WIZARD, NOISY), Cycle.parse("2026-Q3"),
                                   datetime(2026, 8, 12, 9))
print(json.dumps({"altair": "altair" in sys.modules, "spec": spec}))
"""


def test_the_kept_template_spares_a_worker_altair(tmp_path):
    cache = tmp_path / "cache"
    first = run_fresh(_WITHOUT_ALTAIR, cache)
    assert first["altair"]  # nothing kept yet: built with Altair, then kept
    assert len(list((cache / "okrkit").glob("kr-template-*.json"))) == 1
    second = run_fresh(_WITHOUT_ALTAIR, cache)
    assert not second["altair"]
    expected = key_result_spec(_state(WIZARD, NOISY), CYCLE, NOW)
    assert second["spec"] == first["spec"] == json.loads(json.dumps(expected))

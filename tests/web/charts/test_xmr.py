"""The XmR chart's fast path (a template per chart shape, filled per page) gives the same
Vega-Lite spec as building it through Altair, for every shape of chart; the templates kept
in the cache folder spare a worker Altair."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime

import pytest

from okrkit import demo
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.values import Series
from okrkit.domain.versions import Revision
from okrkit.interfaces.web.charts.xmr import xmr_spec
from okrkit.services.health import judge_kpi
from okrkit.services.tiles import Tile, tile_health
from tests.web.charts.helpers import run_fresh

TODAY = datetime(2026, 11, 23)
WORKSPACE = demo.build(date(2026, 11, 23))


def _tile(key: str, *, thresholds: bool = True, constant: bool = False) -> Tile:
    kpi = next(k for k in WORKSPACE.kpis if k.key == key)
    if not thresholds:
        kpi = replace(kpi, thresholds=None)
    series = WORKSPACE.values[key]
    if constant:
        series = Series(series.timestamps, series.values * 0 + 5.0)
    stored = StoredKpi(kpi, Revision(1, TODAY, "test"))
    check = judge_kpi(kpi, series, TODAY)
    return Tile(stored, tile_health(stored, check, series), check, series)


@pytest.mark.parametrize("key", [k.key for k in WORKSPACE.kpis])
@pytest.mark.parametrize(("thresholds", "constant"), [(True, False), (False, False), (True, True)])
def test_the_fast_spec_equals_altairs(key, thresholds, constant):
    tile = _tile(key, thresholds=thresholds, constant=constant)
    assert xmr_spec(tile) == xmr_spec(tile, validated=True)


def test_a_spec_carries_the_points_and_the_summary():
    spec = xmr_spec(_tile("trial_to_paid"))
    assert spec is not None
    assert "Signal" in spec["description"]
    points = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "points"]
    assert len(points[0]["data"]["values"]) == len(WORKSPACE.values["trial_to_paid"])


def test_each_point_looks_up_the_words_of_every_rule_that_flagged_it():
    tile = _tile("trial_to_paid")
    assert tile.check is not None
    spec = xmr_spec(tile)
    assert spec is not None
    drawn = next(layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "points")
    rows = drawn["data"]["values"]
    lookup = next(step for step in drawn["transform"] if "lookup" in step)
    words = {entry["rules"]: entry["why"] for entry in lookup["from"]["data"]["values"]}
    assert lookup["default"] == "no detection rule fired"
    signals = tile.check.xmr.signals
    assert signals
    for i, row in enumerate(rows):
        fired = {(s.rule, s.direction) for s in signals if i in s.indices}
        if not fired:
            assert row["rules"] == ""
            continue
        told = words[row["rules"]].split("; ")
        assert len(told) == len(fired)
        assert {text[text.rindex("(") + 1 : -1] for text in told} == {d for _, d in fired}


_WITHOUT_ALTAIR = """
import json, sys
from datetime import date, datetime
from okrkit import demo
from okrkit.domain.versions import Revision
from okrkit.domain.kpis import StoredKpi
from okrkit.interfaces.web.charts.xmr import xmr_spec
from okrkit.services.tiles import Tile
from okrkit.services.tiles import tile_health
from okrkit.services.health import judge_kpi

today = datetime(2026, 11, 23)
workspace = demo.build(today.date())
kpi = next(k for k in workspace.kpis if k.key == "trial_to_paid")
series = workspace.values["trial_to_paid"]
stored = StoredKpi(kpi, Revision(1, today, "test"))
check = judge_kpi(kpi, series, today)
spec = xmr_spec(Tile(stored, tile_health(stored, check, series), check, series))
print(json.dumps({"altair": "altair" in sys.modules, "spec": spec}))
"""


def test_prepared_templates_spare_a_worker_altair(tmp_path):
    cache = tmp_path / "cache"
    first = run_fresh(_WITHOUT_ALTAIR, cache)
    assert first["altair"]  # nothing kept yet: built with Altair, then kept
    kept = list((cache / "okrkit").glob("xmr-templates-*.json"))
    assert len(kept) == 1
    second = run_fresh(_WITHOUT_ALTAIR, cache)
    assert not second["altair"]
    assert (
        second["spec"] == first["spec"] == json.loads(json.dumps(xmr_spec(_tile("trial_to_paid"))))
    )


def test_prepare_templates_keeps_every_shape_and_mends_a_broken_file(tmp_path):
    cache = tmp_path / "cache"
    prepare = "from okrkit.interfaces.web.charts.xmr import prepare_templates; prepare_templates()"
    subprocess.run(
        [sys.executable, "-c", prepare], env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        check=True,
    )  # fmt: skip
    (path,) = (cache / "okrkit").glob("xmr-templates-*.json")
    assert len(json.loads(path.read_text())) == 8  # thresholds × direction × limits
    path.write_text("{not json")
    subprocess.run(
        [sys.executable, "-c", prepare], env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        check=True,
    )  # fmt: skip
    assert len(json.loads(path.read_text())) == 8

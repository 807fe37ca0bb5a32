"""Benchmark of the domain's number rules at organisation scale.

Part 1 evaluates status + trend + XmR + freshness for 10,000 KPIs × 365 daily points
through okrkit's batch functions, and compares it in the same run with
  - the floor: one bare vectorised NumPy pass computing the XmR arrays (centre, mR̄,
    limits, upper range limit and the three detection masks), nothing else;
  - the notebook: a plain pandas loop per KPI computing the same four things, the way
    an analyst would write it. It runs on a subset of the KPIs (--pandas-kpis) and is
    scaled linearly to 10,000, since the loop's cost per KPI is constant.
Part 2 forecasts 50,000 key results × 12 check-ins.

Goals (issue 4): 10,000 KPIs in < 1 s, ≤ 3× the NumPy floor, faster than the pandas
loop; 50,000 forecasts in < 1 s. Every figure is the median of --runs runs.

    .venv/bin/python bench/domain.py [--runs 7] [--pandas-kpis 500]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from okrkit.domain.cadence import Cadence, stale_batch
from okrkit.domain.forecast import forecast_batch
from okrkit.domain.health import status_batch
from okrkit.domain.spc import capability_batch, xmr_batch
from okrkit.domain.trend import trend_batch

KPIS, POINTS, BASELINE = 10_000, 365, 20
KEY_RESULTS, CHECK_INS = 50_000, 12
AS_OF = datetime(2026, 11, 23)


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches and lazy imports once
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def make_kpis(rng: np.random.Generator) -> dict[str, np.ndarray]:
    level = rng.uniform(10, 1000, (KPIS, 1))
    drift = rng.normal(0, 0.002, (KPIS, 1)) * level * np.arange(POINTS)
    values = level + drift + rng.normal(0, 0.05, (KPIS, POINTS)) * level
    higher = rng.random(KPIS) < 0.6
    spread = level[:, 0] * 0.1
    green = np.where(higher, level[:, 0] - spread, level[:, 0] + spread)
    red = np.where(higher, level[:, 0] - 3 * spread, level[:, 0] + 3 * spread)
    no_thresholds = rng.random(KPIS) < 0.1
    green[no_thresholds] = red[no_thresholds] = np.nan
    first = np.datetime64(AS_OF - timedelta(days=POINTS), "s")
    timestamps = first + np.arange(POINTS) * np.timedelta64(1, "D")
    # Most KPIs loaded yesterday; some pipelines are a few days late.
    lag = rng.choice([1, 1, 1, 2, 3, 5], KPIS).astype("timedelta64[D]")
    newest = np.datetime64(AS_OF, "s") - lag
    return {"values": values, "timestamps": timestamps, "higher": higher, "green": green,
            "red": red, "newest": newest}  # fmt: skip


def okrkit_evaluate(data: dict[str, np.ndarray]) -> tuple[object, ...]:
    """What a dashboard needs for every KPI, through okrkit's domain functions."""
    cadence = Cadence.parse("daily")
    values = data["values"]
    stale = stale_batch(data["newest"], cadence, AS_OF)
    status = status_batch(values[:, -1], data["green"], data["red"], data["higher"], stale)
    trend = trend_batch(cadence.period_index(data["timestamps"]), values)
    xmr = xmr_batch(values, BASELINE)
    verdict = xmr.any_signal
    capability = capability_batch(xmr.lower_limit, xmr.upper_limit, data["green"], data["red"],
                                  data["higher"])  # fmt: skip
    return status, trend, xmr, verdict, capability


def numpy_floor(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """The bare XmR arrays in one NumPy pass: limits, outside, runs, three of four.

    Runs are counted with a centre point breaking the run (simpler than okrkit's
    rule, where it neither breaks nor extends), which only makes the floor cheaper.
    """
    base = values[:, :BASELINE]
    centre = base.mean(axis=1)
    mr = np.abs(np.diff(base, axis=1)).mean(axis=1)
    lower, upper, url = centre - 2.66 * mr, centre + 2.66 * mr, 3.268 * mr
    outside_up = values > upper[:, None]
    outside_down = values < lower[:, None]
    masks = []
    for side in (values > centre[:, None], values < centre[:, None]):
        # Runs laid end to end: a new run starts where the side changes or a row begins.
        starts = np.ones(values.shape, dtype=bool)
        starts[:, 1:] = side[:, 1:] != side[:, :-1]
        first = np.flatnonzero(starts)
        lengths = np.diff(np.append(first, values.size))
        masks.append(side & np.repeat(lengths >= 8, lengths).reshape(values.shape))
    windows = []
    for half in (values > (centre + 1.33 * mr)[:, None], values < (centre - 1.33 * mr)[:, None]):
        h = half.view(np.uint8)
        windows.append(h[:, :-3] + h[:, 1:-2] + h[:, 2:-1] + h[:, 3:] >= 3)
    return centre, mr, lower, upper, url, outside_up, outside_down, *masks, *windows


def pandas_loop(data: dict[str, np.ndarray], kpis: int) -> list[dict[str, object]]:
    """The notebook way: one pandas Series per KPI, the same four answers."""
    index = pd.DatetimeIndex(data["timestamps"])
    as_of = pd.Timestamp(AS_OF)
    out = []
    for i in range(kpis):
        s = pd.Series(data["values"][i], index=index)
        latest = s.iloc[-1]
        green, red, higher = data["green"][i], data["red"][i], data["higher"][i]
        stale = as_of.normalize() - pd.Timestamp(data["newest"][i]).normalize() > pd.Timedelta(
            days=2
        )
        if np.isnan(green):
            status = "unknown"
        elif (latest < red) if higher else (latest > red):
            status = "red"
        elif ((latest > green) if higher else (latest < green)) and not stale:
            status = "green"
        else:
            status = "yellow"
        daily = s.resample("D").mean()
        change = daily.iloc[-1] - daily.iloc[-2]
        last8 = daily.iloc[-8:]
        slope = np.polyfit(np.arange(len(last8)), last8.to_numpy(), 1)[0]
        base = s.iloc[:BASELINE]
        centre = base.mean()
        mr = base.diff().abs().mean()
        lower, upper = centre - 2.66 * mr, centre + 2.66 * mr
        outside = (s > upper) | (s < lower)
        run8 = ((s > centre).astype(int).rolling(8).sum() == 8) | (
            (s < centre).astype(int).rolling(8).sum() == 8
        )
        near = ((s > centre + 1.33 * mr).astype(int).rolling(4).sum() >= 3) | (
            (s < centre - 1.33 * mr).astype(int).rolling(4).sum() >= 3
        )
        signal = bool(outside.any() or run8.any() or near.any())
        out.append({"status": status, "change": change, "slope": slope, "signal": signal})
    return out


def make_forecasts(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    start_day = (datetime(2026, 10, 1) - datetime(1970, 1, 1)).days
    t = start_day + np.sort(rng.uniform(0, 84, (KEY_RESULTS, CHECK_INS)), axis=1)
    y = 40 + np.cumsum(rng.normal(2.0, 1.5, (KEY_RESULTS, CHECK_INS)), axis=1)
    return (
        t,
        y,
        np.full(KEY_RESULTS, start_day + 91.0),
        np.full(KEY_RESULTS, 40.0),
        np.full(KEY_RESULTS, 70.0),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pandas-kpis", type=int, default=500)
    args = parser.parse_args()
    rng = np.random.default_rng(4)
    data = make_kpis(rng)

    ours = median_seconds(lambda: okrkit_evaluate(data), args.runs)
    floor = median_seconds(lambda: numpy_floor(data["values"]), args.runs)
    subset = median_seconds(lambda: pandas_loop(data, args.pandas_kpis), max(3, args.runs // 2))
    notebook = subset * KPIS / args.pandas_kpis

    forecasts = make_forecasts(rng)
    fc = median_seconds(lambda: forecast_batch(*forecasts), args.runs)

    print(f"okrkit domain bench — medians of {args.runs} runs")
    print(f"{KPIS:,} KPIs × {POINTS} daily points: status + trend + XmR + freshness")
    print(f"  okrkit batch           {ours * 1000:8.1f} ms   goal < 1000 ms")
    print(f"  NumPy floor (XmR only) {floor * 1000:8.1f} ms   okrkit / floor = {ours / floor:.2f}×"
          "   goal ≤ 3×")  # fmt: skip
    print(f"  pandas loop per KPI    {notebook * 1000:8.1f} ms   (measured on {args.pandas_kpis:,} "
          f"KPIs: {subset * 1000:.1f} ms, scaled ×{KPIS / args.pandas_kpis:g})")  # fmt: skip
    print(f"                                     pandas / okrkit = {notebook / ours:.1f}×"
          "   goal > 1×")  # fmt: skip
    print(f"{KEY_RESULTS:,} key results × {CHECK_INS} check-ins: forecast")
    print(f"  okrkit forecast_batch  {fc * 1000:8.1f} ms   goal < 1000 ms")


if __name__ == "__main__":
    main()

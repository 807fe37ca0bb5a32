"""Sparklines: a KPI's recent values as a tiny inline-SVG line, drawn here in Python
(small enough to need no chart library), with a label that says the same in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from okrkit.interfaces import formatting as fmt

__all__ = ["Sparkline", "sparkline"]


@dataclass(frozen=True)
class Sparkline:
    """A tiny line of a KPI's recent values, in a `width` × `height` box of SVG units."""

    points: str
    last_x: float
    last_y: float
    width: int
    height: int
    label: str


def sparkline(
    values: Sequence[float],
    unit: str | None,
    period: str = "point",
    width: int = 240,
    height: int = 40,
) -> Sparkline | None:
    """The recent values as an inline-SVG polyline, with a label that says the same in
    words (how many periods, from which value to which, low and high); None for no
    values."""
    every = np.asarray(values, dtype=np.float64)
    clean = every[np.isfinite(every)]
    if not clean.size:
        return None
    count = int(clean.size)
    low, high = float(clean.min()), float(clean.max())
    span = high - low
    pad = 3.0
    step = (width - 2 * pad) / max(count - 1, 1)
    # A dashboard draws one per tile: the coordinates are worked out a column at a time.
    xs = (pad + np.arange(count) * step).tolist()
    if span == 0:
        ys = [height / 2] * count
    else:
        ys = (pad + (high - clean) / span * (height - 2 * pad)).tolist()
    if count == 1:
        xs, ys = [pad, *xs], [ys[0], *ys]
    first, last = float(clean[0]), float(clean[-1])
    periods = f"{count} {period}{'' if count == 1 else 's'}"
    label = (
        f"Last {periods}: from {fmt.number(first, unit)} to {fmt.number(last, unit)}, "
        f"low {fmt.number(low, unit)}, high {fmt.number(high, unit)}"
    )
    return Sparkline(
        " ".join([f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True)]),
        xs[-1],
        ys[-1],
        width,
        height,
        label,
    )

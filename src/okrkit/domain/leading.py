"""Leading and lagging: which KPIs move before a lagging KPI does.

Rule (docs/rules.md, "Leading and lagging"): for a lagging KPI, rank the leading KPIs by
how well their past values predict it — the Pearson correlation of period-over-period
changes, the leading KPI's change `lag` periods earlier against the lagging KPI's
change, over lags 0…k; a KPI's lag is its strongest one, of either sign. Fewer than
`MIN_LEAD_LAG_PAIRS` pairs of changes, or changes that do not vary, give no correlation
and say why instead of guessing.

An OKR can then aim at a leading indicator known to move the lagging one; the
correlation suggests where to aim, it does not prove the cause.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput

__all__ = ["MIN_LEAD_LAG_PAIRS", "LeadLag", "lead_lag"]

FloatArray = npt.NDArray[np.float64]

# Fewer pairs of period changes than this make any correlation a coin toss.
MIN_LEAD_LAG_PAIRS = 8
# Changes whose spread is this small relative to their size are constant plus noise.
_CONSTANT = 1e-24


@dataclass(frozen=True)
class LeadLag:
    """How well one leading KPI's changes predict the lagging KPI's changes `lag`
    periods later: the Pearson correlation `correlation` over `pairs` pairs of period
    changes. Without a correlation, `reason` says why (too little overlap, no change).
    """

    key: str
    lag: int | None
    correlation: float | None
    pairs: int
    reason: str | None = None

    @property
    def sign(self) -> str | None:
        """'positive' when both move the same way, 'negative' when opposite."""
        if self.correlation is None:
            return None
        return "positive" if self.correlation >= 0 else "negative"


def _pearson(x: FloatArray, y: FloatArray) -> float | None:
    xc, yc = x - x.mean(), y - y.mean()
    sxx, syy = float(xc @ xc), float(yc @ yc)
    if sxx <= _CONSTANT * float(x @ x) or syy <= _CONSTANT * float(y @ y):
        return None
    return max(-1.0, min(1.0, float(xc @ yc) / math.sqrt(sxx * syy)))


def lead_lag(
    lagging: FloatArray,
    leading: Mapping[str, FloatArray],
    max_lag: int,
    *,
    min_pairs: int = MIN_LEAD_LAG_PAIRS,
) -> tuple[LeadLag, ...]:
    """Rank leading KPIs by how well their past moves predict a lagging KPI's moves.

    All series are one value per period on the same axis (NaN: no value). For each
    leading KPI and each lag 0…`max_lag`, the period-over-period changes of the leading
    KPI at t − lag are correlated (Pearson) with the lagging KPI's changes at t, over
    the periods where both changes are known; the lag with the strongest correlation
    (either sign; the shorter lag on a tie) is the KPI's. A lag needs at least
    `min_pairs` pairs, else the KPI reports too little overlap. Strongest first; KPIs
    without a correlation last.
    """
    if max_lag < 0:
        raise InvalidInput(f"the lag is at most {max_lag}; give 0 or more", field="max_lag")
    y = np.diff(np.asarray(lagging, dtype=np.float64))
    results = []
    for key, series in leading.items():
        values = np.asarray(series, dtype=np.float64)
        if values.shape != np.shape(lagging):
            raise InvalidInput(
                f"{key!r} has {values.size} periods, the lagging KPI {np.size(lagging)}",
                field=key,
            )
        x = np.diff(values)
        best: tuple[int, float, int] | None = None
        most_pairs = 0
        constant = False
        for lag in range(min(max_lag, y.size - 1) + 1):
            a, b = x[: x.size - lag], y[lag:]
            known = np.isfinite(a) & np.isfinite(b)
            pairs = int(known.sum())
            most_pairs = max(most_pairs, pairs)
            if pairs < min_pairs:
                continue
            r = _pearson(a[known], b[known])
            if r is None:
                constant = True
            elif best is None or abs(r) > abs(best[1]) + 1e-12:
                best = (lag, r, pairs)
        if best is not None:
            results.append(LeadLag(key, best[0], best[1], best[2]))
        elif most_pairs < min_pairs:
            reason = (
                f"too little overlap: {most_pairs} pairs of period changes, "
                f"at least {min_pairs} needed"
            )
            results.append(LeadLag(key, None, None, most_pairs, reason))
        else:
            assert constant
            results.append(LeadLag(key, None, None, most_pairs, "no variation to correlate"))
    return tuple(
        sorted(
            results,
            key=lambda r: (r.correlation is None, -abs(r.correlation or 0.0), r.key),
        )
    )

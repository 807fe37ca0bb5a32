"""Which KPIs lead a lagging one (docs/rules.md, "Leading and lagging"): correlations of
period changes over lags, worked out by construction in the comments."""

from __future__ import annotations

import numpy as np
import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.domain.leading import MIN_LEAD_LAG_PAIRS, lead_lag

# Weekly trial starts change by these amounts; revenue repeats each change two weeks
# later (after two changes of its own), so trials lead revenue by exactly 2 periods.
STEPS = [3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8, 9, -7, 9, 3, 2, -3, 8, 4]
TRIALS = np.r_[100.0, 100 + np.cumsum(STEPS)]
REVENUE = np.r_[50.0, 50 + np.cumsum([0.5, -0.3, *STEPS[:-2]])]


def test_a_kpi_that_moves_two_periods_earlier_leads_by_two() -> None:
    results = lead_lag(REVENUE, {"trials": TRIALS}, max_lag=4)
    (trials,) = results
    assert trials.key == "trials"
    assert trials.lag == 2
    assert trials.correlation == pytest.approx(1.0)
    assert trials.sign == "positive"
    assert trials.pairs == 18  # 20 changes, 2 lost to the lag
    assert trials.reason is None


def test_an_opposite_mover_is_negative_and_ranked_by_strength() -> None:
    noise = np.array([0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.0, 0.3, -0.1, 0.4, -0.3,
                      0.2, 0.1, -0.5, 0.3, 0.0, 0.2, -0.2, 0.1, 0.4, -0.1])  # fmt: skip
    churn = 10 - TRIALS / 10 + noise  # falls when trials rise, same period
    results = lead_lag(REVENUE, {"churn": churn, "trials": TRIALS}, max_lag=3)
    assert [r.key for r in results] == ["trials", "churn"]
    churn_result = results[1]
    assert churn_result.sign == "negative"
    assert churn_result.lag == 2
    assert churn_result.correlation is not None
    assert -1 < churn_result.correlation < -0.8


def test_lag_zero_is_the_same_period() -> None:
    (same,) = lead_lag(TRIALS * 2, {"trials": TRIALS}, max_lag=3)
    assert same.lag == 0
    assert same.correlation == pytest.approx(1.0)


def test_too_little_overlap_is_said_not_guessed() -> None:
    short = np.full(TRIALS.size, np.nan)
    short[:8] = TRIALS[:8]  # 7 changes: fewer than 8 pairs at any lag
    (result,) = lead_lag(REVENUE, {"new_feature": short}, max_lag=2)
    assert result.correlation is None
    assert result.lag is None
    assert result.sign is None
    assert result.pairs == 7
    assert result.reason == (
        f"too little overlap: 7 pairs of period changes, at least {MIN_LEAD_LAG_PAIRS} needed"
    )


def test_gaps_drop_pairs_without_warnings() -> None:
    gappy = TRIALS.copy()
    gappy[[5, 12]] = np.nan  # each gap spoils two changes
    (result,) = lead_lag(REVENUE, {"trials": gappy}, max_lag=4)
    assert result.lag == 2
    assert result.correlation == pytest.approx(1.0)
    assert result.pairs == 14  # 18 pairs at lag 2, 4 spoilt by the gaps


def test_a_flat_kpi_has_no_correlation() -> None:
    (flat,) = lead_lag(REVENUE, {"flat": np.full(TRIALS.size, 0.1)}, max_lag=2)
    assert flat.correlation is None
    assert flat.reason == "no variation to correlate"


def test_kpis_without_a_correlation_come_last() -> None:
    results = lead_lag(
        REVENUE,
        {
            "flat": np.full(TRIALS.size, 3.0),
            "trials": TRIALS,
            "empty": np.full(TRIALS.size, np.nan),
        },
        max_lag=2,
    )
    assert [r.key for r in results] == ["trials", "empty", "flat"]


def test_a_negative_lag_or_a_misaligned_series_is_refused() -> None:
    with pytest.raises(InvalidInput, match="0 or more"):
        lead_lag(REVENUE, {"trials": TRIALS}, max_lag=-1)
    with pytest.raises(InvalidInput, match="'trials' has 5 periods"):
        lead_lag(REVENUE, {"trials": TRIALS[:5]}, max_lag=1)


def test_a_lag_longer_than_the_series_stops_at_the_series() -> None:
    (result,) = lead_lag(REVENUE, {"trials": TRIALS}, max_lag=500)
    assert result.lag == 2

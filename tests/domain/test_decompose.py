"""Which factor or segment moved a KPI (docs/rules.md, "Derived KPIs"). Every figure below is
worked out by hand in the comments."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.decompose import (
    MAX_SHAPLEY_INPUTS,
    Method,
    decompose_factors,
    decompose_rate_mix,
    decompose_segments,
)
from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula

ARPU = Formula.parse("arpu = aov * frequency * paying_share")
BEFORE = {"aov": 50.0, "frequency": 2.0, "paying_share": 0.05}
AFTER = {"aov": 48.0, "frequency": 2.1, "paying_share": 0.045}


# --- factors: log-change shares --------------------------------------------------------


def test_arpu_splits_by_log_change_shares() -> None:
    # ARPU before = 50 × 2.0 × 0.05 = 5.0; after = 48 × 2.1 × 0.045 = 4.536.
    # Change −0.464 (−9.28 %). ln(4.536 / 5) = ln 0.9072 = −0.0973923.
    #   aov:          ln(48 / 50)    = ln 0.96 = −0.0408220 → share 0.41915
    #   frequency:    ln(2.1 / 2.0)  = ln 1.05 = +0.0487902 → share −0.50097
    #   paying share: ln(0.045/0.05) = ln 0.90 = −0.1053605 → share 1.08182
    # contribution = share × (−0.464): −0.19449, +0.23245, −0.50196.
    result = decompose_factors(ARPU, BEFORE, AFTER)
    assert result.method is Method.LOG_CHANGE
    assert result.kpi == "arpu"
    assert result.before == pytest.approx(5.0)
    assert result.after == pytest.approx(4.536)
    assert result.change == pytest.approx(-0.464)
    assert result.relative_change == pytest.approx(-0.0928)
    aov, frequency, paying = result.factors
    assert (aov.key, aov.before, aov.after) == ("aov", 50.0, 48.0)
    assert aov.share == pytest.approx(0.41915, abs=1e-5)
    assert frequency.share == pytest.approx(-0.50097, abs=1e-5)
    assert paying.share == pytest.approx(1.08182, abs=1e-5)
    assert aov.contribution == pytest.approx(-0.19449, abs=1e-5)
    assert frequency.contribution == pytest.approx(0.23245, abs=1e-5)
    assert paying.contribution == pytest.approx(-0.50196, abs=1e-5)
    total = sum(f.contribution for f in result.factors if f.contribution is not None)
    assert total == pytest.approx(result.change, abs=1e-12)
    assert sum(f.share for f in result.factors if f.share is not None) == pytest.approx(1.0)
    assert result.reason is None
    # The biggest mover first: paying share, then frequency, then AOV.
    assert [f.key for f in result.ranked] == ["paying_share", "frequency", "aov"]


def test_the_log_share_is_exactly_the_log_ratio_over_the_kpi_log_ratio() -> None:
    result = decompose_factors(ARPU, BEFORE, AFTER)
    kpi = math.log(4.536 / 5.0)
    for factor in result.factors:
        assert factor.share == pytest.approx(math.log(factor.after / factor.before) / kpi)


def test_a_ratio_counts_the_denominator_with_exponent_minus_one() -> None:
    # ARPU = revenue / users: 1000 / 200 = 5 → 1100 / 250 = 4.4; change −0.6.
    # ln(4.4 / 5) = −0.1278334; revenue: +ln 1.1 = +0.0953102 → share −0.74559;
    # users: −ln 1.25 = −0.2231436 → share 1.74559. Contributions +0.44735, −1.04735.
    formula = Formula.parse("arpu = revenue / users")
    result = decompose_factors(
        formula, {"revenue": 1000, "users": 200}, {"revenue": 1100, "users": 250}
    )
    revenue, users = result.factors
    assert revenue.share == pytest.approx(-0.74559, abs=1e-5)
    assert users.share == pytest.approx(1.74559, abs=1e-5)
    assert revenue.contribution == pytest.approx(0.44735, abs=1e-5)
    assert users.contribution == pytest.approx(-1.04735, abs=1e-5)
    assert revenue.contribution + users.contribution == pytest.approx(-0.6)


def test_a_constant_multiplier_moves_nothing() -> None:
    plain = decompose_factors(Formula.parse("a / b"), {"a": 3, "b": 4}, {"a": 5, "b": 4})
    percent = decompose_factors(Formula.parse("a / b * 100"), {"a": 3, "b": 4}, {"a": 5, "b": 4})
    assert [f.share for f in percent.factors] == [f.share for f in plain.factors]
    assert percent.factors[0].contribution == pytest.approx(50.0)  # 75 % → 125 %


def test_no_change_gives_offsetting_contributions_and_no_shares() -> None:
    # AOV up 5 %, frequency down by the same factor: ARPU stays 5.0. With no change
    # the log mean is ARPU itself: contributions ±5 · ln 1.05 = ±0.24395, shares none.
    after = {"aov": 52.5, "frequency": 2.0 / 1.05, "paying_share": 0.05}
    result = decompose_factors(ARPU, BEFORE, after)
    assert result.change == pytest.approx(0.0, abs=1e-12)
    assert [f.share for f in result.factors] == [None, None, None]
    assert result.factors[0].contribution == pytest.approx(5 * math.log(1.05))
    assert result.factors[1].contribution == pytest.approx(-5 * math.log(1.05))
    assert result.factors[2].contribution == pytest.approx(0.0)
    assert result.reason is not None
    assert "did not change" in result.reason


def test_a_zero_factor_falls_back_to_shapley() -> None:
    # Paying share 0 → 0.045: ln 0 does not exist. y = a·f·p with a 50 → 48, f 2.0 → 2.1,
    # p 0 → 0.045; y 0 → 4.536. Shapley weights over 3 inputs: 1/3 when an input
    # switches first, 1/6 second (after one given other), 1/3 last. Any mix with p = 0
    # is 0, so a and f only count once p has switched:
    #   φa = ⅙·(48−50)·2.0·0.045 + ⅓·(48−50)·2.1·0.045 = −0.03 − 0.063  = −0.093
    #   φf = ⅙·(2.1−2.0)·50·0.045 + ⅓·(2.1−2.0)·48·0.045 = 0.0375 + 0.072 = 0.1095
    #   φp = ⅓·50·2.0·0.045 + ⅙·48·2.0·0.045 + ⅙·50·2.1·0.045 + ⅓·48·2.1·0.045
    #      = 1.5 + 0.72 + 0.7875 + 1.512 = 4.5195
    # and −0.093 + 0.1095 + 4.5195 = 4.536.
    result = decompose_factors(ARPU, {**BEFORE, "paying_share": 0.0}, AFTER)
    assert result.method is Method.SHAPLEY
    assert result.reason is not None
    assert "Shapley" in result.reason
    aov, frequency, paying = result.factors
    assert aov.contribution == pytest.approx(-0.093)
    assert frequency.contribution == pytest.approx(0.1095)
    assert paying.contribution == pytest.approx(4.5195)
    assert result.relative_change is None  # from 0: no relative change


def test_a_factor_that_changes_sign_falls_back_to_shapley() -> None:
    formula = Formula.parse("margin = price * unit_margin")
    result = decompose_factors(
        formula, {"price": 10, "unit_margin": -1}, {"price": 12, "unit_margin": 1}
    )
    assert result.method is Method.SHAPLEY
    total = sum(f.contribution for f in result.factors if f.contribution is not None)
    assert total == pytest.approx(result.change)  # −10 → 12: +22


def test_negative_factors_that_keep_their_sign_still_use_logs() -> None:
    formula = Formula.parse("y = a * b")
    result = decompose_factors(formula, {"a": -2, "b": -3}, {"a": -4, "b": -3})
    assert result.method is Method.LOG_CHANGE
    assert result.factors[0].share == pytest.approx(1.0)  # only a moved: 6 → 12
    assert result.factors[0].contribution == pytest.approx(6.0)


# --- factors: Shapley ------------------------------------------------------------------


def test_a_sum_splits_into_each_term_s_own_change() -> None:
    # Net new MRR = new + expansion − churned: 40 + 10 − 15 = 35 → 45 + 8 − 25 = 28.
    # Every term acts alone, so each Shapley value is its own change: +5, −2, −10 (the
    # churned term enters with a minus); they sum to −7. Shares: −5/7, 2/7, 10/7.
    formula = Formula.parse("net_new_mrr = new + expansion - churned")
    result = decompose_factors(
        formula,
        {"new": 40, "expansion": 10, "churned": 15},
        {"new": 45, "expansion": 8, "churned": 25},
    )
    assert result.method is Method.SHAPLEY
    assert result.reason is None
    assert result.change == -7.0
    new, expansion, churned = result.factors
    assert new.contribution == pytest.approx(5.0)
    assert expansion.contribution == pytest.approx(-2.0)
    assert churned.contribution == pytest.approx(-10.0)
    assert new.share == pytest.approx(-5 / 7)
    assert expansion.share == pytest.approx(2 / 7)
    assert churned.share == pytest.approx(10 / 7)


def test_shapley_splits_an_interaction_evenly_between_its_inputs() -> None:
    # y = a·b + c: 10·2 + 5 = 25 → 12·3 + 4 = 40, change 15.
    #   φa = ½[(12−10)·2 + (12−10)·3] = 5      (b before, b after)
    #   φb = ½[(3−2)·10 + (3−2)·12]   = 11
    #   φc = 4 − 5 = −1                        (c acts alone)
    # 5 + 11 − 1 = 15.
    formula = Formula.parse("y = a * b + c")
    result = decompose_factors(formula, {"a": 10, "b": 2, "c": 5}, {"a": 12, "b": 3, "c": 4})
    assert [f.contribution for f in result.factors] == pytest.approx([5.0, 11.0, -1.0])
    assert [f.share for f in result.factors] == pytest.approx([1 / 3, 11 / 15, -1 / 15])


@given(
    st.lists(st.floats(0.1, 100), min_size=4, max_size=4),
    st.lists(st.floats(0.1, 100), min_size=4, max_size=4),
)
def test_contributions_always_add_up_to_the_change(x0: list[float], x1: list[float]) -> None:
    for text in [
        "y = a * b / c * d",
        "y = a * b + c - d",
        "y = (a + b) / (c + d)",
        "y = a ** 2 * b",
    ]:
        formula = Formula.parse(text)
        before = dict(zip("abcd", x0, strict=True))
        after = dict(zip("abcd", x1, strict=True))
        result = decompose_factors(formula, before, after)
        total = math.fsum(f.contribution for f in result.factors if f.contribution is not None)
        assert total == pytest.approx(result.change, rel=1e-9, abs=1e-9)


def test_log_shares_and_shapley_agree_for_small_changes() -> None:
    # For a small move both methods converge on the same split.
    formula = Formula.parse("y = a * b + 0 * c")  # not a pure product: Shapley
    product = Formula.parse("y = a * b")
    before, after = {"a": 100.0, "b": 2.0, "c": 1.0}, {"a": 100.1, "b": 1.999, "c": 1.0}
    shapley = decompose_factors(formula, before, after)
    logs = decompose_factors(product, before, after)
    assert shapley.method is Method.SHAPLEY
    assert logs.method is Method.LOG_CHANGE
    for s, g in zip(shapley.factors, logs.factors, strict=False):
        assert s.contribution == pytest.approx(g.contribution, rel=1e-3)


def test_a_kpi_that_cannot_be_computed_is_refused() -> None:
    formula = Formula.parse("arpu = revenue / users")
    with pytest.raises(InvalidInput, match="cannot be computed from the before values"):
        decompose_factors(formula, {"revenue": 10, "users": 0}, {"revenue": 10, "users": 2})


def test_a_missing_input_value_is_named() -> None:
    with pytest.raises(InvalidInput, match="no after value for 'paying_share'"):
        decompose_factors(ARPU, BEFORE, {"aov": 1, "frequency": 1})


def test_too_many_inputs_for_shapley_are_refused() -> None:
    keys = [f"k{i}" for i in range(MAX_SHAPLEY_INPUTS + 1)]
    formula = Formula.parse(" + ".join(keys))
    with pytest.raises(InvalidInput, match="at most 16"):
        decompose_factors(formula, dict.fromkeys(keys, 1.0), dict.fromkeys(keys, 2.0))


def test_many_inputs_of_a_product_are_no_problem() -> None:
    keys = [f"k{i}" for i in range(40)]
    formula = Formula.parse(" * ".join(keys))
    result = decompose_factors(formula, dict.fromkeys(keys, 1.0), dict.fromkeys(keys, 1.01))
    assert result.method is Method.LOG_CHANGE
    assert all(f.share == pytest.approx(1 / 40) for f in result.factors)


# --- segments: additive ----------------------------------------------------------------


def test_an_additive_kpi_splits_into_its_segments_changes() -> None:
    # Revenue by plan: 100 + 300 + 100 = 500 → 110 + 250 + 140 + 20 = 520, change +20.
    # basic +10 (50 %), pro −50 (−250 %), team +40 (200 %), enterprise new +20 (100 %).
    result = decompose_segments(
        {"basic": 100, "pro": 300, "team": 100},
        {"basic": 110, "pro": 250, "team": 140, "enterprise": 20},
    )
    assert (result.before, result.after, result.change) == (500.0, 520.0, 20.0)
    assert result.relative_change == pytest.approx(0.04)
    by_name = {s.segment: s for s in result.segments}
    assert by_name["basic"].change == 10.0
    assert by_name["basic"].share == pytest.approx(0.5)
    assert by_name["pro"].share == pytest.approx(-2.5)
    assert by_name["team"].share == pytest.approx(2.0)
    enterprise = by_name["enterprise"]
    assert (enterprise.before, enterprise.after, enterprise.share) == (0.0, 20.0, 1.0)
    assert sum(s.change for s in result.segments) == result.change
    assert [s.segment for s in result.ranked] == ["pro", "team", "enterprise", "basic"]


def test_an_additive_kpi_without_change_has_no_shares() -> None:
    result = decompose_segments({"a": 1, "b": 2}, {"a": 2, "b": 1})
    assert result.change == 0
    assert [s.share for s in result.segments] == [None, None]


# --- segments: rate and mix ------------------------------------------------------------


def test_a_pure_mix_shift_moves_the_rate_with_no_rate_effect() -> None:
    # Conversion = paid / trials. web converts 15 %, app 5 %, both periods.
    # Before: web 30/200, app 10/200 → 40/400 = 10 %. After: web 15/100, app 15/300 →
    # 30/400 = 7.5 %. Change −2.5 pp, all mix: weights web 0.5 → 0.25, app 0.5 → 0.75.
    # R̄ = (0.10 + 0.075) / 2 = 0.0875.
    #   web mix = (0.15 − 0.0875) · (0.25 − 0.5) = −0.015625
    #   app mix = (0.05 − 0.0875) · (0.75 − 0.5) = −0.009375     sum −0.025
    result = decompose_rate_mix(
        {"web": (30, 200), "app": (10, 200)}, {"web": (15, 100), "app": (15, 300)}
    )
    assert result.before == pytest.approx(0.10)
    assert result.after == pytest.approx(0.075)
    assert result.rate_effect == pytest.approx(0.0)
    assert result.mix_effect == pytest.approx(-0.025)
    web, app = result.segments
    assert web.mix_effect == pytest.approx(-0.015625)
    assert app.mix_effect == pytest.approx(-0.009375)
    assert web.share == pytest.approx(0.625)
    assert app.share == pytest.approx(0.375)


def test_rate_and_mix_effects_sum_to_the_change() -> None:
    # Before as above (10 %). After: web 24/120 = 20 %, app 14/280 = 5 % → 38/400 = 9.5 %.
    # Weights: web 0.5 → 0.3, app 0.5 → 0.7. R̄ = 0.0975.
    #   web rate = 0.4 · (0.20 − 0.15) = +0.02;  web mix = (0.175 − 0.0975) · −0.2 = −0.0155
    #   app rate = 0.6 · 0              =  0;     app mix = (0.05 − 0.0975) · +0.2 = −0.0095
    # Total +0.02 − 0.0155 − 0.0095 = −0.005 = 9.5 % − 10 %.
    result = decompose_rate_mix(
        {"web": (30, 200), "app": (10, 200)}, {"web": (24, 120), "app": (14, 280)}
    )
    web, app = result.segments
    assert (web.before_rate, web.after_rate) == pytest.approx((0.15, 0.20))
    assert (web.before_weight, web.after_weight) == pytest.approx((0.5, 0.3))
    assert web.rate_effect == pytest.approx(0.02)
    assert web.mix_effect == pytest.approx(-0.0155)
    assert app.rate_effect == pytest.approx(0.0)
    assert app.mix_effect == pytest.approx(-0.0095)
    assert web.contribution == pytest.approx(0.0045)
    assert app.contribution == pytest.approx(-0.0095)
    assert result.change == pytest.approx(-0.005)
    assert result.rate_effect + result.mix_effect == pytest.approx(result.change)
    assert web.share == pytest.approx(-0.9)
    assert app.share == pytest.approx(1.9)
    assert [s.segment for s in result.ranked] == ["app", "web"]


def test_a_scale_turns_rates_into_percentages() -> None:
    result = decompose_rate_mix(
        {"web": (30, 200), "app": (10, 200)}, {"web": (24, 120), "app": (14, 280)}, scale=100
    )
    assert (result.before, result.after) == pytest.approx((10.0, 9.5))
    assert result.segments[0].rate_effect == pytest.approx(2.0)


def test_a_new_segment_is_all_mix() -> None:
    # Before: web 30/200 = 15 %. After: web 30/200, partner 10/200 (new, 5 %) → 10 %.
    # partner takes its after rate before: rate effect 0; mix (0.05 − 0.125) · 0.5.
    result = decompose_rate_mix({"web": (30, 200)}, {"web": (30, 200), "partner": (10, 200)})
    web, partner = result.segments
    assert partner.before_rate is None
    assert partner.rate_effect == 0.0
    assert partner.mix_effect == pytest.approx((0.05 - 0.125) * 0.5)
    assert web.contribution + partner.contribution == pytest.approx(-0.05)


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 100), st.integers(0, 50), st.integers(1, 100)),
        min_size=1,
        max_size=6,
    )
)
def test_rate_and_mix_always_add_up(rows: list[tuple[int, int, int, int]]) -> None:
    before = {f"s{i}": (min(n, d), d) for i, (n, d, _, _) in enumerate(rows)}
    after = {f"s{i}": (min(n, d), d) for i, (_, _, n, d) in enumerate(rows)}
    result = decompose_rate_mix(before, after)
    total = math.fsum(s.contribution for s in result.segments)
    assert total == pytest.approx(result.change, abs=1e-12)


def test_a_zero_denominator_is_refused() -> None:
    with pytest.raises(InvalidInput, match="denominator totals 0 before"):
        decompose_rate_mix({"a": (0, 0)}, {"a": (1, 2)})
    with pytest.raises(InvalidInput, match="segment 'b' has a numerator"):
        decompose_rate_mix({"a": (1, 2), "b": (1, 0)}, {"a": (1, 2)})

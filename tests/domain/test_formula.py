"""Derived KPI formulas: parsed safely, evaluated over arrays (docs/rules.md, "Derived KPIs")."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import MAX_DEPTH, MAX_LENGTH, Factor, Formula
from okrkit.domain.keys import is_key


def rejected(text: str) -> tuple[int, str]:
    """The 1-based column and message of a refused formula."""
    with pytest.raises(InvalidInput) as caught:
        Formula.parse(text)
    assert caught.value.field == "formula"
    match = re.match(r"column (\d+): (.*)", caught.value.message)
    assert match, caught.value.message
    return int(match.group(1)), match.group(2)


# --- reading ---------------------------------------------------------------------------


def test_a_named_formula_has_a_target_and_inputs_in_order_of_appearance() -> None:
    formula = Formula.parse("arpu = aov * frequency * paying_share")
    assert formula.target == "arpu"
    assert formula.inputs == ("aov", "frequency", "paying_share")
    assert formula.columns == (8, 14, 26)
    assert formula.column_of("paying_share") == 26


def test_a_bare_right_hand_side_has_no_target() -> None:
    formula = Formula.parse("revenue / paying_users")
    assert formula.target is None
    assert formula.inputs == ("revenue", "paying_users")


def test_a_key_named_twice_is_one_input() -> None:
    assert Formula.parse("a * b + a").inputs == ("a", "b")


@pytest.mark.parametrize(
    ("text", "inputs"),
    [
        ("trial-to-paid * 100", ("trial-to-paid",)),
        ("a-b - c", ("a-b", "c")),
        ("in + if * or", ("in", "if", "or")),
        ("1e5 * abc", ("abc",)),
        ("arpu-x = mrr-eu / paying-eu", ("mrr-eu", "paying-eu")),
    ],
)
def test_a_hyphen_inside_a_name_belongs_to_the_key(text: str, inputs: tuple[str, ...]) -> None:
    """Every valid KPI key is a formula identifier: `trial-to-paid` is one KPI, never a
    subtraction; a minus between two keys needs a space (docs/rules.md, "Keys")."""
    assert Formula.parse(text).inputs == inputs


def test_a_column_in_a_formula_with_hyphenated_keys_is_the_column_typed() -> None:
    column, message = rejected("trial-to-paid % churn-rate")
    assert column == 15
    assert "'%'" in message


# --- evaluating ------------------------------------------------------------------------


def test_arpu_is_aov_times_frequency_times_paying_share() -> None:
    formula = Formula.parse("arpu = aov * frequency * paying_share")
    result = formula.evaluate(
        {
            "aov": np.array([50.0, 48.0]),
            "frequency": np.array([2.0, 2.1]),
            "paying_share": np.array([0.05, 0.045]),
        }
    )
    # 50 × 2 × 0.05 = 5; 48 × 2.1 × 0.045 = 4.536
    np.testing.assert_allclose(result, [5.0, 4.536])


def test_precedence_signs_powers_and_parentheses() -> None:
    values = {"a": np.array([2.0]), "b": np.array([3.0]), "c": np.array([4.0])}
    cases = {
        "a + b * c": 14.0,  # 2 + 12
        "(a + b) * c": 20.0,
        "a - b - c": -5.0,  # (2 − 3) − 4, left to right
        "a / b / c": 2 / 12,
        "-a ** 2": -4.0,  # the power binds tighter than the sign
        "(-a) ** 2": 4.0,
        "a ** -1": 0.5,
        "c ** 0.5": 2.0,
        "+a - -b": 5.0,
        "100 * a / c": 50.0,
        "1_000 * a": 2000.0,
    }
    for text, expected in cases.items():
        assert Formula.parse(text).evaluate(values)[0] == pytest.approx(expected), text


def test_a_division_by_zero_is_unknown_not_infinite_and_warns_nothing() -> None:
    formula = Formula.parse("conversion = paid / trials")
    result = formula.evaluate({"paid": np.array([3.0, 0.0, 5.0]), "trials": np.array([0, 0, 10])})
    assert math.isnan(result[0])  # 3 / 0
    assert math.isnan(result[1])  # 0 / 0
    assert result[2] == 0.5


def test_a_negative_power_of_zero_an_overflow_and_a_root_of_a_negative_are_unknown() -> None:
    result = Formula.parse("x ** -2").evaluate({"x": np.array([0.0, 2.0])})
    assert math.isnan(result[0])
    assert result[1] == 0.25
    assert math.isnan(Formula.parse("x * x").evaluate({"x": 1e300}))
    assert math.isnan(Formula.parse("x ** 0.5").evaluate({"x": -4.0}))


def test_an_unknown_value_stays_unknown() -> None:
    result = Formula.parse("a + b").evaluate({"a": np.array([1.0, np.nan]), "b": 2.0})
    assert result[0] == 3.0
    assert math.isnan(result[1])


def test_numbers_broadcast_against_arrays() -> None:
    result = Formula.parse("a * b").evaluate({"a": np.array([1.0, 2.0, 3.0]), "b": 10})
    np.testing.assert_array_equal(result, [10.0, 20.0, 30.0])


def test_a_missing_input_is_named() -> None:
    with pytest.raises(InvalidInput, match="'frequency'"):
        Formula.parse("aov * frequency").evaluate({"aov": 1.0})


# --- factors ---------------------------------------------------------------------------


def test_a_product_lists_its_factors_with_exponent_one() -> None:
    factors = Formula.parse("arpu = aov * frequency * paying_share").factors()
    assert factors == (("aov", 1), ("frequency", 1), ("paying_share", 1))
    assert factors is not None
    assert isinstance(factors[0], Factor)


def test_a_ratio_divides_by_exponent_minus_one_and_drops_constants() -> None:
    assert Formula.parse("revenue / users * 100").factors() == (("revenue", 1), ("users", -1))


def test_a_constant_power_of_a_key_is_a_factor_and_repeats_add_up() -> None:
    assert Formula.parse("a ** 2 / b").factors() == (("a", 2), ("b", -1))
    assert Formula.parse("a * b / a").factors() == (("a", 0), ("b", 1))


def test_a_single_key_is_a_product_of_one_factor() -> None:
    assert Formula.parse("x = revenue").factors() == (("revenue", 1),)


@pytest.mark.parametrize(
    "text", ["a + b", "a - b", "a * b + c", "-a * b", "(a + b) / c", "a * (b - c)", "(a*b)**2"]
)
def test_anything_but_a_product_has_no_factors(text: str) -> None:
    assert Formula.parse(text).factors() is None


# --- refusing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("__import__('os').system('x')", 1, "function call"),
        ("().__class__", 4, "attribute access (.__class__)"),
        ("a.__dict__", 3, "attribute access (.__dict__)"),
        ("a.b", 3, "attribute access (.b)"),
        ("x ** 99999999", 6, "exponent 99999999 is outside [-10, 10]"),
        ("x ** -11", 6, "exponent -11 is outside [-10, 10]"),
        ("9**9**9", 4, "exponent must be a number"),
        ("a ** b", 6, "exponent must be a number"),
        ("2 ** (1 / 2) * a", 7, "exponent must be a number"),
        ("[1]*10**9", 1, "a list"),
        ("lambda: 0", 1, "a lambda"),
        ('"a"', 1, "a string ('a')"),
        ("b'a' * x", 1, "a string"),
        ("__x", 1, "starts with '_'"),
        ("a + __class__", 5, "starts with '_'"),
        ("_private * 2", 1, "starts with '_'"),
        ("a[0]", 1, "a subscript"),
        ("a(b)", 1, "a function call"),
        ("a == b", 1, "a comparison"),
        ("a < b", 1, "a comparison"),
        ("a and b", 1, "'and' / 'or'"),
        ("not a", 1, "'not'"),
        ("~a", 1, "'~'"),
        ("True * a", 1, "no booleans"),
        ("None * a", 1, "None"),
        ("1j * a", 1, "1j"),
        ("a if b else c", 1, "a conditional"),
        ("(a, b)", 1, "a tuple"),
        ("{a: 1}", 1, "a dict"),
        ("[a for a in b]", 1, "a comprehension"),
        ("f'{a}'", 1, "an f-string"),
        ("(a := 1)", 2, "an assignment (:=)"),
        ("a // b", 3, "operator '//'"),
        ("a % b", 3, "operator '%'"),
        ("(a) @ b", 5, "operator '@'"),
        ("a ^ b", 3, "operator '^'"),
        ("Revenue / users", 1, "'Revenue' is not a KPI key"),
        ("ARPU = a", 1, "the formula's name 'ARPU' is not a KPI key"),
        ("_arpu = a", 1, "the formula's name '_arpu' starts with '_'"),
        ("a = a * 2", 5, "cannot also be one of its inputs"),
        ("2 * 3", 1, "names no KPI"),
        ("1e999 * a", 1, "too large"),
        ("a × b", 3, "write *"),
        ("a − b", 3, "write -"),
        ("a\nb", 2, "cannot appear"),
        ("a;b", 2, "not a formula"),
        ("a +", 4, "ends too early"),
        ("(a + b", 1, "never closed"),
        ("a = b = c", 7, "not a formula"),
        ("arpu =", 7, "nothing after '='"),
        ("", 1, "empty"),
        ("   ", 1, "empty"),
    ],
)
def test_anything_outside_the_whitelist_is_refused_with_its_column(
    text: str, column: int, words: str
) -> None:
    where, message = rejected(text)
    assert where == column, message
    assert words in message


def test_a_formula_longer_than_the_limit_is_refused_before_parsing() -> None:
    text = "a" + "+a" * MAX_LENGTH
    column, message = rejected(text)
    assert column == MAX_LENGTH + 1
    assert f"{len(text)} characters long; at most {MAX_LENGTH}" in message


def test_a_formula_of_exactly_the_limit_is_read() -> None:
    text = "aa" + "+a" * 249
    assert len(text) == MAX_LENGTH
    assert Formula.parse(text).evaluate({"aa": 1.0, "a": 1.0}) == 250.0


def test_deep_nesting_of_signs_is_refused() -> None:
    column, message = rejected("-" * (MAX_DEPTH + 5) + "a")
    assert column == MAX_DEPTH + 1
    assert f"deeper than {MAX_DEPTH}" in message


def test_deep_nesting_of_parentheses_is_refused_at_the_first_one_too_deep() -> None:
    column, message = rejected("(" * 60 + "a" + ")" * 60)
    assert column == MAX_DEPTH + 1
    assert "parentheses deeper than 50" in message


def test_nesting_at_the_limit_is_read() -> None:
    assert Formula.parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH).inputs == ("a",)


def test_a_long_sum_is_one_level_deep_not_refused() -> None:
    keys = [f"k{i}" for i in range(80)]
    formula = Formula.parse(" + ".join(keys))
    assert formula.inputs == tuple(keys)
    assert formula.evaluate(dict.fromkeys(keys, 1.0)) == 80.0


def test_the_message_names_the_field_the_caller_gives() -> None:
    with pytest.raises(InvalidInput) as caught:
        Formula.parse("a.b", field="--formula")
    assert str(caught.value).startswith("--formula: column 3: attribute access")


# --- properties ------------------------------------------------------------------------

VALUES = {"a": 3.5, "b": -2.0, "c": 0.0}


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> tuple[str, float]:
    """A formula over a, b, c and digits, with its value worked out in plain Python."""
    if depth > 3 or draw(st.booleans()):
        leaf = draw(st.sampled_from(["a", "b", "c", "0", "1", "7"]))
        return leaf, VALUES.get(leaf, float(leaf) if leaf.isdigit() else 0.0)
    (left, x), (right, y) = draw(expressions(depth + 1)), draw(expressions(depth + 1))
    op = draw(st.sampled_from(["+", "-", "*", "/"]))
    if op == "/":
        value = math.nan if y == 0 or math.isnan(y) else x / y
    else:
        value = {"+": x + y, "-": x - y, "*": x * y}[op]
    return f"({left} {op} {right})", value


@given(expressions())
def test_evaluation_agrees_with_plain_arithmetic(case: tuple[str, float]) -> None:
    text, expected = case
    text = f"a * 0 + {text}"  # every formula names a KPI
    expected = 0.0 + expected
    result = float(Formula.parse(text).evaluate(VALUES))
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == pytest.approx(expected, rel=1e-12, abs=1e-12)


FORMULA_CHARACTERS = "ab_xyz019. ()[]{}+-*/%<>=!~^&|@,:;'\"\\#lambdaimportos"


@given(st.one_of(st.text(max_size=60), st.text(FORMULA_CHARACTERS, max_size=60)))
def test_any_text_is_read_or_refused_with_a_column_never_crashes(text: str) -> None:
    try:
        formula = Formula.parse(text)
    except InvalidInput as error:
        message = error.message
    else:
        assert formula.inputs
        assert all(is_key(k) for k in formula.inputs)
        return
    assert re.match(r"column \d+: ", message), message

"""The one key rule (docs/rules.md, "Keys"): every edge checks keys with `domain.keys`, and
every valid KPI key can be written in a formula."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.domain.keys import MAX_KEY_LENGTH, check_key, is_key

KEYS = st.from_regex(r"[a-z][a-z0-9_-]{0,63}", fullmatch=True)


@pytest.mark.parametrize(
    "text", ["paying_share", "a", "dau7", "x_1_y", "trial-to-paid", "in", "a-", "a" * 64]
)
def test_keys_are_lowercase_slugs(text: str) -> None:
    assert is_key(text)
    assert check_key(text) == text


@pytest.mark.parametrize(
    "text", ["Revenue", "_a", "1a", "-a", "", "ä", "a b", "growth\n", "a" * 65, "a.b"]
)
def test_other_names_are_not_keys(text: str) -> None:
    assert not is_key(text)
    with pytest.raises(InvalidInput) as caught:
        check_key(text, field="team")
    assert caught.value.field == "team"
    assert f"at most {MAX_KEY_LENGTH}" in caught.value.message


@given(KEYS)
def test_every_key_is_a_formula_input(key: str) -> None:
    assert Formula.parse(f"{key} * 2").inputs == (key,)
    assert Formula.parse(f"({key})").inputs == (key,)


@given(st.lists(KEYS, min_size=1, max_size=5, unique=True), st.sampled_from([" + ", " - ", " / "]))
def test_every_key_reads_back_in_a_longer_formula(keys: list[str], operator: str) -> None:
    formula = Formula.parse("total = " + operator.join(keys))
    assert formula.inputs == tuple(keys)
    values = {key: [float(i + 1)] for i, key in enumerate(keys)}
    assert formula.evaluate(values).shape == (1,)


@given(KEYS)
def test_every_key_can_name_a_formula(key: str) -> None:
    other = "x" if key != "x" else "y"
    assert Formula.parse(f"{key} = {other} * 2").target == key

"""Declared fields (domain.fields): a KPI's fields declared once, read back by every
edge; plain data round-trips, and every bad value is refused naming its field."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit import demo
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import (
    REQUIRED,
    changes_from_data,
    data_of,
    declare,
    fields_of,
    from_data,
    trusted_reader,
)
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind

KPIS = demo.build(date(2026, 11, 23)).kpis
MINIMAL = {"key": "dau", "name": "DAU", "unit": "count", "direction": "higher",
           "cadence": "daily", "team": "product"}  # fmt: skip


def test_every_field_of_a_kpi_is_declared_once_with_its_meaning():
    declared = fields_of(Kpi)
    assert [f.name for f in declared] == [f.name for f in dataclasses.fields(Kpi)]
    assert all(f.help for f in declared)
    by_name = {f.name: f for f in declared}
    assert by_name["key"].editable is False
    assert by_name["thresholds"].parts == ("green", "red")
    assert by_name["cadence"].parts == ()  # parses its own text
    assert by_name["direction"].choices == ("higher", "lower")
    assert by_name["target"].optional
    assert by_name["target"].default is None
    assert by_name["name"].required
    assert not by_name["description"].required


@pytest.mark.parametrize("kpi", KPIS, ids=lambda k: k.key)
def test_plain_data_reads_back_as_the_same_kpi(kpi: Kpi):
    data = data_of(kpi)
    assert isinstance(data["cadence"], str)
    assert from_data(Kpi, data) == kpi
    read = {f.name: trusted_reader(f) for f in fields_of(Kpi)}
    assert Kpi(**{name: read[name](value) for name, value in data.items()}) == kpi


def test_missing_fields_take_their_defaults_and_required_ones_are_named():
    kpi = from_data(Kpi, MINIMAL)
    assert kpi.kind is KpiKind.LAGGING
    assert kpi.thresholds is None
    assert kpi.cadence == Cadence.parse("daily")
    with pytest.raises(InvalidInput) as caught:
        from_data(Kpi, {k: v for k, v in MINIMAL.items() if k != "cadence"})
    assert caught.value.field == "cadence"


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("direction", "up", "direction"),
        ("direction", 3, "direction"),
        ("cadence", "every tuesday", "cadence"),
        ("cadence", 7, "cadence"),
        ("target", "ten", "target"),
        ("target", True, "target"),
        ("target", float("inf"), "target"),
        ("thresholds", {"green": 15}, "thresholds.red"),
        ("thresholds", {"green": 15, "red": 12, "blue": 1}, "thresholds"),
        ("thresholds", [15, 12], "thresholds"),
        ("thresholds", {"green": "x", "red": 12}, "thresholds.green"),
        ("north_star", "yes", "north_star"),
        ("name", 5, "name"),
        ("name", "x" * 201, "name"),
        ("name", None, "name"),
        ("name", "  ", "name"),
        ("key", "Trial to paid", "key"),
        ("team", "growth\n", "team"),
        ("colour", "red", "colour"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(field: str, value: object, named: str):
    with pytest.raises(InvalidInput) as caught:
        from_data(Kpi, {**MINIMAL, field: value})
    assert caught.value.field == named


def test_a_change_is_checked_and_a_key_never_changes():
    changes = changes_from_data(Kpi, {"target": None, "thresholds": {"green": 2, "red": 1}})
    assert changes == {"target": None, "thresholds": Thresholds(2.0, 1.0)}
    assert changes_from_data(Kpi, {"direction": "LOWER "}) == {"direction": Direction.LOWER}
    for name in ("key", "colour"):
        with pytest.raises(InvalidInput) as caught:
            changes_from_data(Kpi, {name: "x"})
        assert caught.value.field == name


def test_only_declared_fields_count_and_a_field_holds_one_type():
    @dataclasses.dataclass(frozen=True)
    class Note:
        text: str = declare("What it says.")
        scratch: int = 0

    assert [f.name for f in fields_of(Note)] == ["text"]
    assert fields_of(Note)[0].default is REQUIRED

    @dataclasses.dataclass(frozen=True)
    class Odd:
        value: int | str = declare("Either.")

    with pytest.raises(TypeError):
        fields_of(Odd)


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=200).filter(lambda text: text.strip() != "" and "\x00" not in text),
)
def test_any_finite_target_and_short_name_round_trip(target: float, name: str):
    kpi = from_data(Kpi, {**MINIMAL, "name": name, "target": target})
    assert from_data(Kpi, data_of(kpi)) == kpi


def test_a_day_and_a_parsed_text_round_trip_as_plain_data():
    from okrkit.domain.key_results import KeyResultDefinition, Steps
    from okrkit.domain.objectives import Alignment, Objective

    kr = KeyResultDefinition(
        title="Launch", deadline=date(2026, 9, 15), steps=Steps.parse("beta; GA"), start=0, target=2
    )
    data = data_of(kr)
    assert (data["deadline"], data["steps"]) == ("2026-09-15", "beta; GA")
    assert from_data(KeyResultDefinition, data) == kr
    objective = Objective(
        key="a", title="A", cycle="2026-Q3", team="growth", parent=Alignment("company", 12)
    )
    assert data_of(objective)["parent"] == "company#12"
    assert from_data(Objective, data_of(objective)) == objective


@pytest.mark.parametrize(
    "bad", ["2026-13-01", "15/09/2026", "2026-9-1", 20260915, "2026-09-15T00:00"]
)
def test_a_day_is_written_as_year_month_day(bad: object):
    from okrkit.domain.key_results import KeyResultDefinition

    with pytest.raises(InvalidInput, match="is not a date like 2026-09-30") as error:
        from_data(KeyResultDefinition, {"title": "x", "deadline": bad})
    assert error.value.field == "deadline"


def test_a_nul_byte_in_a_text_is_refused_naming_its_field():
    from okrkit.domain.objectives import Objective

    with pytest.raises(InvalidInput, match="NUL") as error:
        from_data(Objective, {"key": "a", "title": "t\x00", "cycle": "2026-Q3", "team": "growth"})
    assert error.value.field == "title"

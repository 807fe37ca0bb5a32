"""The KPI page's read model on SQLite and on PostgreSQL: every segment's newest and
previous value in one query, a number of queries that does not grow with segments or
inputs, and, for a derived KPI, which input moved it in the latest period — or the
sentence saying why that cannot be computed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pytest

from okrkit.domain.cadence import Cadence
from okrkit.domain.decompose import MAX_SHAPLEY_INPUTS, Method
from okrkit.domain.health import Direction
from okrkit.domain.kpis import Kpi
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.derived import formula_inputs, latest_factors
from okrkit.services.explain import FactorExplanation
from okrkit.services.kpis import KpiPage, SegmentRow, kpi_page
from okrkit.services.ports import SegmentLatest
from okrkit.services.workspace import load_workspace
from tests.support.actors import ADMIN, as_actor
from tests.support.statements import statements
from tests.support.values import Row, batch

NOW = datetime(2026, 11, 23, 9, 30)
MONDAY = date(2026, 11, 16)  # the latest week of the tests
WEEK = timedelta(weeks=1)


def _kpi(key: str, formula: str | None = None, cadence: str = "weekly") -> Kpi:
    return Kpi(
        key=key,
        name=key.replace("_", " ").capitalize(),
        unit="count",
        direction=Direction.HIGHER,
        cadence=Cadence.parse(cadence),
        team="growth",
        formula=formula,
    )


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _store(uow, kpis: Sequence[Kpi], rows: Sequence[Row] = ()) -> None:
    """The growth team, its KPIs and their values (totals and segments)."""
    load_workspace(uow, [Team("growth", "Growth")], kpis, {}, as_actor("test"), NOW)
    with uow:
        if rows:
            uow.values.upsert(batch(rows))
        uow.commit()


def _explained(page: KpiPage) -> FactorExplanation:
    """The decomposition of a derived KPI's page, failing with the reason it has none."""
    assert page.factors is not None
    assert page.factors.explanation is not None, page.factors.reason
    return page.factors.explanation


# --- segments ----------------------------------------------------------------------------


def test_segments_latest_reads_each_segments_newest_two_values(uow):
    _store(
        uow,
        [_kpi("trials"), _kpi("other")],
        [
            ("trials", "plan=basic", MONDAY - 2 * WEEK, 10.0),
            ("trials", "plan=basic", MONDAY - WEEK, 11.0),
            ("trials", "plan=basic", MONDAY, 12.0),
            ("trials", "plan=pro", MONDAY - WEEK, 5.0),  # a single value
            ("trials", "platform=ios", MONDAY - 3 * WEEK, 7.0),
            ("trials", "platform=ios", MONDAY - WEEK, 8.0),
            # The total is not a segment, even with newer values.
            ("trials", "", MONDAY, 100.0),
            ("trials", "", MONDAY + WEEK, 101.0),
            ("other", "plan=basic", MONDAY + WEEK, 99.0),  # another KPI's segment
        ],
    )
    with uow:
        heads = uow.values.segments_latest("trials")
        assert uow.values.segments_latest("other") == [
            SegmentLatest("plan=basic", 99.0, _moment(MONDAY + WEEK), None)
        ]
    assert heads == [
        SegmentLatest("plan=basic", 12.0, _moment(MONDAY), 11.0),
        SegmentLatest("plan=pro", 5.0, _moment(MONDAY - WEEK), None),
        SegmentLatest("platform=ios", 8.0, _moment(MONDAY - WEEK), 7.0),
    ]


def test_segments_latest_of_a_kpi_without_segments_is_empty(uow):
    _store(uow, [_kpi("trials")], [("trials", "", MONDAY, 1.0)])
    with uow:
        assert uow.values.segments_latest("trials") == []


def _segment_rows(kpi: str, count: int) -> list[Row]:
    """Three weeks of totals, and `count` segments of two weeks each."""
    rows: list[Row] = [(kpi, "", MONDAY - n * WEEK, 100.0 + n) for n in range(3)]
    for s in range(count):
        rows += [(kpi, f"plan={s:02d}", MONDAY - n * WEEK, float(s * 10 + n)) for n in (1, 0)]
    return rows


def test_the_kpi_page_needs_as_many_queries_for_one_segment_as_for_twelve(uow, engine):
    rows = _segment_rows("trials", 12) + _segment_rows("few", 1)
    _store(uow, [_kpi("trials"), _kpi("few")], rows)
    with statements(engine) as one:
        few = kpi_page(uow, "few", NOW, viewer=ADMIN)
    with statements(engine) as twelve:
        many = kpi_page(uow, "trials", NOW, viewer=ADMIN)
    assert len(few.segments) == 1
    assert len(many.segments) == 12
    assert len(one) == len(twelve), (one, twelve)
    assert many.segments[0] == SegmentRow("plan=00", 0.0, datetime(2026, 11, 16), 1.0)
    assert many.segments[11] == SegmentRow("plan=11", 110.0, datetime(2026, 11, 16), 111.0)
    assert few.segments == (SegmentRow("plan=00", 0.0, datetime(2026, 11, 16), 1.0),)


def test_a_derived_kpis_page_needs_as_many_queries_for_two_inputs_as_for_four(uow, engine):
    kpis = [
        _kpi("ratio", "ratio = a / b"),
        _kpi("product", "product = a * b * c / d"),
        *(_kpi(key) for key in "abcd"),
    ]
    rows: list[Row] = [
        (key, "", MONDAY - n * WEEK, 10.0 + i + n) for i, key in enumerate("abcd") for n in (0, 1)
    ]
    _store(uow, kpis, rows)
    with statements(engine) as two:
        ratio = kpi_page(uow, "ratio", NOW, viewer=ADMIN)
    with statements(engine) as four:
        product = kpi_page(uow, "product", NOW, viewer=ADMIN)
    assert len(_explained(ratio).result.factors) == 2
    assert len(_explained(product).result.factors) == 4
    assert len(two) == len(four), (two, four)


# --- which input moved a derived KPI -----------------------------------------------------

ARPU = _kpi("arpu", "arpu = revenue / paying_users")
INPUTS = [_kpi("revenue"), _kpi("paying_users")]


def test_the_page_of_a_derived_kpi_splits_its_latest_move_between_its_inputs(uow):
    # Week before: revenue 10,000 over 200 users, ARPU 50. Latest week: revenue 11,000
    # (the mean of two values) over 242 users, ARPU 45.4545… Log-change shares by hand:
    # ln(ARPU₁/ARPU₀) = ln 1.1 − ln 1.21 = −ln 1.1, so revenue's share is ln 1.1 / −ln 1.1
    # = −1 (it pulled the other way) and paying_users' is −2 ln 1.1 / −ln 1.1 = 2.
    _store(
        uow,
        [ARPU, *INPUTS],
        [
            ("revenue", "", MONDAY - 2 * WEEK, 7_000.0),  # older weeks do not count
            ("paying_users", "", MONDAY - 2 * WEEK, 100.0),
            ("revenue", "", MONDAY - WEEK, 10_000.0),
            ("paying_users", "", MONDAY - WEEK + timedelta(days=3), 200.0),
            ("revenue", "", MONDAY, 10_500.0),
            ("revenue", "", MONDAY + timedelta(days=6), 11_500.0),
            ("paying_users", "", MONDAY + timedelta(days=1), 242.0),
        ],
    )
    factors = kpi_page(uow, "arpu", NOW, viewer=ADMIN).factors
    assert factors is not None
    assert factors.reason is None
    assert factors.formula == "arpu = revenue / paying_users"
    view = factors.explanation
    assert view is not None
    assert view.window.labels == ("week of 2026-11-09", "week of 2026-11-16")
    result = view.result
    assert result.method is Method.LOG_CHANGE
    assert result.before == pytest.approx(50.0)
    assert result.after == pytest.approx(500 / 11)
    assert result.change == pytest.approx(500 / 11 - 50)
    by_key = {f.key: f for f in result.factors}
    assert (by_key["revenue"].before, by_key["revenue"].after) == (10_000.0, 11_000.0)
    assert (by_key["paying_users"].before, by_key["paying_users"].after) == (200.0, 242.0)
    assert by_key["revenue"].share == pytest.approx(-1.0)
    assert by_key["paying_users"].share == pytest.approx(2.0)
    assert by_key["revenue"].contribution == pytest.approx(50 - 500 / 11)
    assert by_key["paying_users"].contribution == pytest.approx(2 * (500 / 11 - 50))
    assert [f.key for f in result.ranked] == ["paying_users", "revenue"]


def test_a_cron_cadence_compares_its_own_periods_not_calendar_days(uow):
    # Periods start on Mondays at 06:00; values land at 08:00, after the period began,
    # so the midnight of their own day still belongs to the period before.
    weekly_at_six = _kpi("arpu", "arpu = revenue / paying_users", cadence="0 6 * * 1")
    at_eight = timedelta(hours=8)
    _store(
        uow,
        [weekly_at_six, *INPUTS],
        [
            ("revenue", "", datetime(2026, 11, 9) + at_eight, 10_000.0),
            ("paying_users", "", datetime(2026, 11, 9) + at_eight, 200.0),
            ("revenue", "", datetime(2026, 11, 16) + at_eight, 11_000.0),
            ("paying_users", "", datetime(2026, 11, 16) + at_eight, 242.0),
        ],
    )
    shares = {
        f.key: f.share for f in _explained(kpi_page(uow, "arpu", NOW, viewer=ADMIN)).result.factors
    }
    assert shares == {"revenue": pytest.approx(-1.0), "paying_users": pytest.approx(2.0)}


@pytest.mark.parametrize(
    ("formula", "rows", "reason"),
    [
        (
            "arpu = revenue / nobody",
            [("revenue", "", MONDAY, 1.0)],
            "The formula reads nobody, which is no KPI of this workspace: add the KPI or "
            "correct the formula.",
        ),
        (
            "arpu = revenue / paying_users",
            [],
            "No values yet for revenue and paying_users.",
        ),
        (
            "arpu = revenue / paying_users",
            [
                ("revenue", "", MONDAY - WEEK, 10_000.0),
                ("revenue", "", MONDAY, 11_000.0),
                ("paying_users", "", MONDAY, 242.0),
            ],
            "No value of paying_users in the week before, so the move of arpu cannot be "
            "split between its inputs.",
        ),
        (
            # paying_users stopped two weeks ago: the latest week has revenue alone.
            "arpu = revenue / paying_users",
            [
                ("revenue", "", MONDAY - WEEK, 10_000.0),
                ("revenue", "", MONDAY, 11_000.0),
                ("paying_users", "", MONDAY - 2 * WEEK, 200.0),
            ],
            "No value of paying_users in the latest week, so the move of arpu cannot be "
            "split between its inputs.",
        ),
        (
            "arpu = revenue / paying_users",
            [
                ("revenue", "", MONDAY - WEEK, 10_000.0),
                ("paying_users", "", MONDAY - WEEK, 0.0),
                ("revenue", "", MONDAY, 11_000.0),
                ("paying_users", "", MONDAY, 242.0),
            ],
            "arpu cannot be computed in the week before: its formula divides by zero there.",
        ),
    ],
    ids=["unknown-input", "no-values", "gap-before", "gap-latest", "division-by-zero"],
)
def test_a_decomposition_that_cannot_be_computed_says_why(uow, formula, rows, reason):
    _store(uow, [_kpi("arpu", formula), *INPUTS], rows)
    factors = kpi_page(uow, "arpu", NOW, viewer=ADMIN).factors
    assert factors is not None
    assert factors.explanation is None
    assert factors.reason == reason


def test_a_kpi_that_is_not_derived_has_no_decomposition(uow):
    _store(uow, INPUTS, [("revenue", "", MONDAY, 1.0)])
    assert kpi_page(uow, "revenue", NOW, viewer=ADMIN).factors is None


def test_shares_add_up_to_the_whole_change(uow):
    # A sum is no product: Shapley values, which also add up to the change exactly.
    total = _kpi("signups", "signups = web + ios + android")
    rows: list[Row] = []
    for key, before, after in (("web", 100.0, 130.0), ("ios", 50.0, 40.0), ("android", 20.0, 35.0)):
        rows += [(key, "", MONDAY - WEEK, before), (key, "", MONDAY, after)]
    _store(uow, [total, _kpi("web"), _kpi("ios"), _kpi("android")], rows)
    result = _explained(kpi_page(uow, "signups", NOW, viewer=ADMIN)).result
    assert result.method is Method.SHAPLEY
    assert result.change == pytest.approx(35.0)
    shares = {f.key: f.share for f in result.factors}
    assert shares == {
        "web": pytest.approx(30 / 35),
        "ios": pytest.approx(-10 / 35),
        "android": pytest.approx(15 / 35),
    }
    assert math.fsum(s for s in shares.values() if s is not None) == pytest.approx(1.0)


# --- without a store: what only a hand-made KPI can hold ----------------------------------


def _weekly(before: float, after: float) -> Series:
    return Series.from_points([(MONDAY - WEEK, before), (MONDAY, after)])


def test_a_formula_that_does_not_parse_says_so():
    # The catalog refuses such a formula; one written into the database by hand is
    # still read without a traceback.
    factors = latest_factors(_kpi("arpu", "arpu = revenue /"), {})
    assert factors is not None
    assert factors.reason is not None
    assert factors.reason.startswith("The formula cannot be read: column ")
    assert formula_inputs(_kpi("arpu", "arpu = revenue /")) == ()


def test_what_the_decomposition_refuses_is_said_as_a_sentence():
    keys = [f"k{n:02d}" for n in range(MAX_SHAPLEY_INPUTS + 1)]
    total = _kpi("total", "total = " + " + ".join(keys))
    factors = latest_factors(total, {key: _weekly(1.0, 2.0) for key in keys})
    assert factors is not None
    assert factors.explanation is None
    assert factors.reason == (
        f"The formula has {len(keys)} inputs; a decomposition of a formula that is not a "
        f"product or ratio handles at most {MAX_SHAPLEY_INPUTS}."
    )

"""Data quality: gaps, nulls, duplicates, silent segments (docs/rules.md, "Data quality")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.cadence import Cadence, CadenceKind, to_datetime64
from okrkit.domain.quality import STOPPED_AFTER_PERIODS, IssueKind, Quality, check_quality

DAILY = Cadence(CadenceKind.DAILY)
WEEKLY = Cadence(CadenceKind.WEEKLY)


def check(
    moments: list[date] | list[datetime],
    values: list[float],
    cadence: Cadence = DAILY,
    segments: list[str | None] | None = None,
) -> Quality:
    return check_quality(
        to_datetime64(moments), np.array(values, dtype=np.float64), cadence, segments
    )


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def kinds(quality: Quality) -> list[IssueKind]:
    return [issue.kind for issue in quality.issues]


def test_a_clean_daily_series_is_complete() -> None:
    quality = check(days(date(2026, 11, 16), 7), [3.0, 4.0, 5.0, 4.0, 3.0, 4.0, 5.0])
    assert quality.ok
    assert quality.issues == ()
    assert quality.describe() == "Data complete"


def test_an_empty_series_has_nothing_wrong() -> None:
    assert check([], []).ok


def test_a_missing_day_is_a_gap_naming_its_period() -> None:
    # 22 November 2026 is day 20779 after 1970-01-01: the daily period number.
    quality = check([date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)], [1.0, 2.0, 3.0])
    assert not quality.ok
    assert kinds(quality) == [IssueKind.GAP]
    assert quality.issues[0].indices == (20779,)
    assert "1 missing period" in quality.describe()


def test_several_missing_days_are_one_gap_issue_listing_each() -> None:
    # Day numbers: 20 Nov = 20777, so the missing 21, 22 and 24 Nov are 20778, 20779, 20781.
    quality = check([date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 25)], [1.0, 2.0, 3.0])
    assert kinds(quality) == [IssueKind.GAP]
    assert quality.issues[0].indices == (20778, 20779, 20781)
    assert "3 missing periods" in quality.issues[0].message


def test_several_values_on_one_day_are_no_gap() -> None:
    moments = [
        datetime(2026, 11, 20, 8),
        datetime(2026, 11, 20, 20),
        datetime(2026, 11, 21, 8),
    ]
    assert check(moments, [1.0, 2.0, 3.0]).ok


def test_a_weekly_cadence_gap_is_a_missing_iso_week() -> None:
    # Mondays 2 and 9 November, then 23 November: the week of Monday 16 November is
    # missing. Its period is (20773 days since the epoch + 3) // 7 = 2968.
    moments = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 23)]
    quality = check(moments, [1.0, 2.0, 3.0], WEEKLY)
    assert kinds(quality) == [IssueKind.GAP]
    assert quality.issues[0].indices == (2968,)
    assert "weekly" in quality.issues[0].message


def test_weekly_values_on_different_weekdays_are_no_gap() -> None:
    # Monday of one ISO week, Sunday of the next, Wednesday of the one after: no gap,
    # although the values are 13 and 3 days apart.
    moments = [date(2026, 11, 2), date(2026, 11, 15), date(2026, 11, 18)]
    assert check(moments, [1.0, 2.0, 3.0], WEEKLY).ok


def test_a_null_is_reported_with_its_position() -> None:
    quality = check(days(date(2026, 11, 16), 5), [1.0, 2.0, np.nan, 4.0, 5.0])
    assert kinds(quality) == [IssueKind.NULL]
    assert quality.issues[0].indices == (2,)
    assert quality.describe() == quality.issues[0].message
    assert quality.describe() == "1 null value on 18 Nov 2026"  # its day, never a point


def test_nulls_at_the_ends_are_reported_too() -> None:
    quality = check(days(date(2026, 11, 16), 4), [np.nan, 2.0, 3.0, np.nan])
    assert kinds(quality) == [IssueKind.NULL]
    assert quality.issues[0].indices == (0, 3)


def test_the_same_timestamp_twice_in_one_segment_is_a_duplicate() -> None:
    moments = [date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 17), date(2026, 11, 18)]
    quality = check(moments, [1.0, 2.0, 2.5, 3.0])
    assert kinds(quality) == [IssueKind.DUPLICATE]
    assert quality.issues[0].indices == (2,)  # the second value for 17 November


def test_a_duplicate_within_a_named_segment() -> None:
    moments = [date(2026, 11, 16)] * 3 + [date(2026, 11, 17)] * 2
    segments: list[str | None] = ["plan=pro", "plan=free", "plan=pro", "plan=pro", "plan=free"]
    quality = check(moments, [1.0, 2.0, 1.5, 3.0, 4.0], segments=segments)
    assert kinds(quality) == [IssueKind.DUPLICATE]
    assert quality.issues[0].indices == (2,)


@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from([None, "plan=pro", "plan=free"])),
        max_size=40,
    ).map(lambda pairs: sorted(pairs, key=lambda pair: pair[0])),
    st.booleans(),
)
def test_duplicates_are_the_points_whose_segment_and_time_came_before(points, named) -> None:
    moments = [date(2026, 11, 16) + timedelta(days=day) for day, _ in points]
    segments = [segment for _, segment in points] if named else None
    keys = [(day, segment if named else None) for day, segment in points]
    expected = tuple(i for i, key in enumerate(keys) if key in keys[:i])
    quality = check(moments, [1.0] * len(points), segments=segments)
    found = [issue for issue in quality.issues if issue.kind is IssueKind.DUPLICATE]
    assert (found[0].indices if found else ()) == expected


def test_the_same_timestamp_in_two_segments_is_not_a_duplicate() -> None:
    moments = [date(2026, 11, 16)] * 3 + [date(2026, 11, 17)] * 3
    segments: list[str | None] = ["plan=pro", "plan=free", None] * 2
    quality = check(moments, [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], segments=segments)
    assert quality.ok


def test_a_segment_silent_for_the_last_two_periods_has_stopped_reporting() -> None:
    assert STOPPED_AFTER_PERIODS == 2
    # Both segments report 16..18 November; only plan=pro reports the 19th and 20th.
    moments: list[date] = []
    segments: list[str | None] = []
    for day in days(date(2026, 11, 16), 5):
        for name in ("plan=pro", "plan=free"):
            if name == "plan=free" and day > date(2026, 11, 18):
                continue
            moments.append(day)
            segments.append(name)
    quality = check(moments, [1.0] * len(moments), segments=segments)
    assert kinds(quality) == [IssueKind.SEGMENT_STOPPED]
    issue = quality.issues[0]
    assert issue.segment == "plan=free"
    assert "plan=free" in issue.message
    assert "2 periods" in issue.message


def test_a_segment_silent_for_only_the_last_period_is_not_flagged() -> None:
    # One missing period is often a late load: plan=free misses only the 20th.
    moments = [d for d in days(date(2026, 11, 16), 5) for _ in range(2)][:-1]
    segments: list[str | None] = ["plan=pro", "plan=free"] * 4 + ["plan=pro"]
    assert check(moments, [1.0] * len(moments), segments=segments).ok


def test_a_segment_that_reports_again_has_not_stopped() -> None:
    # plan=free misses the 18th and 19th but is back on the 20th.
    moments = [date(2026, 11, 16)] * 2 + [date(2026, 11, 17)] * 2
    moments += [date(2026, 11, 18), date(2026, 11, 19)] + [date(2026, 11, 20)] * 2
    segments: list[str | None] = ["plan=pro", "plan=free"] * 2
    segments += ["plan=pro", "plan=pro", "plan=pro", "plan=free"]
    assert check(moments, [1.0] * len(moments), segments=segments).ok


def test_only_the_silent_segment_is_named() -> None:
    # Three segments on a weekly cadence; platform=web stops after the first week.
    mondays = [date(2026, 11, 2) + timedelta(weeks=i) for i in range(4)]
    moments: list[date] = []
    segments: list[str | None] = []
    for i, monday in enumerate(mondays):
        for name in ("platform=ios", "platform=android", "platform=web"):
            if name == "platform=web" and i > 0:
                continue
            moments.append(monday)
            segments.append(name)
    quality = check(moments, [1.0] * len(moments), WEEKLY, segments)
    assert [(i.kind, i.segment) for i in quality.issues] == [
        (IssueKind.SEGMENT_STOPPED, "platform=web")
    ]
    assert "3 periods" in quality.issues[0].message


def test_every_finding_is_reported_and_described_together() -> None:
    moments = [date(2026, 11, 16), date(2026, 11, 16), date(2026, 11, 18)]
    quality = check(moments, [1.0, np.nan, 3.0])
    assert sorted(kinds(quality)) == sorted([IssueKind.NULL, IssueKind.DUPLICATE, IssueKind.GAP])
    assert not quality.ok
    assert quality.describe() == "; ".join(i.message for i in quality.issues)


def test_a_long_list_of_positions_is_shortened_in_words_but_kept_whole() -> None:
    values = [np.nan] * 12 + [1.0]
    quality = check(days(date(2026, 11, 1), 13), values)
    issue = quality.issues[0]
    assert issue.indices == tuple(range(12))
    assert "12 null values" in issue.message
    assert "and 2 more" in issue.message

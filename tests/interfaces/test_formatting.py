"""The column-at-a-time writers of values and moments read exactly as the one-at-a-time
ones the rest of the product uses; a subscription's address never shows its secret parts,
and why it is off reads in words with its date."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.notifications import Channel
from okrkit.domain.versions import Revision
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.formatting import day_and_time, hide_target, shown_target, why_off
from okrkit.services.ports import StoredSubscription

UNITS = [None, "percent", "currency", "ms", "hours", "count", "score", "ratio", "widgets"]


@pytest.mark.parametrize("unit", UNITS)
@given(values=st.lists(st.floats(allow_infinity=False, width=64), max_size=30))
def test_numbers_read_as_number_does(unit, values):
    assert fmt.numbers(values, unit) == [fmt.number(v, unit) for v in values]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12.04, "percent", "12.0%"),
        (-3.5, "percent", "\N{MINUS SIGN}3.5%"),
        (48_213.0, "currency", "$48.2k"),
        (212.4, "ms", "212 ms"),
        (0.045213, None, "0.04521"),
        (float("nan"), "count", "—"),
    ],
)
def test_numbers_in_their_units(value, unit, text):
    assert fmt.numbers([value], unit) == [text] == [fmt.number(value, unit)]


@given(
    seconds=st.lists(
        st.one_of(
            st.integers(0, 40_000).map(lambda day: day * 86_400),  # midnights
            st.integers(0, 40_000 * 86_400),
        ),
        max_size=30,
    )
)
def test_moments_read_as_moment_does(seconds):
    stamps = np.array(seconds, dtype=np.int64).astype("datetime64[s]")
    expected = [fmt.moment(datetime.fromtimestamp(s, UTC).replace(tzinfo=None)) for s in seconds]
    assert fmt.moments(stamps) == expected


def test_moments_of_a_day_and_of_a_time():
    stamps = np.array(["2026-11-23T00:00:00", "2026-11-23T09:30:00"], dtype="datetime64[s]")
    assert fmt.moments(stamps) == ["2026-11-23", "2026-11-23T09:30:00Z"]


# --- a subscription's address, and why it is off -------------------------------------


@pytest.mark.parametrize(
    ("channel", "target", "shown"),
    [
        (Channel.EMAIL, "growth-team@example.com", "growth-team@example.com"),
        (Channel.SLACK, "https://hooks.slack.com/services/T1/B2/xyz", "https://hooks.slack.com/…"),
        (Channel.WEBHOOK, "https://hooks.example.com", "https://hooks.example.com"),
        (Channel.WEBHOOK, "https://hooks.example.com/hook", "https://hooks.example.com/hook"),
        (Channel.WEBHOOK, "https://hooks.example.com/okrkit/abc", "https://hooks.example.com/okrkit/…"),
        (Channel.WEBHOOK, "https://Hooks.Example.com/1f3c9a7e-55aa", "https://hooks.example.com/1f3c9a7e-5…"),
        (Channel.WEBHOOK, "https://hooks.example.com/in?token=abc", "https://hooks.example.com/in?…"),
        (Channel.WEBHOOK, "https://hooks.example.com?token=abc", "https://hooks.example.com/…"),
        (Channel.WEBHOOK, "https://user:pw@hooks.example.com:8443/a", "https://hooks.example.com:8443/a"),
    ],
)  # fmt: skip
def test_a_targets_secret_parts_are_never_shown(channel, target, shown):
    assert shown_target(channel, target) == shown


def test_a_text_naming_a_slack_address_names_its_host_alone():
    target = "https://hooks.slack.com/services/T1/B2/xyz"
    said = f"not sent: {target} answered 410 Gone on 2026-12-06 14:00 UTC"
    assert hide_target(said, Channel.SLACK, target) == (
        "not sent: https://hooks.slack.com/… answered 410 Gone on 6 Dec 2026, 14:00 UTC"
    )
    assert hide_target("a@example.com refused", Channel.EMAIL, "a@example.com") == (
        "a@example.com refused"
    )


def _stored(enabled: bool, reason: str, by: str) -> StoredSubscription:
    at = datetime(2026, 12, 6, 14, 5)
    return StoredSubscription(
        1, Channel.WEBHOOK, "https://x.example.com", None, None, None, enabled, reason,
        Revision(2, at, by), at,
    )  # fmt: skip


def test_why_a_subscription_is_off_in_words_with_its_date():
    gone = "https://x.example.com answered 410 Gone on 2026-12-06 14:05 UTC: it takes no more"
    assert why_off(_stored(False, gone, "okrkit")) == (
        "switched off: the endpoint answered 410 Gone on 6 Dec 2026; switch it back on once "
        "it takes messages again"
    )
    assert why_off(_stored(False, "switched off by maya", "maya")) == (
        "switched off by maya on 6 Dec 2026"
    )
    assert why_off(_stored(True, "", "maya")) == ""
    assert day_and_time(datetime(2026, 12, 6, 14, 5)) == "6 Dec 2026, 14:05 UTC"

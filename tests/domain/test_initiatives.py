"""Initiatives: where the work is tracked."""

from __future__ import annotations

import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.domain.initiatives import check_tracker_url


def test_a_tracker_address_is_a_web_address_or_none():
    assert check_tracker_url(None) is None
    assert check_tracker_url("  ") is None
    url = "https://tracker.example.com/ISSUE-12"
    assert check_tracker_url(f" {url} ") == url
    for bad in (
        "javascript:alert(1)",
        "tracker.example.com/1",
        "ftp://x/y",
        "https://",
        "http://x/" + "a" * 2000,
    ):
        with pytest.raises(InvalidInput) as error:
            check_tracker_url(bad)
        assert error.value.field == "url"

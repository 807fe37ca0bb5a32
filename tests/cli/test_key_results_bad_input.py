"""`okrkit kr forecast` on bad input: one clear line naming the option or the file's line
and field; exit 2; no traceback."""

from __future__ import annotations

from tests.cli.helpers import GOOD_ROWS, assert_one_line_error, rows_with


def test_kr_forecast_bad_deadline(okrkit, write_csv):
    path = write_csv("checkins.csv", GOOD_ROWS[:4])
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70", "--deadline", "Q4"
    )
    assert_one_line_error(result, "--deadline", "'Q4' is not a date")


def test_kr_forecast_bad_file(okrkit, write_csv):
    path = write_csv("checkins.csv", rows_with(4, "2026-11-03", "lots"))
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70", "--deadline", "2026-12-31"
    )
    assert_one_line_error(result, f"{path}:4:", "value", "'lots' is not a number")


def test_kr_forecast_target_equals_start(okrkit, write_csv):
    path = write_csv("checkins.csv", GOOD_ROWS[:4])
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "40", "--deadline", "2026-12-31"
    )
    assert_one_line_error(result, "--target", "nothing to change")

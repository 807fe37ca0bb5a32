"""`okrkit kpi check` on bad input: one clear line naming the file, line and field; exit 2;
no traceback."""

from __future__ import annotations

import pytest

from tests.cli.helpers import GOOD_ROWS, assert_one_line_error, rows_with, run_okrkit


def test_missing_value_column(okrkit, write_csv):
    path = write_csv("no_value.csv", GOOD_ROWS, header="timestamp,amount")
    result = okrkit("kpi", "check", str(path))
    assert_one_line_error(result, f"{path}:1:", "value", "missing column 'value'", "amount")


def test_non_numeric_value_on_line_17(okrkit, write_csv):
    path = write_csv("text.csv", rows_with(17, "2026-11-16", "n/a"))
    result = okrkit("kpi", "check", str(path), "--format", "json")
    assert_one_line_error(result, f"{path}:17:", "value", "'n/a' is not a number")
    assert result.stdout == ""


def test_percent_sign_gets_a_hint(okrkit, write_csv):
    path = write_csv("percent.csv", rows_with(5, "2026-11-04", "15%"))
    assert_one_line_error(okrkit("kpi", "check", str(path)), f"{path}:5:", "plain numbers")


def test_empty_value(okrkit, write_csv):
    path = write_csv("empty_value.csv", rows_with(9, "2026-11-08", ""))
    assert_one_line_error(okrkit("kpi", "check", str(path)), f"{path}:9:", "value", "is empty")


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity"])
def test_non_finite_value(okrkit, write_csv, text):
    path = write_csv("nan.csv", rows_with(3, "2026-11-02", text))
    assert_one_line_error(okrkit("kpi", "check", str(path)), f"{path}:3:", "not a finite number")


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "23/11/2026", "2026-11-31"])
def test_unparsable_timestamp(okrkit, write_csv, text):
    path = write_csv("dates.csv", rows_with(6, text, "12"))
    result = okrkit("kpi", "check", str(path))
    assert_one_line_error(result, f"{path}:6:", "timestamp", repr(text), "ISO 8601")


def test_empty_file(okrkit, write_csv):
    path = write_csv("empty.csv", "")
    assert_one_line_error(okrkit("kpi", "check", str(path)), str(path), "empty")


def test_header_only(okrkit, write_csv):
    path = write_csv("header.csv", "timestamp,value\n")
    assert_one_line_error(okrkit("kpi", "check", str(path)), f"{path}:1:", "no values")


def test_binary_file(okrkit, tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_one_line_error(okrkit("kpi", "check", str(path)), str(path), "binary")


def test_not_utf8(okrkit, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("timestamp,value\n2026-11-01,1\n2026-11-02,caf\xe9\n".encode("latin-1"))
    assert_one_line_error(okrkit("kpi", "check", str(path)), f"{path}:3:", "UTF-8")


def test_duplicate_timestamps(okrkit, write_csv):
    rows = list(GOOD_ROWS)
    rows.insert(10, ("2026-11-03", 99))
    path = write_csv("dupes.csv", rows)
    result = okrkit("kpi", "check", str(path))
    assert_one_line_error(
        result, f"{path}:12:", "timestamp", "duplicate timestamp 2026-11-03", "line 4"
    )


def test_wrong_number_of_fields(okrkit, write_csv):
    path = write_csv("ragged.csv", "timestamp,value\n2026-11-01,1\n2026-11-02,2,extra\n")
    assert_one_line_error(okrkit("kpi", "check", str(path)), f"{path}:3:", "3 fields")


@pytest.mark.parametrize(
    ("direction", "green", "red", "words"),
    [("higher", "12", "15", "below red"), ("lower", "400", "250", "above red")],
)
def test_thresholds_in_the_wrong_order(okrkit, write_csv, direction, green, red, words):
    path = write_csv("ok.csv", GOOD_ROWS)
    result = okrkit(
        "kpi", "check", str(path), "--direction", direction, "--green", green, "--red", red
    )
    assert_one_line_error(result, "--green/--red", "thresholds", words)


def test_one_threshold_alone(okrkit, write_csv):
    path = write_csv("ok.csv", GOOD_ROWS)
    result = okrkit("kpi", "check", str(path), "--green", "15")
    assert_one_line_error(result, "--red", "both --green and --red")


def test_file_that_does_not_exist(okrkit, tmp_path):
    path = tmp_path / "nowhere.csv"
    assert_one_line_error(okrkit("kpi", "check", str(path)), str(path), "no such file")


def test_a_directory_is_not_a_file(okrkit, tmp_path):
    assert_one_line_error(okrkit("kpi", "check", str(tmp_path)), str(tmp_path), "directory")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--cadence", "fortnightly"], ["--cadence", "'fortnightly' is not a cadence"]),
        (["--today", "23.11.2026"], ["--today", "not a date"]),
        (["--baseline", "0"], ["baseline", "at least"]),
        (["--segment", "plan=pro"], ["segment", "no segment column"]),
    ],
)
def test_bad_options(okrkit, write_csv, args, fragments):
    path = write_csv("ok.csv", GOOD_ROWS)
    assert_one_line_error(okrkit("kpi", "check", str(path), *args), *fragments)


def test_several_segments_need_a_choice(okrkit, write_csv):
    rows = [("2026-11-01", "a", 1), ("2026-11-01", "b", 2)]
    path = write_csv("segments.csv", rows, header="timestamp,segment,value")
    assert_one_line_error(okrkit("kpi", "check", str(path)), "2 segments (a, b)", "--segment")


def test_kpi_check_refuses_a_cadence_that_cant_be_judged(tmp_path):
    series = tmp_path / "series.csv"
    series.write_text("timestamp,value\n2026-11-01,1\n2026-11-02,2\n")
    checked = run_okrkit("kpi", "check", str(series), "--cadence", "0 0 31 4 *")
    assert_one_line_error(checked, "--cadence: the cadence `0 0 31 4 *` never fires (31 April)")

"""Every bad input on the command line is one line on stderr naming what is wrong and
where, exit 2, never a traceback: dates outside the years okrkit keeps in every date
option and file, ... (each group of cases below says what it tries)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.tables import kpi_values
from tests.cli.helpers import ADD_KPI, GOOD_ROWS, assert_one_line_error, okrkit_in, rows_with

KEPT = "okrkit keeps the years 1900 to 2999"
BAD_DAYS = ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"]
# Commands that take a date option, with the rest of what they need (a {series} file).
DATE_OPTIONS = [
    ("demo", "--today"),
    ("kpi check {series}", "--today"),
    ("kr forecast {series} --start 0 --target 40 --deadline 2026-12-31", "--today"),
    ("kr forecast {series} --start 0 --target 40", "--deadline"),
    ("kr forecast {series} --start 0 --target 40 --deadline 2026-12-31", "--cycle-start"),
    ("kpi explain {multi} --segments a --to 2026-11-20", "--from"),
    ("kpi explain {multi} --segments a --from 2026-11-01", "--to"),
    ("cycle list", "--today"),
    ("okr list", "--today"),
    ("okr show growth", "--today"),
    ("cycle add h1 --end 2026-12-31", "--start"),
    ("cycle add h1 --start 2026-01-01", "--end"),
]


def stored_values(database: dict[str, str]) -> int:
    """How many values the workspace's database holds, read straight from the store."""
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(kpi_values)) or 0)
    finally:
        engine.dispose()


@pytest.fixture
def files(write_csv):
    series = write_csv("series.csv", GOOD_ROWS)
    multi = write_csv(
        "multi.csv", [(t, "a", v, "plan=pro") for t, v in GOOD_ROWS], "timestamp,kpi,value,segment"
    )
    return {"series": str(series), "multi": str(multi)}


@pytest.mark.parametrize("day", BAD_DAYS)
@pytest.mark.parametrize(("command", "option"), DATE_OPTIONS)
def test_a_date_option_outside_the_kept_years_is_one_line(
    okrkit, tmp_path, files, command, option, day
):
    args = [*command.format(**files).split(), option, day]
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    assert_one_line_error(okrkit(*args, env=env), f"{option}: {day} is out of range: {KEPT}")


@pytest.mark.parametrize("moment", ["0001-01-05", "9999-12-31", "0001-01-01T00:00:00+01:00"])
@pytest.mark.parametrize(
    "command",
    ["kpi check {path}", "kr forecast {path} --start 0 --target 40 --deadline 2026-12-31"],
)
def test_a_file_row_outside_the_kept_years_is_named_at_its_line(okrkit, write_csv, command, moment):
    path = write_csv("far.csv", rows_with(4, moment, "12"))
    result = okrkit(*command.format(path=path).split())
    assert_one_line_error(result, f"{path}:4: timestamp: ", "is out of range", KEPT)


@pytest.mark.parametrize("moment", ["0001-01-05", "0000-01-01", "9999-12-31T23:00:00-05:00"])
def test_an_imported_row_outside_the_kept_years_is_named_and_nothing_is_written(
    database, write_csv, moment
):
    assert okrkit_in(database, "team", "add", "growth", "--name", "Growth").returncode == 0
    assert okrkit_in(database, *ADD_KPI).returncode == 0
    path = write_csv("far.csv", rows_with(4, moment, "12"))
    result = okrkit_in(database, "kpi", "import", str(path), "--kpi", "trial_to_paid")
    assert_one_line_error(result, f"line 4: timestamp: '{moment}' is out of range: {KEPT}")
    assert stored_values(database) == 0


@pytest.mark.parametrize("name", ["0000-Q1", "0001-Q1", "1899-Q4", "3000-Q1", "9999-Q4"])
def test_a_quarter_outside_the_kept_years_is_one_line(okrkit, tmp_path, name):
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    assert_one_line_error(okrkit("cycle", "add", name, env=env), f"{name} is out of range")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:////nonexistent/dir/x.db", "cannot open the database sqlite:////nonexistent"),
        ("postgresql://nobody@127.0.0.1:1/x", "cannot open the database"),
        ("postgresql://nobody:secret@127.0.0.1:1/x", "nobody:***@127.0.0.1:1/x"),
        ("foo://", "unsupported database URL 'foo'"),
        ("sqlite", "not a database URL okrkit can read"),
        ("postgresql://a@h:port/x", "not a database URL okrkit can read"),
        ("sqlite://", "a database in memory"),
        ("sqlite:///:memory:", "a database in memory"),
    ],
)
def test_a_database_that_cannot_be_opened_is_one_line(okrkit, url, says):
    result = okrkit("team", "list", env={"OKRKIT_DATABASE_URL": url})
    assert_one_line_error(result, "OKRKIT_DATABASE_URL: ", says)
    assert "secret" not in result.stderr


HUGE = str(10**30)


@pytest.mark.parametrize("version", [HUGE, "0", "-5", str(2**63)])
@pytest.mark.parametrize(
    "command",
    [
        ("kpi", "edit", "trial_to_paid", "--name", "Trial to paid"),
        ("kpi", "archive", "trial_to_paid"),
        ("cycle", "start", "2026-Q4"),
        ("cycle", "close", "2026-Q4"),
    ],
)
def test_a_version_that_cannot_be_one_is_one_line(database, command, version):
    assert okrkit_in(database, "team", "add", "growth", "--name", "Growth").returncode == 0
    assert okrkit_in(database, *ADD_KPI).returncode == 0
    assert okrkit_in(database, "cycle", "add", "2026-Q4").returncode == 0
    result = okrkit_in(database, *command, "--version", version)
    assert_one_line_error(result, "--version: ", "is not a version: versions count from 1")


def test_a_key_result_id_of_10_to_the_30_is_one_line(database):
    result = okrkit_in(database, "okr", "checkin", HUGE, "5")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

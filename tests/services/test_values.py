"""Importing KPI values from CSV, Parquet and JSON files, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import psycopg
import pytest
from sqlalchemy import text

from okrkit.adapters.sources.values.files import ValueFile
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import BadRows, InvalidInput, NotFound, RowError, SourceUnavailable
from okrkit.domain.health import Direction
from okrkit.domain.kpis import Kpi
from okrkit.services.kpis import create_kpi
from okrkit.services.teams import CreateTeam, create_team
from okrkit.services.values import import_values
from tests.support.actors import as_actor

NOW = datetime(2026, 11, 24, 9, 0)
ACTOR = "maya@example.com"
KEYS = ("dau", "churn", "trial_to_paid")


def seconds(text: str) -> int:
    """An ISO date or datetime (naive = UTC) as seconds since 1970."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


@pytest.fixture
def workspace(uow):
    create_team(uow, CreateTeam("growth", "Growth"), as_actor(ACTOR), NOW)
    for key in KEYS:
        kpi = Kpi(key, key.replace("_", " "), Direction.HIGHER, Cadence.parse("daily"), "growth",
                  unit="count")  # fmt: skip
        create_kpi(uow, kpi, as_actor(ACTOR), NOW)
    return uow


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path, select: str) -> Path:
    """A Parquet file from a DuckDB query, as another tool would write it."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def stored(uow, key: str, segment: str = "") -> list[tuple[int, float]]:
    with uow:
        series = uow.values.series(key, segment)
    return list(zip(series.timestamps.astype("int64").tolist(), series.values.tolist(),
                    strict=True))  # fmt: skip


def count_values(uow) -> int:
    """Every stored value of the workspace's KPIs, totals and segments."""
    with uow:
        total = 0
        for key in KEYS:
            total += len(uow.values.series(key, ""))
            for segment in uow.values.segments(key):
                total += len(uow.values.series(key, segment))
    return total


def run_import(uow, path: Path, **options):
    batch_rows = options.pop("batch_rows", 100_000)
    with ValueFile(path, batch_rows=batch_rows) as source:
        return import_values(uow, source, as_actor(ACTOR), NOW, **options)


CLEAN_CSV = (
    "kpi,timestamp,value,segment",
    "dau,2026-11-20,1200,",
    "dau,2026-11-21,1250,",
    "dau,2026-11-21,700,plan=pro",
    "churn,2026-11-20T00:00:00Z,2.5,",
    "churn,2026-11-21T00:00:00Z,2.25,",
)


# --- clean imports ---------------------------------------------------------------------


def test_a_clean_csv_file_is_imported_whole(workspace, tmp_path):
    path = write_csv(tmp_path / "values.csv", *CLEAN_CSV)
    report = run_import(workspace, path)
    assert report.source == str(path)
    assert report.rows_read == report.rows_written == 5
    assert report.kpis_touched == 2
    assert [(k.key, k.rows, k.first, k.last) for k in report.kpis] == [
        ("churn", 2, datetime(2026, 11, 20), datetime(2026, 11, 21)),
        ("dau", 3, datetime(2026, 11, 20), datetime(2026, 11, 21)),
    ]
    assert (report.first, report.last) == (datetime(2026, 11, 20), datetime(2026, 11, 21))
    assert stored(workspace, "dau") == [(seconds("2026-11-20"), 1200.0),
                                        (seconds("2026-11-21"), 1250.0)]  # fmt: skip
    assert stored(workspace, "dau", "plan=pro") == [(seconds("2026-11-21"), 700.0)]
    assert stored(workspace, "churn") == [(seconds("2026-11-20"), 2.5),
                                          (seconds("2026-11-21"), 2.25)]  # fmt: skip
    assert stored(workspace, "trial_to_paid") == []


@pytest.mark.parametrize("kind", ["parquet", "json", "ndjson"])
def test_parquet_and_json_files_import_like_csv(workspace, tmp_path, kind):
    rows = [
        {"kpi": "dau", "timestamp": "2026-11-20", "value": 1200, "segment": None},
        {"kpi": "dau", "timestamp": "2026-11-21T00:00:00", "value": 1250.5, "segment": ""},
        {"kpi": "dau", "timestamp": "2026-11-21", "value": 700, "segment": "plan=pro"},
    ]
    if kind == "parquet":
        path = write_parquet(
            tmp_path / "values.parquet",
            "SELECT * FROM (VALUES "
            "('dau', TIMESTAMP '2026-11-20', 1200.0, NULL), "
            "('dau', TIMESTAMP '2026-11-21', 1250.5, ''), "
            "('dau', TIMESTAMP '2026-11-21', 700.0, 'plan=pro')"
            ") AS t(kpi, timestamp, value, segment)",
        )
    elif kind == "json":
        path = tmp_path / "values.json"
        path.write_text(json.dumps(rows))
    else:
        path = tmp_path / "values.ndjson"
        path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    report = run_import(workspace, path)
    assert report.rows_written == 3
    assert stored(workspace, "dau") == [(seconds("2026-11-20"), 1200.0),
                                        (seconds("2026-11-21"), 1250.5)]  # fmt: skip
    assert stored(workspace, "dau", "plan=pro") == [(seconds("2026-11-21"), 700.0)]


def test_parquet_date_and_timestamptz_columns(workspace, tmp_path):
    path = write_parquet(
        tmp_path / "values.parquet",
        "SELECT * FROM (VALUES "
        "(DATE '2026-11-20', TIMESTAMPTZ '2026-11-20 09:30:00+02', 1::INTEGER), "
        "(DATE '2026-11-21', TIMESTAMPTZ '2026-11-21 23:30:00-05', 2::INTEGER)"
        ") AS t(day, timestamp, value)",
    )
    run_import(workspace, path, default_kpi="churn")
    assert stored(workspace, "churn") == [(seconds("2026-11-20T07:30:00"), 1.0),
                                          (seconds("2026-11-22T04:30:00"), 2.0)]  # fmt: skip


def test_offsets_are_converted_to_utc_and_dates_are_midnight_utc(workspace, tmp_path):
    path = write_csv(
        tmp_path / "values.csv",
        "kpi,timestamp,value",
        "dau,2026-11-23,1",
        "dau,2026-11-23T09:30:00+02:00,2",
        "dau,2026-11-23 23:15-0500,3",
        "dau,2026-11-22T12:00:00Z,4",
        "dau,2026-11-22 13:00:00,5",
        "dau,2026-11-22T14:00:00.750+00:00,6",
    )
    run_import(workspace, path)
    assert stored(workspace, "dau") == [
        (seconds("2026-11-22T12:00:00"), 4.0),
        (seconds("2026-11-22T13:00:00"), 5.0),
        (seconds("2026-11-22T14:00:00"), 6.0),  # the fraction of a second is dropped
        (seconds("2026-11-23T00:00:00"), 1.0),
        (seconds("2026-11-23T07:30:00"), 2.0),
        (seconds("2026-11-24T04:15:00"), 3.0),
    ]


def test_segments_are_stored_apart_from_the_total(workspace, tmp_path):
    path = write_csv(
        tmp_path / "values.csv",
        "kpi,timestamp,value,segment",
        "dau,2026-11-20,1000,",
        "dau,2026-11-20,600,platform=ios",
        "dau,2026-11-20,400, platform=android ",
        "dau,2026-11-21,1100,",
        "dau,2026-11-21,650,platform=ios",
    )
    run_import(workspace, path)
    with workspace:
        assert workspace.values.segments("dau") == ["platform=android", "platform=ios"]
    assert [v for _, v in stored(workspace, "dau")] == [1000.0, 1100.0]
    assert [v for _, v in stored(workspace, "dau", "platform=ios")] == [600.0, 650.0]
    assert [v for _, v in stored(workspace, "dau", "platform=android")] == [400.0]


def test_rows_with_every_cell_empty_are_skipped(workspace, tmp_path):
    path = write_csv(
        tmp_path / "values.csv", "kpi,timestamp,value", "dau,2026-11-20,1", ",,", "dau,2026-11-21,2"
    )
    report = run_import(workspace, path, batch_rows=2)
    assert report.rows_read == report.rows_written == 2
    assert [v for _, v in stored(workspace, "dau")] == [1.0, 2.0]


def test_a_file_for_one_kpi_may_leave_out_the_kpi_column(workspace, tmp_path):
    path = write_csv(tmp_path / "dau.csv", "timestamp,value", "2026-11-20,10", "2026-11-21,11")
    report = run_import(workspace, path, default_kpi="dau")
    assert [k.key for k in report.kpis] == ["dau"]
    assert [v for _, v in stored(workspace, "dau")] == [10.0, 11.0]
    with pytest.raises(NotFound, match="no KPI 'nope'"):
        run_import(workspace, path, default_kpi="nope")
    with pytest.raises(InvalidInput) as missing:
        run_import(workspace, path)
    assert missing.value.field == "kpi"
    assert missing.value.line == 1
    assert "missing column 'kpi'" in str(missing.value)


def test_a_reimport_is_idempotent_and_updates_changed_values(workspace, tmp_path):
    path = write_csv(tmp_path / "values.csv", *CLEAN_CSV)
    run_import(workspace, path)
    again = run_import(workspace, path)
    assert (again.rows_read, again.rows_written) == (5, 0)  # nothing changed
    assert count_values(workspace) == 5
    changed = write_csv(
        tmp_path / "changed.csv",
        "kpi,timestamp,value",
        "dau,2026-11-22,1350",  # new: PostgreSQL copies this batch straight in
        "dau,2026-11-21,1300",  # stored already: this batch is merged
    )
    run_import(workspace, changed, batch_rows=1)
    assert count_values(workspace) == 6
    assert stored(workspace, "dau") == [(seconds("2026-11-20"), 1200.0),
                                        (seconds("2026-11-21"), 1300.0),
                                        (seconds("2026-11-22"), 1350.0)]  # fmt: skip


def test_every_import_is_audited_with_its_counts_and_time_range(workspace, tmp_path):
    several = write_csv(tmp_path / "values.csv", *CLEAN_CSV)
    run_import(workspace, several)
    one = write_csv(tmp_path / "dau.csv", "timestamp,value", "2026-11-22T06:00:00+01:00,1300")
    run_import(workspace, one, default_kpi="dau")
    with workspace:
        imports = workspace.audit.history("kpi", "*")
        dau = workspace.audit.history("kpi", "dau")
    assert [(e["action"], e["actor"], e["before"]) for e in imports] == [("import", ACTOR, None)]
    assert imports[0]["after"] == {
        "source": str(several),
        "rows_read": 5,
        "rows_written": 5,
        "kpis": 2,
        "first": "2026-11-20T00:00:00",
        "last": "2026-11-21T00:00:00",
        "per_kpi": {
            "churn": {"rows": 2, "first": "2026-11-20T00:00:00", "last": "2026-11-21T00:00:00"},
            "dau": {"rows": 3, "first": "2026-11-20T00:00:00", "last": "2026-11-21T00:00:00"},
        },
    }
    assert [e["action"] for e in dau] == ["create", "import"]
    assert dau[-1]["after"]["first"] == dau[-1]["after"]["last"] == "2026-11-22T05:00:00"


def test_progress_is_reported_per_batch(workspace, tmp_path):
    path = write_csv(tmp_path / "values.csv", *CLEAN_CSV)
    calls = []
    run_import(
        workspace, path, batch_rows=2, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


# --- bad files -------------------------------------------------------------------------


BAD_CSV = (
    "kpi,timestamp,value,segment",  # line 1
    "dau,2026-11-20,1200,",  # 2
    "dau,2026-11-21,n/a,",  # 3: not a number
    "dau,2026-13-01,1250,",  # 4: no such month
    "nope,2026-11-21,1,",  # 5: unknown KPI
    "dau,2026-11-20,1201,",  # 6: same as line 2
    ",2026-11-22,3,",  # 7: empty KPI
    "",  # 8: blank, skipped
    "churn,yesterday,15%,",  # 9: two errors
    "churn,2026-11-22,inf,",  # 10: not finite
    "churn,2026-11-22,1,,extra",  # 11: a field too many
    "dau,2026-11-20T00:00:00Z,7,plan=pro",  # 12: fine (another segment)
)


def test_a_file_with_bad_rows_writes_nothing_and_names_every_one(workspace, tmp_path):
    path = write_csv(tmp_path / "bad.csv", *BAD_CSV)
    with pytest.raises(BadRows) as bad:
        run_import(workspace, path)
    error = bad.value
    assert error.rows == (
        RowError(3, "value", "'n/a' is not a number"),
        RowError(
            4,
            "timestamp",
            "'2026-13-01' is not an ISO 8601 date or datetime "
            "(e.g. 2026-11-23 or 2026-11-23T09:30:00Z)",
        ),  # fmt: skip
        RowError(5, "kpi", "no KPI 'nope'"),
        RowError(
            6,
            "timestamp",
            "duplicate: line 2 has the same kpi, segment and timestamp (2026-11-20 00:00:00 UTC)",
        ),  # fmt: skip
        RowError(7, "kpi", "is empty"),
        RowError(
            9,
            "timestamp",
            "'yesterday' is not an ISO 8601 date or datetime "
            "(e.g. 2026-11-23 or 2026-11-23T09:30:00Z)",
        ),  # fmt: skip
        RowError(
            9, "value", "'15%' is not a number (write percentages as plain numbers: 15 for 15 %)"
        ),  # fmt: skip
        RowError(10, "value", "'inf' is not a finite number"),
        RowError(11, None, "has 5 fields, the header has 4"),
    )
    assert (error.count, error.bad_rows) == (9, 8)
    assert not error.truncated
    assert isinstance(error, InvalidInput)
    assert str(error).startswith(
        f"{path}: 8 bad rows: line 3: value: 'n/a' is not a number; line 4: timestamp: "
    )
    assert str(error).endswith("; … and 4 more")
    assert count_values(workspace) == 0
    with workspace:
        assert [e["action"] for e in workspace.audit.history("kpi", "dau")] == ["create"]


def test_bad_rows_of_parquet_and_json_files_are_named_by_row(workspace, tmp_path):
    path = write_parquet(
        tmp_path / "bad.parquet",
        "SELECT * FROM (VALUES "
        "('dau', TIMESTAMP '2026-11-20', 1.0), "
        "('dau', TIMESTAMP '2026-11-20', 2.0), "
        "('dau', NULL, 3.0), "
        "('dau', TIMESTAMP '2026-11-23', 'NaN'::DOUBLE), "
        "('  ', TIMESTAMP '2026-11-24', 5.0)"
        ") AS t(kpi, timestamp, value)",
    )
    with pytest.raises(BadRows) as bad:
        run_import(workspace, path)
    assert [str(row) for row in bad.value.rows] == [
        "row 2: timestamp: duplicate: row 1 has the same kpi and timestamp "
        "(2026-11-20 00:00:00 UTC)",
        "row 3: timestamp: is empty",
        "row 4: value: 'nan' is not a finite number",
        "row 5: kpi: is empty",
    ]
    records = tmp_path / "bad.ndjson"
    records.write_text('{"kpi": "dau", "timestamp": "2026-11-20", "value": 1}\n'
                       '{"kpi": "dau", "timestamp": "2026-11-21", "value": true}\n')  # fmt: skip
    with pytest.raises(BadRows, match="row 2: value: 'true' is not a number"):
        run_import(workspace, records)
    assert count_values(workspace) == 0


def test_lines_stay_exact_after_blank_lines_and_quoted_line_breaks(workspace, tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(
        b"kpi,timestamp,value,segment\r\n"  # 1
        b"\r\n"  # 2
        b'dau,2026-11-20,1,"two\r\nlines"\r\n'  # 3-4
        b"dau,2026-11-21\r\n"  # 5: a field too few
        b"\r\n"  # 6
        b"dau,2026-11-22,x,\r\n"  # 7
    )
    with pytest.raises(BadRows) as bad:
        run_import(workspace, path)
    assert [str(row) for row in bad.value.rows] == [
        "line 5: has 2 fields, the header has 4",
        "line 7: value: 'x' is not a number",
    ]


def test_the_list_of_bad_rows_is_capped_but_counted(workspace, tmp_path):
    lines = ["kpi,timestamp,value"]
    lines += [f"dau,2026-11-20T00:{i // 60:02d}:{i % 60:02d},x{i}" for i in range(1500)]
    path = write_csv(tmp_path / "many.csv", *lines)
    with pytest.raises(BadRows) as bad:
        run_import(workspace, path)
    error = bad.value
    assert len(error.rows) == 1000
    assert error.truncated
    assert error.rows[0] == RowError(2, "value", "'x0' is not a number")
    assert error.rows[-1].line == 1001
    assert (error.count, error.bad_rows) == (1500, 1500)
    assert str(error).endswith("; … and 1495 more")


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("missing.csv", None, SourceUnavailable, "missing.csv: no such file"),
        ("binary.csv", b"kpi,\x00\x01\x02", InvalidInput, "binary content, not a text file"),
        ("fake.parquet", b"kpi,timestamp,value\n", InvalidInput, "not a Parquet file"),
        ("values.xlsx", b"PK\x03\x04", InvalidInput, "unsupported file type '.xlsx'"),
        ("empty.csv", b"", InvalidInput, "the file is empty"),
        ("header.csv", b"kpi,timestamp,value\n", InvalidInput, "has a header but no values"),
        ("broken.json", b'[{"kpi": "dau",', InvalidInput, "cannot be read as JSON"),
        ("nodate.csv", b"kpi,value\ndau,1\n", InvalidInput, "missing column 'timestamp'"),
    ],
)
def test_unreadable_files_are_one_line_errors(workspace, tmp_path, name, content, error, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error) as raised:
        run_import(workspace, path)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert str(path) in str(raised.value)


# --- all or nothing --------------------------------------------------------------------


class Cancelled(Exception):
    """The person watching the progress bar pressed Ctrl-C."""


def test_cancelling_midway_writes_nothing(workspace, tmp_path):
    path = write_csv(tmp_path / "values.csv", *CLEAN_CSV)

    def cancel_after_first_batch(done: int, total: int) -> None:
        if done >= 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        run_import(workspace, path, batch_rows=2, progress=cancel_after_first_batch)
    assert count_values(workspace) == 0
    with workspace:
        assert [e["action"] for e in workspace.audit.history("kpi", "dau")] == ["create"]


@pytest.fixture
def refuse_thirteen(engine):
    """A database trigger that refuses the value 13: a write that fails in the database."""
    if engine.dialect.name == "sqlite":
        create = [
            "CREATE TRIGGER refuse_thirteen BEFORE INSERT ON kpi_values WHEN NEW.value = 13 "
            "BEGIN SELECT RAISE(ABORT, 'thirteen is refused'); END"
        ]
        drop = ["DROP TRIGGER refuse_thirteen"]
    else:
        create = [
            "CREATE FUNCTION refuse_thirteen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.value = 13 THEN RAISE EXCEPTION 'thirteen is refused'; END IF; "
            "RETURN NEW; END $$",
            "CREATE TRIGGER refuse_thirteen BEFORE INSERT ON kpi_values "
            "FOR EACH ROW EXECUTE FUNCTION refuse_thirteen()",
        ]
        drop = ["DROP TRIGGER refuse_thirteen ON kpi_values", "DROP FUNCTION refuse_thirteen()"]
    with engine.begin() as connection:
        for statement in create:
            connection.execute(text(statement))
    yield
    with engine.begin() as connection:
        for statement in drop:
            connection.execute(text(statement))


def test_a_write_failing_in_the_second_batch_rolls_back_the_first(
    workspace, tmp_path, refuse_thirteen
):
    path = write_csv(
        tmp_path / "values.csv",
        "kpi,timestamp,value",
        "dau,2026-11-20,10",
        "dau,2026-11-21,11",
        "dau,2026-11-22,12",
        "dau,2026-11-23,13",
        "dau,2026-11-24,14",
    )
    done = []
    with pytest.raises((sqlite3.Error, psycopg.Error), match="thirteen is refused"):
        run_import(workspace, path, batch_rows=2, progress=lambda d, t: done.append(d))
    assert done == [0, 2]  # the first batch was written, then the second failed
    assert count_values(workspace) == 0
    with workspace:
        assert [e["action"] for e in workspace.audit.history("kpi", "dau")] == ["create"]


# --- DuckDB only to read a file --------------------------------------------------------


_IMPORTS_THEN_READS = """
import importlib, json, pkgutil, sys
import okrkit.adapters.sources.values as values
import okrkit.interfaces.web.app
for module in pkgutil.iter_modules(values.__path__, values.__name__ + "."):
    importlib.import_module(module.name)
before = "duckdb" in sys.modules
from okrkit.adapters.sources.values.files import ValueFile
with ValueFile(sys.argv[1]) as source:
    source.kpi_keys(None)
print(json.dumps({"before": before, "after": "duckdb" in sys.modules}))
"""


def test_duckdb_is_loaded_only_to_read_a_file(tmp_path):
    """A web worker imports the value sources (the upload page does) but, until it
    reads a file, not DuckDB (13 MB resident): no module of the package imports it at
    the top."""
    path = write_csv(tmp_path / "values.csv", *CLEAN_CSV)
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_THEN_READS, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == {"before": False, "after": True}

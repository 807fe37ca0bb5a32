"""`okrkit kpi import` against a real database: SQLite files and the session's PostgreSQL."""

from __future__ import annotations

from tests.cli.helpers import ADD_KPI, assert_one_line_error, okrkit_in, okrkit_json


def test_kpi_import_writes_all_rows_or_names_every_bad_one(database, tmp_path):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,n/a\n2026-13-01,14\n")
    result = okrkit_in(database, "kpi", "import", str(bad), "--kpi", "trial_to_paid")
    assert_one_line_error(result, str(bad), "2 bad rows", "line 3: value", "line 4: timestamp")
    good = tmp_path / "good.csv"
    good.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,14.5\n")
    first = okrkit_in(database, "kpi", "import", str(good), "--kpi", "trial_to_paid")
    again = okrkit_in(database, "kpi", "import", str(good), "--kpi", "trial_to_paid")
    assert first.returncode == again.returncode == 0, first.stderr
    assert "imported 2 values into 1 KPI" in again.stdout


def test_kpi_import_prints_exact_json_when_asked(database, tmp_path):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    values = tmp_path / "values.csv"
    values.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,14.5\n")
    imported = okrkit_json(database, "kpi", "import", str(values), "--kpi", "trial_to_paid")
    assert imported == {
        "source": str(values),
        "rows_read": 2,
        "rows_written": 2,
        "kpis": [
            {
                "key": "trial_to_paid",
                "rows": 2,
                "first": "2026-11-01T00:00:00",
                "last": "2026-11-08T00:00:00",
            }
        ],
    }

"""`okrkit kpi import` against a real database: SQLite files and the session's PostgreSQL."""

from __future__ import annotations

import pytest

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
    first = okrkit_in(database, "kpi", "import", str(good), "--kpi", "trial_to_paid", "--yes")
    again = okrkit_in(database, "kpi", "import", str(good), "--kpi", "trial_to_paid", "--yes")
    assert first.returncode == again.returncode == 0, first.stderr
    assert "imported 2 values into 1 KPI" in first.stdout
    assert "2 new, 0 replaced" in first.stdout
    assert "0 new, 0 replaced" in again.stdout  # the same file again changes nothing


def test_kpi_import_prints_exact_json_when_asked(database, tmp_path):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    values = tmp_path / "values.csv"
    values.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,14.5\n")
    imported = okrkit_json(
        database, "kpi", "import", str(values), "--kpi", "trial_to_paid", "--yes"
    )
    assert imported == {
        "id": imported["id"],
        "source": str(values),
        "rows_read": 2,
        "rows_written": 2,
        "new": 2,
        "replaced": 0,
        "kpis": [
            {
                "key": "trial_to_paid",
                "rows": 2,
                "first": "2026-11-01T00:00:00Z",
                "last": "2026-11-08T00:00:00Z",
            }
        ],
        "warning_count": 0,
        "warnings": [],
    }


def _workspace(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)


def _listed(database) -> list[dict]:
    return okrkit_json(database, "kpi", "imports", "trial_to_paid")


def test_an_import_is_previewed_and_written_only_when_confirmed(database, tmp_path):
    _workspace(database)
    path = tmp_path / "values.csv"
    path.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,14.5\n")
    shown = okrkit_in(database, "kpi", "import", str(path), "--kpi", "trial_to_paid")
    assert shown.returncode == 1, shown.stderr
    assert "2 values for 1 KPI — 2 new, 0 replacing a value, 0 unchanged" in shown.stdout
    assert "confirm with --yes" in shown.stderr
    dry = okrkit_json(database, "kpi", "import", str(path), "--kpi", "trial_to_paid", "--dry-run")
    assert (dry["can_import"], dry["new"]) == (True, 2)
    assert _listed(database) == []  # nothing written by either


def test_an_implausible_row_is_named_at_its_line_and_nothing_is_written(database, tmp_path):
    _workspace(database)
    path = tmp_path / "values.csv"
    path.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,150\n2999-01-01,14\n")
    for confirm in ((), ("--yes",)):
        result = okrkit_in(database, "kpi", "import", str(path), "--kpi", "trial_to_paid", *confirm)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "line 3: value: trial_to_paid: 150% is outside 0 to 100%" in result.stderr
        assert "line 4: timestamp" in result.stderr
        assert "in the future" in result.stderr
    assert _listed(database) == []


def test_one_value_is_typed_deleted_and_undone(database):
    _workspace(database)
    typed = okrkit_in(database, "kpi", "set-value", "trial_to_paid", "2026-11-01", "15.2")
    assert typed.returncode == 0, typed.stderr
    assert "1 new, 0 replaced" in typed.stdout
    fixed = okrkit_in(database, "kpi", "set-value", "trial_to_paid", "2026-11-01", "15.4")
    assert "0 new, 1 replaced" in fixed.stdout
    deleted = okrkit_in(database, "kpi", "delete-value", "trial_to_paid", "2026-11-01")
    assert deleted.returncode == 0, deleted.stderr
    listed = _listed(database)
    assert [r["kind"] for r in listed] == ["deleted", "typed", "typed"]
    undone = okrkit_in(database, "kpi", "undo-import", str(listed[0]["id"]))
    assert "0 values removed, 1 put back" in undone.stdout
    again = okrkit_in(database, "kpi", "undo-import", str(listed[0]["id"]))
    assert again.returncode != 0
    assert "undone already" in again.stderr
    assert "Traceback" not in again.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("set-value", "trial_to_paid", "0000-01-01", "1"),
        ("set-value", "trial_to_paid", "yesterday", "1"),
        ("set-value", "trial_to_paid", "2026-11-01", "nan"),
        ("set-value", "trial_to_paid", "2026-11-01", "--", "-5"),
        ("set-value", "trial_to_paid", "2026-11-01", "1e308"),
        ("set-value", "nope", "2026-11-01", "1"),
        ("delete-value", "trial_to_paid", "2026-11-02"),
        ("delete-value", "trial_to_paid", "9999-99-99"),
        ("undo-import", "0"),
        ("undo-import", "99"),
        ("undo-import", str(10**30)),
        ("imports", "nope"),
    ],
)
def test_bad_corrections_are_a_short_error_and_write_nothing(database, args):
    _workspace(database)
    result = okrkit_in(database, "kpi", *args)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    assert 0 < len(result.stderr.strip().splitlines()) <= 5, result.stderr  # or Typer's usage
    assert _listed(database) == []

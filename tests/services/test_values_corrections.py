"""Plausible values, previews and corrections of KPI values, on SQLite and PostgreSQL:
a value outside its unit's range or in the future is refused at its line, one far
outside the usual range is a warning; a preview says what an import would do; a value
can be typed in, replaced, deleted, and any write of values undone."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from okrkit.adapters.sources.values.files import ValueFile
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import BadRows, Conflict, NotFound
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.services.imports import list_imports, undo_import
from okrkit.services.kpis import create_kpi
from okrkit.services.teams import CreateTeam, create_team
from okrkit.services.values import (
    delete_value,
    import_values,
    preview_import,
    set_value,
)
from tests.support.actors import ADMIN, as_actor

NOW = datetime(2026, 12, 8, 9, 0)
ACTOR = "maya@example.com"
START = datetime(2026, 9, 7)
# A trial-to-paid rate that runs between about 14 and 16 % (green from 15.5, red below
# 13), weekly from 7 Sep to 30 Nov 2026; the newest, 14.5 %, is yellow.
RATES = [15.0 + (0.6 if n % 3 == 1 else -0.5 if n % 3 == 0 else 0.1) for n in range(13)]


@pytest.fixture
def workspace(uow):
    create_team(uow, CreateTeam("growth", "Growth"), as_actor(ACTOR), NOW)
    conversion = Kpi(
        "trial_to_paid", "Trial-to-paid conversion", Direction.HIGHER, Cadence.parse("weekly"),
        "growth", unit="percent", thresholds=Thresholds(green=15.5, red=13.0),
    )  # fmt: skip
    create_kpi(uow, conversion, as_actor(ACTOR), NOW)
    create_kpi(
        uow,
        Kpi("signups", "Signups", Direction.HIGHER, Cadence.parse("weekly"), "growth",
            unit="count"),
        as_actor(ACTOR), NOW,
    )  # fmt: skip
    rows = [ValueRow(START + timedelta(weeks=n), value) for n, value in enumerate(RATES)]
    import_values(uow, ValueRows(rows), as_actor(ACTOR), NOW, default_kpi="trial_to_paid")
    return uow


def csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "values.csv"
    path.write_text("\n".join(("timestamp,value", *lines)) + "\n", encoding="utf-8")
    return path


def series(uow, key: str = "trial_to_paid") -> dict[datetime, float]:
    with uow:
        found = uow.values.series(key)
    stamps = found.timestamps.astype("datetime64[s]").tolist()
    return dict(zip(stamps, found.values.tolist(), strict=True))


def week(n: int) -> str:
    return (START + timedelta(weeks=n)).date().isoformat()


# --- plausible values --------------------------------------------------------------------


def test_a_percent_above_100_and_a_future_row_are_refused_at_their_lines(workspace, tmp_path):
    before = series(workspace)
    path = csv(tmp_path, f"{week(13)},150", "2026-12-21,15.2", f"{week(11)},15.1")
    with pytest.raises(BadRows) as raised, ValueFile(path) as source:
        import_values(workspace, source, as_actor(ACTOR), NOW, default_kpi="trial_to_paid")
    rows = {(row.line, row.column): row.reason for row in raised.value.rows}
    assert set(rows) == {(2, "value"), (3, "timestamp")}
    assert "150% is outside 0 to 100%" in rows[2, "value"]
    assert "21 Dec 2026 00:00 UTC is in the future" in rows[3, "timestamp"]
    assert series(workspace) == before  # nothing written, not even the good row
    assert [r.rows for r in list_imports(workspace, "trial_to_paid", viewer=ADMIN)] == [13]


def test_a_count_cannot_be_negative_and_a_kpi_may_allow_more_than_its_unit(workspace):
    rows = ValueRows([ValueRow(datetime(2026, 11, 2), -3.0)])
    with pytest.raises(BadRows, match="item 0: value: signups: -3 is outside at least 0"):
        import_values(workspace, rows, as_actor(ACTOR), NOW, default_kpi="signups")
    retention = Kpi(
        "nrr", "Net revenue retention", Direction.HIGHER, Cadence.parse("monthly"), "growth",
        unit="percent", highest=200.0,
    )  # fmt: skip
    create_kpi(workspace, retention, as_actor(ACTOR), NOW)
    report = import_values(
        workspace, ValueRows([ValueRow(datetime(2026, 11, 1), 118.0)]), as_actor(ACTOR), NOW,
        default_kpi="nrr",
    )  # fmt: skip
    assert report.rows_written == 1


def test_a_fraction_typed_for_a_percent_is_a_warning_named_with_the_usual_range(
    workspace, tmp_path
):
    path = csv(tmp_path, f"{week(13)},0.131")
    with ValueFile(path) as source:
        preview = preview_import(workspace, source, NOW, default_kpi="trial_to_paid", viewer=ADMIN)
    assert preview.can_import
    assert preview.error_count == 0
    assert preview.warning_count == 1
    (warning,) = preview.warnings
    assert (warning.line, warning.column) == (2, "value")
    assert "0.131% is far below the usual range" in warning.reason
    assert "a fraction typed for a percent? (13.1%)" in warning.reason
    # A confirmed import goes ahead with its warnings, and says them.
    with ValueFile(path) as source:
        report = import_values(workspace, source, as_actor(ACTOR), NOW, default_kpi="trial_to_paid")
    assert report.rows_written == 1
    assert report.warning_count == 1
    assert series(workspace)[START + timedelta(weeks=13)] == 0.131


# --- previews ------------------------------------------------------------------------------


def test_a_preview_counts_new_replaced_and_unchanged_rows_and_writes_nothing(workspace, tmp_path):
    before = series(workspace)
    path = csv(
        tmp_path,
        f"{week(11)},{RATES[11]}",  # unchanged
        f"{week(12)},12.0",  # replaces the newest value: green/yellow -> red
        f"{week(13)},12.5",  # new
    )
    with ValueFile(path) as source:
        preview = preview_import(workspace, source, NOW, default_kpi="trial_to_paid", viewer=ADMIN)
    (kpi,) = preview.kpis
    assert (preview.rows, kpi.new, kpi.replaced, kpi.unchanged) == (3, 1, 1, 1)
    assert kpi.before is not None
    assert kpi.after is not None
    assert kpi.before.status is not Status.RED
    assert kpi.after.status is Status.RED
    assert kpi.after.latest_value == 12.5
    assert series(workspace) == before


def test_the_preview_names_the_status_change_a_150_percent_row_would_cause(workspace, tmp_path):
    path = csv(tmp_path, f"{week(13)},150")
    with ValueFile(path) as source:
        preview = preview_import(workspace, source, NOW, default_kpi="trial_to_paid", viewer=ADMIN)
    assert not preview.can_import
    assert preview.error_count == 1
    (kpi,) = preview.kpis
    assert kpi.before is not None
    assert kpi.after is not None
    assert (kpi.before.status, kpi.after.status) == (Status.YELLOW, Status.GREEN)
    (error,) = preview.errors
    assert error.reason.endswith("on its own it would turn the status from yellow to green")


# --- corrections ---------------------------------------------------------------------------


def test_a_typed_value_replaces_the_one_at_its_time_and_is_undone_back(workspace):
    when = START + timedelta(weeks=12)
    typed = ValueRows([ValueRow(when, 14.8)], name="typed in")
    report = set_value(workspace, typed, as_actor(ACTOR), NOW, kpi="trial_to_paid")
    assert series(workspace)[when] == 14.8
    assert report.record is not None
    record = report.record
    assert (record.kind, record.rows, record.replaced, record.added) == ("typed", 1, 1, 0)
    undone = undo_import(workspace, record.id, as_actor("lee@example.com"), NOW)
    assert (undone.removed, undone.restored) == (1, 1)
    assert series(workspace)[when] == RATES[12]
    assert undone.record.undone_by == "lee@example.com"
    with pytest.raises(Conflict, match="undone already"):
        undo_import(workspace, record.id, as_actor(ACTOR), NOW)


def test_undoing_an_import_removes_what_it_added_and_restores_what_it_replaced(workspace, tmp_path):
    before = series(workspace)
    path = csv(tmp_path, f"{week(11)},15.9", f"{week(12)},{RATES[12]}", f"{week(13)},15.2")
    with ValueFile(path) as source:
        report = import_values(workspace, source, as_actor(ACTOR), NOW, default_kpi="trial_to_paid")
    assert report.record is not None
    assert (report.record.added, report.record.replaced) == (1, 1)
    undone = undo_import(workspace, report.record.id, as_actor(ACTOR), NOW)
    assert (undone.removed, undone.restored) == (2, 1)
    assert series(workspace) == before
    with workspace:
        entries = workspace.audit.history("kpi", "trial_to_paid")
    assert entries[-1]["action"] == "undo-import"


def test_undo_keeps_a_value_corrected_since(workspace, tmp_path):
    path = csv(tmp_path, f"{week(13)},15.2")
    with ValueFile(path) as source:
        first = import_values(workspace, source, as_actor(ACTOR), NOW, default_kpi="trial_to_paid")
    when = START + timedelta(weeks=13)
    set_value(
        workspace, ValueRows([ValueRow(when, 15.4)]), as_actor(ACTOR), NOW, kpi="trial_to_paid"
    )
    assert first.record is not None
    undone = undo_import(workspace, first.record.id, as_actor(ACTOR), NOW)
    assert (undone.removed, undone.restored) == (0, 0)
    assert series(workspace)[when] == 15.4


def test_a_deleted_value_is_kept_in_the_history_and_its_deletion_undone(workspace):
    when = START + timedelta(weeks=5)
    record = delete_value(workspace, "trial_to_paid", when, as_actor(ACTOR), NOW)
    assert when not in series(workspace)
    assert (record.kind, record.replaced) == ("deleted", 1)
    with pytest.raises(NotFound, match="no value of 'trial_to_paid' at 2026-10-12 00:00:00 UTC"):
        delete_value(workspace, "trial_to_paid", when, as_actor(ACTOR), NOW)
    undo_import(workspace, record.id, as_actor(ACTOR), NOW)
    assert series(workspace)[when] == RATES[5]
    kinds = [r.kind for r in list_imports(workspace, "trial_to_paid", viewer=ADMIN)]
    assert kinds == ["deleted", "import"]


def test_every_change_of_a_value_leaves_a_trace_whoever_writes_it(workspace, tmp_path):
    """The history is the table's own: a bulk re-import that changes one value of three
    records that one, with the value it replaced."""
    path = csv(tmp_path, f"{week(10)},{RATES[10]}", f"{week(11)},9.5", f"{week(12)},{RATES[12]}")
    with ValueFile(path) as source:
        report = import_values(workspace, source, as_actor(ACTOR), NOW, default_kpi="trial_to_paid")
    assert report.record is not None
    assert (report.rows_written, report.record.replaced) == (1, 1)
    with workspace:
        from sqlalchemy import text

        rows = workspace.values._c.execute(  # the store's own table, read as SQL
            text("SELECT before, after FROM value_history WHERE import_id = :id"),
            {"id": report.record.id},
        ).all()
    assert [tuple(r) for r in rows] == [(RATES[11], 9.5)]


def test_a_typed_value_with_a_warning_waits_for_its_confirmation(workspace):
    when = START + timedelta(weeks=13)
    typed = ValueRows([ValueRow(when, 1.46)], name="typed in")
    held = set_value(workspace, typed, as_actor(ACTOR), NOW, kpi="trial_to_paid", confirmed=False)
    assert held.record is None
    assert held.warning_count == 1
    assert "far below the usual range" in held.warnings[0].reason
    assert when not in series(workspace)
    assert [r.kind for r in list_imports(workspace, "trial_to_paid", viewer=ADMIN)] == ["import"]
    saved = set_value(workspace, typed, as_actor(ACTOR), NOW, kpi="trial_to_paid", confirmed=True)
    assert saved.record is not None
    assert series(workspace)[when] == 1.46


def test_undoing_a_correction_never_brings_back_a_value_whose_import_was_undone(workspace):
    when = START + timedelta(weeks=13)
    first = set_value(
        workspace, ValueRows([ValueRow(when, 15.2)]), as_actor(ACTOR), NOW, kpi="trial_to_paid"
    )
    later = set_value(
        workspace, ValueRows([ValueRow(when, 15.4)]), as_actor(ACTOR), NOW, kpi="trial_to_paid"
    )
    assert first.record is not None
    assert later.record is not None
    undo_import(workspace, first.record.id, as_actor(ACTOR), NOW)  # kept: corrected since
    assert series(workspace)[when] == 15.4
    undone = undo_import(workspace, later.record.id, as_actor(ACTOR), NOW)
    assert (undone.removed, undone.restored) == (1, 0)
    assert when not in series(workspace)  # 15.2 was undone: it does not come back

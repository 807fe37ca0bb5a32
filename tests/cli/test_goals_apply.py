"""`okrkit plan`, `okrkit apply` and `okrkit export` against real databases (SQLite
files and the session's PostgreSQL), on real goals files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json

GOALS = """\
teams:
  - key: growth
    name: Growth
kpis:
  - key: trial_to_paid
    name: Trial-to-paid conversion rate
    unit: percent
    direction: higher
    target: 16
    thresholds: {green: 15, red: 12}
    cadence: weekly
    team: growth
    owner: maya@example.com
cycles:
  - name: 2026-Q4
objectives:
  - key: onboarding
    title: Streamline onboarding to drive high-value conversions
    cycle: 2026-Q4
    team: growth
    owner: maya@example.com
    key_results:
      - title: Increase setup wizard completion rate from 40% to 70%
        start: 40
        target: 70
        unit: percent
        check_ins:
          - at: 2026-10-05
            value: 41
          - at: 2026-10-12
            value: 43
      - title: Lift trial-to-paid conversion from 12% back to 16%
        kpi: trial_to_paid
        start: 12
        target: 16
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding okrkit.yaml, the current folder of the commands."""
    (tmp_path / "okrkit.yaml").write_text(GOALS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_plan_then_apply_then_nothing_left_to_do(database, here):
    plan = okrkit_in(database, "plan")  # okrkit.yaml of the current folder
    assert plan.returncode == 0, plan.stderr
    assert plan.stdout.startswith("Plan: 6 to create, 2 check-ins to append.\n")
    assert "  + create objective onboarding  (okrkit.yaml:17)\n" in plan.stdout
    assert "Nothing was written" in plan.stdout
    assert okrkit_json(database, "team", "list") == []

    applied = okrkit_in(database, "apply")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.startswith("Applied: 6 to create, 2 check-ins to append.\n")
    assert [t["key"] for t in okrkit_json(database, "team", "list")] == ["growth"]

    again = okrkit_in(database, "apply", "okrkit.yaml")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "No changes: the workspace is what 1 file says.\n"


def test_json_lists_the_changes_with_their_fields(database, here):
    assert okrkit_in(database, "apply").returncode == 0
    (here / "okrkit.yaml").write_text(
        GOALS.replace("    name: Growth\n", "    name: Growth team\n"), encoding="utf-8"
    )
    changes = okrkit_json(database, "plan")
    assert changes == [
        {
            "action": "change", "kind": "team", "key": "growth", "file": "okrkit.yaml",
            "line": 2, "path": "teams[0]",
            "fields": [{"field": "name", "before": "Growth", "after": "Growth team"}],
        }
    ]  # fmt: skip
    applied = okrkit_json(database, "apply")
    assert applied == changes
    assert okrkit_json(database, "apply") == []


def test_export_writes_what_apply_reads(database, here):
    assert okrkit_in(database, "apply").returncode == 0
    printed = okrkit_in(database, "export")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("teams:\n- key: growth\n")
    assert "cycles:\n- name: 2026-Q4\n" in printed.stdout
    written = okrkit_in(database, "export", "out/okrkit.yml")
    assert written.returncode == 0, written.stderr
    assert (here / "out" / "okrkit.yml").read_text(encoding="utf-8") == printed.stdout
    folder = okrkit_in(database, "export", "goals")
    assert folder.stdout == "Wrote 2 files to goals.\n"
    assert sorted(p.name for p in (here / "goals").iterdir()) == ["_cycles.yaml", "growth.yaml"]
    for source in ("out/okrkit.yml", "goals"):
        again = okrkit_in(database, "plan", source)
        assert again.stdout.startswith("No changes"), (source, again.stdout)


def test_a_changed_check_in_is_refused_with_file_line_and_field(database, here):
    assert okrkit_in(database, "apply").returncode == 0
    (here / "okrkit.yaml").write_text(
        GOALS.replace("            value: 43\n", "            value: 45\n"), encoding="utf-8"
    )
    for command in ("plan", "apply"):
        result = okrkit_in(database, command)
        assert_one_line_error(
            result,
            "okrkit.yaml:30: objectives[0].key_results[0].check_ins[1].value: check-ins are "
            "never edited: write a correction as a new check-in",
        )


def test_bad_input_exits_2_and_writes_nothing(database, here):
    (here / "okrkit.yaml").write_text(
        GOALS.replace("        target: 70\n", "        target: 70\n        deadline: 2027-01-15\n"),
        encoding="utf-8",
    )
    result = okrkit_in(database, "apply")
    assert_one_line_error(
        result, "okrkit.yaml:23: objectives[0].key_results[0].deadline: the deadline 2027-01-15"
    )
    assert okrkit_json(database, "team", "list") == []
    missing = okrkit_in(database, "plan", "nowhere.yaml")
    assert_one_line_error(missing, "nowhere.yaml: no such file or folder")
    unknown = here / "unknown.yaml"
    unknown.write_text(
        GOALS.replace("team: growth\n    owner: maya", "team: grow\n    owner: maya")
    )
    assert_one_line_error(
        okrkit_in(database, "apply", str(unknown)), "unknown.yaml:12: kpis[0].team: unknown team"
    )


def test_the_default_file_must_be_there(database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = okrkit_in(database, "plan")
    assert_one_line_error(result, "okrkit.yaml: no such file or folder")
    assert json.loads(okrkit_in(database, "team", "list", "--format", "json").stdout) == []

"""The published JSON Schema (`okrkit schema`) checked by a third-party validator:
check-jsonschema's command line, run on real files — the examples of
docs/goals-file.md, the linter's test files, and goals files `okrkit export` wrote."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from okrkit import demo
from okrkit.adapters.goals.schema import json_schema
from okrkit.adapters.goals.writer import dump_goals, dump_goals_by_team
from okrkit.services.goals import export_goals
from okrkit.services.workspace import load_workspace
from tests.support.actors import ADMIN, as_actor

ROOT = Path(__file__).resolve().parents[2]
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
NOW = datetime(2026, 11, 23, 9, 30)


def check(tmp_path: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run check-jsonschema on `files` against the schema `okrkit schema` prints."""
    assert CHECK_JSONSCHEMA.exists(), f"check-jsonschema is not installed at {CHECK_JSONSCHEMA}"
    schema = tmp_path / "okrkit.schema.json"
    schema.write_text(json.dumps(json_schema()), encoding="utf-8")
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def docs_examples() -> dict[str, str]:
    page = (ROOT / "docs" / "goals-file.md").read_text(encoding="utf-8")
    found = re.findall(r"<!-- example: ([\w-]+) -->\s*```yaml\n(.*?)^```", page, re.S | re.M)
    return dict(found)


def test_the_docs_examples_and_the_lint_files_are_valid(tmp_path):
    examples = docs_examples()
    assert {"minimal", "complete", "lint"} <= set(examples)
    files = []
    for name, text in examples.items():
        files.append(tmp_path / f"{name}.yaml")
        files[-1].write_text(text, encoding="utf-8")
    files += sorted((ROOT / "tests" / "data" / "lint").glob("*.yaml"))
    result = check(tmp_path, files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_every_exported_file_is_valid(uow, tmp_path):
    ws = demo.build(date(2026, 11, 23))
    load_workspace(uow, ws.teams, ws.kpis, ws.values, as_actor("demo"), NOW, okrs=ws.okrs)
    goals = export_goals(uow, viewer=ADMIN)
    one = tmp_path / "okrkit.yaml"
    one.write_text(dump_goals(goals), encoding="utf-8")
    files = [one]
    for name, text in dump_goals_by_team(goals).items():
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    result = check(tmp_path, files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("objectives:\n  - key: a\n    title: T\n    cycle: 2026-Q3\n    team: t\n"
         "    key_results:\n      - title: K\n        check_ins:\n"
         "          - at: last friday\n            value: 1\n", "does not match"),
        ("cycles:\n  - name: 2026-Q3\n    state: done\n", "'done' is not one of"),
        ("objectives:\n  - key: a\n    title: T\n    cycle: 2026-Q3\n    team: t\n"
         "    parent_key_result: 0\n", "less than the minimum of 1"),
    ],
    ids=["a moment in words", "an unknown cycle state", "a key result's place of 0"],
)  # fmt: skip
def test_the_schema_refuses_what_the_loader_refuses(tmp_path, text, words):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = check(tmp_path, [bad])
    assert result.returncode == 1
    assert words in result.stdout

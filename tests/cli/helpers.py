"""Helpers of the CLI tests: run the installed console script, build rows, check errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OKRKIT = Path(sys.executable).with_name("okrkit")


def run_okrkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `okrkit ARGS…` as a user would, with a wide terminal for readable tables."""
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [str(OKRKIT), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def weekly(start: date, values: list[float]) -> list[tuple[str, float]]:
    """Rows one week apart starting at `start`."""
    return [((start + timedelta(weeks=i)).isoformat(), v) for i, v in enumerate(values)]


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr holding every fragment, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# A workspace command's shared set-up: the KPI most tests add, as `okrkit kpi add` args.
ADD_KPI = (
    "kpi", "add", "trial_to_paid", "--name", "Trial-to-paid conversion rate", "--team", "growth",
    "--direction", "higher", "--cadence", "weekly", "--unit", "percent", "--target", "16",
    "--green", "15", "--red", "12", "--owner", "maya@example.com",
)  # fmt: skip


def okrkit_in(database: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `okrkit ARGS…` on the workspace `database` (its OKRKIT_DATABASE_URL)."""
    return run_okrkit(*args, env=database)


def okrkit_json(database: dict[str, str], *args: str) -> Any:
    """Run `okrkit ARGS… --format json` on `database`; it succeeds and prints JSON."""
    result = okrkit_in(database, *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# 22 good daily rows of a series file, and a file's rows with one of them replaced.
GOOD_ROWS = [(f"2026-11-{d:02d}", 10 + d % 3) for d in range(1, 23)]


def rows_with(bad_line: int, timestamp: str, value: str) -> list[tuple[str, object]]:
    """Good rows with one row replaced; `bad_line` counts the header as line 1."""
    rows: list[tuple[str, object]] = list(GOOD_ROWS)
    rows[bad_line - 2] = (timestamp, value)
    return rows

"""Helpers of the CLI tests: run the installed console script, build rows, check errors."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

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

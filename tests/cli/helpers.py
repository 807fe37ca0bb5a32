"""Helpers of the CLI tests: run the installed console script, build rows, check errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OKRKIT = Path(sys.executable).with_name("okrkit")


# The terminal every run sees: wide, for readable tables, and without colour.
TERMINAL = {"COLUMNS": "160", "NO_COLOR": "1"}


def run_console_script(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `okrkit ARGS…` console script in a process of its own, exactly
    as a user would (its start-up, its exit status, its streams)."""
    env = {**os.environ, **TERMINAL, **(env or {})}
    return subprocess.run(
        [str(OKRKIT), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def run_okrkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `okrkit ARGS…` through the console script's own entry point (`cli.main.run`)
    in this process, as a fresh process would see it: its arguments in `sys.argv`, the
    environment `env` added, stdout and stderr captured apart, the exit status from
    `SystemExit`, an escaping exception as a traceback on stderr with status 1, and no
    engine, signal handler or variable left behind. The start-up a subprocess would add
    (a second of imports) is paid once, by `test_main`'s runs of the real script."""
    from okrkit import bootstrap
    from okrkit.interfaces.cli.main import run

    stdout, stderr = io.StringIO(), io.StringIO()
    saved_env, saved_argv = dict(os.environ), sys.argv
    saved_signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    os.environ.update({**TERMINAL, **(env or {})})
    sys.argv = ["okrkit", *args]
    code: int = 0
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                run()
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
                if isinstance(exit.code, str):
                    stderr.write(exit.code + "\n")
            except Exception:
                traceback.print_exc(file=stderr)
                code = 1
    finally:
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        for number, handler in saved_signals.items():
            signal.signal(number, handler)
        if bootstrap.engine.cache_info().currsize:  # as a process's exit would
            bootstrap.engine().dispose()  # the two ways the CLI asks for its engine
            bootstrap.engine(None).dispose()
        bootstrap.engine.cache_clear()
    return subprocess.CompletedProcess(
        ["okrkit", *args], code, stdout.getvalue(), stderr.getvalue()
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

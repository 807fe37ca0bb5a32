"""The Makefile's set-up as `make -n` prints it (nothing is run): `make run` installs the
app alone; the targets that test or check install the development tools too, also
after a `make run`; a set-up environment is not installed again."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(venv: Path, target: str) -> str:
    # Under `make test` the suite runs inside make: a make it starts would print the
    # directories it enters and take the outer make's flags, so it gets neither.
    outside = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", f"VENV={venv}", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=outside,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _installs(commands: str) -> list[str]:
    """What each `pip install -e` of the commands installs."""
    return [
        line.split(" -e ")[-1]
        for line in commands.splitlines()
        if "pip install" in line and " -e " in line
    ]


def test_make_run_installs_the_app_without_the_development_tools(tmp_path):
    commands = _dry_run(tmp_path, "run")
    assert _installs(commands) == ["'.'"]
    assert "scripts/install-system-deps --venv-only" in commands
    assert commands.rstrip().endswith("okrkit serve --demo")


def test_testing_and_checking_install_the_development_tools_even_after_make_run(tmp_path):
    (tmp_path / ".okrkit-app").touch()  # what `make run` leaves
    assert _installs(_dry_run(tmp_path, "run")) == []
    for target in ("test", "lint", "test-cli"):
        assert _installs(_dry_run(tmp_path, target)) == ["'.[dev]'"], target


def test_a_set_up_environment_is_not_installed_again(tmp_path):
    (tmp_path / ".okrkit-dev").touch()  # what `make test` leaves, with the app's stamp
    (tmp_path / ".okrkit-app").touch()
    for target in ("run", "test", "lint"):
        assert _installs(_dry_run(tmp_path, target)) == [], target

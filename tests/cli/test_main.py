"""The `okrkit` command as a whole: `--version`, `--help` listing the commands, and usage
errors rendered as Typer's, exit 2, never a traceback."""

from __future__ import annotations

from okrkit import __version__


def test_version(okrkit):
    result = okrkit("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"okrkit {__version__}"


def test_help_lists_the_commands(okrkit):
    result = okrkit("--help")
    assert result.returncode == 0
    for command in ("kpi", "kr", "demo"):
        assert command in result.stdout
    kpi_help = okrkit("kpi", "check", "--help")
    for option in ("--direction", "--green", "--red", "--target", "--baseline", "--cadence",
                   "--today", "--format"):  # fmt: skip
        assert option in kpi_help.stdout
    kr_help = okrkit("kr", "forecast", "--help")
    for option in ("--start", "--target", "--deadline", "--cycle-start", "--type", "--today"):
        assert option in kr_help.stdout


def test_usage_errors_exit_2(okrkit):
    result = okrkit("kpi", "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Missing argument" in result.stderr

"""The `okrkit` command as a whole, as the installed console script in a process of its
own: `--version`, `--help` listing the commands, usage errors rendered as Typer's and a
workspace's errors as one line, exit 2, never a traceback — and the same answers from
the in-process runs every other CLI test uses."""

from __future__ import annotations

from okrkit import __version__


def test_version(console_script):
    result = console_script("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"okrkit {__version__}"


def test_help_lists_the_commands(console_script):
    result = console_script("--help")
    assert result.returncode == 0
    for command in ("kpi", "kr", "demo"):
        assert command in result.stdout
    kpi_help = console_script("kpi", "check", "--help")
    for option in ("--direction", "--green", "--red", "--target", "--baseline", "--cadence",
                   "--today", "--format"):  # fmt: skip
        assert option in kpi_help.stdout
    kr_help = console_script("kr", "forecast", "--help")
    for option in ("--start", "--target", "--deadline", "--cycle-start", "--type", "--today"):
        assert option in kr_help.stdout


def test_usage_errors_exit_2(console_script):
    result = console_script("kpi", "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Missing argument" in result.stderr


def test_the_script_and_the_in_process_runs_answer_alike(console_script, okrkit, tmp_path):
    """A workspace command's answer, its one-line error and their exit statuses are the
    same from the installed script and from the entry point run in-process."""
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    for args in (
        ("team", "add", "growth", "--name", "Growth", "--format", "json"),
        ("team", "add", "growth", "--name", "Growth"),  # taken: one line, exit 2
        ("cycle", "add", "2026-Q9"),
        ("team", "list"),
    ):
        script, in_process = console_script(*args, env=env), okrkit(*args, env=env)
        if args[-1] == "json":  # the second run found the team added by the first
            assert script.returncode == 0, script.stderr
            assert in_process.returncode == 2
            continue
        assert (in_process.returncode, in_process.stdout, in_process.stderr) == (
            script.returncode, script.stdout, script.stderr,
        ), args  # fmt: skip
    assert "Traceback" not in script.stderr

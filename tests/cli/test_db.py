"""`okrkit db upgrade` on a real database: safe to re-run, its revision in JSON."""

from __future__ import annotations

from tests.cli.helpers import okrkit_json, run_okrkit


def test_db_upgrade_is_safe_to_rerun(tmp_path):
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    first = run_okrkit("db", "upgrade", env=env)
    second = run_okrkit("db", "upgrade", env=env)
    assert first.returncode == second.returncode == 0, first.stderr
    assert "at revision 0009" in second.stdout


def test_db_upgrade_prints_exact_json_when_asked(database):
    upgraded = okrkit_json(database, "db", "upgrade")
    assert upgraded["revision"] == "0009"

"""CLI tests run `okrkit` through its console script's entry point, on real files and
databases: in this process for speed (`helpers.run_okrkit`), and as the installed script
in a process of its own where the process is what is tested (`console_script`)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from tests.cli.helpers import OKRKIT, run_console_script, run_okrkit
from tests.support import okrs


@pytest.fixture
def okrkit() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_okrkit


@pytest.fixture
def console_script() -> Callable[..., subprocess.CompletedProcess[str]]:
    assert OKRKIT.exists(), f"the okrkit console script is not installed at {OKRKIT}"
    return run_console_script


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """OKRKIT_DATABASE_URL of an empty database of each kind, for the workspace commands."""
    if request.param == "sqlite":
        return {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    return {"OKRKIT_DATABASE_URL": request.getfixturevalue("postgres_url")}


@pytest.fixture
def okr_workspace(database: dict[str, str]) -> dict[str, str]:
    """The OKR workspace of `tests.support.okrs` (2026-Q3 active, two objectives) in the
    database the command runs on."""
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    try:
        upgrade(engine)
        okrs.build(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    return database


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(
        name: str, rows: Iterable[tuple[object, ...]] | str, header: str = "timestamp,value"
    ) -> Path:
        path = tmp_path / name
        if isinstance(rows, str):
            path.write_text(rows)
        else:
            lines = [header] + [",".join(str(cell) for cell in row) for row in rows]
            path.write_text("\n".join(lines) + "\n")
        return path

    return write

"""The architecture as rules that fail: layers, domain purity, public surfaces, docs."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import okrkit
from okrkit.domain import errors
from okrkit.interfaces.cli.main import EXIT_CODES, app

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "okrkit"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text()
# What a domain module may import besides the standard library and okrkit.domain.
DOMAIN_THIRD_PARTY = {"numpy", "scipy", "croniter"}


def _modules() -> list[str]:
    """okrkit's modules, without Alembic's migration scripts (run by Alembic, not imported)."""
    names = (m.name for m in pkgutil.walk_packages(okrkit.__path__, "okrkit."))
    return sorted(n for n in names if not n.startswith("okrkit.adapters.store.migrations"))


def test_import_contracts_hold():
    """The import-linter contracts of pyproject.toml (layers: interfaces > adapters >
    services > domain) are kept."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("path", sorted((SRC / "domain").glob("*.py")), ids=lambda p: p.name)
def test_domain_imports_only_the_standard_library_numpy_scipy_and_croniter(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or top in DOMAIN_THIRD_PARTY
                or name.startswith("okrkit.domain")
            )
            assert allowed, f"{path.name} imports {name}"
            assert top not in {"io", "os", "socket", "subprocess", "pathlib", "sqlite3"}, (
                f"{path.name} imports {name}: the domain does no I/O"
            )


@pytest.mark.parametrize("name", _modules())
def test_all_lists_exactly_the_public_definitions(name):
    """`__all__` names what other layers may use: every name in it exists, and every
    public class or function defined in the module is in it."""
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    for item in exported:
        exists = hasattr(module, item) or importlib.util.find_spec(f"{name}.{item}") is not None
        assert exists, f"{name}.__all__ lists {item}, which does not exist"
    for attr, value in vars(module).items():
        if attr.startswith("_") or not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        if getattr(value, "__module__", None) != name:
            continue
        assert attr in exported, f"{name}.{attr} is public but not in __all__"


def test_every_error_class_has_an_exit_code_and_is_documented():
    classes = [
        c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, errors.OkrkitError)
    ]
    assert len(classes) >= 6
    for cls in classes:
        if cls is not errors.OkrkitError:
            assert cls in EXIT_CODES, f"{cls.__name__} has no CLI exit code"
        assert f"`{cls.__name__}`" in ARCHITECTURE, f"{cls.__name__} is not in docs/architecture.md"


def _command_paths(group, prefix=""):
    import typer.main

    command = typer.main.get_command(group)
    paths = []

    def walk(cmd, path):
        subcommands = getattr(cmd, "commands", None)
        if subcommands:
            for sub_name, sub in subcommands.items():
                walk(sub, f"{path} {sub_name}".strip())
        else:
            paths.append(path)

    walk(command, prefix)
    return paths


def test_every_cli_command_is_documented():
    paths = _command_paths(app)
    assert "kpi check" in paths
    assert "kr forecast" in paths
    for path in paths:
        assert f"okrkit {path}" in ARCHITECTURE, f"'okrkit {path}' is not in docs/architecture.md"


def test_every_cli_test_file_is_named_after_a_cli_module():
    """Tests mirror src: tests/cli/test_<module>[_<topic>].py for an existing
    src/okrkit/interfaces/cli/<module>.py."""
    modules = {p.stem for p in (SRC / "interfaces" / "cli").glob("*.py")} - {"__init__"}
    for path in sorted((ROOT / "tests" / "cli").glob("test_*.py")):
        name = path.stem.removeprefix("test_")
        assert any(name == m or name.startswith(f"{m}_") for m in modules), (
            f"tests/cli/{path.name} names no module of src/okrkit/interfaces/cli"
        )

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


# Where a feature's module lives in each layer, by the columns of the table "Features
# and layers" of docs/architecture.md.
FEATURE_COLUMNS = {
    "domain": "domain",
    "services": "services",
    "store": "adapters/store",
    "sources": "adapters/sources",
    "adapters": "adapters",
    "web api": "interfaces/web/api",
    "web schemas": "interfaces/web/schemas",
    "web pages": "interfaces/web/pages",
    "web forms": "interfaces/web/forms",
    "cli": "interfaces/cli",
}
# Modules of services/ that are no feature: the contract the adapters implement.
NOT_FEATURES = {"__init__", "ports"}


def _feature_table() -> dict[str, dict[str, bool]]:
    """The table under "## Features and layers": feature → column → marked."""
    section = ARCHITECTURE.split("## Features and layers", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header[0] == "feature"
    assert set(header[1:]) == set(FEATURE_COLUMNS), header
    table = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name = cells[0].strip("`")
        table[name] = {
            column: cell == "✓" for column, cell in zip(header[1:], cells[1:], strict=True)
        }
    return table


def _module_exists(folder: str, name: str) -> bool:
    where = SRC / folder
    return (where / f"{name}.py").is_file() or (where / name / "__init__.py").is_file()


def test_every_service_feature_is_in_the_feature_table():
    """A new feature's use cases get a row of the table (and so its modules a place)."""
    table = _feature_table()
    for path in sorted((SRC / "services").glob("*.py")):
        if path.stem not in NOT_FEATURES:
            assert path.stem in table, f"services/{path.name} has no row in docs/architecture.md"


@pytest.mark.parametrize("feature", sorted(_feature_table()))
def test_a_feature_has_a_module_of_its_name_exactly_where_the_table_says(feature):
    """One feature, one file name in every layer: a ✓ is a module of the feature's name
    in that layer, an empty cell no such module (the table says where a feature lives)."""
    for column, marked in _feature_table()[feature].items():
        folder = FEATURE_COLUMNS[column]
        exists = _module_exists(folder, feature)
        assert exists == marked, (
            f"{folder}/{feature}: the table says {'✓' if marked else 'nothing'}, "
            f"the code has {'a module' if exists else 'none'}"
        )


# Where the tests of a tests/ folder's modules live in src/okrkit.
TEST_FOLDERS = {
    "domain": "domain",
    "services": "services",
    "adapters": "adapters",
    "interfaces": "interfaces",
    "web": "interfaces/web",
    "cli": "interfaces/cli",
}


def _tested_modules() -> list[Path]:
    return sorted(
        path for top in TEST_FOLDERS for path in (ROOT / "tests" / top).rglob("test_*.py")
    )


@pytest.mark.parametrize("path", _tested_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_tests_tree_mirrors_src(path):
    """tests/<layer>/…/test_<module>[_<topic>].py tests src/okrkit/<layer>/…/<module>:
    a test file says by its path which module it is about."""
    relative = path.relative_to(ROOT / "tests")
    folder = "/".join([TEST_FOLDERS[relative.parts[0]], *relative.parts[1:-1]])
    name = path.stem.removeprefix("test_")
    candidates = [
        prefix
        for prefix in (name[:i] for i in range(len(name), 0, -1))
        if prefix == name or name[len(prefix)] == "_"
    ]
    assert any(_module_exists(folder, m) for m in candidates), (
        f"tests/{relative} names no module of src/okrkit/{folder}"
    )

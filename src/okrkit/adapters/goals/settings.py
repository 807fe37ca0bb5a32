"""The settings beside goals files: an `okrkit.toml` found from the files' folder
upwards, as ruff finds its configuration — the nearest one wins — read with the same
parser as the workspace's settings (`domain.settings`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from okrkit.adapters.sources.series_files import read_text
from okrkit.domain.settings import Settings, parse_settings

__all__ = ["SETTINGS_FILE", "find_settings"]

SETTINGS_FILE = "okrkit.toml"


def find_settings(files: Sequence[Path]) -> tuple[Path | None, Settings]:
    """The `okrkit.toml` nearest above the files (searched from the folder they share,
    up to the file system's root) and its settings; none found: (None, the defaults).
    A file that is not valid is a one-line error with its line."""
    if not files:
        return None, Settings()
    folders = [str(Path(f).resolve().parent) for f in files]
    folder = Path(os.path.commonpath(folders))
    for candidate in (folder, *folder.parents):
        path = candidate / SETTINGS_FILE
        if path.is_file():
            shown = _shown(path)
            return Path(shown), parse_settings(read_text(path), shown)
    return None, Settings()


def _shown(path: Path) -> str:
    """The path as a person in this folder would type it: relative when it is below."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

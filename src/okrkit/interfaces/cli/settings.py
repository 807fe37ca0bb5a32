"""`okrkit settings show|set`: the workspace's settings, one TOML document.

`show` prints the document as stored, so `okrkit settings show > okrkit.toml`, an edit
and `okrkit settings set okrkit.toml` round-trip; `set` checks the whole document (an
unknown section, key or rule code is an error naming its line) and stores it in one
transaction, versioned and audited.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from okrkit.adapters.sources.series_files import read_text
from okrkit.domain.settings import parse_settings
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services import settings
from okrkit.services.ports import StoredSettings

__all__ = ["settings_document", "settings_set", "settings_show"]

# What `show` prints before any settings were stored: the defaults, as a document.
DEFAULT_DOCUMENT = (
    "# The workspace's settings: none stored yet, every lint rule is on.\n[lint]\ndisable = []\n"
)


def settings_document(stored: StoredSettings | None) -> dict[str, Any]:
    """The settings as `--format json` prints them: the document, the rules it switches
    off, its version (0 before any was stored) and who changed it when."""
    document = DEFAULT_DOCUMENT if stored is None else stored.document
    read = parse_settings(document, settings.SOURCE)
    return {
        "document": document,
        "lint": {"disable": sorted(read.disable)},
        "version": 0 if stored is None else stored.revision.version,
        "changed_by": None if stored is None else stored.revision.changed_by,
        "changed_at": None if stored is None else stored.revision.changed_at.isoformat() + "Z",
    }


def settings_show(output: FormatOption = OutputFormat.TABLE) -> None:
    """Print the workspace's settings (TOML): the [lint] rules switched off."""
    context.ready()
    stored = settings.show_settings(context.unit_of_work())
    if output is OutputFormat.JSON:
        print_json(settings_document(stored))
        return
    document = DEFAULT_DOCUMENT if stored is None else stored.document
    sys.stdout.write(document if document.endswith("\n") else document + "\n")


def settings_set(
    file: Annotated[Path, typer.Argument(help="A TOML file of settings, or - for standard input.")],
    version: Annotated[
        int | None,
        typer.Option(
            help="The version you are changing (settings show --format json says it; 0: "
            "none stored yet). Without it the file replaces whatever is stored.",
            show_default=False,
        ),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Check a settings document and store it as the workspace's settings."""
    context.ready()
    source = "<stdin>" if str(file) == "-" else str(file)
    text = sys.stdin.read() if str(file) == "-" else read_text(file)
    stored = settings.set_settings(
        context.unit_of_work(), text, version, context.actor(), context.now(), source=source
    )
    if output is OutputFormat.JSON:
        print_json(settings_document(stored))
        return
    off = sorted(parse_settings(stored.document, source).disable)
    console.print(
        f"settings stored: version {stored.revision.version}; lint rules switched off: "
        f"{', '.join(off) if off else 'none'}",
        soft_wrap=True,
    )

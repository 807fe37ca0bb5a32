"""A workspace's settings: one TOML document, read the same way wherever it is kept.

The workspace keeps it in its database (`okrkit settings set`); goals files keep it in
an `okrkit.toml` beside them. Today it has one section:

    [lint]
    disable = ["OKR009", "KPI002"]   # rules switched off

Anything else — a section, a key or a rule code okrkit does not know — is refused with
the line it is on, so a typo never silently leaves a rule on. One parser (the standard
library's `tomllib`) reads both.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from okrkit.domain.errors import InvalidInput
from okrkit.domain.lint import RULES

__all__ = ["KNOWN", "Settings", "parse_settings"]

# Each section okrkit reads and the keys it knows in it.
KNOWN: dict[str, frozenset[str]] = {"lint": frozenset({"disable"})}
# What tomllib's messages end with: "(at line 3, column 10)".
_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


@dataclass(frozen=True)
class Settings:
    """The workspace's settings as read: the rules switched off, and the document."""

    disable: frozenset[str] = frozenset()
    document: str = ""


def _line_of(text: str, pattern: str, start: int = 0, end: int | None = None) -> int | None:
    """The 1-based number of the first line from `start` (0-based) up to `end` that
    matches `pattern`, or None."""
    lines = text.splitlines()
    for number in range(start, len(lines) if end is None else end):
        if re.search(pattern, lines[number], re.IGNORECASE):
            return number + 1
    return None


def _section_span(text: str, name: str) -> tuple[int, int | None]:
    """The 0-based lines of a `[name]` section's body: after its header up to the next
    header (the whole document when it has no such header: dotted keys)."""
    header = _line_of(text, rf"^\s*\[\s*{re.escape(name)}\s*\]")
    if header is None:
        return 0, None
    following = _line_of(text, r"^\s*\[", header)
    return header, None if following is None else following - 1


def _key_line(text: str, section: str, key: str) -> int | None:
    start, end = _section_span(text, section)
    quoted = re.escape(key)
    return _line_of(text, rf"^\s*(?:{re.escape(section)}\s*\.\s*)?\"?{quoted}\"?\s*=", start, end)


def parse_settings(text: str, source: str) -> Settings:
    """Read a settings document (`source` names it in errors: a file, or "settings").

    Refused with its line: TOML that does not parse, an unknown section or key, a
    `disable` that is not a list of rule codes, an unknown rule code. Codes may be
    written in any case (`okr009` is OKR009)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _AT.search(message)
        # "at end of document": the line after the last one
        line = (int(found[1]) if found[1] else text.count("\n") + 1) if found else None
        raise InvalidInput(
            f"not valid TOML: {_AT.sub('', message)}", source=source, line=line
        ) from None
    for section, body in data.items():
        if section not in KNOWN:
            raise InvalidInput(
                f"unknown section [{section}]; okrkit reads {', '.join(f'[{k}]' for k in KNOWN)}",
                source=source,
                line=_line_of(text, rf"^\s*\[?\s*\"?{re.escape(section)}\"?\s*[\].=]"),
                field=section,
            )
        if not isinstance(body, dict):
            raise InvalidInput(
                f"[{section}] is a section of keys, not a value",
                source=source,
                line=_line_of(text, rf"^\s*\"?{re.escape(section)}\"?\s*="),
                field=section,
            )
        for key in body:
            if key not in KNOWN[section]:
                raise InvalidInput(
                    f"unknown key {key!r} in [{section}]; it knows "
                    f"{', '.join(sorted(KNOWN[section]))}",
                    source=source,
                    line=_key_line(text, section, key),
                    field=f"{section}.{key}",
                )
    lint: dict[str, Any] = data.get("lint", {})
    disable = lint.get("disable", [])
    line = _key_line(text, "lint", "disable")
    if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
        raise InvalidInput(
            'disable is a list of rule codes, e.g. disable = ["OKR009", "KPI002"]',
            source=source,
            line=line,
            field="lint.disable",
        )
    codes = set()
    for written in disable:
        code = written.strip().upper()
        if code not in RULES:
            start, end = _section_span(text, "lint")
            raise InvalidInput(
                f"unknown rule {written!r}; the rules are {', '.join(RULES)}",
                source=source,
                line=_line_of(text, re.escape(written), start, end) or line,
                field="lint.disable",
            )
        codes.add(code)
    return Settings(frozenset(codes), text)

"""The one rule for every key: teams, KPIs, objectives — and names in a formula.

A key is a stable lowercase slug: a letter, then up to 63 lowercase letters, digits,
'-' or '_' (`growth`, `trial_to_paid`, `trial-to-paid`). It is checked by this module
at every edge (API, pages, CLI, goals files, formulas), so a key one edge accepts no
other edge refuses. A KPI's key is also how a derived KPI's formula names it, so every
valid key can be written in a formula (`domain.formula` reads a hyphen inside a name as
part of the name).
"""

from __future__ import annotations

import re

from okrkit.domain.errors import InvalidInput

__all__ = ["KEY_PATTERN", "KEY_RULE", "MAX_KEY_LENGTH", "check_key", "is_key"]

MAX_KEY_LENGTH = 64
# Used with `fullmatch` only: `$` would also match before a trailing newline.
KEY_PATTERN = re.compile(rf"[a-z][a-z0-9_-]{{0,{MAX_KEY_LENGTH - 1}}}")
KEY_RULE = (
    "use lower-case letters, digits, '-' and '_', starting with a letter "
    f"(at most {MAX_KEY_LENGTH})"
)


def is_key(text: str) -> bool:
    """Whether `text` is a key: a lowercase slug such as `paying_share` or `trial-to-paid`."""
    return KEY_PATTERN.fullmatch(text) is not None


def check_key(key: str, field: str = "key") -> str:
    """The key itself when it follows the rule, else an `InvalidInput` naming `field`."""
    if not is_key(key):
        raise InvalidInput(f"{key!r} is not a key: {KEY_RULE}", field=field)
    return key

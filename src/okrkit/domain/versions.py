"""Versions of what people edit: optimistic concurrency.

Every change bumps the version of what it changed; a change based on an older version
is refused with who changed it since and when, never silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from okrkit.domain.errors import Conflict, InvalidInput

__all__ = ["MAX_VERSION", "Revision", "check_version"]

# The largest version a store keeps (a signed 64-bit integer): anything above was never
# given, and no database driver could even compare it.
MAX_VERSION = 2**63 - 1


def check_version(version: int, field: str = "version") -> int:
    """The version itself when it could be one (1 to `MAX_VERSION`), else an
    `InvalidInput` naming `field`."""
    if not 1 <= version <= MAX_VERSION:
        shown = f"{version}" if abs(version) < 10**20 else f"a number of {len(str(version))} digits"
        raise InvalidInput(
            f"{shown} is not a version: versions count from 1, one per change", field=field
        )
    return version


@dataclass(frozen=True)
class Revision:
    """Which version an edited thing is at, and who made that version when.

    Every change bumps the version; a change based on an older version is refused
    (optimistic concurrency), never silently overwritten.
    """

    version: int
    changed_at: datetime
    changed_by: str

    def conflict(self, what: str, expected_version: int) -> Conflict:
        """The error for a write based on `expected_version` of `what` ("KPI 'churn'"):
        who changed it since, when, and what to do."""
        return Conflict(
            f"{what} was changed by {self.changed_by} at {self.changed_at:%Y-%m-%d %H:%M} UTC "
            f"(now version {self.version}, yours {expected_version}): reload and apply your "
            "change again"
        )

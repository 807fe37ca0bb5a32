"""Versions of what people edit: optimistic concurrency.

Every change bumps the version of what it changed; a change based on an older version
is refused with who changed it since and when, never silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from okrkit.domain.errors import Conflict

__all__ = ["Revision"]


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

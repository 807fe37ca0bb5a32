"""Initiatives: the work under a key result — projects, experiments, tasks.

Outputs live here, not in key results: "launch the new wizard" is an initiative under
the outcome it should move ("wizard completion from 40 % to 70 %"). Each has a status
and, optionally, the address where it is tracked (an issue tracker).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from okrkit.domain.errors import InvalidInput
from okrkit.domain.versions import Revision

__all__ = ["Initiative", "InitiativeStatus", "StoredInitiative", "check_tracker_url"]

MAX_URL_LENGTH = 2_000


class InitiativeStatus(StrEnum):
    """Where a piece of work stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Initiative:
    """Work attached to a key result (a project, an experiment): outputs live here."""

    title: str
    status: InitiativeStatus = InitiativeStatus.PLANNED
    url: str | None = None


@dataclass(frozen=True)
class StoredInitiative:
    """An initiative as the workspace keeps it: its id, its key result's id, its revision."""

    id: int
    key_result: int
    initiative: Initiative
    revision: Revision


def check_tracker_url(url: str | None) -> str | None:
    """An http(s) address where the work is tracked, or none."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL_LENGTH:
        raise InvalidInput(
            f"{url[:80]!r} is not a web address (http:// or https://, at most "
            f"{MAX_URL_LENGTH} characters)",
            field="url",
        )
    return url

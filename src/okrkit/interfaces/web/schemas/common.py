"""What the schemas of several features share: moments (`Moment`, `aware`, `naive`),
the strict base of every request body (`StrictIn`), the version
a change is based on (`VersionBody`) and a version's fields in a response
(`revision_fields`). Teams, KPIs, health and values use them; no feature owns them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from okrkit.adapters.declared_models import KeptMoment
from okrkit.domain.versions import Revision

__all__ = [
    "Moment",
    "StrictIn",
    "VersionBody",
    "aware",
    "naive",
    "revision_fields",
]


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ].+)?$")


def _iso_only(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_MOMENT.match(value.strip()):
        raise ValueError(
            "use an ISO 8601 date or datetime, e.g. 2026-11-23 or 2026-11-23T09:30:00Z"
        )
    return value


# An ISO 8601 date (its midnight) or datetime in the years okrkit keeps; without an
# offset it is UTC.
Moment = Annotated[KeptMoment, BeforeValidator(_iso_only)]


def aware(moment: datetime) -> datetime:
    """A naive UTC moment (as the services keep them) marked as UTC for rendering."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def naive(moment: datetime) -> datetime:
    """A moment as naive UTC (the services' convention); a naive one is taken as UTC."""
    return aware(moment).replace(tzinfo=None)


class StrictIn(BaseModel):
    """A request body: unknown fields are an error that names them."""

    model_config = ConfigDict(extra="forbid")


class VersionBody(StrictIn):
    """The version a change is based on, for a request with no other body (DELETE)."""

    version: int | None = Field(default=None, description='Alternative to `If-Match: "<version>"`.')


def revision_fields(revision: Revision) -> dict[str, Any]:
    """A version's fields in a response: `version`, `changed_at` (UTC), `changed_by`."""
    return {
        "version": revision.version,
        "changed_at": aware(revision.changed_at),
        "changed_by": revision.changed_by,
    }

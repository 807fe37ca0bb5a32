"""What `okrkit plan` shows and `okrkit apply` does: the changes that make a workspace
what its goals files say."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from okrkit.domain.goals import Location

__all__ = ["Action", "Change", "FieldChange", "Plan"]


class Action(StrEnum):
    """What a change does to one entry of the workspace."""

    CREATE = "create"
    CHANGE = "change"
    ARCHIVE = "archive"
    RESTORE = "restore"
    APPEND = "append"


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry, before → after (JSON-ready values; None: none)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Change:
    """One change of one entry: a team, KPI or objective by its key, a cycle by its
    name, a key result as `objective / title`, an initiative as `objective / key result
    / title`, a check-in as `objective / key result / moment`; where the files say so
    (`location`: the file and line, or for what is archived its page's address); and
    its fields before → after (an entry that is changed, or an appended check-in)."""

    action: Action
    kind: str
    key: str
    location: Location
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The changes, in the order they are made, and what the changes leave alone
    (`notes`, in words). `applied` says whether they were written."""

    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()
    applied: bool = False

    @property
    def counts(self) -> Counter[Action]:
        """How many changes of each action."""
        return Counter(change.action for change in self.changes)

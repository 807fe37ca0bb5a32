"""Objectives: the qualitative change a team commits to in a cycle.

An objective belongs to one team and one cycle, has an owner and a type (committed,
aspirational, learning — which sets how it is paced and graded), may align to a parent
objective or to one key result of one (the cascade company → team), may point at the
North Star KPI, and lives draft → active → scored → closed. Its fields are declared
once, here (`domain.fields`): the API, forms, CLI options, goals files and columns derive
from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.fields import MAX_PROSE, data_of, declare
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.keys import MAX_KEY_LENGTH, check_key
from okrkit.domain.versions import Revision

__all__ = [
    "Alignment",
    "Objective",
    "ObjectiveStatus",
    "StoredObjective",
    "check_alignment",
    "objective_record",
]

_ALIGNMENT = re.compile(r"([^#\s]+)(?:#(\d{1,18}))?")


@dataclass(frozen=True)
class Alignment:
    """What an objective aligns to: a parent objective (its key), or one key result of
    it (`parent-key#12`, the key result's id)."""

    objective: str
    key_result: int | None = None

    @classmethod
    def parse(cls, text: str, *, field: str = "parent") -> Alignment:
        """`company-growth` or `company-growth#12`."""
        match = _ALIGNMENT.fullmatch(text.strip())
        if match is None:
            raise InvalidInput(
                f"{text!r} is not an objective's key, or a key and a key result's id "
                "like company-growth#12",
                field=field,
            )
        check_key(match[1], field=field)
        return cls(match[1], None if match[2] is None else int(match[2]))

    def __str__(self) -> str:
        return self.objective if self.key_result is None else f"{self.objective}#{self.key_result}"


class ObjectiveStatus(StrEnum):
    """An objective's life: drafted, worked on, scored at the cycle's end, closed."""

    DRAFT = "draft"
    ACTIVE = "active"
    SCORED = "scored"
    CLOSED = "closed"


@dataclass(frozen=True)
class Objective:
    """An objective's definition: everything a person writes about it."""

    key: str = declare(
        "Stable key: lower-case letters, digits, '-' and '_', e.g. streamline-onboarding.",
        max_length=MAX_KEY_LENGTH,
        key=True,
        editable=False,
    )
    title: str = declare(
        "The change, in words and without numbers: the numbers go into key results.",
        max_length=200,
        nonblank=True,
    )
    cycle: str = declare(
        "The cycle it is for, e.g. 2026-Q3.", max_length=MAX_KEY_LENGTH, editable=False
    )
    team: str = declare("Key of the team that commits to it.", max_length=MAX_KEY_LENGTH, key=True)
    type: ObjectiveType = declare(
        "committed (a promise: under 1.0 is explained), aspirational (a stretch: 0.7 is "
        "success) or learning (a question to answer).",
        default=ObjectiveType.ASPIRATIONAL,
        max_length=16,
    )
    description: str = declare(
        "Why it matters now, and what it leaves out.", default="", max_length=MAX_PROSE, prose=True
    )
    owner: str | None = declare("Who answers for it.", default=None, max_length=254)
    parent: Alignment | None = declare(
        "What it aligns to: a parent objective's key, or one of its key results as "
        "key#id (e.g. company-growth#12).",
        default=None,
        max_length=100,
    )
    north_star: str | None = declare(
        "Key of the North Star KPI it serves.", default=None, max_length=MAX_KEY_LENGTH, key=True
    )
    private: bool = declare(
        "Visible to its team's members and admins only (a reorg, a pricing bet).", default=False
    )


_NEXT_STATUS: Mapping[ObjectiveStatus, tuple[ObjectiveStatus, ...]] = {
    ObjectiveStatus.DRAFT: (ObjectiveStatus.ACTIVE,),
    ObjectiveStatus.ACTIVE: (ObjectiveStatus.SCORED,),
    ObjectiveStatus.SCORED: (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED),
    ObjectiveStatus.CLOSED: (),
}


@dataclass(frozen=True)
class StoredObjective:
    """An objective as the workspace keeps it.

    `score` is its end-of-cycle score (None before scoring, and for a learning
    objective graded by its note alone); `retrospective` is the written review — what
    happened and why it scored what it did, the explanation a committed objective under
    1.0 and a learning one need before closing. `carried_from` is the objective of an
    earlier cycle it continues. An `urgent` one (a draft proposed by a red KPI) is shown
    above every other objective of its team. An `archived` one (the goals files no
    longer name it) is kept with its history but left out of the listings.
    """

    objective: Objective
    status: ObjectiveStatus
    revision: Revision
    score: float | None = None
    retrospective: str = ""
    carried_from: str | None = None
    urgent: bool = False
    archived: bool = False

    def moved_to(self, status: ObjectiveStatus) -> ObjectiveStatus:
        """draft → active → scored (re-scored any number of times) → closed."""
        if status not in _NEXT_STATUS[self.status]:
            if self.status == ObjectiveStatus.CLOSED:
                raise Conflict(f"objective {self.objective.key!r} is already closed")
            raise InvalidInput(
                f"objective {self.objective.key!r} is {self.status}: it cannot become {status}",
                field="status",
            )
        return status


def objective_record(stored: StoredObjective) -> dict[str, Any]:
    """An objective as the audit log keeps it (JSON-ready)."""
    return {
        **data_of(stored.objective),
        "status": stored.status.value,
        "score": stored.score,
        "retrospective": stored.retrospective,
        "carried_from": stored.carried_from,
        "urgent": stored.urgent,
        "archived": stored.archived,
    }


def check_alignment(
    key: str,
    parent: Alignment | None,
    parents: Mapping[str, Alignment | None],
) -> None:
    """An objective may not align to itself or to one of its own descendants.

    `parents` maps objective keys to what they align to (the objectives that may lie on
    the way up from `parent`); walking up from the new parent must never meet `key`.
    """
    if parent is None:
        return
    seen: set[str] = set()
    current: str | None = parent.objective
    while current is not None and current not in seen:
        if current == key:
            what = "itself" if parent.objective == key else "one of its own descendants"
            raise InvalidInput(
                f"objective {key!r} cannot align to {what} ({parent.objective!r})",
                field="parent",
            )
        seen.add(current)
        above = parents.get(current)
        current = None if above is None else above.objective

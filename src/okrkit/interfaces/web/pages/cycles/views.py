"""How a cycle reads on its pages and in the alignment tree: its state in words, how far
into it today is, what progress was expected by now, the pace counts of a page, grades
in colour and words, and the links between pages of objectives."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import GradeColour, ObjectiveType, grade
from okrkit.domain.key_results import objective_score, proposed_score
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.domain.pace import Pace, expected_progress
from okrkit.interfaces.web.pages.present import percent
from okrkit.services.cycles import CycleOverview, OverviewFilter
from okrkit.services.objectives import ObjectiveState, ObjectiveSummary

__all__ = [
    "PACE_ORDER",
    "GradeView",
    "Paging",
    "cycle_time",
    "expected_by_now",
    "grade_view",
    "objective_grade",
    "overview_filter",
    "pace_counts",
    "page_context",
    "paging",
    "proposed_grade",
    "score_text",
]

PACE_ORDER = (Pace.ON_TRACK, Pace.AT_RISK, Pace.OFF_TRACK, Pace.NOT_STARTED)
_STATES = {
    CycleState.PLANNING: "Planning",
    CycleState.ACTIVE: "Active",
    CycleState.CLOSED: "Closed",
}


def cycle_time(stored: StoredCycle, today: date) -> str:
    """How far into its cycle today is, in weeks ("week 7 of 13, 46 % of the cycle
    gone"), or when it starts or ended."""
    cycle = stored.cycle
    if today < cycle.start:
        days = (cycle.start - today).days
        return f"starts in {days} day{'' if days == 1 else 's'}"
    if today > cycle.end:
        return f"ended on {cycle.end.isoformat()}"
    # A quarter of 90-odd days is 13 weeks, as people count it.
    weeks = max(1, round(((cycle.end - cycle.start).days + 1) / 7))
    week = min((today - cycle.start).days // 7 + 1, weeks)
    gone = expected_progress(cycle.start, cycle.end, today)
    return f"week {week} of {weeks}, {percent(gone)} of the cycle gone"


def expected_by_now(state: ObjectiveState) -> float | None:
    """The progress an objective should have made by now: the share of the time up to
    its latest deadline that has passed (as its pace is judged); None without key
    results that count."""
    counted = [
        s.expected_progress for s in state.key_results if not s.key_result.definition.guardrail
    ]
    return min(counted) if counted else None


def pace_counts(
    states: Sequence[ObjectiveState] | Sequence[ObjectiveSummary],
) -> tuple[list[tuple[Pace, int]], int]:
    """How many objectives are at each pace (on track first), and how many are due a
    check-in."""
    counts = Counter(s.pace for s in states)
    return [(p, counts[p]) for p in PACE_ORDER], sum(1 for s in states if s.check_in_due)


@dataclass(frozen=True)
class GradeView:
    """An end-of-cycle grade as shown: the score to one decimal, the colour's CSS key,
    an icon of its own shape and word (colour is never the only signal), and what the
    grade means for the objective's type."""

    key: str
    icon: str
    display: str
    word: str
    meaning: str


_GRADE_LOOK = {
    GradeColour.GREEN: ("green", "✓", "Green"),
    GradeColour.YELLOW: ("yellow", "▲", "Yellow"),
    GradeColour.RED: ("red", "✕", "Red"),
}


def grade_view(score: float | None, kind: ObjectiveType, note: str = "") -> GradeView:
    """A score graded for an objective of this type (`domain.grading`), in words."""
    graded = grade(score, kind, note)
    key, icon, word = (
        ("unknown", "○", "No score") if graded.colour is None else _GRADE_LOOK[graded.colour]
    )
    if kind == ObjectiveType.LEARNING:
        meaning = "judged on what was learned"
    elif kind == ObjectiveType.COMMITTED:
        meaning = "delivered as promised" if graded.success else "short of the promise"
    else:
        meaning = "a success: 0.7 is success for a stretch" if graded.success else "under 0.7"
    if graded.needs_explanation:
        meaning += "; needs a written explanation before closing"
    return GradeView(key, icon, graded.display, word, meaning)


def objective_grade(stored: StoredObjective) -> GradeView | None:
    """A scored or closed objective's grade; None before it is scored."""
    if stored.status not in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED):
        return None
    return grade_view(stored.score, stored.objective.type, stored.retrospective)


def score_text(state: ObjectiveState, kr_id: int) -> str:
    """The score a key result's input starts with: the one given, else the proposed one."""
    for s in state.key_results:
        if s.key_result.id == kr_id:
            given = s.key_result.score
            return f"{given if given is not None else proposed_score(s.progress):g}"
    return ""


def proposed_grade(state: ObjectiveState) -> GradeView | None:
    """The grade the objective would get with the scores its key results have now (a
    person's, else the one proposed from progress); None when nothing counts."""
    total = objective_score(
        [
            (
                s.key_result.score
                if s.key_result.score is not None
                else proposed_score(s.progress),
                s.key_result.definition.weight,
                s.key_result.definition.guardrail,
            )
            for s in state.key_results
        ]
    )
    if total is None:
        return None
    return grade_view(total, state.stored.objective.type, state.stored.retrospective)


@dataclass(frozen=True)
class Paging:
    """Which objectives a page shows ("objectives 26–50 of 180") and the links to the
    other pages, each keeping the filters."""

    first: int
    last: int
    total: int
    page: int
    pages: int
    links: Mapping[str, str]


def _query(filter: OverviewFilter, **more: object) -> str:
    values = {
        "team": filter.team,
        "owner": filter.owner,
        "type": None if filter.type is None else filter.type.value,
        **more,
    }
    # Page 1 is the address without a page.
    text = urlencode({k: v for k, v in values.items() if v is not None and v != "" and v != 1})
    return f"?{text}" if text else ""


def paging(base: str, view: CycleOverview[Any], number: int) -> Paging:
    """The paging of a page of the overview at `base`, its links keeping the filters."""
    pages = max(1, math.ceil(view.total / view.limit))
    links: dict[str, str] = {}
    if number > 1:
        links["First"] = base + _query(view.filter)
        # Beyond the last page, "previous" is the last one.
        links["Previous"] = base + _query(view.filter, page=min(number - 1, pages))
    if number < pages:
        links["Next"] = base + _query(view.filter, page=number + 1)
        links["Last"] = base + _query(view.filter, page=pages)
    shown = len(view.objectives)
    return Paging(
        first=view.offset + 1 if shown else 0,
        last=view.offset + shown,
        total=view.total,
        page=number,
        pages=pages,
        links=links,
    )


def overview_filter(team: str, owner: str, kind: str) -> OverviewFilter:
    """The overview's filter from its query (empty: all); a type that is none is named."""
    try:
        chosen = ObjectiveType(kind) if kind else None
    except ValueError:
        raise InvalidInput(
            f"{kind!r} is not an objective type: committed, aspirational or learning",
            field="type",
        ) from None
    return OverviewFilter(team=team.strip() or None, owner=owner.strip() or None, type=chosen)


def page_context(now: datetime) -> dict[str, Any]:
    """What the cycle pages' and the tree's templates read besides their own view: the
    states in words, how far into a cycle today is, expected progress, grades."""
    return {
        "states": _STATES,
        "cycle_time": cycle_time,
        "today": now.date(),
        "expected_by_now": expected_by_now,
        "objective_grade": objective_grade,
        "proposed_grade": proposed_grade,
        "proposed_score": proposed_score,
        "score_text": score_text,
    }

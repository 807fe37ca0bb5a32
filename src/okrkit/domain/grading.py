"""End-of-cycle grading of objectives.

The rule (docs/rules.md, "Grading"), after Google's OKR practice: an objective is scored
from 0.0 to 1.0 at the end of its cycle, shown to one decimal. Below 0.4 is red,
0.4 up to (not including) 0.7 is yellow, 0.7 and above is green. For an
`aspirational` objective 0.7 is success; a `committed` one that scored under 1.0 needs
a written explanation before it can be closed; a `learning` objective is scored on
what was learned, so it needs a note and the number is optional.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from okrkit.domain.errors import InvalidInput

__all__ = [
    "Grade",
    "GradeColour",
    "ObjectiveType",
    "closing_problem",
    "grade",
]

_YELLOW_FROM = Decimal("0.4")
_GREEN_FROM = Decimal("0.7")
# Scores are kept to nine decimals: a score computed as a weighted mean can come out
# as 0.6999999999999999, and that is the 0.7 a person meant, not a yellow score.
_SCORE_DECIMALS = 9
NO_SCORE = "—"


class ObjectiveType(StrEnum):
    """What kind of bet an objective is, which sets how it is graded and paced.

    `committed`: the team promised it; anything short of 1.0 must be explained.
    `aspirational`: a stretch; 0.7 is success. `learning`: a question to answer; it is
    judged on what was learned.
    """

    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"
    LEARNING = "learning"


class GradeColour(StrEnum):
    """The band of an end-of-cycle score: red < 0.4 ≤ yellow < 0.7 ≤ green."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


@dataclass(frozen=True)
class Grade:
    """An objective's end-of-cycle grade.

    `score` is None only for a learning objective graded without a number. `display`
    is the score as a person reads it (NO_SCORE without one). `success` is None where
    the number does not decide it (learning objectives, which succeed by what was
    learned). `needs_explanation` is True while a required note is missing: a
    committed objective under 1.0, or any learning objective.
    """

    score: float | None
    display: str
    colour: GradeColour | None
    success: bool | None
    needs_explanation: bool


def grade(score: float | None, objective_type: ObjectiveType, note: str | None = None) -> Grade:
    """Grade an objective at the end of its cycle.

    The colour follows the exact score (0.69 is yellow, 0.7 green). The display rounds
    half up to one decimal, except where that would cross into another colour's band:
    then it keeps as many decimals as it takes to stay in the band, so 0.69 shows as
    "0.69", not as a yellow "0.7" that reads green — the number a person reads never contradicts
    its colour. 1.0 is such a boundary too: only a full score reads "1.0" (0.96 reads
    "0.96"), since a committed objective under 1.0 must be explained.

    Success: aspirational at 0.7 and above; committed only at 1.0, and below it a
    note is needed; learning is not decided by the number, it needs a note and may go
    without a score. A score outside [0, 1] is rejected; a score is kept to nine
    decimals (float noise such as 0.6999999999999999 is the 0.7 it means); a note of
    only blanks counts as no note.
    """
    has_note = note is not None and note.strip() != ""
    if score is None:
        if objective_type != ObjectiveType.LEARNING:
            raise InvalidInput(
                f"a {objective_type} objective needs a score from 0.0 to 1.0; "
                "only a learning objective may be graded by its note alone",
                field="score",
            )
        return Grade(
            score=None, display=NO_SCORE, colour=None, success=None, needs_explanation=not has_note
        )
    if not (math.isfinite(score) and 0.0 <= score <= 1.0):
        raise InvalidInput(f"score {score} is not between 0.0 and 1.0", field="score")
    score = round(float(score), _SCORE_DECIMALS)
    exact = Decimal(repr(score))
    colour = _colour(exact)
    if objective_type == ObjectiveType.LEARNING:
        success: bool | None = None
        needs_explanation = not has_note
    elif objective_type == ObjectiveType.COMMITTED:
        success = score >= 1.0
        needs_explanation = not success and not has_note
    else:
        success = exact >= _GREEN_FROM
        needs_explanation = False
    return Grade(
        score=score,
        display=_display(exact),
        colour=colour,
        success=success,
        needs_explanation=needs_explanation,
    )


def closing_problem(
    score: float | None, objective_type: ObjectiveType, note: str | None = None
) -> str | None:
    """Why an objective cannot be closed with this grade yet, or None when it can.

    A committed objective that scored under 1.0 cannot be closed without a written
    explanation, and a learning objective not without a note on what was learned.
    Invalid scores raise, as in `grade`.
    """
    if not grade(score, objective_type, note).needs_explanation:
        return None
    if objective_type == ObjectiveType.LEARNING:
        return "a learning objective needs a note on what was learned before it can be closed"
    return (
        "a committed objective that scored under 1.0 needs a written explanation "
        "before it can be closed"
    )


def _colour(score: Decimal) -> GradeColour:
    if score < _YELLOW_FROM:
        return GradeColour.RED
    if score < _GREEN_FROM:
        return GradeColour.YELLOW
    return GradeColour.GREEN


def _band(score: Decimal) -> tuple[GradeColour, bool]:
    # 1.0 is a boundary too: a committed 0.96 must not read "1.0" and then need an
    # explanation for falling short of 1.0.
    return _colour(score), score >= 1


def _display(exact: Decimal) -> str:
    band = _band(exact)
    for places in range(1, _SCORE_DECIMALS):
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if _band(shown) == band:
            return str(shown)
    return f"{exact:f}"

"""`/api/v1/problems`: what each problem type URI of an error response means."""

from __future__ import annotations

from fastapi import APIRouter

from okrkit.domain.errors import NotFound
from okrkit.interfaces.web.problems import PROBLEM_TYPES, ProblemType, documented
from okrkit.interfaces.web.schemas.problems import ProblemTypeOut

__all__ = ["get_problem_type", "list_problem_types", "router"]

router = APIRouter(prefix="/problems", tags=["problems"])


def _out(kind: ProblemType) -> ProblemTypeOut:
    return ProblemTypeOut(
        type=kind.uri, title=kind.title, status=kind.status, description=kind.description
    )


@router.get("")
def list_problem_types() -> list[ProblemTypeOut]:
    """Every problem type the API answers with."""
    return [_out(kind) for kind in PROBLEM_TYPES.values()]


@router.get("/{slug}", responses=documented(404))
def get_problem_type(slug: str) -> ProblemTypeOut:
    """One problem type: its title, status and when it happens."""
    if slug not in PROBLEM_TYPES:
        raise NotFound(f"no problem type {slug!r}")
    return _out(PROBLEM_TYPES[slug])

"""The OKR cycles' pages: the cycle overview, adding, starting and closing a cycle, and
scoring its objectives at the end (a module each; `views` holds how a cycle reads on
them and on the alignment tree)."""

from __future__ import annotations

from fastapi import APIRouter

from okrkit.interfaces.web.pages.cycles import lifecycle, overview, scoring

__all__ = ["router"]

router = APIRouter()
# Before the overview: `/cycles/new` would otherwise be taken for a cycle named "new".
router.include_router(lifecycle.router)
router.include_router(overview.router)
router.include_router(scoring.router)

"""The JSON API under `/api/v1`: resources addressed by their keys.

Every route is thin — it parses its input with a schema of `interfaces/web/schemas/`,
calls one use case, and renders the read model — and every error becomes a problem
document (`interfaces/web/problems.py`). Writes to an existing resource carry the
version they were based on (`If-Match: "<version>"` or a `version` field); responses
that show one resource carry it as `ETag`.
"""

from __future__ import annotations

from fastapi import APIRouter

from okrkit.interfaces.web.api import (
    alerts,
    audit,
    check_ins,
    cycles,
    health,
    imports,
    initiatives,
    key_results,
    kpis,
    objectives,
    problem_types,
    subscriptions,
    teams,
    values,
)

__all__ = [
    "alerts",
    "audit",
    "check_ins",
    "cycles",
    "health",
    "initiatives",
    "key_results",
    "kpis",
    "objectives",
    "problem_types",
    "public",
    "router",
    "subscriptions",
    "teams",
    "imports",
    "values",
]

# Open to anyone: what each problem type means.
public = APIRouter()
public.include_router(problem_types.router)
# Everything else needs a token or a session (`create_app` puts `deps.signed_in` on it).
router = APIRouter()
router.include_router(teams.router)
router.include_router(kpis.router)
router.include_router(health.router)
router.include_router(values.router)
router.include_router(imports.router)
router.include_router(cycles.router)
router.include_router(objectives.router)
router.include_router(key_results.router)
router.include_router(check_ins.router)
router.include_router(initiatives.router)
router.include_router(alerts.router)
router.include_router(subscriptions.router)
router.include_router(audit.router)

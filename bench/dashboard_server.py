"""The app bench/dashboard.py serves: `okrkit serve`'s (`workspace_app`), with the clock
fixed at OKRKIT_BENCH_NOW so that the statuses of the cached organisation do not drift
as it ages. A module of its own, importable by every uvicorn worker, that imports
nothing the bench's clients use (their libraries would inflate the server's RSS)."""

from __future__ import annotations

import os
from datetime import datetime

from fastapi import FastAPI

from okrkit import bootstrap
from okrkit.interfaces.web.app import create_app, freeze_for_serving


def app() -> FastAPI:
    """`workspace_app` with a fixed clock."""
    now = datetime.fromisoformat(os.environ["OKRKIT_BENCH_NOW"])
    served = create_app(bootstrap.unit_of_work, lambda: now)
    freeze_for_serving()
    return served

"""`okrkit serve`: the web app on the workspace, with the demo loaded on request
(through `services.workspace`)."""

from __future__ import annotations

from typing import Annotated

import typer

from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import console
from okrkit.interfaces.web import serving

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo workspace into an empty database.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Processes answering requests [default: one per CPU core, at most "
            f"{serving.MAX_DEFAULT_WORKERS}].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Upgrade the database, optionally load the demo, and serve the web app."""
    # Imported here, not at the top: every other command starts without them.
    from okrkit import demo as demo_workspace
    from okrkit.interfaces.web import charts
    from okrkit.services.workspace import is_empty, load_workspace

    context.ready()
    if demo and is_empty(context.unit_of_work()):
        ws = demo_workspace.build(context.now().date())
        written = load_workspace(
            context.unit_of_work(), ws.teams, ws.kpis, ws.values, "demo", context.now()
        )
        loaded = f"{len(ws.teams)} teams, {len(ws.kpis)} KPIs, {written:,} values"
        console.print(f"loaded the demo workspace: {loaded}")
    # The workers read the chart templates from the cache folder instead of each
    # importing Altair to build them (built here only when okrkit or Altair changed).
    charts.prepare_templates()
    serving.supervise(host, port, serving.default_workers() if workers is None else workers)

"""The Vega bundle that draws the charts, served from our own origin.

Built by vl-convert from the installed package on the first request (a few seconds),
then cached; never downloaded from a CDN nor committed to the repository.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from okrkit.interfaces.web.charts.bundle import BUNDLE_VERSION, vega_bundle

__all__ = ["BUNDLE_PATH", "bundle", "router"]

BUNDLE_PATH = "/static/vendor/vega-bundle.js"

router = APIRouter()


@router.get(BUNDLE_PATH)
def bundle(request: Request) -> Response:
    """Vega, Vega-Lite and Vega-Embed in one script; the page asks for it with the
    bundle's version in the query, so a browser may keep it for a long time."""
    etag = f'"{BUNDLE_VERSION}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    versioned = request.query_params.get("v") == BUNDLE_VERSION
    return Response(
        vega_bundle(),
        media_type="text/javascript",
        headers={
            "ETag": etag,
            "Cache-Control": "public, max-age=31536000, immutable"
            if versioned
            else "public, max-age=3600",
        },
    )

"""What every answer says to the browser about where it may be used.

A signed-in person's browser carries their session, so a stranger's page must not be
able to use okrkit through it. Every answer carries:

- `Content-Security-Policy`: scripts, styles, images and connections from okrkit itself
  only (no inline script runs: a page's chart specs are inert JSON blocks), never framed
  by another site (`frame-ancestors 'none'`), forms posting only back to okrkit, no
  plug-ins, no `<base>` elsewhere. The Vega bundle compiles its expressions to
  functions, so scripts may `eval`; styles may be inline (the progress bars' widths).
- `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`;
- `X-Content-Type-Options: nosniff`: a download is never run as a script or a page;
- `Referrer-Policy: same-origin`: okrkit's addresses (team and objective keys) are not
  sent to other sites a page links to;
- `Cache-Control: no-store` on everything but static files (unless the answer says
  otherwise): a page of the workspace is kept in no cache, so after signing out the
  back button shows nothing.

A pure ASGI middleware, so static files, errors and HEAD answers carry them too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SECURITY_HEADERS", "SecurityHeaders"]

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_ENCODED = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
# Pages and API answers hold the workspace, some of it private: kept in no cache, not
# even the browser's back-forward one, so after signing out the back button shows
# nothing. Static files (styles, scripts, the chart library) are the same for everyone.
STATIC_PREFIX = "/static/"
_NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """ASGI middleware: add `SECURITY_HEADERS` to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        kept = scope.get("path", "").startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in _ENCODED if n not in present]
                if not kept and b"cache-control" not in present:
                    added.append(_NO_STORE)
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

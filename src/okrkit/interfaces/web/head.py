"""HEAD on every GET route: the same status and headers as GET, no body.

FastAPI routes answer only the methods they are declared with, so `HEAD /` was a 405
(Starlette adds HEAD to its own routes, FastAPI does not to its `APIRoute`s). Rather
than declaring every GET route twice — which would also put each one twice in the
OpenAPI document — this pure ASGI middleware hands a HEAD request to the app as a GET
and passes on the answer's start (status, headers, Content-Length included) and an
empty body, as RFC 9110 §9.3.2 asks. Uvicorn drops a HEAD answer's body on the wire
by itself (it keeps the request's own method); dropping it here as well keeps the app
right under any server and in the test client.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet"]


class HeadAsGet:
    """ASGI middleware: answer HEAD as GET without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.pathsend":  # a file the server would send
                message = {"type": "http.response.body", "body": b""}
            elif message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)

"""A test client that sends a page's form the way a browser does: with the hidden token
okrkit put in a page it loaded, and the cookie that page set."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from okrkit.interfaces.web.form_tokens import TOKEN_FIELD

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["TOKEN_PAGE", "BrowserClient", "TestClient", "form_tokens"]

# A page with a form in every workspace, even an empty one.
TOKEN_PAGE = "/cycles/new"
_HIDDEN = re.compile(rf'<input type="hidden" name="{TOKEN_FIELD}" value="([^"]+)">')


def form_tokens(html: str) -> list[str]:
    """The form tokens in a page, one per form that writes."""
    return _HIDDEN.findall(html)


class BrowserClient(TestClient):
    """Posts to a page (anything outside /api/) as a form — fields, files or a button
    alone — carry the token of `TOKEN_PAGE`, loaded once, unless the test sends a token
    of its own."""

    _token: str | None = None

    def form_token(self) -> str:
        if self._token is None:
            page = self.get(TOKEN_PAGE)
            assert page.status_code == 200, page.text
            self._token = form_tokens(page.text)[0]
        return self._token

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        form = kwargs.get("data")
        # A browser's form post: any page POST not sent as JSON or raw bytes (a button
        # alone posts an empty form, which carries its token too).
        is_form = kwargs.get("json") is None and kwargs.get("content") is None
        if method.upper() == "POST" and is_form and not str(url).startswith("/api/"):
            fields: Mapping[str, Any] = form or {}
            if TOKEN_FIELD not in fields:
                kwargs["data"] = {**fields, TOKEN_FIELD: self.form_token()}
        return super().request(method, url, *args, **kwargs)

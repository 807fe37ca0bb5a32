"""What the page tests share: the moment they run at, and reading a page as a person
does (its words, an element, the points of its chart)."""

from __future__ import annotations

import html
import json
import re
import warnings
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

# A Monday: the demo's newest weekly value is Sunday 2026-11-22.
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)


def text_of(markup: str) -> str:
    """What a person reads: the page without tags, scripts and runs of white space."""
    markup = re.sub(r"<script\b.*?</script>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def element(markup: str, tag: str, attribute: str) -> str:
    """The first `<tag …attribute…>…</tag>` of a page (not nested in itself)."""
    found = re.search(rf"<{tag}\b[^>]*{re.escape(attribute)}[^>]*>.*?</{tag}>", markup, re.S)
    assert found, f"no <{tag} {attribute}> in the page"
    return found.group(0)


def get(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def chart_points(markup: str) -> int:
    """How many points the XmR chart embedded in a KPI page holds."""
    spec = json.loads(element(markup, "script", 'id="xmr-spec"').split(">", 1)[1][:-9])

    def datasets(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("name") == "points" and "values" in node:
                yield node
            for child in node.values():
                yield from datasets(child)
        elif isinstance(node, list):
            for child in node:
                yield from datasets(child)

    (points,) = list(datasets(spec))
    return len(points["values"])

"""The JSON API's reference as a page, drawn from its own OpenAPI document.

FastAPI's Swagger UI loads its scripts from a CDN; okrkit works offline, so the
reference is a plain server-rendered page instead: every operation by tag, with its
parameters, request body and answers, and the machine-readable document beside it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from okrkit.interfaces.web.pages.rendering import page

__all__ = ["Operation", "Parameter", "api_docs", "operations", "prose", "router"]

router = APIRouter()

_METHODS = ("get", "post", "put", "patch", "delete")
_TAGS = {"kpis": "KPIs"}
_CODE = re.compile(r"`([^`]+)`")


def prose(text: str) -> str:
    """An OpenAPI description as HTML (the template marks it safe): escaped, with its
    `code` spans as <code>."""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text))


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation: where it goes and what it means."""

    name: str
    where: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    """One method on one path of the API."""

    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: str | None
    answers: tuple[tuple[str, str], ...]

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".lower().replace("/", "-").strip("-")


def _schema_name(content: dict[str, Any]) -> str | None:
    for media in content.values():
        schema = media.get("schema", {})
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            return f"array of {name}" if "items" in schema else name
        return str(schema.get("type", "")) or None
    return None


def operations(spec: dict[str, Any]) -> dict[str, list[Operation]]:
    """The operations of an OpenAPI document grouped by their first tag, in path order."""
    groups: dict[str, list[Operation]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = tuple(
                Parameter(
                    p["name"],
                    p.get("in", ""),
                    bool(p.get("required")),
                    p.get("description") or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            )
            body = op.get("requestBody")
            answers = tuple(
                (code, str(answer.get("description", "")).rstrip("."))
                for code, answer in op.get("responses", {}).items()
            )
            operation = Operation(
                method.upper(),
                path,
                op.get("summary", ""),
                op.get("description", ""),
                parameters,
                None if body is None else _schema_name(body.get("content", {})),
                answers,
            )
            tag = (op.get("tags") or ["other"])[0]
            groups.setdefault(_TAGS.get(tag, tag.capitalize()), []).append(operation)
    return groups


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, readable without the network."""
    spec = request.app.openapi()
    return page(
        request,
        "api_docs.html",
        info=spec["info"],
        groups=operations(spec),
        prose=prose,
        nav="api",
    )

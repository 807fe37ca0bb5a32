"""The JSON API's reference: a page of our own, drawn from the OpenAPI document."""

from __future__ import annotations

import re


def test_the_api_reference_is_a_page_of_our_own_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.text
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links
    assert all(link.startswith(("/", "#", "data:")) for link in links), links
    spec = client.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method in item:
            assert f"{method.upper()}</span> <code>{path}</code>" in html
    assert "If-Match" in html


def test_the_api_reference_escapes_descriptions_and_shows_code_as_code():
    from okrkit.interfaces.web.pages.apidocs import prose

    assert prose("use `archived=true` <b>") == "use <code>archived=true</code> &lt;b&gt;"
    assert prose("a `<script>` tag") == "a <code>&lt;script&gt;</code> tag"

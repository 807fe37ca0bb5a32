"""The chart library (and the style) served from our own origin, with an ETag."""

from __future__ import annotations


def test_the_chart_bundle_and_the_style_come_from_our_own_origin(client):
    response = client.get("/static/vendor/vega-bundle.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "window.vegaEmbed" in response.text
    etag = response.headers["etag"]
    again = client.get("/static/vendor/vega-bundle.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/okrkit.js").status_code == 200

"""The Vega bundle: built by vl-convert on first use and kept in the cache folder under its
version (a file of another version is removed), then read from there by a fresh process
that imports neither vl-convert nor Altair."""

from __future__ import annotations

from tests.web.charts.helpers import run_fresh

_BUNDLE = """
import hashlib, json, sys
from okrkit.interfaces.web.charts.bundle import BUNDLE_VERSION, vega_bundle

bundle = vega_bundle()
print(json.dumps({
    "version": BUNDLE_VERSION,
    "digest": hashlib.sha256(bundle.encode()).hexdigest(),
    "embed": "window.vegaEmbed" in bundle,
    "imported": sorted(name for name in ("altair", "vl_convert") if name in sys.modules),
}))
"""


def test_a_kept_bundle_spares_a_worker_vl_convert_and_altair(tmp_path):
    folder = tmp_path / "cache" / "okrkit"
    folder.mkdir(parents=True)
    (folder / "vega-bundle-000000000000.js").write_text("built by another version")
    first = run_fresh(_BUNDLE, tmp_path / "cache")
    assert first["embed"]
    assert first["imported"] == ["altair", "vl_convert"]  # nothing kept yet: built
    assert [p.name for p in folder.iterdir()] == [f"vega-bundle-{first['version']}.js"]
    second = run_fresh(_BUNDLE, tmp_path / "cache")
    assert second["imported"] == []
    assert second["digest"] == first["digest"]

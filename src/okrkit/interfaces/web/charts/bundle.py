"""The Vega bundle that draws the charts in the browser: Vega, Vega-Lite (the version
Altair speaks) and Vega-Embed in one script, built by vl-convert from the installed
package and kept in the user's cache folder — no CDN, no npm, nothing vendored into the
repository."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from importlib import metadata
from pathlib import Path

import platformdirs

__all__ = ["BUNDLE_VERSION", "vega_bundle"]

log = logging.getLogger(__name__)

# The bundle is rebuilt when vl-convert or Altair (and so the Vega-Lite version it
# speaks) changes. Altair (27 MB resident) and vl-convert (9 MB) are imported only to
# build a chart template or the bundle, not by every process that serves pages.
BUNDLE_VERSION = hashlib.sha256(
    f"{metadata.version('vl-convert-python')}/{metadata.version('altair')}".encode()
).hexdigest()[:12]

_bundle: str | None = None
_bundle_lock = threading.Lock()


def _cache_file() -> Path:
    folder = Path(platformdirs.user_cache_dir("okrkit", appauthor=False))
    return folder / f"vega-bundle-{BUNDLE_VERSION}.js"


def vega_bundle() -> str:
    """The Vega, Vega-Lite and Vega-Embed libraries as one script, built by vl-convert
    from the installed package on first use (a few seconds), then kept in memory and in
    the user's cache folder, keyed by the versions it was built from."""
    global _bundle
    with _bundle_lock:
        if _bundle is not None:
            return _bundle
        path = _cache_file()
        try:
            cached = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            cached = ""
        if "window.vegaEmbed" in cached:
            _bundle = cached
            return cached
        import altair as alt
        import vl_convert

        vega_lite = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
        # No snippet: the default one puts vegaEmbed, vega and vegaLite on `window`.
        bundle: str = vl_convert.javascript_bundle(None, vl_version=vega_lite)  # type: ignore[arg-type]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(bundle, encoding="utf-8")
            partial.replace(path)
            for old in path.parent.glob("vega-bundle-*.js"):
                if old != path:  # built by another version of okrkit or vl-convert
                    old.unlink(missing_ok=True)
        except OSError as error:
            # A read-only home still gets charts: the bundle stays in memory.
            log.warning("cannot cache the Vega bundle in %s: %s", path, error)
        _bundle = bundle
        return bundle

"""What the chart tests share: running code in a fresh interpreter on a cache folder of
its own, as a worker process starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_fresh(code: str, cache: Path) -> dict[str, Any]:
    """The JSON that `code` prints, run by a fresh interpreter whose cache folder is `cache`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result

"""`python -m okrkit …` runs the `okrkit` command (how `okrkit serve` starts its
worker with the interpreter it runs on)."""

from __future__ import annotations

__all__: list[str] = []

if __name__ == "__main__":
    from okrkit.interfaces.cli.main import run

    run()

"""The `okrkit` command line: one module per feature, assembled into groups by `main`."""

__all__ = [
    "demo",
    "explain",
    "goals",
    "health",
    "key_results",
    "main",
    "output",
    "workspace",
]

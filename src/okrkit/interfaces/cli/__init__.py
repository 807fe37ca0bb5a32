"""The `okrkit` command line: one module per feature, assembled into groups by `main`."""

__all__ = [
    "context",
    "db",
    "demo",
    "explain",
    "goals",
    "health",
    "key_results",
    "kpis",
    "main",
    "output",
    "teams",
    "values",
    "workspace",
]

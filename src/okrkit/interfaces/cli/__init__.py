"""The `okrkit` command line: one module per feature, assembled into groups by `main`."""

__all__ = [
    "check_ins",
    "context",
    "cycles",
    "db",
    "demo",
    "explain",
    "goals",
    "health",
    "key_results",
    "kpis",
    "main",
    "objectives",
    "output",
    "teams",
    "values",
    "workspace",
]

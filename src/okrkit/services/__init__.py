"""Services: the use cases, one module per feature, each returning read models."""

__all__ = [
    "dashboards",
    "derived",
    "explain",
    "health",
    "key_results",
    "kpis",
    "ports",
    "teams",
    "tiles",
    "values",
    "workspace",
]

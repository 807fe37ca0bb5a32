"""The store: SQL tables, migrations, repositories and the unit of work."""

__all__ = [
    "audit",
    "engine",
    "kpis",
    "migrate",
    "tables",
    "teams",
    "tiles",
    "uow",
    "values",
]

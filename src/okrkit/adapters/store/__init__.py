"""The store: SQL tables, migrations, repositories and the unit of work."""

__all__ = ["engine", "migrate", "tables"]

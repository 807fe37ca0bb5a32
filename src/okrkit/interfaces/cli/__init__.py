"""The `okrkit` command line: one module per command group."""

__all__ = ["demo", "kpi", "kr", "main", "output"]

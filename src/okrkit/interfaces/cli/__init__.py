"""The `okrkit` command line: one module per command group."""

__all__ = ["demo", "explain", "goals", "kpi", "kr", "main", "output", "workspace"]

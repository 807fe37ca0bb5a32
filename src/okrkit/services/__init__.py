"""Services: the use cases, one module per feature, each returning read models."""

__all__ = ["key_results", "kpis"]

"""Services: the use cases, one module per feature, each returning read models."""

__all__ = ["explain", "key_results", "kpis"]

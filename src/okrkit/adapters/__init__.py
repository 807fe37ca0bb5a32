"""Adapters: the outside world. `sources/` reads external data."""

__all__ = ["sources"]

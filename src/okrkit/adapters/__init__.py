"""Adapters: the outside world — the store, sources of external data, goals files."""

__all__ = [
    "goals",
    "sources",
    "store",
]

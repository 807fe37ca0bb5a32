"""Adapters: the outside world — the store, sources of external data, goals files, and
the notifications sent out."""

__all__ = [
    "goals",
    "notify",
    "sources",
    "store",
]

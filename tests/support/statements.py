"""Count the SQL statements a use case sends: read models promise a fixed number."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

__all__ = ["statements"]


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement the engine executes inside the block, in order."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])  # conn, cursor, statement, parameters, context, executemany

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)

"""Who acts in tests that call the use cases directly: the operator at the server's own
command line (an admin), named as the test says."""

from __future__ import annotations

from okrkit.domain.access import Actor, operator

__all__ = ["ADMIN", "as_actor"]

# Who reads in tests that call read use cases directly and are not about privacy: an
# admin, who sees everything.
ADMIN = operator("test")


def as_actor(who: str | Actor) -> Actor:
    """`who` as an operator of that name (an `Actor` is taken as it is)."""
    return who if isinstance(who, Actor) else operator(who)

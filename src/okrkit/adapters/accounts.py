"""Passwords as argon2id hashes (argon2-cffi, with its recommended parameters: RFC 9106's
second choice, 64 MiB and 3 passes)."""

from __future__ import annotations

from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["Argon2Passwords"]


class Argon2Passwords:
    """Hashes and checks passwords; a check with no hash (an unknown e-mail, an account
    with no password yet) spends the time a real one would, so how long a sign-in takes
    does not tell whether an account exists."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    @cached_property
    def _stand_in(self) -> str:
        return self._hasher.hash("a password nobody has")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash or self._stand_in, password)) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

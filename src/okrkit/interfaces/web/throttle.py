"""The sign-in throttle: failed sign-ins counted per account and per address, in a
moving window (the `limits` library).

Only failures count, so a person who types their password right is never held back by
someone guessing at their account from elsewhere for long: once over either limit,
sign-ins for that account (or from that address) are refused with 429 and
`Retry-After` until the window has room again, before any password is checked.

The counts live in the process (`memory://`) unless `OKRKIT_THROTTLE_STORAGE` names a
store every `okrkit serve` process shares (a `limits` storage URI such as
`redis://host:6379`); with several processes and the memory store, each counts alone.
"""

from __future__ import annotations

import math
import os
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

__all__ = ["PER_ACCOUNT", "PER_ADDRESS", "STORAGE_VARIABLE", "SignInThrottle"]

STORAGE_VARIABLE = "OKRKIT_THROTTLE_STORAGE"
# Enough for typos and a forgotten caps lock; far too few to guess a password.
PER_ACCOUNT = parse("5/15 minutes")
# An office behind one address holds many people: more room, still no guessing.
PER_ADDRESS = parse("30/15 minutes")


class SignInThrottle:
    """Counts failed sign-ins per account (the e-mail as typed, lower-case, whether or
    not it has an account) and per client address."""

    def __init__(self, storage: str | None = None) -> None:
        uri = storage or os.environ.get(STORAGE_VARIABLE) or "memory://"
        self._limiter = MovingWindowRateLimiter(storage_from_string(uri))
        self._limits = (PER_ACCOUNT, PER_ADDRESS)

    def _keys(self, email: str, address: str) -> tuple[str, str]:
        return f"sign-in:account:{email.strip().lower()}", f"sign-in:address:{address}"

    def wait(self, email: str, address: str) -> int:
        """Seconds to wait before this sign-in may be tried; 0 when it may be now."""
        longest = 0.0
        for limit, key in zip(self._limits, self._keys(email, address), strict=True):
            if not self._limiter.test(limit, key):
                reset = self._limiter.get_window_stats(limit, key).reset_time
                longest = max(longest, reset - time.time())
        return max(1, math.ceil(longest)) if longest > 0 else 0

    def failed(self, email: str, address: str) -> None:
        """Count a failed sign-in against the account and the address."""
        for limit, key in zip(self._limits, self._keys(email, address), strict=True):
            self._limiter.hit(limit, key)

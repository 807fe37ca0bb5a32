"""How the store keeps a moment: whole seconds since 1970-01-01 UTC (an integer is
compact, indexes well and reads straight into NumPy's `datetime64[s]`). Used by every
repository; nothing outside the store sees these integers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import epoch_seconds

__all__ = ["moment", "seconds", "seconds_of"]


def seconds(moment: date | datetime) -> int:
    """A moment as stored: an aware one converted to UTC, a naive one taken as UTC, a
    date as its midnight UTC."""
    return epoch_seconds(moment)


_EPOCH = datetime(1970, 1, 1)


def moment(stored: int) -> datetime:
    """A stored moment as the services keep it: a naive UTC datetime."""
    return _EPOCH + timedelta(seconds=stored)


def seconds_of(timestamps: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    """UTC timestamps as stored, whole seconds (a view when they already are)."""
    stored: npt.NDArray[np.int64] = timestamps.astype("datetime64[s]").astype(np.int64)
    return stored

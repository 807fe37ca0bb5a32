"""How numbers, changes and moments read to a person, in the CLI and on the web.

The numbers are the domain's (`domain/phrasing.py`: the one place a number becomes
text, so a rule's own sentence and a dashboard tile read alike); this module adds the
moments of the JSON documents and tables.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from okrkit.domain.phrasing import change, number, numbers, percent_share, span, when

__all__ = [
    "change",
    "moment",
    "moments",
    "number",
    "numbers",
    "percent_share",
    "span",
    "when",
]


def moment(value: datetime) -> str:
    """A UTC moment: the date alone at midnight, else date and time with 'Z'."""
    if value.hour == value.minute == value.second == 0:
        return value.date().isoformat()
    return value.isoformat(timespec="seconds") + "Z"


def moments(stamps: np.ndarray) -> list[str]:
    """`moment` of every UTC timestamp of a NumPy array, written by NumPy at once."""
    seconds = stamps.astype("datetime64[s]")
    days = seconds.astype("datetime64[D]")
    midnight = seconds == days
    if midnight.all():
        return list(np.datetime_as_string(days).tolist())
    dated = np.datetime_as_string(days).tolist()
    timed = np.datetime_as_string(seconds).tolist()
    return [d if m else t + "Z" for d, t, m in zip(dated, timed, midnight.tolist(), strict=True)]

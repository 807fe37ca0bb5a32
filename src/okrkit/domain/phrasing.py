"""How numbers, ranges and periods read to a person: the one place they become text.

Every sentence okrkit says — a page, a CLI table, an API field that carries words, a
rule's own explanation — writes numbers through these functions, so a KPI reads the
same everywhere: in its unit ("12.0%", "$48.2k", "212 ms", "1.5 h", "48,213",
"7 widgets"), with thousands separators, a typographic minus sign, and never in
scientific notation ("4.545e+04" is "45,450"). A magnitude no separator makes readable
(a quadrillion and beyond, or below a millionth) is written as a power of ten
("1.0 × 10³⁰⁸ ms"); infinity is "∞" and a missing number (None, NaN) a dash. Nothing
here raises on any float.

Periods are named by their dates in the KPI's cadence ("the week of 11 Oct", "Oct
2026", "11 Oct"), never by a point's index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

__all__ = [
    "change",
    "number",
    "numbers",
    "percent_share",
    "period_labels",
    "span",
    "when",
]

MINUS = "\N{MINUS SIGN}"
DASH = "—"
# Beyond these magnitudes thousands separators stop helping: a power of ten instead.
_HUGE = 1e15
_TINY = 1e-6
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# The units okrkit knows; any other unit text is written after the number.
_SUFFIX = {"percent": "%", "ms": " ms", "hours": " h"}
_PLAIN = {"", "count", "score", "ratio", "currency"}

Formatter = Callable[[float], str]


def _power(size: float) -> str:
    """A positive finite magnitude as a power of ten: '1.0 × 10³⁰⁸', '2.5 × 10⁻⁹'."""
    mantissa, exponent = f"{size:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _fixed(size: float, decimals: int) -> str:
    """A magnitude (≥ 0) with thousands separators and that many decimals."""
    if size >= _HUGE:
        return _power(size)
    return f"{size:,.{decimals}f}"


def _general(size: float, decimals: int | None = None) -> str:
    """Four significant digits with thousands separators: 1,234, 13.31, 0.04521."""
    if size == 0:
        return "0"
    if size >= _HUGE or size < _TINY:
        return _power(size)
    if decimals is None:
        decimals = max(0, 3 - math.floor(math.log10(size)))
    text = f"{size:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _count(size: float) -> str:
    return _fixed(size, 0) if size >= 100 else _general(size)


def _currency(size: float) -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            if size >= _HUGE:
                return "$" + _power(size)
            scaled = size / limit
            decimals = max(0, 2 - math.floor(math.log10(scaled)))
            return f"${scaled:,.{decimals}f}".rstrip("0").rstrip(".") + suffix
    return f"${size:,.0f}"


def _magnitude(unit: str | None) -> Formatter:
    """How a magnitude (≥ 0, finite) of a unit is written, its unit's suffix aside."""
    match unit:
        case "percent" | "hours":
            return lambda size: _fixed(size, 1)
        case "currency":
            return _currency
        case "ms" | "score":
            return lambda size: _fixed(size, 0)
        case "count":
            return _count
        case "ratio":
            return lambda size: _fixed(size, 2)
        case _:
            return _general


def _suffix(unit: str | None) -> str:
    if not unit or unit in _PLAIN:
        return _SUFFIX.get(unit or "", "")
    return _SUFFIX.get(unit, f" {unit}")


def _writer(unit: str | None) -> Formatter:
    """The whole writer of a unit: sign, magnitude (or ∞), suffix; a dash for NaN."""
    return _written(_magnitude(unit), _suffix(unit))


def _written(magnitude: Formatter, suffix: str) -> Formatter:
    def write(value: float) -> str:
        if value != value:  # NaN
            return DASH
        size = abs(value)
        infinite = "$∞" if magnitude is _currency else "∞"
        text = infinite if size == math.inf else magnitude(size)
        negative = value < 0 and any(c in "123456789∞" for c in text)
        return (MINUS if negative else "") + text + suffix

    return write


def number(value: float | None, unit: str | None = None) -> str:
    """A value in its unit: '12.0%', '$48.2k', '212 ms', '1.5 h', '48,213', '7 widgets'."""
    if value is None:
        return DASH
    return _writer(unit)(float(value))


def numbers(values: Iterable[float], unit: str | None = None) -> list[str]:
    """`number` of every value, the unit looked up once: a chart's thousand points."""
    write = _writer(unit)
    return [write(float(v)) for v in values]


def change(value: float | None, unit: str | None = None) -> str:
    """A signed change in the KPI's unit; a change of a percentage is in points (pp)."""
    if value is None or value != value:
        return DASH
    sign = "+" if value > 0 else MINUS if value < 0 else "±"
    if unit == "percent":
        return sign + _written(lambda size: _fixed(size, 1), " pp")(abs(value))
    return sign + number(abs(value), unit)


def percent_share(value: float | None) -> str:
    """A ratio as a signed percentage: 0.045 → '+4.5%'."""
    if value is None or value != value:
        return DASH
    sign = "+" if value > 0 else MINUS if value < 0 else "±"
    return sign + number(abs(value) * 100, "percent")


def span(low: float, high: float, unit: str | None = None) -> str:
    """A range in its unit, the unit said once: '14.2–15.9%', '250–290 ms',
    '$1.2k–$3.4k', '−5.0 to 3.0%'; plain numbers get the digits that tell its ends
    apart (999,999.5–1,000,000.5). A range with a missing end is a dash."""
    if low != low or high != high:
        return DASH
    first, second = number(low, unit), number(high, unit)
    suffix = _suffix(unit)
    gap = high - low
    if _magnitude(unit) is _general and math.isfinite(gap) and gap > 0:
        # Enough decimals that the gap shows two digits: 999,999.5–1,000,000.5.
        needed = min(12, max(0, 1 - math.floor(math.log10(gap))))
        first, second = (_refined(v, needed) + suffix for v in (low, high))
    if suffix and first.endswith(suffix) and second.endswith(suffix):
        first = first.removesuffix(suffix)
    joint = " to " if first.startswith(MINUS) or second.startswith(MINUS) else "–"
    return f"{first}{joint}{second}"


def _refined(value: float, needed: int) -> str:
    """A plain number with at least `needed` decimals (its own four digits otherwise)."""
    size = abs(value)
    if size >= _HUGE or 0 < size < _TINY or size == 0:
        return number(value)
    decimals = max(needed, 3 - math.floor(math.log10(size)))
    text = _general(size, decimals)
    return (MINUS if value < 0 and text.strip("0.,") else "") + text


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(moment: datetime, *, year: bool = True) -> str:
    """A day as people write it: '11 Oct 2026' ('11 Oct' without the year)."""
    day = f"{moment.day} {_MONTHS[moment.month - 1]}"
    return f"{day} {moment.year}" if year else day


def period_labels(
    timestamps: npt.NDArray[np.datetime64] | Sequence[datetime], period: str
) -> list[str]:
    """Each point's period named by its dates in the cadence: 'the week of 11 Oct',
    'Oct 2026' (months always carry their year), '11 Oct' (a day, or a point of another
    cadence). Days carry their year only when the points span more than one year."""
    stamps = np.asarray(timestamps, dtype="datetime64[s]")
    moments = [t.item() for t in stamps.astype("datetime64[s]")]
    if period == "month":
        return [f"{_MONTHS[m.month - 1]} {m.year}" for m in moments]
    years = {m.year for m in moments}
    return [when(m, year=len(years) > 1) for m in moments]

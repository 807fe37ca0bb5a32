"""The form that types in one value of a KPI (or corrects the one at the same time).

What a person typed — a date or a date-time in UTC, a number, an optional segment — is
read into a `ValueRow` or into errors that each name their input, so the page shows
every error next to its field and keeps what was typed. Whether the value is plausible
(within its unit's range, not in the future, near the usual range) is the use case's
to say (`domain.plausible`), named by the same inputs through `field_of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from okrkit.adapters.sources.values.rows import ValueRow
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import InvalidInput
from okrkit.interfaces.web.forms.check_ins import number

__all__ = ["ValueForm", "field_of"]

# A row's column as the use case names it, and the form's input that holds it.
_FIELDS = {"timestamp": "at", "value": "value", "segment": "segment"}


def field_of(column: str | None) -> str:
    """The form's input for a column the use case names (the date when it names none)."""
    return _FIELDS.get(column or "", "at")


def _moment(text: str) -> datetime:
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a date: write it as 2026-11-23, or 2026-11-23T14:30 for a time",
            field="at",
        ) from None


@dataclass(frozen=True)
class ValueForm:
    """One value as typed; `confirm` is set once a person saw the warning and saves
    anyway."""

    at: str = ""
    value: str = ""
    segment: str = ""
    confirm: bool = False

    def to_row(self) -> tuple[ValueRow | None, dict[str, str]]:
        """The value to save, or the errors by input."""
        errors: dict[str, str] = {}
        when = amount = None
        if not self.at.strip():
            errors["at"] = "say when: a date such as 2026-11-23"
        else:
            try:
                when = _moment(self.at.strip())
            except InvalidInput as error:
                errors["at"] = error.message
        if not self.value.strip():
            errors["value"] = "type the value, e.g. 15.5"
        else:
            try:
                amount = number(self.value.strip(), "value")
            except InvalidInput as error:
                errors["value"] = error.message
        if when is None or amount is None:
            return None, errors
        return ValueRow(when, amount, self.segment.strip()), errors

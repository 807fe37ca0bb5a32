"""The check-in forms: one key result's check-in, and My week's form that checks in on
every key result a person owns at once.

What a person typed is read into `RecordCheckIn` commands or into errors that each name
their input, so the page can show every error next to its field and keep what was
typed. The rules of a check-in — a confidence from 0 to 10, a note of bounded length —
are the domain's (`domain.check_ins`), applied here to every row before anything is
written, so one submit shows all of a week's mistakes at once; what needs the key result
itself (a value a boolean allows, a key result fed by a KPI) the use case checks, naming
the same inputs.

My week's inputs are named as the use case names its errors: `key_results.12.value`,
`key_results.12.confidence`, `key_results.12.note`. A row left blank is skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from okrkit.domain.check_ins import checked_confidence, checked_note
from okrkit.domain.errors import InvalidInput
from okrkit.services.check_ins import RecordCheckIn

__all__ = ["MAX_ID", "PARTS", "CheckInForm", "WeekForm", "input_name", "number"]

# The largest id the store keeps (a 32-bit integer column): a larger one names nothing.
MAX_ID = 2**31 - 1
# The inputs of one check-in, in the order of the form.
PARTS = ("value", "confidence", "note")
_ROW_INPUT = re.compile(r"key_results\.(\d{1,18})\.(value|confidence|note)")


def input_name(key_result: int, part: str) -> str:
    """The name of My week's input for one part of one key result's check-in."""
    return f"key_results.{key_result}.{part}"


def number(text: str, field: str) -> float:
    """A number as a person writes it (digits and a dot; spaces around are fine)."""
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a number: write it with digits and a dot, e.g. 15.5", field=field
        ) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{text!r} is not a finite number", field=field)
    return value


def _confidence(text: str, field: str) -> float | None:
    if not text:
        return None
    try:
        return checked_confidence(number(text, field))
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from None


def _note(text: str, field: str) -> str:
    try:
        return checked_note(text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from None


@dataclass(frozen=True)
class CheckInForm:
    """One check-in as typed: a value (none for a key result fed by a KPI), a
    confidence, a note."""

    value: str = ""
    confidence: str = ""
    note: str = ""

    @classmethod
    def of(cls, posted: Mapping[str, str], prefix: str = "") -> CheckInForm:
        """The check-in's inputs from a posted form (`prefix` names My week's row)."""
        return cls(*(str(posted.get(prefix + part, "")).strip() for part in PARTS))

    @property
    def blank(self) -> bool:
        return not (self.value or self.confidence or self.note)

    def command(
        self, key_result: int, prefix: str = ""
    ) -> tuple[RecordCheckIn | None, dict[str, str]]:
        """The check-in the form describes, or every error found, each under its input
        (`prefix` + value, confidence or note)."""
        errors: dict[str, str] = {}
        value: float | None = None
        confidence: float | None = None
        note = ""
        try:
            value = number(self.value, prefix + "value") if self.value else None
        except InvalidInput as error:
            errors[prefix + "value"] = error.message
        try:
            confidence = _confidence(self.confidence, prefix + "confidence")
        except InvalidInput as error:
            errors[prefix + "confidence"] = error.message
        try:
            note = _note(self.note, prefix + "note")
        except InvalidInput as error:
            errors[prefix + "note"] = error.message
        if errors:
            return None, errors
        return RecordCheckIn(key_result, value, confidence, note), {}


@dataclass(frozen=True)
class WeekForm:
    """My week as typed: whose week it is, and each key result's row by its id."""

    owner: str
    rows: Mapping[int, CheckInForm]

    @classmethod
    def of(cls, posted: Mapping[str, str]) -> WeekForm:
        """The rows of a posted My week form, in the order of their ids; inputs that
        name no row are ignored."""
        ids = sorted(
            {int(m[1]) for name in posted if (m := _ROW_INPUT.fullmatch(name)) is not None}
        )
        rows = {id: CheckInForm.of(posted, f"key_results.{id}.") for id in ids}
        return cls(str(posted.get("owner", "")).strip(), rows)

    def commands(self) -> tuple[list[RecordCheckIn], dict[str, str]]:
        """A check-in for every row that is not blank, or every error of every row,
        each under its input."""
        commands: list[RecordCheckIn] = []
        errors: dict[str, str] = {}
        for id, row in self.rows.items():
            if row.blank:
                continue
            if id > MAX_ID:
                errors[""] = f"no key result {id}"
                continue
            command, found = row.command(id, f"key_results.{id}.")
            errors.update(found)
            if command is not None:
                commands.append(command)
        return (commands, {}) if not errors else ([], errors)

    def typed(self, key_result: int, part: str) -> str:
        """What was typed into one input ('' for none)."""
        row = self.rows.get(key_result)
        return "" if row is None else str(getattr(row, part))

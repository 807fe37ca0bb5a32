"""The objective forms: what a person typed — an objective and up to five key result
rows — read into domain objects, or into errors that each name their input, so the
page shows every error next to its input and keeps what was typed.

The inputs are the declared fields of `domain.objectives.Objective` and of
`domain.key_results.KeyResultDefinition` (`domain.fields`), as text; a key result's
inputs are named as the use case names their errors, `key_results[1].target`, so an
error of the service lands next to the input it is about. A field declared later
appears on the form without a change here. A row left blank is no key result.

A form can also be read leniently (`draft`): every input that parses, the rest left
at its default — what the linter and the decision filter judge while a person is
still writing, before the form is valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import REQUIRED, Declared, data_of, fields_of, value_from_data
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.keys import MAX_KEY_LENGTH, is_key
from okrkit.domain.objectives import Objective, StoredObjective

__all__ = [
    "KEY_RESULT_FIELDS",
    "KEY_RESULT_ROWS",
    "OBJECTIVE_FIELDS",
    "ObjectiveForm",
    "input_name",
    "suggested_key",
]

# Rows for key results on the create form: an objective has two to five.
KEY_RESULT_ROWS = 5
OBJECTIVE_FIELDS = fields_of(Objective)
KEY_RESULT_FIELDS = fields_of(KeyResultDefinition)
# The buttons of the forms: create (active), save as a draft, check with the linter,
# save an edit.
_ACTIONS = ("create", "draft", "check", "save")
_ROW = re.compile(r"key_results\[(\d{1,3})\]\.(\w+)")
# The inputs whose text alone makes a row a key result (a type or a weight left at
# what the form starts with does not).
_FILLED = frozenset({"title", "unit", "start", "target", "owner", "deadline", "steps", "kpi"})


def input_name(row: int, name: str) -> str:
    """The input of a key result row's field: `key_results[1].target`."""
    return f"key_results[{row}].{name}"


def suggested_key(title: str) -> str:
    """A key made from a title: 'Streamline onboarding!' → 'streamline-onboarding'
    ('' when the title has no letter to start one with)."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    slug = re.sub(r"^[^a-z]+", "", slug)[:MAX_KEY_LENGTH].rstrip("-")
    return slug if is_key(slug) else ""


def _shown(value: Any) -> str:
    """A value of plain data as a form shows it: numbers as a person writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, float | int):
        return f"{value:g}"
    return str(value)


def _start(f: Declared) -> str:
    """What an empty form shows for a field: its default, as text."""
    if f.default is REQUIRED or f.default is None:
        return ""
    return _shown(_default_data(f))


def _default_data(f: Declared) -> Any:
    """A field's default as plain data (a choice as its value)."""
    default = f.default
    return default.value if hasattr(default, "value") else default


def _number(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a number: write it with digits and a dot, e.g. 15.5", field=name
        ) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{text!r} is not a finite number", field=name)
    return value


def _value(f: Declared, text: str, noun: str) -> Any:
    """One field's value from what was typed, checked against its declaration."""
    if f.type is bool:
        return text.lower() in ("on", "true", "yes", "1")
    if text == "":
        if f.required:
            raise InvalidInput(f"{noun} needs a {f.name.replace('_', ' ')}", field=f.name)
        return value_from_data(f, None if f.optional else _default_data(f))
    if f.type is float:
        return value_from_data(f, _number(text, f.name))
    return value_from_data(f, text)


def _lenient(f: Declared, text: str, noun: str) -> Any:
    """A field's value when it parses, else its default (or what was typed, for a
    required text): a draft for advice, never for writing."""
    try:
        return _value(f, text, noun)
    except InvalidInput:
        if f.required:
            return text
        return None if f.optional else f.default


@dataclass
class ObjectiveForm:
    """The create and edit forms as typed: every input by its name (`title`,
    `key_results[1].target`), how many key result rows the form shows, the version an
    edit is based on, and which button was pressed (create, draft, check, save)."""

    values: dict[str, str] = field(default_factory=dict)
    rows: int = KEY_RESULT_ROWS
    version: int | None = None
    action: str = "create"

    @classmethod
    def empty(cls, **given: str | None) -> ObjectiveForm:
        """A new form: the declared defaults, and what the address gives (cycle, team,
        parent)."""
        values = {f.name: _start(f) for f in OBJECTIVE_FIELDS}
        values.update({k: v for k, v in given.items() if v})
        for row in range(KEY_RESULT_ROWS):
            for f in KEY_RESULT_FIELDS:
                values[input_name(row, f.name)] = _start(f)
        return cls(values)

    @classmethod
    def read(cls, data: Mapping[str, str]) -> ObjectiveForm:
        """A form from what the browser sent (unknown inputs are ignored)."""
        known = {f.name for f in OBJECTIVE_FIELDS}
        row_fields = {f.name for f in KEY_RESULT_FIELDS}
        values: dict[str, str] = {}
        rows = 0
        for name, raw in data.items():
            text = raw.strip() if isinstance(raw, str) else ""
            match = _ROW.fullmatch(name)
            if match and int(match[1]) < KEY_RESULT_ROWS and match[2] in row_fields:
                values[name] = text
                rows = max(rows, int(match[1]) + 1)
            elif name in known:
                values[name] = text
        version_text = str(data.get("version", "")).strip()
        version = int(version_text) if version_text.isascii() and version_text.isdigit() else None
        action = str(data.get("action", "create"))
        return cls(
            values, max(rows, KEY_RESULT_ROWS), version, action if action in _ACTIONS else "create"
        )

    @classmethod
    def of(cls, stored: StoredObjective) -> ObjectiveForm:
        """The edit form of a stored objective, at its version."""
        data = data_of(stored.objective)
        return cls(
            {f.name: _shown(data[f.name]) for f in OBJECTIVE_FIELDS},
            rows=0,
            version=stored.revision.version,
            action="save",
        )

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    # --- The objective ---------------------------------------------------------------------

    def objective(self) -> tuple[Objective | None, dict[str, str]]:
        """The objective the form describes (its key made from the title when left
        blank), or every error found, each under its input."""
        typed = dict(self.values)
        if not typed.get("key"):
            typed["key"] = suggested_key(typed.get("title", ""))
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for f in OBJECTIVE_FIELDS:
            try:
                values[f.name] = _value(f, typed.get(f.name, ""), "an objective")
            except InvalidInput as error:
                errors.setdefault(f.name, error.message)
        return (None, errors) if errors else (Objective(**values), {})

    def changes(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The editable fields of the objective as typed, or the errors found."""
        changes: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for f in OBJECTIVE_FIELDS:
            if f.editable:
                try:
                    changes[f.name] = _value(f, self[f.name], "an objective")
                except InvalidInput as error:
                    errors[f.name] = error.message
        return changes, errors

    # --- The key result rows ---------------------------------------------------------------

    def filled_rows(self) -> list[int]:
        """The rows a person wrote a key result in (a blank row is none)."""
        rows = []
        for row in range(self.rows):
            filled = any(self[input_name(row, name)] for name in _FILLED)
            if filled or self[input_name(row, "guardrail")]:
                rows.append(row)
        return rows

    def key_results(self) -> tuple[list[KeyResultDefinition], dict[str, str]]:
        """The key results of the filled rows, or every error, each under its input."""
        definitions = []
        errors: dict[str, str] = {}
        for row in self.filled_rows():
            values: dict[str, Any] = {}
            for f in KEY_RESULT_FIELDS:
                name = input_name(row, f.name)
                try:
                    values[f.name] = _value(f, self[name], "a key result")
                except InvalidInput as error:
                    errors.setdefault(name, error.message)
            if not any(input_name(row, "") in name for name in errors):
                definitions.append(KeyResultDefinition(**values))
        return definitions, errors

    def placed(self, error: InvalidInput) -> dict[str, str]:
        """A use case's error under its input: `key_results[0].target` of the use case
        is the first filled row's, wherever it is on the form; '' is the whole form."""
        where = error.field or ""
        match = re.fullmatch(r"key_results\[(\d+)\]\.(\w+)", where)
        if match:
            rows = self.filled_rows()
            index = int(match[1])
            row = rows[index] if index < len(rows) else index
            return {input_name(row, match[2]): error.message}
        known = {f.name for f in OBJECTIVE_FIELDS}
        return {where if where in known else "": error.message}

    # --- A draft, for advice while writing ----------------------------------------------

    def draft(self, key: str | None = None) -> tuple[Objective, list[KeyResultDefinition]]:
        """The objective and key results as far as they parse, for the linter and the
        decision filter (never written)."""
        typed = dict(self.values)
        typed["key"] = key or typed.get("key") or suggested_key(typed.get("title", "")) or "draft"
        objective = Objective(
            **{f.name: _lenient(f, typed.get(f.name, ""), "an objective") for f in OBJECTIVE_FIELDS}
        )
        definitions = [
            KeyResultDefinition(
                **{
                    f.name: _lenient(f, self[input_name(row, f.name)], "a key result")
                    for f in KEY_RESULT_FIELDS
                }
            )
            for row in self.filled_rows()
        ]
        return objective, definitions

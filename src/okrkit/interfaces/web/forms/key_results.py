"""The key result form: what a person typed, read into a key result's definition or into
errors that each name their input, so the page can show every error next to its input
and keep what was typed.

The form's inputs are the key result's declared fields (`domain.key_results.
KeyResultDefinition`), as text, flags as checkboxes, choices as their values; a field
declared later appears on the form without a change here (`key_result_form.html` lays
out the known ones by hand and lists any other one after them). Besides them: the
`version` an edit is based on, and the `reason` a target changed mid-cycle needs (a
recalibration). The rules — a deadline inside the cycle, a target that differs from the
start, a positive weight — are the domain's (`validate_key_result`) and the use case's,
which name the field they reject; the page puts that error next to the same input.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, create_model

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import Declared, data_of, fields_of, value_from_data, value_to_data
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.interfaces.web.forms.check_ins import number

__all__ = ["LAID_OUT", "REQUIRED", "KeyResultForm", "declared", "field_of", "other_fields"]

# The declared fields key_result_form.html lays out by hand; any other one is listed after.
LAID_OUT = frozenset(
    {
        "title", "type", "unit", "start", "target", "owner", "deadline", "weight",
        "guardrail", "direction", "steps", "kpi",
    }
)  # fmt: skip
_DECLARED = fields_of(KeyResultDefinition)
# The inputs a key result cannot do without (the template marks them).
REQUIRED = frozenset(f.name for f in _DECLARED if f.required)
# Inputs of the form that are no declared field.
_EXTRA = frozenset({"reason"})


def declared() -> dict[str, Declared]:
    """The declared fields by name: what each means (`help`), its choices, its type."""
    return {f.name: f for f in _DECLARED}


def other_fields() -> tuple[Declared, ...]:
    """The declared fields the form's template does not lay out by hand."""
    return tuple(f for f in _DECLARED if f.name not in LAID_OUT)


def field_of(error: InvalidInput) -> str:
    """The form input an error belongs next to ('' for the top of the form)."""
    field = error.field or ""
    return field if field in _EXTRA or field in {f.name for f in _DECLARED} else ""


def _text(value: Any) -> Any:
    """A value of plain data as a form shows it: numbers as a person writes them."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return value


class _Form(BaseModel):
    """The inputs of the create and edit forms, as typed (checkboxes on or absent)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    reason: str = ""
    version: int | None = None

    @classmethod
    def of(cls, stored: StoredKeyResult) -> _Form:
        """The form filled in with a stored key result, to edit it."""
        values = {
            f.name: _text(value)
            for f, value in zip(_DECLARED, data_of(stored.definition).values(), strict=True)
        }
        return cls(**values, version=stored.revision.version)

    @classmethod
    def new(cls, deadline: date) -> _Form:
        """An empty form for a new key result, its deadline the cycle's last day."""
        return cls.model_validate({"deadline": deadline.isoformat()})

    def _data(self, f: Declared) -> Any:
        """What was typed for a field, as plain data ('' is nothing)."""
        value = getattr(self, f.name)
        if f.type is bool:
            return bool(value)
        if value == "":
            if f.required:
                raise InvalidInput(f"a key result needs a {f.name.replace('_', ' ')}", field=f.name)
            return None if f.optional else f.default
        return number(value, f.name) if f.type is float else value

    def to_definition(self) -> tuple[KeyResultDefinition | None, dict[str, str]]:
        """The key result the form describes, or every error found, each under its
        input."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for f in _DECLARED:
            try:
                values[f.name] = value_from_data(f, self._data(f))
            except InvalidInput as error:
                errors.setdefault(field_of(error) or f.name, error.message)
        if errors:
            return None, errors
        return KeyResultDefinition(**values), {}

    def changes(self, definition: KeyResultDefinition) -> dict[str, Any]:
        """Every editable field of the definition, as the edit use case takes them."""
        return {f.name: getattr(definition, f.name) for f in _DECLARED if f.editable}


def _input(f: Declared) -> dict[str, Any]:
    if f.type is bool:
        return {f.name: (bool, False)}
    start = "" if f.required else _text(value_to_data(f, f.default))
    return {f.name: (str, str(start))}


if TYPE_CHECKING:  # the inputs are made at import from the declarations
    KeyResultForm = _Form
else:
    KeyResultForm = create_model(
        "KeyResultForm",
        __base__=_Form,
        **{k: v for f in _DECLARED for k, v in _input(f).items()},
    )

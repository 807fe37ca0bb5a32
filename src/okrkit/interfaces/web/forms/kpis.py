"""The KPI form: what a person typed, read into a KPI definition or into errors that
each name their input, so the page can show every error next to its input and keep
what was typed.

The form's inputs are the KPI's declared fields (`domain.kpis.Kpi`), as text, a group's
parts side by side (`green`, `red`), flags as checkboxes; a field declared later appears
on the form without a change here (`kpi_form.html` lays out the known ones by hand and
lists any other one after them). The business rules — what a key looks like, a cadence
that parses, thresholds in the right order — are the domain's and the services', which
name the field they reject; the page puts that error next to the same input.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, create_model

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import Declared, data_of, fields_of, value_from_data
from okrkit.domain.kpis import Kpi, StoredKpi

__all__ = ["LAID_OUT", "REQUIRED", "UNITS", "KpiForm", "field_of", "other_fields"]

# Units the number formatting knows; others are allowed and shown as plain numbers.
UNITS = ("count", "percent", "currency", "ms", "hours", "ratio", "score")
# The declared fields kpi_form.html lays out by hand; any other one is listed after them.
LAID_OUT = frozenset(
    {
        "key", "name", "description", "unit", "direction", "target", "thresholds",
        "cadence", "owner", "team", "kind", "north_star", "guardrail", "formula",
    }
)  # fmt: skip
# What a new KPI's form starts with, where the definition has no default.
_STARTING = {"direction": "higher", "cadence": "weekly"}
_DECLARED = fields_of(Kpi)
# The inputs a KPI cannot do without (the template marks them).
REQUIRED = frozenset(f.name for f in _DECLARED if f.required)


def other_fields() -> tuple[Declared, ...]:
    """The declared fields the form's template does not lay out by hand."""
    return tuple(f for f in _DECLARED if f.name not in LAID_OUT)


def _inputs() -> set[str]:
    names = {"window_periods"}
    for f in _DECLARED:
        names.update(f.parts or (f.name,))
    return names


def field_of(error: InvalidInput) -> str:
    """The form input an error belongs next to ('' for the top of the form): a group's
    part is its own input (`thresholds.green` → `green`)."""
    field = error.field or ""
    if field == "window":
        return "window_periods"
    field = field.rsplit(".", 1)[-1]
    return field if field in _inputs() or field in {f.name for f in _DECLARED} else ""


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _number(text: str, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a number: write it with digits and a dot, e.g. 15.5", field=field
        ) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{text!r} is not a finite number", field=field)
    return value


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

    window_periods: str = ""
    version: int | None = None

    @classmethod
    def of(cls, stored: StoredKpi) -> _Form:
        """The form filled in with a stored KPI, to edit it."""
        values: dict[str, Any] = {}
        for f, value in zip(_DECLARED, data_of(stored.kpi).values(), strict=True):
            if f.parts:
                values.update({p: _text(None if value is None else value[p]) for p in f.parts})
            else:
                values[f.name] = _text(value)
        return cls(
            **values,
            window_periods=str(stored.window_periods),
            version=stored.revision.version,
        )

    def _data(self, f: Declared) -> Any:
        """What was typed for a field, as plain data ('' is nothing)."""
        if f.parts:
            typed = {part: str(getattr(self, part)) for part in f.parts}
            given = [part for part, text in typed.items() if text]
            if not given:
                return None
            if len(given) < len(f.parts):
                missing = next(part for part in f.parts if part not in given)
                raise InvalidInput(
                    "give both the green and the red bound, or neither (then the status "
                    "is unknown)",
                    field=missing,
                )
            return {part: _number(text, part) for part, text in typed.items()}
        value = getattr(self, f.name)
        if f.type is bool:
            return bool(value)
        if value == "":
            if f.required:
                raise InvalidInput(f"a KPI needs a {f.name.replace('_', ' ')}", field=f.name)
            return None if f.optional else f.default
        return _number(value, f.name) if f.type is float else value

    def to_kpi(self) -> tuple[Kpi | None, dict[str, str]]:
        """The KPI the form describes, or every error found, each under its input."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for f in _DECLARED:
            try:
                values[f.name] = value_from_data(f, self._data(f))
            except InvalidInput as error:
                errors.setdefault(field_of(error) or f.name, error.message)
        if self.window_periods and not _whole(self.window_periods):
            errors["window_periods"] = f"{self.window_periods!r} is not a whole number of periods"
        if errors:
            return None, errors
        return Kpi(**values), {}

    def changes(self, kpi: Kpi) -> dict[str, Any]:
        """Every editable field of the definition, as the edit use case takes them."""
        return {f.name: getattr(kpi, f.name) for f in _DECLARED if f.editable}

    @property
    def window(self) -> int | None:
        """How many periods the KPI is judged on, when the form says."""
        return int(self.window_periods) if _whole(self.window_periods) else None


def _input(f: Declared) -> dict[str, Any]:
    if f.parts:
        return dict.fromkeys(f.parts, (str, ""))
    if f.type is bool:
        return {f.name: (bool, False)}
    start = _STARTING.get(f.name, "" if f.required or f.default is None else f.default)
    return {f.name: (str, str(start))}


if TYPE_CHECKING:  # the inputs are made at import from the declarations
    KpiForm = _Form
else:
    KpiForm = create_model(
        "KpiForm", __base__=_Form, **{k: v for f in _DECLARED for k, v in _input(f).items()}
    )

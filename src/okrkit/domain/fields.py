"""Declared fields: each field of a domain object declared once, with what every edge
needs to derive its own shape from it.

A KPI's definition travels through many edges — the JSON API, goals files, the pages'
form, the CLI's options, the store's columns, the audit log. Each of them derives its
shape from the dataclass fields of the domain object and the `declare(...)` metadata on
them, so a new field is written once, in the domain (and in a migration, and in the
templates that show it). This module reads those declarations (`fields_of`) and turns an
object into plain, JSON-ready data and back (`data_of`, `from_data`, `changes_from_data`),
naming the field of every error.

Values by their type: text (`str`), numbers (`float`), flags (`bool`), a day (`date`,
written as YYYY-MM-DD), a choice (a
`StrEnum`, written as its value), a parsed text (a type with a `parse` classmethod
whose `str()` writes it back, such as `Cadence`), and a group of numbers (a dataclass
such as `Thresholds`, written as an object of its parts — or as its parts side by side,
`green` and `red`, on the flat edges: a form, the command line, table columns).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from types import NoneType, UnionType
from typing import Any, TypeVar

from okrkit.domain.errors import InvalidInput
from okrkit.domain.keys import check_key
from okrkit.domain.values import check_day

__all__ = [
    "MAX_PROSE",
    "MAX_SOURCE",
    "REQUIRED",
    "Declared",
    "changes_from_data",
    "data_of",
    "declare",
    "fields_of",
    "from_data",
    "trusted_reader",
    "value_from_data",
    "value_to_data",
]

T = TypeVar("T")
# The longest a description may be (a few pages: what a number means, why an objective
# matters), and a formula or a source's address.
MAX_PROSE = 5_000
MAX_SOURCE = 2_000
REQUIRED: Any = dataclasses.MISSING


def declare(
    help: str,
    *,
    default: Any = REQUIRED,
    max_length: int | None = None,
    nonblank: bool = False,
    key: bool = False,
    editable: bool = True,
    prose: bool = False,
) -> Any:
    """A dataclass field with its declaration: `help` says what it means in a product
    manager's words; `max_length` bounds a text, `nonblank` refuses one of spaces only;
    `key` makes it a key (`domain.keys`: its own or another thing's); `editable` is False
    for what never changes once created (a thing's own key); `prose` marks a long text
    (a description, a formula) that its store keeps unbounded while the edges bound it."""
    metadata = {
        "help": help,
        "max_length": max_length,
        "prose": prose,
        "nonblank": nonblank,
        "key": key,
        "editable": editable,
    }
    if default is REQUIRED:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class Declared:
    """One declared field: its name, value type (None removed), whether it may be None,
    its default (`REQUIRED` when it has none), and its declaration."""

    name: str
    type: type
    optional: bool
    default: Any
    help: str
    max_length: int | None
    nonblank: bool
    key: bool
    editable: bool
    prose: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def parts(self) -> tuple[str, ...]:
        """A group's parts, in order (`green`, `red`); none for a single value (a type
        that parses its own text, such as `Cadence`, is one value)."""
        if dataclasses.is_dataclass(self.type) and not hasattr(self.type, "parse"):
            return tuple(f.name for f in dataclasses.fields(self.type))
        return ()

    @property
    def choices(self) -> tuple[str, ...]:
        """A choice's values, in order; none for other fields."""
        if isinstance(self.type, type) and issubclass(self.type, StrEnum):
            return tuple(member.value for member in self.type)
        return ()


def _unwrap(annotation: Any) -> tuple[type, bool]:
    """The value type of an annotation and whether it allows None (`float | None`)."""
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not NoneType]
        if len(args) != 1:
            raise TypeError(f"a declared field holds one type, not {annotation}")
        return args[0], True
    return annotation, False


_DECLARED: dict[type, tuple[Declared, ...]] = {}


def fields_of(cls: type) -> tuple[Declared, ...]:
    """The declared fields of a dataclass, in order (undeclared fields are left out)."""
    if cls not in _DECLARED:
        _DECLARED[cls] = _declared(cls)
    return _DECLARED[cls]


def _declared(cls: type) -> tuple[Declared, ...]:
    hints = typing.get_type_hints(cls)
    declared = []
    for f in dataclasses.fields(cls):
        if "help" not in f.metadata:
            continue
        kind, optional = _unwrap(hints[f.name])
        declared.append(
            Declared(
                name=f.name,
                type=kind,
                optional=optional,
                default=f.default,
                help=str(f.metadata["help"]),
                max_length=f.metadata.get("max_length"),
                nonblank=bool(f.metadata.get("nonblank", False)),
                key=bool(f.metadata.get("key", False)),
                prose=bool(f.metadata.get("prose", False)),
                editable=bool(f.metadata.get("editable", True)),
            )
        )
    return tuple(declared)


def value_to_data(field: Declared, value: Any) -> Any:
    """One value as plain data: a choice's value, a parsed text's text, a group as an
    object of its parts."""
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if field.parts:
        return {part: getattr(value, part) for part in field.parts}
    if hasattr(field.type, "parse"):
        return str(value)
    return value


def data_of(obj: Any) -> dict[str, Any]:
    """An object's declared fields as plain, JSON-ready data, in declaration order."""
    return {f.name: value_to_data(f, getattr(obj, f.name)) for f in fields_of(type(obj))}


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{value!r} is not a number", field=name)
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInput(f"{value!r} is not a finite number", field=name)
    return number


def _day(value: Any, name: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return check_day(value, name)
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return check_day(day, name)
    raise InvalidInput(f"{value!r} is not a date like 2026-09-30", field=name)


def value_from_data(field: Declared, value: Any) -> Any:
    """One value from plain data, checked against its declaration; `InvalidInput` names
    the field (a group's part by its path: `thresholds.green`)."""
    name, kind = field.name, field.type
    if value is None:
        if not field.optional:
            raise InvalidInput("cannot be empty", field=name)
        return None
    if field.parts:
        if not isinstance(value, Mapping):
            raise InvalidInput(f"give {' and '.join(field.parts)}", field=name)
        unknown = sorted(set(value) - set(field.parts))
        if unknown:
            raise InvalidInput(f"{unknown[0]!r} is not one of {', '.join(field.parts)}", field=name)
        missing = [part for part in field.parts if value.get(part) is None]
        if missing:
            raise InvalidInput(f"{missing[0]} is missing", field=f"{name}.{missing[0]}")
        return kind(**{part: _number(value[part], f"{name}.{part}") for part in field.parts})
    if issubclass(kind, StrEnum):
        if isinstance(value, kind):
            return value
        if not isinstance(value, str) or value.strip().lower() not in field.choices:
            raise InvalidInput(f"{value!r} is not one of {', '.join(field.choices)}", field=name)
        return kind(value.strip().lower())
    if hasattr(kind, "parse"):
        if isinstance(value, kind):
            return value
        if not isinstance(value, str):
            raise InvalidInput(f"{value!r} is not text", field=name)
        return getattr(kind, "parse")(value, field=name)  # noqa: B009 (the type's own rule)
    if kind is date:
        return _day(value, name)
    if kind is bool:
        if not isinstance(value, bool):
            raise InvalidInput(f"{value!r} is not true or false", field=name)
        return value
    if kind is float:
        return _number(value, name)
    if kind is str:
        if not isinstance(value, str):
            raise InvalidInput(f"{value!r} is not text", field=name)
        if field.key:
            return check_key(value, field=name)
        if "\x00" in value:
            raise InvalidInput("contains a NUL byte", field=name)
        if field.nonblank and not value.strip():
            raise InvalidInput("cannot be blank", field=name)
        if field.max_length is not None and len(value) > field.max_length:
            raise InvalidInput(f"is longer than {field.max_length} characters", field=name)
        return value
    raise TypeError(f"no rule for a declared field of type {kind}")


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """An object from plain data: every declared field checked, a missing one takes its
    default (`InvalidInput` names a required one that is missing, or a field `cls` does
    not have)."""
    declared = fields_of(cls)
    names = {f.name for f in declared}
    unknown = sorted(set(data) - names)
    if unknown:
        raise InvalidInput(f"{cls.__name__} has no field {unknown[0]!r}", field=unknown[0])
    values: dict[str, Any] = {}
    for f in declared:
        if f.name in data:
            values[f.name] = value_from_data(f, data[f.name])
        elif f.required:
            raise InvalidInput("is missing", field=f.name)
    return cls(**values)


def trusted_reader(field: Declared) -> Callable[[Any], Any]:
    """How to read one value of a field that okrkit wrote itself (`data_of`, the store's
    rows), converted but not checked again — a dashboard reads thousands. A parsed text
    is parsed once per distinct text (a workspace has a handful of cadences), by the
    type's `read` when it has one (it trusts what okrkit wrote: a definition stored
    before a rule existed still reads) and its `parse` otherwise."""
    kind = field.type

    def group(value: Any) -> Any:
        return None if value is None else kind(**value)

    parse = functools.lru_cache(maxsize=256)(getattr(kind, "read", getattr(kind, "parse", str)))

    def parsed(value: Any) -> Any:
        return None if value is None else parse(value)

    def choice(value: Any) -> Any:
        return None if value is None else kind(value)

    def day(value: Any) -> Any:
        return date.fromisoformat(value) if isinstance(value, str) else value

    if field.parts:
        return group
    if kind is date:
        return day
    if issubclass(kind, StrEnum):
        return choice
    if hasattr(kind, "parse"):
        return parsed
    return lambda value: value


def changes_from_data(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a change gives, checked (None clears an optional field); a field that
    cannot change (a key) or does not exist is refused by name."""
    by_name = {f.name: f for f in fields_of(cls)}
    changes: dict[str, Any] = {}
    for name in sorted(data):
        f = by_name.get(name)
        if f is None or not f.editable:
            raise InvalidInput(f"cannot change {name}", field=name)
        changes[name] = value_from_data(f, data[name])
    return changes

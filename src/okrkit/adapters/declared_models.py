"""Pydantic models of plain data, derived from the domain's declared fields: the shapes
every edge that reads or writes a domain object as data validates with — goals files,
the JSON API, the pages' forms.

A model checks what plain data can say (types, lengths, choices, a key's shape, unknown
fields) and documents it (the JSON Schema of `okrkit schema` and of the API); turning
its data into the domain object is `domain.fields.from_data`, which applies the domain's
own rules (a cadence that parses) and names the field of any error. So a field is
declared once, in the domain, and appears at every edge.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from okrkit.domain.fields import Declared, fields_of, value_to_data
from okrkit.domain.keys import KEY_PATTERN

__all__ = ["declared_fields", "declared_model"]


def _annotation(field: Declared, group_models: Mapping[str, type[BaseModel]]) -> Any:
    if field.parts:
        return group_models[field.name]
    if field.choices:
        return Literal[field.choices]
    if field.type is bool:
        return bool
    if field.type is float:
        return float
    return str


def _constraints(field: Declared) -> dict[str, Any]:
    if field.key:
        return {"pattern": f"^{KEY_PATTERN.pattern}$", "max_length": field.max_length}
    if field.choices or field.parts or field.type in (bool, float):
        return {}
    limits: dict[str, Any] = {}
    if field.max_length is not None:
        limits["max_length"] = field.max_length
    if field.nonblank:
        limits["min_length"] = 1
    return limits


def _group_model(field: Declared, name: str, base: type[BaseModel]) -> type[BaseModel]:
    """A group (`Thresholds`) as a model of its number parts, all required."""
    parts: dict[str, Any] = {part: (float, Field(...)) for part in field.parts}
    model: type[BaseModel] = create_model(name, __base__=base, **parts)
    model.__doc__ = (field.type.__doc__ or "").strip().split("\n")[0] or field.help
    return model


def declared_fields(
    cls: type,
    *,
    base: type[BaseModel] = BaseModel,
    partial: bool = False,
    exclude: Collection[str] = (),
    group_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The `create_model` field definitions of a domain class's declared fields: each
    with its JSON type, its limits, its default and its meaning. `partial` makes every
    field optional with no default (a change names only what it changes; null clears an
    optional field). A group's model is named by `group_names` (else after its type)."""
    names = dict(group_names or {})
    declared = [f for f in fields_of(cls) if f.name not in exclude]
    groups = {
        f.name: _group_model(f, names.get(f.name, f.type.__name__), base)
        for f in declared
        if f.parts
    }
    definitions: dict[str, Any] = {}
    for f in declared:
        annotation = _annotation(f, groups)
        if partial or f.optional:
            annotation = annotation | None
        if partial:
            default: Any = None
        elif f.required:
            default = ...
        else:
            default = value_to_data(f, f.default)
        definitions[f.name] = (
            annotation,
            Field(default, description=f.help, **_constraints(f)),
        )
    return definitions


def declared_model(
    cls: type,
    name: str,
    *,
    base: type[BaseModel] = BaseModel,
    partial: bool = False,
    exclude: Collection[str] = (),
    group_names: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    doc: str | None = None,
) -> type[BaseModel]:
    """A model named `name` of a domain class's declared fields (`declared_fields`),
    plus `extra` field definitions of the edge's own (a version, a window)."""
    definitions = declared_fields(
        cls, base=base, partial=partial, exclude=exclude, group_names=group_names
    )
    model: type[BaseModel] = create_model(name, __base__=base, **definitions, **dict(extra or {}))
    model.__doc__ = doc or (cls.__doc__ or "").strip().split("\n")[0]
    return model

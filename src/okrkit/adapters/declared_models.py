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

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, Field, create_model

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import Declared, fields_of, value_to_data
from okrkit.domain.keys import KEY_PATTERN, MAX_KEY_LENGTH
from okrkit.domain.values import check_day, check_moment

T = TypeVar("T")

__all__ = [
    "KEY_SCHEMA",
    "KeptDay",
    "KeptMoment",
    "declared_fields",
    "declared_model",
    "group_model",
]


def _kept(check: Callable[[T], T]) -> AfterValidator:
    """The domain's rule for days or moments (`domain.values`) as a Pydantic check, so
    a model's error names the field."""

    def kept(value: T) -> T:
        try:
            return check(value)
        except InvalidInput as error:
            raise ValueError(error.message) from None

    return AfterValidator(kept)


# A day or moment in the years okrkit keeps, at every edge that reads data with a model.
KeptDay = Annotated[date, _kept(check_day)]
KeptMoment = Annotated[datetime, _kept(check_moment)]


def _annotation(field: Declared, group_models: Mapping[str, type[BaseModel]]) -> Any:
    if field.parts:
        return group_models[field.name]
    if field.choices:
        return Literal[field.choices]
    if field.type is bool:
        return bool
    if field.type is float:
        return float
    if field.type is date:
        return date
    return str


# A key's shape for the JSON Schema; the domain's rule checks it (`from_data`), so the
# message says what a key is rather than quoting a pattern.
KEY_SCHEMA = {"pattern": f"^{KEY_PATTERN.pattern}$", "maxLength": MAX_KEY_LENGTH}


def _constraints(field: Declared) -> dict[str, Any]:
    if field.key:
        return {"json_schema_extra": KEY_SCHEMA}
    if field.choices or field.parts or field.type in (bool, float, date):
        return {}
    limits: dict[str, Any] = {}
    if field.max_length is not None:
        limits["max_length"] = field.max_length
    if field.nonblank:
        limits["min_length"] = 1
    return limits


def group_model(
    cls: type, field: str, name: str, *, base: type[BaseModel] = BaseModel
) -> type[BaseModel]:
    """A group field of a domain class (a KPI's `thresholds`) as a model of its number
    parts, all required; made once and passed to `declared_model` by every model of the
    same edge, so a document names it once."""
    declared = next(f for f in fields_of(cls) if f.name == field)
    parts: dict[str, Any] = {part: (float, Field(...)) for part in declared.parts}
    model: type[BaseModel] = create_model(name, __base__=base, **parts)
    model.__doc__ = (declared.type.__doc__ or "").strip().split("\n")[0] or declared.help
    return model


def declared_fields(
    cls: type,
    *,
    base: type[BaseModel] = BaseModel,
    partial: bool = False,
    output: bool = False,
    exclude: Collection[str] = (),
    groups: Mapping[str, type[BaseModel]] | None = None,
) -> dict[str, Any]:
    """The `create_model` field definitions of a domain class's declared fields: each
    with its JSON type, its limits, its default and its meaning. `partial` makes every
    field optional with no default (a change names only what it changes; null clears an
    optional field); `output` makes every field required (a response always has them
    all). A group's model is taken from `groups`, else made for this model alone."""
    declared = [f for f in fields_of(cls) if f.name not in exclude]
    made = dict(groups or {})
    for f in declared:
        if f.parts and f.name not in made:
            made[f.name] = group_model(cls, f.name, f.type.__name__, base=base)
    definitions: dict[str, Any] = {}
    for f in declared:
        annotation = _annotation(f, made)
        if partial or f.optional:
            annotation = annotation | None
        if partial:
            default: Any = None
        elif f.required or output:
            default = ...
        else:
            default = value_to_data(f, f.default)
        definitions[f.name] = (
            annotation,
            Field(default, description=f.help, **({} if output else _constraints(f))),
        )
    return definitions


def declared_model(
    cls: type,
    name: str,
    *,
    base: type[BaseModel] = BaseModel,
    partial: bool = False,
    output: bool = False,
    exclude: Collection[str] = (),
    groups: Mapping[str, type[BaseModel]] | None = None,
    extra: Mapping[str, Any] | None = None,
    doc: str | None = None,
) -> type[BaseModel]:
    """A model named `name` of a domain class's declared fields (`declared_fields`),
    plus `extra` field definitions of the edge's own (a version, a window). `base` may
    carry the edge's methods (turning the model's data into the domain object)."""
    definitions = declared_fields(
        cls, base=base, partial=partial, output=output, exclude=exclude, groups=groups
    )
    model: type[BaseModel] = create_model(name, __base__=base, **definitions, **dict(extra or {}))
    model.__doc__ = doc or (cls.__doc__ or "").strip().split("\n")[0]
    return model

"""The KPI form: what a person typed, read into a KPI definition or into errors that
each name their field, so the page can show every error next to its input and keep
what was typed.

The form reads what the browser sends (text); the business rules — what a key looks
like, thresholds in the right order for the direction, a formula that parses — stay
in the services, which name the field they reject, and the page puts that error next
to the same input.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind, StoredKpi

__all__ = ["UNITS", "KpiForm", "field_of"]

# Units the number formatting knows; others are allowed and shown as plain numbers.
UNITS = ("count", "percent", "currency", "ms", "hours", "ratio", "score")
# Where a service's error goes on the form when its field is not an input of its own.
_FIELD_OF = {"thresholds": "thresholds", "window": "window_periods"}
_INPUTS = {
    "key", "name", "description", "unit", "direction", "target", "green", "red",
    "thresholds", "cadence", "owner", "team", "kind", "formula", "window_periods",
}  # fmt: skip


def field_of(error: InvalidInput) -> str:
    """The form input an error belongs next to ('' for the top of the form)."""
    field = _FIELD_OF.get(error.field or "", error.field or "")
    return field if field in _INPUTS else ""


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _number(text: str, field: str, errors: dict[str, str]) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors[field] = f"{text!r} is not a number: write it with digits and a dot, e.g. 15.5"
        return None
    if not math.isfinite(value):
        errors[field] = f"{text!r} is not a finite number"
        return None
    return value


class KpiForm(BaseModel):
    """The fields of the create and edit forms, as typed (checkboxes are on or absent)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    key: str = ""
    name: str = ""
    description: str = ""
    unit: str = ""
    direction: str = "higher"
    target: str = ""
    green: str = ""
    red: str = ""
    cadence: str = "weekly"
    owner: str = ""
    team: str = ""
    kind: str = "lagging"
    north_star: bool = False
    guardrail: bool = False
    formula: str = ""
    window_periods: str = ""
    version: int | None = None

    @classmethod
    def of(cls, stored: StoredKpi) -> KpiForm:
        """The form filled in with a stored KPI, to edit it."""
        kpi = stored.kpi

        def text(value: float | None) -> str:
            return "" if value is None else f"{value:g}"

        return cls(
            key=kpi.key,
            name=kpi.name,
            description=kpi.description,
            unit=kpi.unit,
            direction=kpi.direction.value,
            target=text(kpi.target),
            green=text(kpi.thresholds.green if kpi.thresholds else None),
            red=text(kpi.thresholds.red if kpi.thresholds else None),
            cadence=str(kpi.cadence),
            owner=kpi.owner or "",
            team=kpi.team,
            kind=kpi.kind.value,
            north_star=kpi.north_star,
            guardrail=kpi.guardrail,
            formula=kpi.formula or "",
            window_periods=str(stored.window_periods),
            version=stored.revision.version,
        )

    def to_kpi(self) -> tuple[Kpi | None, dict[str, str]]:
        """The KPI the form describes, or every error found, each under its field.

        Required: key, name, unit, team; numbers must be numbers; green and red come
        together or not at all (a KPI without thresholds is never green); direction,
        kind and cadence must be ones okrkit knows.
        """
        errors: dict[str, str] = {}
        for field, what in (("key", "key"), ("name", "name"), ("unit", "unit"), ("team", "team")):
            if not getattr(self, field):
                errors[field] = f"a KPI needs a {what}"
        target = _number(self.target, "target", errors)
        green = _number(self.green, "green", errors)
        red = _number(self.red, "red", errors)
        if (green is None) != (red is None) and not {"green", "red"} & errors.keys():
            missing = "red" if red is None else "green"
            errors[missing] = (
                "give both the green and the red bound, or neither (then the status is unknown)"
            )
        direction = kind = cadence = None
        try:
            direction = Direction.parse(self.direction)
        except InvalidInput as error:
            errors["direction"] = error.message
        try:
            kind = KpiKind(self.kind)
        except ValueError:
            errors["kind"] = f"{self.kind!r} is not a kind: choose leading or lagging"
        try:
            cadence = Cadence.parse(self.cadence)
        except InvalidInput as error:
            errors["cadence"] = error.message
        if self.window_periods and not _whole(self.window_periods):
            errors["window_periods"] = f"{self.window_periods!r} is not a whole number of periods"
        if errors or direction is None or kind is None or cadence is None:
            return None, errors
        kpi = Kpi(
            key=self.key,
            name=self.name,
            unit=self.unit,
            direction=direction,
            cadence=cadence,
            team=self.team,
            description=self.description,
            target=target,
            thresholds=None if green is None or red is None else Thresholds(green, red),
            owner=self.owner or None,
            kind=kind,
            north_star=self.north_star,
            guardrail=self.guardrail,
            formula=self.formula or None,
        )
        return kpi, {}

    def changes(self, kpi: Kpi) -> dict[str, Any]:
        """Every editable field of the definition, as the edit use case takes them."""
        return {
            "name": kpi.name,
            "description": kpi.description,
            "unit": kpi.unit,
            "direction": kpi.direction,
            "target": kpi.target,
            "thresholds": kpi.thresholds,
            "cadence": kpi.cadence,
            "owner": kpi.owner,
            "team": kpi.team,
            "kind": kpi.kind,
            "north_star": kpi.north_star,
            "guardrail": kpi.guardrail,
            "formula": kpi.formula,
        }

    @property
    def window(self) -> int | None:
        """How many periods the KPI is judged on, when the form says."""
        return int(self.window_periods) if _whole(self.window_periods) else None

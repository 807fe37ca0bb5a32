"""A key result in one line, as `okr add --kr` takes it: its title, a colon, its plan,
then its other fields as words.

    Increase setup wizard completion from 40% to 70%: 40 -> 70 percent owner=noah@example.com
    Lift trial-to-paid conversion back to 16%: 12 -> 16 percent kpi=trial_to_paid weight=2
    Keep support tickets per 100 trials at or under 5: 5 -> 5 count guardrail direction=lower
    Pricing page live in every region: done
    Roll out single sign-on: steps Beta shipped; 10 pilot customers; GA

The plan gives the type, start, target, unit and steps; the words after it (`name=value`,
or a flag's bare name) are every other declared field of a key result
(`domain.key_results.KeyResultDefinition`), so a field declared later is a word here
without a change. The line becomes plain data and `domain.fields.from_data` checks it,
so every rule and message is the domain's; each error names the `--kr` (counted from 1)
and its field: `--kr 2: target`.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import Declared, fields_of, from_data
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.progress import KeyResultType

__all__ = ["KR_SYNTAX", "KR_WORDS", "number", "parse_key_result"]

_PLAN_FIELDS = ("title", "type", "start", "target", "unit", "steps")
# A key result's words after its plan: every declared field its plan does not give.
_KR_WORDS = {f.name: f for f in fields_of(KeyResultDefinition) if f.name not in _PLAN_FIELDS}


def _placeholder(f: Declared) -> str:
    if f.type is bool:
        return f.name
    if f.choices:
        return f"{f.name}={'|'.join(f.choices)}"
    names = {float: "N", date: "YYYY-MM-DD", str: "KEY" if f.key else "TEXT"}
    return f"{f.name}={names.get(f.type, 'TEXT')}"


def _meaning(f: Declared) -> str:
    if isinstance(f.default, float) and not f.required:
        return f"{f.help} Default: {f.default:g}."
    return f.help


# The words, one a line with its meaning, for a command's help.
KR_WORDS = "\n".join(f"  {_placeholder(f)}: {_meaning(f)}" for f in _KR_WORDS.values())
KR_SYNTAX = (
    "'TITLE: START -> TARGET UNIT' (a number that moves, e.g. 40 -> 70 percent, "
    "40% -> 70%, 8 -> 3 min), 'TITLE: done' (done or not) or 'TITLE: steps A; B; C' "
    "(a milestone), then any of " + " ".join(_placeholder(f) for f in _KR_WORDS.values())
)

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_MOVE = re.compile(r"(\S+)\s*(?:->|→)\s*(\S+)(?:\s+(.+))?|(\S+)\s+to\s+(\S+)(?:\s+(.+))?", re.I)
_WORD = re.compile(r"([A-Za-z_]+)=(\S*)")
_UNITS = {"%": "percent", "$": "currency"}


def number(text: str, field: str, what: str = "a number") -> float:
    """A number a person typed (47, 47.5, -3, 47%); `InvalidInput` names the field."""
    cleaned = text.strip().removesuffix("%").removeprefix("$")
    if _NUMBER.fullmatch(cleaned) is None or not math.isfinite(float(cleaned)):
        raise InvalidInput(f"{text!r} is not {what}", field=field)
    return float(cleaned)


def _words(rest: str, where: str) -> tuple[str, dict[str, Any]]:
    """The plan and the `name=value` words (and bare flags) after it, as plain data."""
    tokens = rest.split()
    given: dict[str, Any] = {}
    while tokens:
        token = tokens[-1]
        found = _WORD.fullmatch(token)
        name = found[1].lower() if found else token.lower()
        if found is None and not (name in _KR_WORDS and _KR_WORDS[name].type is bool):
            break
        tokens.pop()
        f = _KR_WORDS.get(name)
        if f is None:
            raise InvalidInput(
                f"{name!r} is not one of {', '.join(_KR_WORDS)}: write {KR_SYNTAX}", field=where
            )
        if name in given:
            raise InvalidInput(f"{name} is given twice", field=f"{where}: {name}")
        value = found[2] if found else ""
        if f.type is bool:
            if value.lower() not in ("", "yes", "true", "no", "false"):
                raise InvalidInput(f"{value!r} is not yes or no", field=f"{where}: {name}")
            given[name] = value.lower() in ("", "yes", "true")
        elif f.type is float:
            given[name] = number(value, f"{where}: {name}")
        else:
            given[name] = value
    return " ".join(tokens), given


def _move(plan: str) -> tuple[str, str, str] | None:
    """A numeric plan's start, target and unit as typed (`40 -> 70 percent`)."""
    move = _MOVE.fullmatch(plan)
    if move is None:
        return None
    start, target, unit = move.group(1, 2, 3) if move[1] else move.group(4, 5, 6)
    return start, target, (unit or "").strip()


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text.removesuffix("%").removeprefix("$")) is not None


def _plan_data(plan: str) -> dict[str, Any] | None:
    """A plan's fields (`40 -> 70 percent`, `done`, `steps A; B`), or None when the text
    is no plan (then what stood before it was not all of the title)."""
    if plan.lower() == "done":
        return {"type": KeyResultType.BOOLEAN.value}
    if plan.lower() == "steps" or plan[:6].lower() in ("steps ", "steps:"):
        return {"type": KeyResultType.MILESTONE.value, "steps": plan[6:].strip()}
    move = _move(plan)
    if move is None or not (_is_number(move[0]) and _is_number(move[1])):
        return None
    start, target, unit = move
    symbol = next((s for s in _UNITS for text in (start, target) if s in text), None)
    return {
        "type": KeyResultType.NUMERIC.value,
        "start": number(start, "start"),
        "target": number(target, "target"),
        "unit": _UNITS.get(unit, unit) or (_UNITS[symbol] if symbol else ""),
    }


def _no_plan(rest: str, where: str) -> InvalidInput:
    """Why the text after the last colon is no plan: a number that is none, or no shape
    of a plan at all."""
    plan, _ = _words(rest, where)
    move = _move(plan)
    if move is not None:
        number(move[0], f"{where}: start")
        number(move[1], f"{where}: target")
    return InvalidInput(f"{plan!r} is not a plan: write {KR_SYNTAX}", field=where)


def parse_key_result(text: str, position: int) -> KeyResultDefinition:
    """One `--kr` (the `position`th, from 1): its title, a colon, its plan, then its
    other fields as words (`KR_SYNTAX`); each error names the `--kr` and its field."""
    where = f"--kr {position}"
    colons = [i for i, c in enumerate(text) if c == ":"]
    if not colons:
        raise InvalidInput(f"no ':' between the title and the plan: write {KR_SYNTAX}", field=where)
    # The title may hold a colon of its own: the plan follows the first colon after
    # which there is one.
    for colon in colons:
        plan, given = _words(text[colon + 1 :].strip(), where)
        data = _plan_data(plan)
        if data is not None:
            break
    else:
        raise _no_plan(text[colons[-1] + 1 :].strip(), where)
    try:
        return from_data(KeyResultDefinition, {"title": text[:colon].strip(), **data, **given})
    except InvalidInput as error:
        raise InvalidInput(error.message, field=f"{where}: {error.field}") from None

"""`okrkit okr add|score|carry`: write an objective with its key results, score it,
carry it into the next cycle.

The options of `okr add` are made from the objective's declared fields
(`domain.objectives.Objective`), as `kpi add`'s are from a KPI's, so a field declared
later is an option without a change here; its key results come on the same command, one
`--kr` each (`key_result_line`), and are written with it in one transaction.
"""

from __future__ import annotations

import inspect
import re
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import Declared, fields_of, from_data
from okrkit.domain.objectives import Objective
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.objectives.key_result_line import (
    KR_WORDS,
    number,
    parse_key_result,
)
from okrkit.interfaces.cli.objectives.views import (
    amount,
    grade_document,
    objective_document,
    objective_record,
)
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services import objectives

__all__ = ["okr_add", "okr_carry", "okr_score"]

_DECLARED = tuple(f for f in fields_of(Objective) if f.name != "key")


def _option(f: Declared) -> inspect.Parameter:
    """A declared field of an objective as a Typer option; None means "not given"."""
    kind: Any = str if hasattr(f.type, "parse") else f.type
    info: dict[str, Any] = {"help": f.help}
    if f.choices:
        info["case_sensitive"] = False
    default: Any = f.default
    if f.required:
        info["show_default"] = False
        default = inspect.Parameter.empty
    elif f.optional:
        kind = kind | None
    return inspect.Parameter(
        f.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, typer.Option(**info)],
    )


def _flag(field: str | None) -> str | None:
    """An objective's field named as the command line spells it: `north_star` →
    `--north-star`, `key_results[1].target` → `--kr 2: target`; the key is the
    argument (`key`)."""
    if field is None or field == "key" or field.startswith("--"):
        return field
    kr = re.fullmatch(r"key_results\[(\d+)\]\.(.+)", field)
    if kr:
        return f"--kr {int(kr[1]) + 1}: {kr[2]}"
    return "--" + field.replace("_", "-")


def okr_add(
    key: str,
    key_results: list[str] | None = None,
    output: OutputFormat = OutputFormat.TABLE,
    **options: Any,
) -> None:
    """Add an objective with its key results, all at once or nothing (its help, made
    from the key result's declared fields, is `_ADD_HELP`)."""
    data = {"key": key}
    for f in _DECLARED:
        value = options.get(f.name)
        if value is not None:
            data[f.name] = value.value if isinstance(value, StrEnum) else value
    try:
        objective = from_data(Objective, data)
    except InvalidInput as error:
        error.field = _flag(error.field)
        raise
    definitions = tuple(parse_key_result(t, i) for i, t in enumerate(key_results or (), 1))
    context.ready()
    try:
        state = objectives.create_objective(
            context.unit_of_work(),
            objectives.CreateObjective(objective, definitions),
            context.actor(),
            context.now(),
        )
    except InvalidInput as error:
        error.field = _flag(error.field)
        raise
    if output is OutputFormat.JSON:
        print_json(objective_document(state))
        return
    stored = state.stored
    count = len(definitions)
    console.print(
        f"Objective {stored.objective.key} added to cycle {stored.objective.cycle} for team "
        f"{stored.objective.team} with {count} key result{'' if count == 1 else 's'} "
        f"({stored.status}, version 1)",
        markup=False,
    )


_ADD_HELP = """Add an objective with its key results, all at once or nothing.

Each --kr is one key result: its title, a colon, its plan, then words. The
plan is START -> TARGET UNIT for a number that moves (40 -> 70 percent, or
40% -> 70%), done for a key result that is done or not, or steps A; B; C for
a milestone (its steps, in order).

Words after the plan, each optional:
{words}

Example: --kr "Increase setup wizard completion from 40% to 70%:
40 -> 70 percent owner=noah@example.com weight=2"
"""
okr_add.__doc__ = _ADD_HELP.format(words=KR_WORDS)
okr_add.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter(
            "key",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[
                str,
                typer.Argument(help="Stable key, e.g. streamline-onboarding.", show_default=False),
            ],
        ),
        *(_option(f) for f in _DECLARED),
        inspect.Parameter(
            "key_results",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                list[str] | None,
                typer.Option(
                    "--kr",
                    help="A key result, one --kr each: 'TITLE: START -> TARGET UNIT', "
                    "'TITLE: done' or 'TITLE: steps A; B; C', then words such as "
                    "owner=TEXT weight=N kpi=KEY guardrail (see above).",
                    metavar="'TITLE: PLAN'",
                ),
            ],
        ),
        inspect.Parameter(
            "output",
            inspect.Parameter.KEYWORD_ONLY,
            default=OutputFormat.TABLE,
            annotation=FormatOption,
        ),
    ]
)


# --- `okr score` and `okr carry` ------------------------------------------------------

_SCORE = re.compile(r"\s*(\d{1,18})\s*=\s*([^:]*?)\s*(?::(.*))?", re.S)


def _scores(given: list[str]) -> dict[int, tuple[float, str]]:
    scores: dict[int, tuple[float, str]] = {}
    for text in given:
        found = _SCORE.fullmatch(text)
        if found is None:
            raise InvalidInput(
                f"{text!r} is not ID=SCORE or ID=SCORE:reason (e.g. 12=0.6:the launch slipped)",
                field="--kr",
            )
        kr = int(found[1])
        if kr in scores:
            raise InvalidInput(f"key result {kr} is scored twice", field=f"--kr {kr}")
        score = number(found[2], f"--kr {kr}", "a score from 0.0 to 1.0")
        scores[kr] = (score, (found[3] or "").strip())
    return scores


def _score_flag(field: str | None) -> str | None:
    if field is not None and field.startswith("scores."):
        return f"--kr {field.removeprefix('scores.')}"
    return {"scores": "--kr", "retrospective": "--retrospective"}.get(field or "", field)


def okr_score(
    key: Annotated[str, typer.Argument(help="The objective's key.", show_default=False)],
    version: Annotated[
        int,
        typer.Option(help="The version you are scoring (okr show says it).", show_default=False),
    ],
    kr: Annotated[
        list[str] | None,
        typer.Option(
            "--kr",
            help="A key result's score where it differs from the one its progress proposes, "
            "with the reason: ID=SCORE:reason, e.g. 12=0.6:the launch slipped a month.",
            metavar="ID=SCORE:REASON",
        ),
    ] = None,
    retrospective: Annotated[
        str | None,
        typer.Option(help="What happened and why it scored what it did; what was learned."),
    ] = None,
    close: Annotated[
        bool,
        typer.Option(
            "--close",
            help="Close it too: a committed objective under 1.0 and a learning one need the "
            "retrospective first.",
        ),
    ] = False,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Score an objective: each key result gets the score its progress proposes, or the
    one given with --kr and a reason; the objective's score is their weighted mean
    (guardrails apart), graded red < 0.4 ≤ yellow < 0.7 ≤ green."""
    command = objectives.ScoreObjective(key, version, _scores(kr or []), retrospective, close)
    context.ready()
    try:
        scored = objectives.score_objective(
            context.unit_of_work(), command, context.actor(), context.now()
        )
    except InvalidInput as error:
        error.field = _score_flag(error.field)
        raise
    stored = scored.objective
    if output is OutputFormat.JSON:
        print_json(
            {
                **objective_record(stored),
                "grade": grade_document(scored.grade),
                "key_results": [
                    {
                        "id": k.id,
                        "title": k.definition.title,
                        "score": k.score,
                        "score_reason": k.score_reason,
                        "final_value": k.final_value,
                    }
                    for k in scored.key_results
                ],
            }
        )
        return
    graded = scored.grade
    verdict = "no number" if graded.colour is None else str(graded.colour)
    if graded.success is not None:
        verdict += ", a success" if graded.success else ", short of success"
    console.print(
        f"Objective {key} {stored.status}: {graded.display} ({verdict}), "
        f"now version {stored.revision.version}",
        markup=False,
    )
    table = Table("ID", "Key result", "Score", "Reason", "Ended at")
    for k in scored.key_results:
        table.add_row(
            str(k.id),
            escape(k.definition.title),
            "—" if k.score is None else f"{k.score:.2f}",
            escape(k.score_reason or "proposed from its progress"),
            amount(k.final_value, k.definition.unit),
        )
    console.print(table)
    if graded.needs_explanation:
        console.print(
            "It needs a retrospective before it can be closed: --retrospective TEXT",
            markup=False,
        )


def okr_carry(
    key: Annotated[str, typer.Argument(help="The objective to carry over.", show_default=False)],
    to: Annotated[
        str | None, typer.Option("--to", help="The cycle to carry it into; default: the next.")
    ] = None,
    kr: Annotated[
        list[int] | None,
        typer.Option("--kr", help="A key result to carry (its id), repeated; default: all."),
    ] = None,
    new_key: Annotated[
        str | None,
        typer.Option("--key", help="The copy's key; default: the key and the cycle's name."),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Carry an unfinished objective into another cycle: a copy, linked back, with the key
    results chosen, each starting where it ended (one already reached stays behind)."""
    command = objectives.CarryOver(key, to, None if not kr else tuple(kr), new_key)
    context.ready()
    try:
        stored = objectives.carry_over(
            context.unit_of_work(), command, context.actor(), context.now()
        )
    except InvalidInput as error:
        flags = {"cycle": "--to", "key_results": "--kr", "new_key": "--key"}
        error.field = flags.get(error.field or "", _flag(error.field))
        raise
    o = stored.objective
    if output is OutputFormat.JSON:
        print_json(objective_record(stored))
        return
    console.print(
        f"Objective {key} carried into cycle {o.cycle} as {o.key}: okrkit okr show {o.key}",
        markup=False,
    )

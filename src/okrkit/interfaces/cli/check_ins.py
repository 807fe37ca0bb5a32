"""`okrkit okr checkin`: the weekly word on a key result — where it stands, how sure its
owner is, what moved — and the key result judged again with it.

A check-in is never edited: a correction is a new check-in. A key result fed by a KPI
takes its value from the KPI, so its check-in gives no value, only a confidence and a
note.
"""

from __future__ import annotations

from typing import Annotated

import typer

from okrkit.domain.errors import InvalidInput
from okrkit.interfaces.cli import context, remote
from okrkit.interfaces.cli.objectives.key_result_line import number
from okrkit.interfaces.cli.objectives.views import key_result_document, key_result_view
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services.check_ins import RecordCheckIn, record_check_in
from okrkit.services.key_results import KeyResultState

__all__ = ["okr_checkin"]

# Words for a key result that is done or not.
_DONE = {"done": 1.0, "yes": 1.0, "not-done": 0.0, "no": 0.0}
_FLAGS = {"confidence": "--confidence", "note": "--note"}


def _value(text: str | None) -> float | None:
    """A check-in's value as typed: a number (47, 47.5, 47%), or done / not-done."""
    if text is None:
        return None
    word = text.strip().lower()
    if word in _DONE:
        return _DONE[word]
    return number(text, "value", "a number (or done / not-done for a key result done or not)")


def okr_checkin(
    key_result: Annotated[
        int,
        typer.Argument(
            metavar="KR_ID", help="The key result's id (okr show lists them).", show_default=False
        ),
    ],
    value: Annotated[
        str | None,
        typer.Argument(
            help="Where it stands now: a number (47, 47.5, 47%); done or not-done for a key "
            "result done or not; the number of steps done for a milestone. Leave it out for "
            "a key result fed by a KPI: its value is the KPI's newest.",
            show_default=False,
        ),
    ] = None,
    confidence: Annotated[
        str | None,
        typer.Option(
            help="How sure you are it reaches its target: 0 (it will not) to 10 (it surely will).",
            metavar="0-10",
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="What moved, what blocks it, the next step.")] = "",
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Check in on a key result, then see it judged again: progress, pace, and the
    forecast at its deadline with its 95 % interval and probability."""
    command = RecordCheckIn(
        key_result,
        _value(value),
        None if confidence is None else number(confidence, "--confidence", "a number from 0 to 10"),
        note,
    )
    try:
        state = _record(command)
    except InvalidInput as error:
        error.field = _FLAGS.get(error.field or "", error.field)
        raise
    if output is OutputFormat.JSON:
        print_json(key_result_document(state))
        return
    console.print(f"Checked in on key result {key_result}; it stands now:", markup=False)
    console.print(key_result_view(state))


def _record(command: RecordCheckIn) -> KeyResultState:
    """The check-in written on the server `OKRKIT_URL` names, else on the workspace."""
    if (server := remote.server()) is not None:
        body = {"value": command.value, "confidence": command.confidence, "note": command.note}
        where = remote.path("key-results", command.key_result, "check-ins")
        return remote.key_result_state(server.send("POST", where, body=body))
    context.ready()
    return record_check_in(context.unit_of_work(), command, context.actor(), context.now())

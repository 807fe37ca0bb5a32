"""`okrkit subscription add|list|show|off|on|remove`: who is told about alerts, and how,
and what became of each notice.

`add` makes a webhook's signing secret and prints it this once; no other command shows
it, and a Slack address (a secret itself) is shown by its host alone. A change names the
version it is based on (`--version`, as `list` and `show` say it), as every change does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Column, Table

from okrkit.adapters.notify import new_secret
from okrkit.domain.notifications import Channel
from okrkit.domain.versions import check_version
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services import deliveries, subscriptions
from okrkit.services.ports import DeliveryLogEntry, StoredSubscription

__all__ = [
    "delivery_document",
    "subscription_add",
    "subscription_document",
    "subscription_list",
    "subscription_off",
    "subscription_on",
    "subscription_remove",
    "subscription_show",
]

_MAX_ID = 2**31 - 1
IdArgument = Annotated[
    int,
    typer.Argument(min=1, max=_MAX_ID, help="The subscription's id (subscription list says it)."),
]
VersionOption = Annotated[
    int,
    typer.Option(
        help="The version you are changing (subscription list says it).", show_default=False
    ),
]


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat() + "Z"


def subscription_document(stored: StoredSubscription) -> dict[str, Any]:
    """A subscription as `--format json` prints it (its target as far as it is no
    secret, as the API shows it)."""
    return {
        "id": stored.id,
        "channel": stored.channel.value,
        "target": fmt.shown_target(stored.channel, stored.target),
        "team": stored.team,
        "kpi": stored.kpi,
        "signed": stored.secret is not None,
        "enabled": stored.enabled,
        "disabled_reason": fmt.why_off(stored),
        "last_state": None if stored.last_state is None else stored.last_state.value,
        "last_at": _at(stored.last_at),
        "created_at": _at(stored.created_at),
        "version": stored.revision.version,
        "changed_by": stored.revision.changed_by,
        "changed_at": _at(stored.revision.changed_at),
    }


def delivery_document(entry: DeliveryLogEntry) -> dict[str, Any]:
    """A delivery of the log as `show --format json` prints it."""
    return {
        "id": entry.id,
        "message_id": entry.message_id,
        "alert": entry.alert_id,
        "event": entry.event.value,
        "kpi": entry.kpi,
        "state": entry.state.value,
        "attempts": entry.attempts,
        "last_status": entry.last_status,
        "last_error": fmt.hide_target(entry.last_error, entry.channel, entry.target),
        "created_at": _at(entry.created_at),
        "last_attempt_at": _at(entry.last_attempt_at),
        "next_attempt_at": _at(entry.next_attempt_at),
        "delivered_at": _at(entry.delivered_at),
    }


def _covers(stored: StoredSubscription) -> str:
    if stored.team is not None:
        return f"team {stored.team}"
    if stored.kpi is not None:
        return f"KPI {stored.kpi}"
    return "every alert"


def _state(stored: StoredSubscription) -> str:
    return "on" if stored.enabled else fmt.why_off(stored)


def subscription_add(
    channel: Annotated[
        Channel, typer.Option(help="webhook (signed), slack or email.", show_default=False)
    ],
    target: Annotated[
        str,
        typer.Option(help="The https:// address, or the e-mail address.", show_default=False),
    ],
    team: Annotated[str | None, typer.Option(help="Only this team's alerts.")] = None,
    kpi: Annotated[str | None, typer.Option(help="Only this KPI's alerts.")] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Tell a webhook, a Slack channel or an e-mail address about alerts: a team's, one
    KPI's, or (neither given) every alert. A webhook's signing secret is printed this
    once."""
    context.ready()
    secret = new_secret() if channel is Channel.WEBHOOK else None
    command = subscriptions.CreateSubscription(channel.value, target, team, kpi, secret)
    stored = subscriptions.create_subscription(
        context.unit_of_work(), command, context.actor(), context.now()
    )
    if output is OutputFormat.JSON:
        print_json({**subscription_document(stored), "secret": stored.secret})
        return
    console.print(
        f"subscription {stored.id} added: {fmt.CHANNEL_WORDS[stored.channel]} to "
        f"{fmt.shown_target(stored.channel, stored.target)} for {_covers(stored)} (version 1)",
        markup=False,
    )
    if stored.secret is not None:
        console.print(
            f"signing secret (shown this once, keep it now): {stored.secret}\n"
            "the receiver checks each message's webhook-id, webhook-timestamp and "
            "webhook-signature headers with it, as Standard Webhooks says",
            markup=False,
        )


def subscription_list(output: FormatOption = OutputFormat.TABLE) -> None:
    """List the subscriptions, each with its newest delivery."""
    context.ready()
    listed = subscriptions.list_subscriptions(context.unit_of_work(), viewer=context.actor())
    if output is OutputFormat.JSON:
        print_json([subscription_document(s) for s in listed])
        return
    if not listed:
        console.print("no subscriptions: nobody is told about alerts outside okrkit")
        return
    table = Table("id", "channel", "target", "covers", "state", "last delivery (UTC)", "version")
    for s in listed:
        last = (
            "none yet"
            if s.last_state is None or s.last_at is None
            else f"{fmt.STATE_WORDS[s.last_state]}, {fmt.short_moment(s.last_at)}"
        )
        table.add_row(
            str(s.id), fmt.CHANNEL_WORDS[s.channel],
            escape(fmt.shown_target(s.channel, s.target)), escape(_covers(s)),
            escape(_state(s)), last, str(s.revision.version),
        )  # fmt: skip
    console.print(table)


def subscription_show(
    id: IdArgument,
    limit: Annotated[
        int, typer.Option(min=1, max=500, help="How many deliveries, newest first.")
    ] = 20,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show a subscription and its delivery log, the newest first."""
    context.ready()
    read = deliveries.subscription_log(
        context.unit_of_work(), id, limit=limit, viewer=context.actor()
    )
    stored = read.subscription
    if output is OutputFormat.JSON:
        print_json({
            **subscription_document(stored),
            "deliveries": {"total": read.log.total,
                           "items": [delivery_document(e) for e in read.log.entries]},
        })  # fmt: skip
        return
    console.print(
        f"subscription {stored.id}: {fmt.CHANNEL_WORDS[stored.channel]} to "
        f"{fmt.shown_target(stored.channel, stored.target)} for {_covers(stored)}\n"
        f"{_state(stored)}; version {stored.revision.version}, changed by "
        f"{stored.revision.changed_by} on {fmt.day_and_time(stored.revision.changed_at)}",
        markup=False,
    )
    if not read.log.entries:
        console.print("no notices yet")
        return
    # Moments and states stay on one line each; what happened and the answer wrap.
    table = Table(
        Column("written (UTC)", no_wrap=True), "what", Column("state", no_wrap=True),
        Column("tries", justify="right"), "last answer",
        Column("delivered / next try (UTC)", no_wrap=True),
        title=f"delivery log: {len(read.log.entries)} of {read.log.total}, newest first",
        title_justify="left",
    )  # fmt: skip
    for e in read.log.entries:
        answer = fmt.hide_target(e.last_error, e.channel, e.target)
        if e.last_status is not None:
            answer = f"{e.last_status} {answer}".strip()
        then = e.delivered_at or e.next_attempt_at
        table.add_row(
            fmt.short_moment(e.created_at),
            escape(f"{fmt.EVENT_WORDS[e.event]}: {e.kpi} (alert {e.alert_id})"),
            fmt.state_words(e.state, e.attempts), str(e.attempts), escape(answer),
            "" if then is None else fmt.short_moment(then),
        )  # fmt: skip
    console.print(table)


def _switch(id: int, version: int, enabled: bool, output: OutputFormat) -> None:
    check_version(version, "--version")
    context.ready()
    stored = subscriptions.switch_subscription(
        context.unit_of_work(), id, version, enabled, context.actor(), context.now()
    )
    if output is OutputFormat.JSON:
        print_json(subscription_document(stored))
        return
    console.print(
        f"subscription {id} switched {'on' if enabled else 'off'} "
        f"(now version {stored.revision.version})"
    )


def subscription_off(
    id: IdArgument, version: VersionOption, output: FormatOption = OutputFormat.TABLE
) -> None:
    """Switch a subscription off: no notices are written for it until it is on again."""
    _switch(id, version, False, output)


def subscription_on(
    id: IdArgument, version: VersionOption, output: FormatOption = OutputFormat.TABLE
) -> None:
    """Switch a subscription back on (after its endpoint answered 410 Gone: once it
    takes messages again)."""
    _switch(id, version, True, output)


def subscription_remove(
    id: IdArgument, version: VersionOption, output: FormatOption = OutputFormat.TABLE
) -> None:
    """Delete a subscription and its delivery log."""
    check_version(version, "--version")
    context.ready()
    subscriptions.delete_subscription(
        context.unit_of_work(), id, version, context.actor(), context.now()
    )
    if output is OutputFormat.JSON:
        print_json({"id": id, "deleted": True})
        return
    console.print(f"subscription {id} removed, with its delivery log")

"""The subscription form: who is told about alerts, as typed — the channel, the address,
and what it covers (a team's alerts, one KPI's, or every alert) — read into the create
command, or into errors that each name their input. The rules (a channel, a web or
e-mail address, a team or KPI that exists, not both) are the use case's, which names
the field it rejects; the page puts that error next to the same input."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from okrkit.domain.notifications import Channel
from okrkit.services.subscriptions import CreateSubscription

__all__ = ["CHANNEL_CHOICES", "FIELDS", "SubscriptionForm"]

# Each channel in words, with what its address is.
CHANNEL_CHOICES = (
    (Channel.WEBHOOK.value, "Webhook", "signed as Standard Webhooks says; okrkit makes its secret"),
    (Channel.SLACK.value, "Slack", "an incoming webhook's address"),
    (Channel.EMAIL.value, "E-mail", "one address"),
)
# The inputs, in the order the form lays them out (an error of the service's `secret`
# is okrkit's own making and never happens: it is listed under the form itself).
FIELDS = ("channel", "target", "team", "kpi")


class SubscriptionForm(BaseModel):
    """The inputs of the add form, as typed."""

    model_config = ConfigDict(str_strip_whitespace=True, str_max_length=2000)

    channel: str = Channel.WEBHOOK.value
    target: str = ""
    team: str = ""
    kpi: str = ""

    @property
    def is_webhook(self) -> bool:
        return self.channel == Channel.WEBHOOK.value

    def to_command(self, secret: str | None) -> CreateSubscription:
        """The subscription to create (an empty team or KPI: not limited to one); a
        webhook is signed with `secret`."""
        return CreateSubscription(
            self.channel,
            self.target,
            team=self.team or None,
            kpi=self.kpi or None,
            secret=secret if self.is_webhook else None,
        )

"""Who acts, and the one rule of what they may see and change.

Every use case that reads or changes the workspace is told who acts: an `Actor`. The
rule is the same on every interface:

- an **admin** sees and changes everything;
- a KPI or an objective is seen by everyone signed in unless it is **private**: then by
  its team's members (editors and viewers) and admins only;
- a team's things (its KPIs, objectives, their key results and check-ins, its alerts
  and subscriptions) are changed by the team's **editors** and admins;
- the workspace itself (teams, cycles, settings, accounts) is changed by admins;
- a **read-only** token changes nothing.

Membership is of a team itself: an editor of a parent team is not thereby an editor
of its sub-teams (each team names its own people).

The command line on the server's own machine acts as the `operator`, who may do
everything (they hold the database), and okrkit's own jobs as `SYSTEM`.
"""

from __future__ import annotations

from dataclasses import dataclass

from okrkit.domain.errors import Forbidden, NotFound

__all__ = ["EVERYTHING", "SYSTEM", "Actor", "Sight", "operator"]


@dataclass(frozen=True)
class Actor:
    """Who acts: `name` as the audit log records it (an account's e-mail, the operator's
    login, or "okrkit"), and what they may do: `admin`, the teams they are a member of
    and those they edit, and whether they may write at all (a read-only token may not).
    """

    name: str
    admin: bool = False
    member_of: frozenset[str] = frozenset()
    edits: frozenset[str] = frozenset()
    writes: bool = True

    def sees(self, team: str, private: bool) -> bool:
        """Whether they may see a KPI or an objective of `team`."""
        return not private or self.admin or team in self.member_of

    def may_edit(self, team: str) -> bool:
        """Whether they may change `team`'s things."""
        return self.writes and (self.admin or team in self.edits)

    def require_sight(self, team: str, private: bool, missing: str) -> None:
        """Refuse as if it did not exist (NotFound, saying `missing`: "no KPI 'x'") a
        private thing they may not see: an outsider learns nothing of it."""
        if not self.sees(team, private):
            raise NotFound(missing)

    def require_edit(
        self, team: str, what: str, *, private: bool = False, missing: str | None = None
    ) -> None:
        """Refuse (Forbidden) unless they may change `team`'s things; `what` says what
        they tried, in words ("edit the KPI signups"). With `missing`, a private thing
        they may not even see is refused as not found first."""
        if missing is not None:
            self.require_sight(team, private, missing)
        if not self.writes:
            raise Forbidden(f"a read-only token cannot {what}: use a token with write access")
        if not self.may_edit(team):
            raise Forbidden(
                f"{self.name} cannot {what}: that takes an editor of the team {team!r} or an admin"
            )

    def require_admin(self, what: str) -> None:
        """Refuse (Forbidden) unless they are an admin who may write."""
        if not self.writes:
            raise Forbidden(f"a read-only token cannot {what}: use a token with write access")
        if not self.admin:
            raise Forbidden(f"{self.name} cannot {what}: that takes an admin")


@dataclass(frozen=True)
class Sight:
    """What one reader may not see, for reads that meet KPIs and objectives by key (an
    alert's KPI, a key result's objective, an audit entry): the keys of the private KPIs
    and objectives of teams they are not in. Things read whole are judged by
    `Actor.sees` on their own team and flag instead."""

    hidden_kpis: frozenset[str] = frozenset()
    hidden_objectives: frozenset[str] = frozenset()

    def kpi(self, key: str | None) -> bool:
        """Whether they may see the KPI `key` (None: no KPI, nothing hidden)."""
        return key is None or key not in self.hidden_kpis

    def objective(self, key: str | None) -> bool:
        """Whether they may see the objective `key` (None: no objective)."""
        return key is None or key not in self.hidden_objectives


# An admin's sight: nothing hidden.
EVERYTHING = Sight()


def operator(name: str) -> Actor:
    """The person at the server's own command line: they hold the database, so they may
    do everything; `name` is their login, as the audit log records it."""
    return Actor(name, admin=True)


# okrkit itself, when a job acts (a KPI raising an alert, a delivery given up).
SYSTEM = Actor("okrkit", admin=True)

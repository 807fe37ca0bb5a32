"""The workspace and the people of the authorisation matrix (tests/web/
test_app_authorization_matrix.py), written through the use cases as a user would.

Two teams: `growth` (team A) and `platform` (team B). Growth watches a public KPI and a
private one, each with eleven green weeks and then a slip that raised an alert (and its
draft objective), a subscription, an import and a file kept for its preview; in the
active cycle 2026-Q4 it has a public and a private objective, each with a key result, a
check-in and an initiative. 2027-Q1 is planned. Everything private has a key or a title
starting with "Zq", which nothing else in the workspace holds, so a response to someone
outside growth that contains one has leaked it.

Five people: nobody (not signed in), a viewer and an editor of growth, an editor of
platform (the outsider), and an admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from html.parser import HTMLParser

from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.access import Actor, operator
from okrkit.domain.accounts import Role as TeamRole
from okrkit.domain.accounts import Scope
from okrkit.domain.cadence import Cadence
from okrkit.domain.cycles import CycleState
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import Objective, ObjectiveStatus
from okrkit.services import accounts, imports
from okrkit.services.check_ins import RecordCheckIn, record_check_in
from okrkit.services.cycles import CreateCycle, create_cycle
from okrkit.services.initiatives import AddInitiative, add_initiative
from okrkit.services.kpis import create_kpi
from okrkit.services.objectives import CreateObjective, create_objective
from okrkit.services.ports import UnitOfWork
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from okrkit.services.teams import CreateTeam, create_team
from okrkit.services.values import import_values
from tests.support.browsers import PASSWORD, TEST_PASSWORDS

__all__ = [
    "NOW",
    "PRIVATE",
    "PUBLIC",
    "SECRETS",
    "UPLOADED",
    "EMAILS",
    "Person",
    "Thing",
    "Workspace",
    "build",
    "page_form",
]

NOW = datetime(2026, 11, 23, 9, 30)
START = datetime(2026, 8, 31)  # a Monday; the eleventh week after it is 2026-11-16
GREEN = [16.0, 16.4, 15.9, 16.2, 16.5, 16.0, 16.3, 15.9, 16.4, 16.1, 16.2]
UPLOADED = datetime(2026, 11, 22)  # the day of the file kept for its preview
SLIP = 13.1  # yellow, and a signal: an alert with a draft objective
ADMIN = "maya@example.com"


class Person(StrEnum):
    """Who asks, as the matrix's rows name them."""

    ANONYMOUS = "anonymous"
    VIEWER = "viewer of growth"
    EDITOR = "editor of growth"
    OUTSIDER = "editor of platform"
    ADMIN = "admin"


EMAILS = {
    Person.VIEWER: "vera@example.com",
    Person.EDITOR: "eddie@example.com",
    Person.OUTSIDER: "otto@example.com",
    Person.ADMIN: ADMIN,
}
TEAMS: dict[Person, dict[str, TeamRole]] = {
    Person.VIEWER: {"growth": TeamRole.VIEWER},
    Person.EDITOR: {"growth": TeamRole.EDITOR},
    Person.OUTSIDER: {"platform": TeamRole.EDITOR},
    Person.ADMIN: {},
}


@dataclass(frozen=True)
class Thing:
    """Growth's things of one kind of visibility (public or private): their keys and
    ids, as the routes' addresses take them."""

    kpi: str
    kpi_name: str
    objective: str
    objective_title: str
    key_result_title: str
    initiative_title: str
    draft_objective: str
    draft_title: str
    alert: int = 0
    draft: str = ""
    key_result: int = 0
    initiative: int = 0
    subscription: int = 0
    import_id: int = 0
    upload: str = ""


PUBLIC = Thing(
    kpi="trial_to_paid",
    kpi_name="Trial-to-paid conversion",
    objective="lift-conversion",
    objective_title="Lift trial conversion back to target",
    key_result_title="Lift trial-to-paid conversion from 13% to 16%",
    initiative_title="Shorter trial sign-up",
    draft_objective="plan-referrals",
    draft_title="Plan a referral programme",
)
PRIVATE = Thing(
    kpi="zq_pricing_margin",
    kpi_name="Zq secret pricing margin",
    objective="zq-pricing-bet",
    objective_title="Zq secret pricing bet",
    key_result_title="Zq lift the hidden margin from 13 to 16",
    initiative_title="Zq quiet price test",
    draft_objective="zq-draft-bet",
    draft_title="Zq draft bet on bundles",
)
# What no one outside growth may read anywhere: the private things' keys and titles.
SECRETS = (
    PRIVATE.kpi,
    PRIVATE.kpi_name,
    PRIVATE.objective,
    PRIVATE.objective_title,
    PRIVATE.key_result_title,
    PRIVATE.initiative_title,
    PRIVATE.draft_objective,
    PRIVATE.draft_title,
)


@dataclass(frozen=True)
class Workspace:
    """What `build` made: growth's things, public and private, and each person's API
    token id (their own, for the account page's revoke)."""

    public: Thing
    private: Thing
    tokens: dict[Person, str] = field(default_factory=dict)
    bearers: dict[Person, str] = field(default_factory=dict)


def _kpi(thing: Thing, private: bool) -> Kpi:
    return Kpi(
        thing.kpi, thing.kpi_name, Direction.HIGHER, Cadence.parse("weekly"), "growth",
        unit="percent", target=16.0, thresholds=Thresholds(green=15.0, red=12.0),
        owner=EMAILS[Person.EDITOR], private=private,
    )  # fmt: skip


def _values(uow: UnitOfWork, key: str, actor: Actor) -> int:
    """Green weeks, then the slip (one import: an alert and its draft); the import's id."""
    rows = [ValueRow(START + timedelta(weeks=n), v) for n, v in enumerate(GREEN)]
    rows.append(ValueRow(START + timedelta(weeks=len(GREEN)), SLIP))
    report = import_values(uow, ValueRows(rows), actor, NOW, default_kpi=key)
    assert report.record is not None
    return report.record.id


def _objective(
    uow: UnitOfWork, key: str, title: str, kr: str, private: bool, actor: Actor, *, draft: bool
) -> None:
    objective = Objective(
        key=key,
        title=title,
        cycle="2026-Q4",
        team="growth",
        owner=EMAILS[Person.EDITOR],
        private=private,
    )
    result = KeyResultDefinition(
        title=kr, start=13, target=16, unit="percent",
        owner=EMAILS[Person.EDITOR],
    )  # fmt: skip
    status = ObjectiveStatus.DRAFT if draft else ObjectiveStatus.ACTIVE
    create_objective(uow, CreateObjective(objective, (result,), status), actor, START)


def _things(uow: UnitOfWork, thing: Thing, private: bool, admin: Actor) -> Thing:
    create_kpi(uow, _kpi(thing, private), admin, START)
    import_id = _values(uow, thing.kpi, admin)
    _objective(
        uow, thing.objective, thing.objective_title, thing.key_result_title, private, admin,
        draft=False,
    )  # fmt: skip
    _objective(
        uow, thing.draft_objective, thing.draft_title, f"{thing.draft_title}: first step",
        private, admin, draft=True,
    )  # fmt: skip
    with uow:
        (key_result,) = uow.key_results.of([thing.objective])[thing.objective]
        alerts = list(uow.alerts.unresolved([thing.kpi]).get(thing.kpi, {}).values())
    record_check_in(uow, RecordCheckIn(key_result.id, 14, 6, "week one"), admin, NOW)
    initiative = add_initiative(
        uow, AddInitiative(key_result.id, thing.initiative_title), admin, NOW
    )
    subscription = create_subscription(
        uow, CreateSubscription("email", "growth@example.com", kpi=thing.kpi),
        admin, NOW,
    )  # fmt: skip
    rows = ValueRows([ValueRow(UPLOADED, 14.0)], name="latest.csv")
    content = f"timestamp,value\n{UPLOADED:%Y-%m-%d},14.0\n".encode()
    upload = imports.keep_upload(uow, rows, content, admin, NOW, kpi=thing.kpi)
    (alert,) = alerts
    return Thing(
        **{
            **thing.__dict__,
            "alert": alert.id,
            "draft": alert.objective or "",
            "key_result": key_result.id,
            "initiative": initiative.id,
            "subscription": subscription.id,
            "import_id": import_id,
            "upload": upload,
        }
    )


def build(uow: UnitOfWork) -> Workspace:
    """Write the workspace through the use cases."""
    admin = operator(ADMIN)
    create_team(uow, CreateTeam("growth", "Growth"), admin, START)
    create_team(uow, CreateTeam("platform", "Platform"), admin, START)
    create_cycle(uow, CreateCycle("2026-Q4", state=CycleState.ACTIVE), admin, START)
    create_cycle(uow, CreateCycle("2027-Q1"), admin, START)
    public = _things(uow, PUBLIC, False, admin)
    private = _things(uow, PRIVATE, True, admin)
    tokens: dict[Person, str] = {}
    bearers: dict[Person, str] = {}
    for person, email in EMAILS.items():
        command = accounts.AddAccount(
            email, password=PASSWORD, admin=person is Person.ADMIN, teams=TEAMS[person]
        )
        accounts.add_account(uow, TEST_PASSWORDS, command, admin, START)
        made = accounts.create_token(uow, email, "matrix", Scope.WRITE, None, admin, START)
        bearers[person] = made.token
        tokens[person] = str(made.info.id)
    return Workspace(public, private, tokens, bearers)


class _Forms(HTMLParser):
    """The forms of a page as a browser would send them: each one's action and its
    fields' values (hidden and typed-in fields, checked boxes, chosen options,
    text areas)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._area: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if self.forms:
            self.forms[-1][1].append((name, value))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "form":
            self.forms.append((a.get("action", ""), []))
        elif tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "reset", "image"):
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._area, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._area is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = [v for v, on in self._options if on] or [v for v, _ in self._options[:1]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._area is not None:
            self._add(self._area, "".join(self._text).removeprefix("\n"))
            self._area = None


def page_form(html: str, action: str) -> dict[str, list[str]]:
    """The fields of the first form of `html` that posts to `action` (an address
    without its query), as a browser would send it untouched."""
    parser = _Forms()
    parser.feed(html)
    for target, fields in parser.forms:
        if target.split("?", 1)[0].split("#", 1)[0] == action:
            found: dict[str, list[str]] = {}
            for name, value in fields:
                found.setdefault(name, []).append(value)
            return found
    actions = sorted({target for target, _ in parser.forms})
    raise AssertionError(f"no form posts to {action}; the page's forms post to {actions}")

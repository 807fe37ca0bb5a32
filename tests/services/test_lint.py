"""The linter on the workspace (`services.lint`): every rule as read from the database,
the record of three scored cycles, each KPI's data, the workspace's settings; the
advice a page shows on one objective or one KPI; and the demo's findings.

Every test runs on SQLite and on PostgreSQL (the `uow` fixture).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from okrkit import demo
from okrkit.domain.cadence import Cadence
from okrkit.domain.cycles import Cycle, CycleState
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.kpis import Kpi
from okrkit.domain.lint import RULES
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.goals import lint_workspace
from okrkit.services.kpis import EditKpi, edit_kpi, kpi_page
from okrkit.services.objectives import objective_page
from okrkit.services.ports import ObjectiveQuery, ValueBatch
from okrkit.services.settings import set_settings
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from okrkit.services.tiles import refresh_health
from okrkit.services.workspace import (
    CycleEntry,
    KeyResultEntry,
    ObjectiveEntry,
    Okrs,
    load_workspace,
)
from tests.support.actors import ADMIN, as_actor

NOW = datetime(2026, 11, 23, 9, 0)
ACTOR = "maya@example.com"
QUARTERS = [Cycle.parse(f"2026-Q{n}") for n in range(1, 5)]


def _kpi(key: str, team: str, cadence: str = "daily", **fields: object) -> Kpi:
    values: dict[str, object] = {
        "key": key, "name": key.replace("_", " ").capitalize(), "unit": "count",
        "direction": Direction.HIGHER, "cadence": Cadence.parse(cadence), "team": team,
        "target": 100, "thresholds": Thresholds(90, 70), "owner": ACTOR,
    }  # fmt: skip
    values.update(fields)
    return Kpi(**values)  # type: ignore[arg-type]


def _days(first: date, last: date, skip: tuple[date, ...] = ()) -> Series:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return Series.from_points([(d, 95.0 + n % 3) for n, d in enumerate(days) if d not in skip])


def _scored(key: str, team: str, cycle: str, score: float) -> ObjectiveEntry:
    return ObjectiveEntry(
        Objective(key=key, title="Make onboarding feel obvious", cycle=cycle, team=team,
                  owner=ACTOR, parent=None),
        (KeyResultEntry(KeyResultDefinition(title="Lift activation from 30% to 50%", start=30,
                                            target=50, unit="percent", owner=ACTOR),
                        score=score, score_reason="as it ended"),),
        status=ObjectiveStatus.SCORED,
    )  # fmt: skip


def _kr(title: str, **fields: object) -> KeyResultDefinition:
    values: dict[str, object] = {"start": 20, "target": 30, "owner": ACTOR}
    values.update(fields)
    return KeyResultDefinition(title=title, **values)  # type: ignore[arg-type]


def _active(key: str, title: str, team: str, *krs: KeyResultDefinition, **fields: object):
    status = fields.pop("status", ObjectiveStatus.ACTIVE)
    values: dict[str, object] = {"owner": ACTOR}
    values.update(fields)
    return ObjectiveEntry(
        Objective(key=key, title=title, cycle="2026-Q4", team=team, **values),  # type: ignore[arg-type]
        tuple(KeyResultEntry(kr) for kr in krs),
        status=status,  # type: ignore[arg-type]
    )


def build(uow) -> None:
    """A workspace where every rule fires: three scored quarters and an active one."""
    teams = [Team("company", "Company"), Team("growth", "Growth"), Team("sales", "Sales")]
    kpis = [
        _kpi("dau", "growth"),
        _kpi("signups", "growth", "weekly", target=None, thresholds=None, owner=None),
        _kpi("revenue", "sales"),
        *(_kpi(f"s{n}", "sales") for n in range(1, 9)),
    ]
    values = {
        # stale since 1 November, and 10 October missing
        "dau": _days(date(2026, 9, 1), date(2026, 11, 1), skip=(date(2026, 10, 10),)),
        "signups": Series.from_points(
            [(date(2026, 9, 7) + timedelta(weeks=w), 40.0 + w) for w in range(11)]
        ),
        "revenue": _days(date(2026, 10, 1), date(2026, 11, 22)),
    }
    scores = {"growth": (0.5, 1.0, 1.0), "sales": (0.9, 0.2, 0.3), "company": (1.0, 0.6, 1.0)}
    history = [
        _scored(f"{team}-q{n}", team, f"2026-Q{n}", s)
        for team, by_quarter in scores.items()
        for n, s in enumerate(by_quarter, start=1)
    ]
    now = [
        _active("double-revenue", "Double revenue to $2M", "growth",
                _kr("Launch the new pricing page", type=KeyResultType.BOOLEAN, start=0, target=1),
                _kr("Increase weekly active users from 20,000 to 30,000", start=20000,
                    target=30000, owner=None),
                owner=None),
        _active("hold-nps", "Keep NPS above 40", "growth", _kr("Lift NPS from 40 to 45"),
                parent=Alignment("company-bet")),
        _active("faster-setup", "Make setup feel effortless", "growth",
                _kr("Cut setup time from 30 to 10 minutes", start=30, target=10),
                _kr("Lift activation from 30% to 40%", start=30, target=40),
                parent=Alignment("company-bet")),
        _active("calmer-support", "Make support calmer", "growth",
                _kr("Cut tickets from 50 to 30", start=50, target=30),
                _kr("Lift CSAT from 70 to 80", start=70, target=80),
                parent=Alignment("company-bet")),
        _active("company-bet", "Win the mid-market", "company",
                _kr("Grow mid-market accounts from 20 to 30"), _kr("Lift NRR from 100 to 110")),
        _active("sales-draft", "Win back churned accounts", "sales", _kr("Win back from 0 to 20"),
                parent=Alignment("company-bet"), status=ObjectiveStatus.DRAFT),
    ]  # fmt: skip
    cycles = [CycleEntry(q, CycleState.CLOSED) for q in QUARTERS[:3]]
    cycles.append(CycleEntry(QUARTERS[3], CycleState.ACTIVE))
    # The parent must be loaded first.
    now = [now[4], *now[:4], now[5]]
    okrs = Okrs(cycles=tuple(cycles), objectives=(*history, *now))
    load_workspace(uow, teams, kpis, values, as_actor("test"), NOW - timedelta(days=1), okrs=okrs)
    with uow:
        for key in ("growth", "sales"):  # both report to the company
            stored = uow.teams.get(key)
            uow.teams.update(key, stored.revision.version, replace(stored, parent="company"),
                             ACTOR, NOW)  # fmt: skip
        # Segments of revenue: android silent for the last three days.
        days = [datetime(2026, 11, d) for d in range(10, 23)]
        rows = [("ios", d) for d in days] + [("android", d) for d in days if d.day <= 19]
        uow.values.upsert(
            ValueBatch(
                kpis=("revenue",),
                kpi=np.zeros(len(rows), dtype=np.int64),
                segment=[s for s, _ in rows],
                timestamps=np.array([d for _, d in rows], dtype="datetime64[s]"),
                value=np.ones(len(rows)),
            )
        )
        uow.kpis.touch_values(["revenue"])  # as every write of values does
        # What `okrkit apply` of a file (or a store from before) can leave: an objective
        # of a closed cycle that was never scored.
        uow.objectives.add(
            Objective(key="forgotten", title="Make renewals painless", cycle="2026-Q3",
                      team="company", owner=ACTOR),
            ObjectiveStatus.ACTIVE, None, ACTOR, NOW,
        )  # fmt: skip
        uow.commit()
    create_subscription(
        uow, CreateSubscription("email", "sales@example.com", team="sales"), as_actor(ACTOR), NOW
    )
    create_subscription(
        uow, CreateSubscription("email", "maya@example.com", kpi="signups"), as_actor(ACTOR), NOW
    )


@pytest.fixture
def workspace(uow):
    build(uow)
    return uow


def pairs(found) -> list[tuple[str, str]]:
    return [(f.location.path, f.code) for f in found]


def test_every_rule_fires_on_a_workspace(workspace) -> None:
    result = lint_workspace(workspace, NOW, viewer=ADMIN)
    found = pairs(result.findings)
    assert {code for _, code in found} == set(RULES)
    for finding in result.findings:
        assert finding.location.file == ""
        assert finding.severity is RULES[finding.code].severity
    ids = {}
    with workspace:
        for key, krs in workspace.key_results.of(["double-revenue"]).items():
            ids[key] = [kr.id for kr in krs]
    launch, wau = (f"/key-results/{n}" for n in ids["double-revenue"])
    expected = [
        ("/kpis/dau", "KPI004"), ("/kpis/dau", "KPI005"), ("/kpis/dau", "KPI006"),
        ("/kpis/revenue", "KPI006"),
        ("/kpis/s8", "KPI003"),
        ("/kpis/signups", "KPI001"), ("/kpis/signups", "KPI002"),
        ("/objectives/double-revenue", "OKR001"), ("/objectives/double-revenue", "OKR008"),
        ("/objectives/double-revenue", "OKR009"),
        ("/objectives/forgotten", "OKR011"),
        ("/objectives/hold-nps", "OKR001"), ("/objectives/hold-nps", "OKR004"),
        ("/objectives/hold-nps", "OKR005"),
        ("/objectives/hold-nps", "OKR006"),
        ("/objectives/sales-draft", "OKR004"),
        ("/teams/growth", "OKR007"), ("/teams/sales", "OKR010"),
        (launch, "OKR002"), (wau, "OKR003"),
    ]  # fmt: skip
    stale_sales = [(f"/kpis/s{n}", "KPI004") for n in range(1, 9)]
    assert sorted(found) == sorted(expected + stale_sales)
    assert (result.objectives, result.teams, result.kpis) == (6, 3, 11)


def test_the_record_of_three_scored_quarters(workspace) -> None:
    """Growth scored 0.5, 1.0, 1.0: sandbagging in the last two; sales 0.9, 0.2, 0.3:
    overreach in the last two; the company's 1.0, 0.6, 1.0 breaks in between."""
    found = {f.code: f for f in lint_workspace(workspace, NOW, viewer=ADMIN).findings}
    assert "team 'growth' scored 1.00 in 2026-Q2, 1.00 in 2026-Q3" in found["OKR007"].message
    assert "team 'sales' scored 0.20 in 2026-Q2, 0.30 in 2026-Q3" in found["OKR010"].message
    assert "'company'" not in found["OKR007"].message + found["OKR010"].message
    assert "closed cycle 2026-Q3 was never scored" in found["OKR011"].message


def test_each_kpis_data_as_the_workspace_knows_it(workspace) -> None:
    found = [
        f
        for f in lint_workspace(workspace, NOW, viewer=ADMIN).findings
        if f.code in ("KPI004", "KPI006")
    ]
    messages = {(f.location.path, f.code): f.message for f in found}
    assert "newest value is from 1 Nov 2026" in messages[("/kpis/dau", "KPI004")]
    assert "1 missing period of the daily cadence" in messages[("/kpis/dau", "KPI006")]
    assert "segment android stopped reporting" in messages[("/kpis/revenue", "KPI006")]
    assert "has no value yet" in messages[("/kpis/s1", "KPI004")]


def test_a_kept_tile_gives_what_a_live_judgement_gives(workspace) -> None:
    # revenue's segments were written after its tile was kept: its window is read live.
    live = pairs(lint_workspace(workspace, NOW, viewer=ADMIN).findings)
    assert refresh_health(workspace, NOW) == 1
    with workspace:
        kept = workspace.tiles.get(["revenue", "dau"])
    assert "segment android stopped reporting" in kept["revenue"].quality.describe()
    assert "1 missing period of the daily cadence" in kept["dau"].quality.describe()
    assert pairs(lint_workspace(workspace, NOW, viewer=ADMIN).findings) == live


def test_settings_and_the_run_switch_rules_off(workspace) -> None:
    set_settings(workspace, '[lint]\ndisable = ["KPI004", "okr009"]\n', None, as_actor(ACTOR), NOW)
    result = lint_workspace(workspace, NOW, {"KPI006"}, viewer=ADMIN)
    codes = {f.code for f in result.findings}
    assert not codes & {"KPI004", "OKR009", "KPI006"}
    assert {"KPI005", "OKR007"} <= codes
    assert result.settings_disable == {"KPI004", "OKR009"}
    assert result.disabled == {"KPI004", "OKR009", "KPI006"}
    with pytest.raises(InvalidInput, match="unknown rule OKR999"):
        lint_workspace(workspace, NOW, {"OKR999"}, viewer=ADMIN)


def test_without_the_data_rules_no_window_is_read(workspace) -> None:
    data = {"KPI004", "KPI005", "KPI006"}
    result = lint_workspace(workspace, NOW, data, viewer=ADMIN)
    assert not {f.code for f in result.findings} & data
    stale_only = lint_workspace(workspace, NOW, {"KPI006"}, viewer=ADMIN)
    assert ("/kpis/dau", "KPI004") in pairs(stale_only.findings)


# --- the advice on one page -----------------------------------------------------------


def test_an_objectives_page_has_its_own_findings_only(workspace) -> None:
    view = objective_page(workspace, "double-revenue", NOW, viewer=ADMIN)
    assert sorted(f.code for f in view.advice) == ["OKR001", "OKR002", "OKR003", "OKR008",
                                                   "OKR009"]  # fmt: skip
    kr_paths = {f"/key-results/{s.key_result.id}" for s in view.state.key_results}
    assert {f.location.path for f in view.advice} <= kr_paths | {"/objectives/double-revenue"}
    # The top team's objective is aligned by its place in the cascade; a team rule
    # (OKR005) is the workspace's, not one objective's.
    assert objective_page(workspace, "company-bet", NOW, viewer=ADMIN).advice == ()
    assert [f.code for f in objective_page(workspace, "hold-nps", NOW, viewer=ADMIN).advice] == [
        "OKR001", "OKR004", "OKR006",
    ]  # fmt: skip
    assert [f.code for f in objective_page(workspace, "forgotten", NOW, viewer=ADMIN).advice] == [
        "OKR011"
    ]


def test_a_pages_advice_honours_the_settings(workspace) -> None:
    set_settings(workspace, '[lint]\ndisable = ["OKR009", "KPI005"]\n', None, as_actor(ACTOR), NOW)
    codes = [f.code for f in objective_page(workspace, "double-revenue", NOW, viewer=ADMIN).advice]
    assert "OKR009" not in codes
    assert [f.code for f in kpi_page(workspace, "dau", NOW, viewer=ADMIN).advice] == [
        "KPI004",
        "KPI006",
    ]


def test_a_kpis_page_has_its_own_findings(workspace) -> None:
    dau = kpi_page(workspace, "dau", NOW, viewer=ADMIN)
    assert [(f.location.path, f.code) for f in dau.advice] == [
        ("/kpis/dau", "KPI004"), ("/kpis/dau", "KPI005"), ("/kpis/dau", "KPI006"),
    ]  # fmt: skip
    revenue = kpi_page(workspace, "revenue", NOW, viewer=ADMIN)
    assert [f.code for f in revenue.advice] == ["KPI006"]
    assert revenue.quality is not None
    assert "segment android stopped reporting" in revenue.quality.describe()
    # A team rule is the workspace's: s8 is the ninth KPI of sales, its page says nothing of it.
    assert [f.code for f in kpi_page(workspace, "s8", NOW, viewer=ADMIN).advice] == ["KPI004"]
    assert [f.code for f in kpi_page(workspace, "signups", NOW, viewer=ADMIN).advice] == [
        "KPI001",
        "KPI002",
    ]


# --- the demo -------------------------------------------------------------------------

TODAY = date(2026, 11, 23)


def test_the_demos_findings(uow) -> None:
    """The demo is sound but for the drafts its alerts proposed (one key result each,
    aligned to nothing): a person completes a draft before accepting it."""
    ws = demo.build(TODAY)
    load_workspace(uow, ws.teams, ws.kpis, ws.values, as_actor("demo"), NOW, okrs=ws.okrs)
    found = lint_workspace(uow, NOW, viewer=ADMIN).findings
    with uow:
        drafts = {
            o.objective.key
            for o in uow.objectives.list(ObjectiveQuery())[0]
            if o.status is ObjectiveStatus.DRAFT
        }
    assert {f.location.path.removeprefix("/objectives/") for f in found} == drafts
    assert {f.code for f in found} == {"OKR004", "OKR008", "OKR009"}
    assert all(f.severity.value == "warning" for f in found)


def test_a_private_kpi_is_not_covered_by_a_subscription_to_every_alert(workspace) -> None:
    """KPI005 follows where notices go: every alert's subscriptions are not told of a
    private KPI's alerts, so only its own or its team's cover it."""
    create_subscription(
        workspace, CreateSubscription("email", "all@example.com"), as_actor(ACTOR), NOW
    )

    def unalerted() -> bool:
        found = pairs(lint_workspace(workspace, NOW, viewer=ADMIN).findings)
        return ("/kpis/dau", "KPI005") in found

    assert not unalerted()
    with workspace:
        version = workspace.kpis.get("dau").revision.version
    edit_kpi(workspace, EditKpi("dau", version, {"private": True}), ADMIN, NOW)
    assert unalerted()
    create_subscription(
        workspace, CreateSubscription("email", "g@example.com", team="growth"), ADMIN, NOW
    )
    assert not unalerted()

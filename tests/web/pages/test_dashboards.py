"""The home page and a team's dashboard: every team's health counted in words, the
North Star on top, and each tile's status, reason, change, sparkline and verdict."""

from __future__ import annotations

import re
import warnings
from datetime import datetime

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import element, get, text_of

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")


def test_home_counts_every_teams_kpis_in_words_with_the_north_star_on_top(client):
    page = get(client, "/")
    words = text_of(page)
    assert "North Star Daily active users" in words
    assert words.index("North Star") < words.index("Teams")
    cards = re.findall(r'<li class="team-card">.*?</ul>\s*</li>', page, re.S)
    by_team = {text_of(card).split(" ")[0]: text_of(card) for card in cards}
    assert "✓ 1 green ▲ 2 yellow ✕ 0 red ? 0 unknown ◷ 0 stale" in by_team["Growth"]
    assert "3 KPIs" in by_team["Growth"]
    # The company team holds the company's objectives; its KPIs are its teams'.
    assert set(by_team) == {"Company", "Customer", "Finance", "Growth", "Platform", "Product"}
    assert '<a href="/teams/growth">Growth</a>' in page


def test_trial_to_paid_reads_yellow_with_its_reason_on_the_team_dashboard(client):
    page = get(client, "/teams/growth")
    tile = element(page, "article", 'aria-labelledby="tile-trial_to_paid"')
    words = text_of(tile)
    assert "Trial-to-paid conversion rate" in words
    assert "12.0% target 16.0%" in words
    assert "▲ Yellow 12.0% is between the red bound 12.0% and the green bound 15.0%" in words
    assert "−0.3 pp (−2.4%) against the previous week (12.3%): worse" in words
    assert "Signal: since 18 Oct 2026, 6 weeks below the usual range of 14.2–16.8%" in words
    assert 'class="tile tile-yellow"' in tile
    spark = element(tile, "svg", 'class="spark"')
    assert 'role="img"' in spark
    assert 'aria-label="Last 52 weeks: from 15.6% to 12.0%' in spark
    assert "Stale" not in words
    assert text_of(element(page, "p", 'class="lede"')) == "3 KPIs: 1 green, 2 yellow."


def test_a_green_kpi_and_routine_variation_read_in_words_too(client):
    tile = element(
        get(client, "/teams/growth"), "article", 'aria-labelledby="tile-activation_rate"'
    )
    words = text_of(tile)
    assert "✓ Green 42.4% is above the green bound 36.0%" in words
    assert "No signal: all 52 weeks since 30 Nov 2025 within the usual range of 36.9–45.8%" in words


def test_a_stale_kpi_says_so_and_is_never_green(client, engine):
    later = datetime(2026, 12, 20, 9, 30)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: later)
    with BrowserClient(app) as late:
        tile = element(
            get(late, "/teams/growth"), "article", 'aria-labelledby="tile-activation_rate"'
        )
    words = text_of(tile)
    assert "▲ Yellow" in words
    assert "would be green, but the newest value is stale" in words
    assert "Stale: the newest value (2026-11-22) is older than a weekly cadence allows" in words


def _stored_before_the_rules(engine, key: str, cadence: str) -> None:  # type: ignore[no-untyped-def]
    from okrkit.domain.cadence import Cadence
    from okrkit.domain.health import Direction
    from okrkit.domain.kpis import Kpi
    from tests.web.pages.helpers import NOW

    uow = SqlUnitOfWork(engine)
    with uow:
        uow.kpis.add(
            Kpi(key=key, name=key.capitalize(), direction=Direction.HIGHER,
                cadence=Cadence.read(cadence), team="growth"),
            "before", NOW,
        )  # fmt: skip
        uow.commit()


def test_a_stored_kpi_that_cant_be_judged_never_fails_a_page(client, engine):
    _stored_before_the_rules(engine, "never", "0 0 30 2 *")
    reason = "the cadence `0 0 30 2 *` never fires (30 February)"
    home = get(client, "/")
    assert f"⊘ Can't judge Never {reason}" in text_of(home)
    team = get(client, "/teams/growth")
    tile = text_of(element(team, "article", 'aria-labelledby="tile-never"'))
    assert f"⊘ Can't judge {reason}" in tile
    assert "Trial-to-paid conversion rate" in text_of(team)  # every other tile renders
    assert "4 KPIs: 1 green, 2 yellow, 1 can't judge." in text_of(team)
    page = get(client, "/kpis/never")
    assert f"Can't judge {reason}" in text_of(page)


def test_home_names_what_needs_attention_worst_first_each_linked(client, engine):
    _stored_before_the_rules(engine, "never", "0 0 30 2 *")
    home = get(client, "/")
    listed = element(home, "ol", 'class="attention"')
    items = re.findall(
        r'<li class="attention-item attention-(\w+)">.*?href="/kpis/(\w+)"', listed, re.S
    )
    ranks = [rank for rank, _ in items]
    assert ranks == sorted(ranks, key=["red", "cant_judge", "yellow", "stale"].index)
    assert ("cant_judge", "never") in items
    assert ("yellow", "trial_to_paid") in items
    words = text_of(listed)
    assert "Trial-to-paid conversion rate 12.0% is between the red bound 12.0%" in words


def test_a_team_dashboard_lists_tiles_worst_first(client):
    team = get(client, "/teams/growth")
    classes = re.findall(r'<article class="tile tile-(\w+)"', team)
    assert classes == sorted(classes, key=["red", "cant_judge", "yellow", "unknown", "green"].index)
    assert classes[-1] == "green"


# --- Private KPIs --------------------------------------------------------------------------


def _private_workspace(engine, uow):  # type: ignore[no-untyped-def]
    """The OKR workspace with the growth team's trial-to-paid KPI and onboarding
    objective private, and the app on it."""
    from okrkit.interfaces.web.app import create_app
    from okrkit.services import kpis, objectives
    from okrkit.services.objectives import EditObjective
    from tests.support import okrs
    from tests.support.actors import ADMIN as OPERATOR

    okrs.build(uow)
    kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"private": True}), OPERATOR, okrs.NOW)
    edit = EditObjective("streamline-onboarding", 1, {"private": True})
    objectives.edit_objective(uow, edit, OPERATOR, okrs.NOW)
    return create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)


def test_an_outsiders_dashboards_hold_nothing_of_a_private_kpi(engine, uow):
    from okrkit.domain.accounts import Role
    from tests.support.okrs import TRIAL_TO_PAID

    app = _private_workspace(engine, uow)
    member = {"growth": Role.VIEWER}
    with BrowserClient(app, account="bo@example.com", admin=False, teams=member) as reader:
        assert "Trial-to-paid conversion rate" in get(reader, "/")
        assert 'aria-labelledby="tile-trial_to_paid"' in get(reader, "/teams/growth")
    outsider = {"company": Role.EDITOR}
    with BrowserClient(app, account="cy@example.com", admin=False, teams=outsider) as reader:
        home = get(reader, "/")
        board = get(reader, "/teams/growth")
    # The team's open alerts above its tiles are the alerts' own read (`list_alerts`
    # with its reader): here, the tiles and everything else of the page.
    board = re.sub(r'<section class="al-box".*?</section>', "", board, flags=re.S)
    for page in (home, board):
        assert "trial_to_paid" not in page
        assert TRIAL_TO_PAID.name not in page
    card = text_of(re.findall(r'<li class="team-card">.*?</ul>\s*</li>', home, re.S)[1])
    assert card.startswith("Growth 0 KPIs ✓ 0 green ▲ 0 yellow")
    assert "Daily active users" in home  # the company's North Star is no secret
    assert "This team watches no KPI yet" in text_of(board)

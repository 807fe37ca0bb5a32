"""`okrkit okr list|show|add|score|carry` against a real database: SQLite files and the
session's PostgreSQL, on the OKR workspace of `tests.support.okrs` (2026-Q3, six weeks of
check-ins) judged as of its moment, 2026-08-12."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.fields import fields_of
from okrkit.domain.objectives import Objective
from tests.cli.helpers import ADD_KPI, assert_one_line_error, okrkit_in, okrkit_json
from tests.support import okrs

TODAY = ("--today", okrs.NOW.date().isoformat())
# The keys of `okrkit kr forecast --format json` (docs/cli.md, "JSON output").
KR_FORECAST_KEYS = {
    "n", "slope_per_day", "forecast", "lower", "upper", "probability", "progress",
    "forecast_progress", "expected_progress", "pace",
}  # fmt: skip


@pytest.fixture
def workspace(database):
    """The database the command runs on, holding the OKR workspace, and its ids."""
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    try:
        upgrade(engine)
        made = okrs.build(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    return database, made


def test_an_objective_is_added_with_key_results_of_every_kind(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    okrkit_in(database, "cycle", "add", "2026-Q3", "--state", "active")
    added = okrkit_json(
        database, "okr", "add", "streamline-onboarding",
        "--title", "Streamline onboarding to drive high-value conversions",
        "--cycle", "2026-Q3", "--team", "growth", "--type", "COMMITTED",
        "--owner", "maya@example.com", "--description", "Trials stall in the wizard.",
        "--kr", "Increase setup wizard completion from 40% to 70%: 40% -> 70% "
        "owner=noah@example.com",
        "--kr", "Cut time to first key action: from 8 to 3 minutes: 8 to 3 min weight=2 "
        "deadline=2026-09-15",
        "--kr", "Lift trial-to-paid conversion back to 16%: 12 -> 16 percent kpi=trial_to_paid",
        "--kr", "Keep support tickets per 100 trials at or under 5: 5 -> 5 count guardrail "
        "direction=lower",
        "--kr", "Self-serve billing live in every region: done",
        "--kr", "Single sign-on for every plan: steps Beta shipped; 10 pilot customers; GA",
    )  # fmt: skip
    assert (added["key"], added["type"], added["status"], added["version"]) == (
        "streamline-onboarding", "committed", "active", 1,
    )  # fmt: skip
    assert added["description"] == "Trials stall in the wizard."
    # The answer names each key result's id (check-ins go to them), as `okr show` does.
    assert [kr["id"] for kr in added["key_results"]] == [1, 2, 3, 4, 5, 6]

    shown = okrkit_json(database, "okr", "show", "streamline-onboarding")
    krs = [
        {
            k: kr[k]
            for k in (
                "title",
                "type",
                "start",
                "target",
                "unit",
                "owner",
                "deadline",
                "weight",
                "guardrail",
                "direction",
                "steps",
                "kpi",
            )
        }  # fmt: skip
        for kr in shown["key_results"]
    ]
    end = "2026-09-30"
    assert krs == [
        {"title": "Increase setup wizard completion from 40% to 70%", "type": "numeric",
         "start": 40.0, "target": 70.0, "unit": "percent", "owner": "noah@example.com",
         "deadline": end, "weight": 1.0, "guardrail": False, "direction": None,
         "steps": None, "kpi": None},
        {"title": "Cut time to first key action: from 8 to 3 minutes", "type": "numeric",
         "start": 8.0, "target": 3.0, "unit": "min", "owner": None, "deadline": "2026-09-15",
         "weight": 2.0, "guardrail": False, "direction": None, "steps": None, "kpi": None},
        {"title": "Lift trial-to-paid conversion back to 16%", "type": "numeric",
         "start": 12.0, "target": 16.0, "unit": "percent", "owner": None, "deadline": end,
         "weight": 1.0, "guardrail": False, "direction": None, "steps": None,
         "kpi": "trial_to_paid"},
        {"title": "Keep support tickets per 100 trials at or under 5", "type": "numeric",
         "start": 5.0, "target": 5.0, "unit": "count", "owner": None, "deadline": end,
         "weight": 1.0, "guardrail": True, "direction": "lower", "steps": None, "kpi": None},
        {"title": "Self-serve billing live in every region", "type": "boolean", "start": 0.0,
         "target": 1.0, "unit": "", "owner": None, "deadline": end, "weight": 1.0,
         "guardrail": False, "direction": None, "steps": None, "kpi": None},
        {"title": "Single sign-on for every plan", "type": "milestone", "start": 0.0,
         "target": 3.0, "unit": "", "owner": None, "deadline": end, "weight": 1.0,
         "guardrail": False, "direction": None,
         "steps": "Beta shipped; 10 pilot customers; GA", "kpi": None},
    ]  # fmt: skip
    ids = [kr["id"] for kr in shown["key_results"]]
    assert len(set(ids)) == 6

    table = okrkit_in(
        database, "okr", "add", "second", "--title", "Make trials feel effortless",
        "--cycle", "2026-Q3", "--team", "growth", "--parent", f"streamline-onboarding#{ids[0]}",
        "--kr", "Raise activation: 20 -> 30 percent", "--kr", "Halve setup errors: 10 -> 5",
    )  # fmt: skip
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith(
        "Objective second added to cycle 2026-Q3 for team growth with 2 key results"
    )
    assert okrkit_json(database, "okr", "show", "second")["parent"] == (
        f"streamline-onboarding#{ids[0]}"
    )


def test_show_gives_each_key_result_the_forecast_of_kr_forecast(workspace, write_csv):
    database, made = workspace
    shown = okrkit_json(database, "okr", "show", made.onboarding, *TODAY)
    wizard = next(kr for kr in shown["key_results"] if kr["id"] == made.wizard)
    # The forecast's own keys under "forecast", its progress and pace beside it.
    assert set(wizard["forecast"]) | set(wizard) >= KR_FORECAST_KEYS
    assert wizard["current"] == 58.0
    assert wizard["check_ins"] == 6
    assert (wizard["confidence"], wizard["confidence_trend"]) == (6.0, "steady")
    assert wizard["last_check_in"]["note"] == "week 6"

    # The same check-ins through `kr forecast`: the same line, interval and verdict.
    weeks = [((date(2026, 7, 5) + timedelta(weeks=w)).isoformat(), 43 + 3 * w) for w in range(6)]
    path = write_csv("wizard.csv", weeks)
    standalone = json.loads(
        okrkit_in(
            database,
            "kr",
            "forecast",
            str(path),
            "--start",
            "40",
            "--target",
            "70",
            "--deadline",
            "2026-09-30",
            "--cycle-start",
            "2026-07-01",
            *TODAY,
            "--format",
            "json",
        ).stdout  # fmt: skip
    )
    assert set(standalone) == KR_FORECAST_KEYS
    for key in ("n", "slope_per_day", "forecast", "lower", "upper", "probability"):
        assert wizard["forecast"][key] == pytest.approx(standalone[key], rel=1e-12), key
    for key in ("progress", "forecast_progress", "expected_progress", "pace"):
        assert wizard[key] == pytest.approx(standalone[key]), key

    conversion = next(kr for kr in shown["key_results"] if kr["id"] == made.conversion)
    assert conversion["current"] == pytest.approx(13.4)  # the KPI's newest value
    assert conversion["check_in_due"] is True
    tickets = next(kr for kr in shown["key_results"] if kr["id"] == made.tickets)
    assert (tickets["pace"], tickets["guardrail_breached"]) == (None, False)
    assert tickets["forecast"]["reason"] == "a guardrail is held, not forecast"
    assert (shown["parent"], shown["aligned"]) == ("grow-paying-customers", [])
    assert shown["check_in_due"] is True
    for advice in shown["advice"]:
        assert set(advice) == {"code", "severity", "message", "hint", "path"}


def test_show_prints_a_table_a_person_reads(workspace):
    database, made = workspace
    shown = okrkit_in(database, "okr", "show", made.onboarding, *TODAY)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert text.startswith(
        "Objective streamline-onboarding: Streamline onboarding to drive high-value conversions"
    )
    assert any(
        "Aligns to" in line and "grow-paying-customers" in line for line in text.splitlines()
    )
    assert f"#{made.wizard} Increase setup wizard completion rate from 40% to 70%" in text
    assert "58.0%: 60% of the way, 46% expected by now" in text
    assert "95% interval" in text
    assert "chance of reaching the target" in text
    assert "✓ guardrail holds" in text  # the guardrail, in words
    assert "none yet; no confidence given; ◷ check-in due" in text  # nobody checked in on it
    assert "fed by KPI trial_to_paid" in text
    assert "8 min → 3 min" in text


def test_list_shows_the_current_cycle_filtered(workspace):
    database, made = workspace
    okrkit_in(database, "cycle", "add", "2026-Q4")
    listed = okrkit_json(database, "okr", "list", *TODAY)
    assert (listed["cycle"]["name"], listed["total"]) == ("2026-Q3", 2)
    by_key = {o["key"]: o for o in listed["objectives"]}
    onboarding = by_key[made.onboarding]
    assert (onboarding["team_name"], onboarding["check_in_due"]) == ("Growth", True)
    assert onboarding["guardrail_breached"] is False
    assert onboarding["pace"] in ("on_track", "at_risk", "off_track")
    assert 0 < onboarding["progress"] < 1
    assert len(onboarding["key_results"]) == 4

    def keys(*args):
        return [o["key"] for o in okrkit_json(database, "okr", "list", *TODAY, *args)["objectives"]]

    assert keys("--team", "growth") == [made.onboarding]
    assert keys("--type", "committed") == [made.company]
    assert keys("--owner", "ceo@example.com") == [made.company]
    assert keys("--cycle", "2026-Q4") == []
    later = okrkit_json(database, "okr", "list", "--today", "2026-11-02")
    assert (later["cycle"]["name"], later["total"]) == ("2026-Q4", 0)

    table = okrkit_in(database, "okr", "list", *TODAY)
    assert table.returncode == 0, table.stderr
    assert "Cycle 2026-Q3 (active, 2026-07-01 to 2026-09-30): 2 objectives" in table.stdout
    assert "◷ check-in due" in table.stdout
    assert onboarding["pace"].replace("_", " ") in table.stdout


def test_a_list_without_cycles_says_so(database):
    assert_one_line_error(okrkit_in(database, "okr", "list"), "no cycle yet")
    okrkit_in(database, "cycle", "add", "2026-Q3")
    assert_one_line_error(okrkit_in(database, "okr", "list", "--cycle", "2031-Q1"), "no cycle")


def test_scoring_asks_for_reasons_and_the_retrospective(workspace):
    database, made = workspace
    differs = okrkit_in(
        database, "okr", "score", made.onboarding, "--version", "1", "--kr", f"{made.wizard}=0.7"
    )
    assert_one_line_error(differs, f"--kr {made.wizard}:", "proposes: say why in a reason")
    unscored = okrkit_json(database, "okr", "show", made.onboarding, *TODAY)
    assert (unscored["status"], unscored["version"], unscored["score"]) == ("active", 1, None)

    scored = okrkit_json(
        database, "okr", "score", made.onboarding, "--version", "1",
        "--kr", f"{made.wizard}=0.7:the new wizard shipped after the last check-in",
        "--retrospective", "The wizard moved; conversion lags a quarter.",
    )  # fmt: skip
    assert (scored["status"], scored["version"]) == ("scored", 2)
    wizard = next(kr for kr in scored["key_results"] if kr["id"] == made.wizard)
    assert (wizard["score"], wizard["score_reason"]) == (
        0.7, "the new wizard shipped after the last check-in",
    )  # fmt: skip
    # (0.7 + 0.6 × 2 + 0.35) / 4, the guardrail apart.
    assert scored["score"] == pytest.approx(0.5625)
    assert scored["grade"]["colour"] == "yellow"

    committed = okrkit_in(database, "okr", "score", made.company, "--version", "1", "--close")
    assert_one_line_error(committed, "--retrospective:", "needs a written explanation")
    closed = okrkit_in(
        database, "okr", "score", made.company, "--version", "1", "--close",
        "--retrospective", "Paying customers grew on the new plan only from September.",
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    assert "Objective grow-paying-customers closed: 0.0 (red, short of success)" in closed.stdout


@pytest.mark.parametrize(
    ("given", "fragments"),
    [
        ("abc", ["--kr: 'abc' is not ID=SCORE or ID=SCORE:reason"]),
        ("{wizard}=lots", ["--kr {wizard}: 'lots' is not a score from 0.0 to 1.0"]),
        ("{wizard}=1.5:great", ["--kr {wizard}: score 1.5 is not between 0.0 and 1.0"]),
        ("999=0.5:why", ["--kr: key result 999 is not one of objective"]),
    ],
)
def test_a_bad_score_is_one_line_and_writes_nothing(workspace, given, fragments):
    database, made = workspace
    text = given.format(wizard=made.wizard)
    result = okrkit_in(database, "okr", "score", made.onboarding, "--version", "1", "--kr", text)
    assert_one_line_error(result, *(f.format(wizard=made.wizard) for f in fragments))
    assert okrkit_json(database, "okr", "show", made.onboarding, *TODAY)["status"] == "active"


def test_carrying_over_copies_the_chosen_key_results_from_where_they_ended(workspace):
    database, made = workspace
    okrkit_in(database, "cycle", "add", "2026-Q4")
    carried = okrkit_json(
        database, "okr", "carry", made.onboarding, "--kr", str(made.wizard),
        "--kr", str(made.first_action),
    )  # fmt: skip
    assert (carried["key"], carried["cycle"], carried["carried_from"]) == (
        "streamline-onboarding-2026-q4", "2026-Q4", made.onboarding,
    )  # fmt: skip
    copy = okrkit_json(database, "okr", "show", carried["key"])
    assert [
        (kr["title"], kr["start"], kr["target"], kr["deadline"]) for kr in copy["key_results"]
    ] == [
        ("Increase setup wizard completion rate from 40% to 70%", 58.0, 70.0, "2026-12-31"),
        ("Cut time to first key action from 8 to 3 minutes", 5.0, 3.0, "2026-12-31"),
    ]
    again = okrkit_in(database, "okr", "carry", made.onboarding, "--key", "onboarding-again",
                      "--to", "2026-Q4")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "carried into cycle 2026-Q4 as onboarding-again" in again.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--to", "2031-Q1"), ["--to: no cycle '2031-Q1': add it first"]),
        (("--to", "2026-Q4", "--kr", "999"), ["--kr: key result 999 is not one of"]),
        (("--to", "2026-Q3"), ["--to: carry an objective into another cycle"]),
        (("--to", "2026-Q4", "--key", "Bad Key"), ["--key: 'Bad Key' is not a key"]),
    ],
)
def test_a_bad_carry_is_one_line_and_writes_nothing(workspace, args, fragments):
    database, made = workspace
    okrkit_in(database, "cycle", "add", "2026-Q4")
    assert_one_line_error(okrkit_in(database, "okr", "carry", made.onboarding, *args), *fragments)
    assert okrkit_json(database, "okr", "list", "--cycle", "2026-Q4")["total"] == 0


def _okr_add_options() -> set[str]:
    import typer.main

    from okrkit.interfaces.cli.main import app

    group = typer.main.get_command(app).commands["okr"]  # type: ignore[attr-defined]
    return {name for p in group.commands["add"].params for name in p.opts}


def test_every_declared_field_of_an_objective_is_an_option_of_add():
    wanted = {"--" + f.name.replace("_", "-") for f in fields_of(Objective) if f.name != "key"}
    assert wanted <= _okr_add_options()
    assert {"--north-star", "--private", "--parent", "--kr"} <= _okr_add_options()

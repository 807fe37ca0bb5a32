"""The linter's rules on the record of past cycles (OKR007 sandbagging, OKR010 chronic
overreach, OKR011 never scored) and on a KPI's data (KPI004 stale, KPI005 no alerting,
KPI006 broken data), on goals built in Python.

OKR007 and OKR010 (docs/rules.md, "Sandbagging and overreach"): a team's mean score
of its aspirational objectives in each closed cycle it scored any, counted back from
its newest such cycle while on the same side of the bar; two or more in a row fire.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from okrkit.domain.cadence import Cadence
from okrkit.domain.cycles import CycleState
from okrkit.domain.goals import (
    Cycle,
    CycleSpec,
    Goals,
    KpiSpec,
    Location,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.domain.lint import RULES, KpiFacts, Severity, lint
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.domain.quality import check_quality
from okrkit.domain.teams import Team

Q1, Q2, Q3, Q4 = (Cycle.parse(f"2026-Q{n}") for n in range(1, 5))
GROWTH = TeamSpec(Team("growth", "Growth"), location=Location.page("/teams/growth"))


def scored(cycle: Cycle, score: float | None, n: int = 0, **fields: object) -> ObjectiveSpec:
    values: dict[str, object] = {
        "title": "Make onboarding feel obvious to a first-time user",
        "team": "growth",
        "status": ObjectiveStatus.SCORED if score is not None else ObjectiveStatus.ACTIVE,
        "score": score,
        "location": Location.page(f"/objectives/{cycle.name.lower()}-{n}"),
    }
    values.update(fields)
    return ObjectiveSpec(
        key=f"{cycle.name.lower()}-{n}",
        cycle=cycle,
        **values,  # type: ignore[arg-type]
    )


def closed(*cycles: Cycle, open_: tuple[Cycle, ...] = (Q4,)) -> tuple[CycleSpec, ...]:
    return (
        *(CycleSpec(c, CycleState.CLOSED) for c in cycles),
        *(CycleSpec(c, CycleState.ACTIVE) for c in open_),
    )


def record(*objectives: ObjectiveSpec, cycles=None, teams=(GROWTH,)) -> Goals:
    return Goals(teams=teams, objectives=objectives, cycles=cycles or closed(Q1, Q2, Q3))


def codes(goals: Goals) -> list[str]:
    return [f.code for f in lint(goals)]


# --- OKR007 and OKR010 over three scored cycles -----------------------------------------


def test_sandbagging_in_the_last_two_cycles() -> None:
    goals = record(scored(Q1, 0.6), scored(Q2, 0.95), scored(Q3, 1.0))
    (finding,) = lint(goals)
    assert finding.code == "OKR007"
    assert finding.severity is Severity.WARNING
    assert finding.location == Location.page("/teams/growth")
    assert "team 'growth' scored 0.95 in 2026-Q2, 1.00 in 2026-Q3" in finding.message
    assert "last 2 closed cycles in a row" in finding.message
    assert "sandbagging" in finding.message
    assert "0.7 is success" in finding.hint


def test_overreach_in_the_last_two_cycles() -> None:
    goals = record(scored(Q1, 0.7), scored(Q2, 0.2), scored(Q3, 0.3))
    (finding,) = lint(goals)
    assert finding.code == "OKR010"
    assert "0.20 in 2026-Q2, 0.30 in 2026-Q3" in finding.message
    assert "chronic overreach" in finding.message


def test_three_cycles_in_a_row_are_said() -> None:
    goals = record(scored(Q1, 1.0), scored(Q2, 0.96), scored(Q3, 1.0))
    (finding,) = lint(goals)
    assert "last 3 closed cycles in a row" in finding.message


@pytest.mark.parametrize(
    "scores",
    [
        (1.0, 0.7, 1.0),  # a stretch in between resets the count
        (1.0, 1.0, 0.8),  # the newest cycle breaks it: the pattern is over
        (0.1, 0.5, 0.3),
        (1.0, 0.3, 1.0),
        (0.3, 1.0, 0.2),
    ],
)
def test_a_break_resets_the_count(scores) -> None:
    goals = record(*(scored(c, s) for c, s in zip((Q1, Q2, Q3), scores, strict=True)))
    assert codes(goals) == []


def test_the_bars_themselves() -> None:
    """0.95 is sandbagging (at or above); 0.4 is not overreach (strictly below)."""
    assert codes(record(scored(Q2, 0.95), scored(Q3, 0.95))) == ["OKR007"]
    assert codes(record(scored(Q2, 0.949), scored(Q3, 1.0))) == []
    assert codes(record(scored(Q2, 0.4), scored(Q3, 0.1))) == []
    assert codes(record(scored(Q2, 0.39), scored(Q3, 0.1))) == ["OKR010"]


def test_a_cycle_counts_by_the_mean_of_the_teams_aspirational_objectives() -> None:
    goals = record(
        scored(Q2, 1.0), scored(Q2, 0.8, 1),  # mean 0.9: a stretch
        scored(Q3, 1.0), scored(Q3, 1.0, 1),
    )  # fmt: skip
    assert codes(goals) == []
    committed = ObjectiveType.COMMITTED
    goals = record(
        scored(Q2, 1.0), scored(Q2, 0.2, 1, type=committed),
        scored(Q3, 1.0), scored(Q3, 1.0, 1, type=ObjectiveType.LEARNING),
    )  # fmt: skip
    assert codes(goals) == ["OKR007"]


def test_only_closed_cycles_count() -> None:
    goals = record(scored(Q3, 1.0), scored(Q4, 1.0), cycles=closed(Q3))
    assert "OKR007" not in codes(goals)  # Q4's objective is judged on its wording


def test_a_cycle_without_scored_aspirational_objectives_is_skipped_not_a_break() -> None:
    goals = record(
        scored(Q1, 1.0),
        scored(Q2, 0.3, type=ObjectiveType.COMMITTED),
        scored(Q3, 1.0),
    )
    assert codes(goals) == ["OKR007"]


def test_teams_are_judged_apart_and_found_where_they_are_written() -> None:
    goals = record(
        scored(Q2, 1.0), scored(Q3, 1.0),
        scored(Q2, 0.1, 1, team="sales"), scored(Q3, 0.2, 1, team="sales"),
    )  # fmt: skip
    found = {f.code: f for f in lint(goals)}
    assert set(found) == {"OKR007", "OKR010"}
    assert "'sales'" in found["OKR010"].message
    # No entry for the team: at its newest cycle's objective.
    assert found["OKR010"].location == Location.page("/objectives/2026-q3-1")


# --- OKR011 ---------------------------------------------------------------------------


def test_an_objective_of_a_closed_cycle_never_scored() -> None:
    goals = record(scored(Q3, None), scored(Q4, None, 1))
    (finding,) = lint(goals, {"OKR004", "OKR009"})  # Q4's is judged on its wording
    assert finding.code == "OKR011"
    assert finding.severity is Severity.ERROR
    assert finding.location == Location.page("/objectives/2026-q3-0")
    assert "of the closed cycle 2026-Q3 was never scored" in finding.message
    assert "decoration" in finding.message
    assert "okrkit okr score" in finding.hint


def test_drafts_and_learning_objectives_scored_in_words_are_not_unscored() -> None:
    goals = record(
        scored(Q3, None, status=ObjectiveStatus.DRAFT),
        scored(Q3, None, 1, type=ObjectiveType.LEARNING, status=ObjectiveStatus.CLOSED),
        scored(Q3, 0.5, 2, status=ObjectiveStatus.ACTIVE),  # a file's score is its score
    )
    assert codes(goals) == []


def test_history_is_judged_on_its_record_only() -> None:
    """An objective of a closed cycle is not judged on its wording again, nor counted
    in its team's objectives of a cycle."""
    loud = [scored(Q3, 0.5, n, title="Double revenue to $2M") for n in range(5)]
    assert codes(record(*loud)) == []
    assert "OKR001" in codes(record(*loud, cycles=closed(open_=(Q3,))))


def test_without_cycle_states_nothing_is_history() -> None:
    goals = Goals(objectives=(scored(Q3, None),), teams=(GROWTH,))
    assert "OKR011" not in codes(goals)


# --- KPI004, KPI005, KPI006 -----------------------------------------------------------

NOW = datetime(2026, 11, 23, 9, 0)


def kpi_spec(key: str = "dau") -> KpiSpec:
    kpi = Kpi(
        key=key, name="Daily active users", direction=Direction.HIGHER,
        cadence=Cadence.parse("daily"), team="growth", unit="count", target=1000,
        thresholds=Thresholds(green=900, red=700), owner="maya@example.com",
    )  # fmt: skip
    return KpiSpec(kpi, Location.page(f"/kpis/{key}"))


def kpis_goals(*keys: str) -> Goals:
    return Goals(teams=(GROWTH,), kpis=tuple(kpi_spec(k) for k in keys))


def test_data_rules_are_judged_only_on_the_facts_given() -> None:
    facts = {"dau": KpiFacts(newest=None, stale=True, alerted=False)}
    assert codes(kpis_goals("dau")) == []
    assert lint(kpis_goals("dau"), kpis={}) == []
    assert codes(kpis_goals("dau", "mau")) == []
    assert [(f.code, f.location.path) for f in lint(kpis_goals("dau", "mau"), kpis=facts)] == [
        ("KPI004", "/kpis/dau"),
        ("KPI005", "/kpis/dau"),
    ]


def test_a_stale_kpi() -> None:
    facts = {"dau": KpiFacts(newest=datetime(2026, 11, 3), stale=True, alerted=True)}
    (finding,) = lint(kpis_goals("dau"), kpis=facts)
    assert finding.code == "KPI004"
    assert finding.severity is Severity.WARNING
    assert "its newest value is from 3 Nov 2026, older than its daily cadence allows" in (
        finding.message
    )
    assert "never show" in finding.message
    fresh = {"dau": KpiFacts(newest=datetime(2026, 11, 22), stale=False, alerted=True)}
    assert lint(kpis_goals("dau"), kpis=fresh) == []


def test_a_kpi_without_values() -> None:
    facts = {"dau": KpiFacts(newest=None, stale=True, alerted=True)}
    (finding,) = lint(kpis_goals("dau"), kpis=facts)
    assert "KPI 'dau' has no value yet" in finding.message


def test_a_kpi_nobody_is_told_about() -> None:
    facts = {"dau": KpiFacts(newest=datetime(2026, 11, 22), stale=False, alerted=False)}
    (finding,) = lint(kpis_goals("dau"), kpis=facts)
    assert finding.code == "KPI005"
    assert "no switched-on subscription covers it" in finding.message
    assert "team 'growth'" in finding.message
    assert "okrkit subscription add --team growth (or --kpi dau)" in finding.hint


def test_a_kpi_with_broken_data() -> None:
    days = np.array(["2026-11-01", "2026-11-02", "2026-11-05"], dtype="datetime64[s]")
    quality = check_quality(days, np.array([1.0, np.nan, 2.0]), Cadence.parse("daily"))
    facts = {"dau": KpiFacts(datetime(2026, 11, 5), stale=False, alerted=True, quality=quality)}
    (finding,) = lint(kpis_goals("dau"), kpis=facts)
    assert finding.code == "KPI006"
    assert "1 null value on 2 Nov 2026" in finding.message
    assert "2 missing periods of the daily cadence" in finding.message
    assert "page lists what is wrong" in finding.hint


def test_every_new_rule_has_its_severity_and_can_be_switched_off() -> None:
    days = np.array(["2026-11-01", "2026-11-03"], dtype="datetime64[s]")
    broken = check_quality(days, np.array([1.0, 2.0]), Cadence.parse("daily"))
    facts = {"dau": KpiFacts(None, stale=True, alerted=False, quality=broken)}
    goals = Goals(
        teams=(GROWTH,),
        kpis=(kpi_spec(),),
        objectives=(
            scored(Q1, 1.0), scored(Q2, 1.0), scored(Q3, None, 1),
            scored(Q1, 0.1, 2, team="sales"), scored(Q2, 0.2, 2, team="sales"),
        ),
        cycles=closed(Q1, Q2, Q3),
    )  # fmt: skip
    found = lint(goals, kpis=facts)
    new = {"OKR007", "OKR010", "OKR011", "KPI004", "KPI005", "KPI006"}
    assert {f.code for f in found} == new
    for finding in found:
        assert finding.severity is RULES[finding.code].severity
        assert finding.hint.strip()
    assert lint(goals, new, facts) == []

"""The linter (`domain.lint`) on goals built in Python: one or more tests per rule.

Every expected finding here was checked by hand against docs/goals-file.md ("The
linter"): the rule that should fire, where it should point, and what it should say.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit import demo
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.goals import (
    Cycle,
    Goals,
    KeyResultSpec,
    KpiSpec,
    Location,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.domain.lint import DATA_RULES, RULES, Finding, Severity, lint
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team

Q3 = Cycle.parse("2026-Q3")
Q4 = Cycle.parse("2026-Q4")
OWNER = "maya@example.com"
GOOD_OBJECTIVE = "Make onboarding feel obvious to a first-time user"
GOOD_KR = "Increase activation rate from 35% to 50%"
TEAMS = (TeamSpec(Team("growth", "Growth")), TeamSpec(Team("product", "Product")))


def at(line: int, file: str = "goals.yaml") -> Location:
    return Location(file, line, f"line{line}")


def kr(title: str = GOOD_KR, **fields: object) -> KeyResultSpec:
    """A sound numeric key result unless `fields` say otherwise."""
    values: dict[str, object] = {"start": 35, "target": 50, "unit": "percent", "owner": OWNER}
    values.update(fields)
    return KeyResultSpec(title=title, **values)  # type: ignore[arg-type]


def leads() -> KeyResultSpec:
    return kr("Generate 500 qualified leads", start=200, target=500, unit="")


def objective(
    title: str = GOOD_OBJECTIVE, *key_results: KeyResultSpec, **fields: object
) -> ObjectiveSpec:
    """A sound objective (owner, North Star link, two outcome key results) unless told."""
    values: dict[str, object] = {
        "key": "onboarding",
        "cycle": Q3,
        "team": "growth",
        "owner": OWNER,
        "north_star": "dau",
        "key_results": key_results or (kr(), leads()),
    }
    values.update(fields)
    return ObjectiveSpec(title=title, **values)  # type: ignore[arg-type]


def kpi(key: str = "trial_to_paid", **fields: object) -> Kpi:
    """A sound KPI (target, thresholds, owner) unless `fields` say otherwise."""
    values: dict[str, object] = {
        "name": "Trial-to-paid conversion rate",
        "unit": "percent",
        "direction": Direction.HIGHER,
        "cadence": Cadence.parse("weekly"),
        "team": "growth",
        "target": 16,
        "thresholds": Thresholds(15, 12),
        "owner": OWNER,
    }
    values.update(fields)
    return Kpi(key=key, **values)  # type: ignore[arg-type]


def goals(*objectives: ObjectiveSpec, kpis: tuple[KpiSpec, ...] = ()) -> Goals:
    return Goals(teams=TEAMS, kpis=kpis, objectives=objectives)


def codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


def only(found: list[Finding], code: str) -> list[Finding]:
    return [f for f in found if f.code == code]


# --- the baseline everything else changes one thing of ------------------------------


def test_a_sound_objective_and_kpi_lint_clean() -> None:
    assert lint(goals(objective(), kpis=(KpiSpec(kpi()),))) == []


# --- OKR001: numbers in an objective ------------------------------------------------


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("DAU = 100,000", "100,000"),
        ("Grow revenue to $10M", "$10M"),
        ("Double our user base", "Double"),
    ],
)
def test_okr001_flags_numbers_and_metric_targets_in_an_objective(title: str, words: str) -> None:
    target = objective(title, location=at(7))
    found = only(lint(goals(target)), "OKR001")
    assert len(found) == 1
    assert found[0].location == at(7)
    assert repr(title) in found[0].message
    assert repr(words) in found[0].message


@pytest.mark.parametrize(
    "title",
    [
        GOOD_OBJECTIVE,
        "Win the enterprise market in 2026",
        "Nail Q3",
        "Ship the best Web 3.0 wallet",
    ],
)
def test_okr001_leaves_words_dates_quarters_and_versions_alone(title: str) -> None:
    assert "OKR001" not in codes(lint(goals(objective(title))))


# --- OKR002: outputs written as key results -----------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Launch the new AI-powered search feature",
        "Publish 4 blog posts",
        "Hire 3 engineers",
        "The new search is live",
        "Handbook describes the process",
        "The importer has a dry-run mode",
        "Dark mode available on iOS and Android",
    ],
)
def test_okr002_flags_an_output_as_a_key_result(title: str) -> None:
    output = kr(title, location=at(12))
    found = only(lint(goals(objective(GOOD_OBJECTIVE, output, leads()))), "OKR002")
    assert len(found) == 1
    assert found[0].location == at(12)
    assert repr(title) in found[0].message
    assert "initiative" in found[0].hint


@pytest.mark.parametrize(
    "title",
    [
        "Generate 500 qualified leads",
        "Increase activation rate from 35% to 50%",
        "Support tickets per active user from 0.4 to 0.2",
        "Half of new users complete the tutorial",
    ],
)
def test_okr002_leaves_outcomes_alone(title: str) -> None:
    found = lint(goals(objective(GOOD_OBJECTIVE, kr(title), leads())))
    assert "OKR002" not in codes(found)


@pytest.mark.parametrize(
    "title", ["Launch the new AI-powered search feature", "Maintain 99.9% uptime"]
)
def test_a_guardrail_key_result_is_never_an_output_or_a_kpi_in_disguise(title: str) -> None:
    guardrail = kr(title, guardrail=True, start=99.9, target=99.9)
    found = lint(goals(objective(GOOD_OBJECTIVE, kr(), leads(), guardrail)))
    assert found == []


# --- OKR003: baseline, target, owner, deadline --------------------------------------


def test_okr003_lists_everything_a_numeric_key_result_lacks() -> None:
    bare = KeyResultSpec(title=GOOD_KR, location=at(30))
    found = only(lint(goals(objective(GOOD_OBJECTIVE, bare, leads(), owner=None))), "OKR003")
    # leads() has its own owner, so only the bare key result is flagged.
    assert len(found) == 1
    assert found[0].location == at(30)
    assert f"{GOOD_KR!r} lacks a baseline (start), a target and an owner" in found[0].message


@pytest.mark.parametrize(
    ("missing", "words"),
    [("start", "a baseline (start)"), ("target", "a target"), ("owner", "an owner")],
)
def test_okr003_names_the_one_thing_missing(missing: str, words: str) -> None:
    lacking = kr(**{missing: None})
    found = only(lint(goals(objective(GOOD_OBJECTIVE, lacking, leads(), owner=None))), "OKR003")
    assert len(found) == 1
    assert f"lacks {words}:" in found[0].message


def test_okr003_the_objective_owner_owns_its_key_results() -> None:
    unowned = kr(owner=None)
    assert "OKR003" not in codes(lint(goals(objective(GOOD_OBJECTIVE, unowned, leads()))))
    orphan = only(lint(goals(objective(GOOD_OBJECTIVE, unowned, leads(), owner=None))), "OKR003")
    assert len(orphan) == 1
    assert "an owner" in orphan[0].message


def test_okr003_a_boolean_key_result_needs_no_start_or_target() -> None:
    done = KeyResultSpec(
        title="Enterprise customers can sign in with single sign-on",
        type=KeyResultType.BOOLEAN,
        owner=OWNER,
    )
    assert lint(goals(objective(GOOD_OBJECTIVE, done, leads()))) == []


def test_okr003_a_milestone_key_result_needs_its_number_of_milestones() -> None:
    title = "Onboarding checklist milestones reached"
    counted = KeyResultSpec(title=title, type=KeyResultType.MILESTONE, owner=OWNER, milestones=4)
    assert lint(goals(objective(GOOD_OBJECTIVE, counted, leads()))) == []
    uncounted = dataclasses.replace(counted, milestones=None)
    found = only(lint(goals(objective(GOOD_OBJECTIVE, uncounted, leads()))), "OKR003")
    assert len(found) == 1
    assert "lacks a number of milestones" in found[0].message


def test_okr003_a_key_result_linked_to_a_kpi_takes_its_baseline_from_the_kpi() -> None:
    linked = kr(start=None, kpi="trial_to_paid")
    assert lint(goals(objective(GOOD_OBJECTIVE, linked, leads()))) == []
    # The link replaces the baseline, not the target.
    no_target = kr(start=None, target=None, kpi="trial_to_paid")
    found = only(lint(goals(objective(GOOD_OBJECTIVE, no_target, leads()))), "OKR003")
    assert len(found) == 1
    assert "lacks a target:" in found[0].message
    assert "baseline" not in found[0].message.split(":")[0]


@pytest.mark.parametrize("deadline", [date(2026, 6, 30), date(2026, 10, 1)])
def test_okr003_flags_a_deadline_outside_the_cycle(deadline: date) -> None:
    late = kr(deadline=deadline, location=at(40))
    found = only(lint(goals(objective(GOOD_OBJECTIVE, late, leads()))), "OKR003")
    assert len(found) == 1
    assert found[0].location == at(40)
    assert str(deadline) in found[0].message
    assert "2026-Q3" in found[0].message
    assert "outside the cycle" in found[0].message


@pytest.mark.parametrize("deadline", [date(2026, 7, 1), date(2026, 8, 15), date(2026, 9, 30)])
def test_okr003_accepts_a_deadline_inside_the_cycle_ends_included(deadline: date) -> None:
    assert lint(goals(objective(GOOD_OBJECTIVE, kr(deadline=deadline), leads()))) == []


# --- OKR004: 2 to 5 key results -----------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 6])
def test_okr004_flags_too_few_or_too_many_key_results(count: int) -> None:
    target = objective(key_results=(kr(),) * count, location=at(3))
    found = only(lint(goals(target)), "OKR004")
    assert len(found) == 1
    assert found[0].location == at(3)
    assert f"has {count} key result" in found[0].message
    assert repr(GOOD_OBJECTIVE) in found[0].message


@pytest.mark.parametrize("count", [2, 3, 4, 5])
def test_okr004_accepts_two_to_five_key_results(count: int) -> None:
    assert lint(goals(objective(GOOD_OBJECTIVE, *[kr()] * count))) == []


# --- OKR005: at most 3 objectives per team and cycle --------------------------------


def numbered(n: int, **fields: object) -> ObjectiveSpec:
    return objective(GOOD_OBJECTIVE, key=f"o{n}", location=at(10 * n), **fields)


def test_okr005_flags_a_fourth_objective_of_a_team_in_a_cycle_at_the_fourth() -> None:
    four = [numbered(n) for n in (1, 2, 3, 4)]
    # Given out of file order: the finding still points at the 4th one in the file.
    found = only(lint(goals(four[3], four[0], four[2], four[1])), "OKR005")
    assert len(found) == 1
    assert found[0].location == at(40)
    assert "'growth' has 4 objectives in 2026-Q3" in found[0].message


def test_okr005_flags_once_however_many_there_are() -> None:
    found = only(lint(goals(*[numbered(n) for n in range(1, 7)])), "OKR005")
    assert [f.location for f in found] == [at(40)]


def test_okr005_accepts_three_objectives() -> None:
    assert lint(goals(*[numbered(n) for n in (1, 2, 3)])) == []


def test_okr005_counts_each_cycle_and_each_team_apart() -> None:
    over_cycles = [numbered(1), numbered(2), numbered(3, cycle=Q4), numbered(4, cycle=Q4)]
    assert lint(goals(*over_cycles)) == []
    over_teams = [numbered(1), numbered(2), numbered(3), numbered(4, team="product")]
    assert lint(goals(*over_teams)) == []


# --- OKR006: a KPI dressed as an OKR ------------------------------------------------


@pytest.mark.parametrize(
    ("title", "verb"),
    [("Maintain 99.9% uptime", "Maintain"), ("Keep CSAT above 90%", "Keep"),
     ("Stay under budget", "Stay")],
)  # fmt: skip
def test_okr006_flags_a_key_result_that_holds_a_level(title: str, verb: str) -> None:
    held = kr(title, start=99.5, target=99.9, location=at(21))
    found = only(lint(goals(objective(GOOD_OBJECTIVE, held, leads()))), "OKR006")
    assert len(found) == 1
    assert found[0].location == at(21)
    assert repr(title) in found[0].message
    assert repr(verb) in found[0].message


def test_okr006_maintaining_a_thing_is_work_not_a_level() -> None:
    title = "Release v2 of the SDK and maintain the plugin"
    found = lint(goals(objective(GOOD_OBJECTIVE, kr(title), leads())))
    assert "OKR006" not in codes(found)


def test_okr006_flags_a_numeric_target_that_equals_its_start() -> None:
    flat = kr("Activation rate from 35% to 35%", start=35, target=35, location=at(22))
    found = only(lint(goals(objective(GOOD_OBJECTIVE, flat, leads()))), "OKR006")
    assert len(found) == 1
    assert found[0].location == at(22)
    assert "target equal to its start (35)" in found[0].message


def test_okr006_flags_an_objective_that_holds_a_level_and_its_number() -> None:
    title = "Maintain our NPS above 40"
    found = lint(goals(objective(title, location=at(5))))
    assert sorted(codes(found)) == ["OKR001", "OKR006"]
    assert all(f.location == at(5) and repr(title) in f.message for f in found)


# --- OKR008: engagement without a guardrail -----------------------------------------


@pytest.mark.parametrize(
    ("title", "metric"),
    [
        ("Increase daily active users from 50K to 80K", "daily active"),
        ("Double weekly sessions per user", "sessions"),
    ],
)
def test_okr008_flags_an_engagement_key_result_without_a_guardrail(title: str, metric: str) -> None:
    pushed = kr(title, start=50_000, target=80_000, unit="")
    found = lint(goals(objective(GOOD_OBJECTIVE, pushed, leads(), location=at(8))))
    assert codes(found) == ["OKR008"]
    assert found[0].location == at(8)
    assert repr(metric) in found[0].message
    assert "guardrail" in found[0].hint


def test_okr008_a_guardrail_key_result_answers_it() -> None:
    pushed = kr("Double weekly sessions per user", start=3, target=6, unit="")
    guard = kr("Unsubscribe rate from 2% to no more than 2.5%", guardrail=True, start=2, target=2)
    assert lint(goals(objective(GOOD_OBJECTIVE, pushed, leads(), guard))) == []


def test_okr008_an_engagement_guardrail_pushes_nothing() -> None:
    guard = kr("Push notification opt-outs below 5%", guardrail=True, start=5, target=5)
    assert lint(goals(objective(GOOD_OBJECTIVE, kr(), leads(), guard))) == []


# --- OKR009: aligned to nothing -----------------------------------------------------


def test_okr009_flags_an_objective_with_no_parent_and_no_north_star() -> None:
    loose = objective(north_star=None, location=at(9))
    found = lint(goals(loose))
    assert codes(found) == ["OKR009"]
    assert found[0].location == at(9)
    assert repr(GOOD_OBJECTIVE) in found[0].message


@pytest.mark.parametrize(
    "alignment", [{"parent": "company-growth"}, {"north_star": "dau"}], ids=["parent", "star"]
)
def test_okr009_a_parent_or_a_north_star_aligns_it(alignment: dict[str, str]) -> None:
    fields = {"north_star": None, **alignment}
    assert lint(goals(objective(**fields))) == []


def test_okr009_a_top_level_teams_objectives_need_no_parent() -> None:
    teams = (
        TeamSpec(Team("company", "Acme")),
        TeamSpec(Team("growth", "Growth"), parent="company"),
    )
    top = objective(key="company-growth", team="company", north_star=None)
    child = objective(key="onboarding", team="growth", north_star=None, location=at(20))
    found = lint(Goals(teams=teams, objectives=(top, child)))
    # The company's objective is the top of the cascade; the growth team's must serve it.
    assert [(f.code, f.location) for f in found] == [("OKR009", at(20))]


def test_okr009_a_team_with_no_parent_and_no_children_is_not_top_level() -> None:
    alone = objective(team="growth", north_star=None)
    assert codes(lint(goals(alone))) == ["OKR009"]


# --- KPI001–KPI003 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"target": None}, "has no target:"),
        ({"thresholds": None}, "has no thresholds:"),
        ({"target": None, "thresholds": None}, "has no target and no thresholds:"),
    ],
)
def test_kpi001_names_what_a_kpi_lacks(fields: dict[str, object], says: str) -> None:
    found = lint(goals(kpis=(KpiSpec(kpi(**fields), at(4)),)))
    assert codes(found) == ["KPI001"]
    assert found[0].location == at(4)
    assert f"KPI 'trial_to_paid' {says}" in found[0].message


@pytest.mark.parametrize("owner", [None, ""])
def test_kpi002_flags_a_kpi_without_owner(owner: str | None) -> None:
    found = lint(goals(kpis=(KpiSpec(kpi(owner=owner), at(4)),)))
    assert codes(found) == ["KPI002"]
    assert "'trial_to_paid' has no owner" in found[0].message


def test_kpi003_flags_a_ninth_kpi_of_a_team_at_the_ninth() -> None:
    nine = [KpiSpec(kpi(f"k{n}"), at(10 * n)) for n in range(1, 10)]
    found = lint(goals(kpis=tuple(reversed(nine))))
    assert codes(found) == ["KPI003"]
    assert found[0].location == at(90)
    assert "'growth' watches 9 KPIs" in found[0].message


def test_kpi003_accepts_eight_kpis_and_counts_each_team_apart() -> None:
    eight = tuple(KpiSpec(kpi(f"k{n}"), at(n)) for n in range(8))
    assert lint(goals(kpis=eight)) == []
    other = KpiSpec(kpi("k8", team="product"), at(8))
    assert lint(goals(kpis=(*eight, other))) == []


# --- switching rules off ------------------------------------------------------------


def test_disabled_rules_are_dropped_and_the_others_kept() -> None:
    loose = objective("Grow revenue to $10M", north_star=None)
    assert sorted(codes(lint(goals(loose)))) == ["OKR001", "OKR009"]
    assert codes(lint(goals(loose), disabled={"OKR009"})) == ["OKR001"]
    assert lint(goals(loose), disabled={"OKR001", "OKR009"}) == []


def test_an_unknown_rule_to_disable_is_an_error_naming_the_flag() -> None:
    with pytest.raises(InvalidInput) as raised:
        lint(goals(objective()), disabled={"OKR009", "OKR099"})
    assert raised.value.field == "--disable"
    assert "--disable" in str(raised.value)
    assert "OKR099" in raised.value.message
    assert "OKR009," not in raised.value.message.split(";")[0]


# --- every finding's shape ----------------------------------------------------------


def everything_wrong() -> Goals:
    """One finding of every rule, written across two files in no particular order."""
    loud = objective(
        "Maintain our NPS above 40",
        kr("Launch the new AI-powered search feature", location=at(14, "b.yaml")),
        key="loud",
        north_star=None,
        location=at(12, "b.yaml"),
    )
    engaged = objective(
        "Delight power users",
        kr("Double weekly sessions per user", location=at(9, "b.yaml")),
        kr(owner=None, location=at(10, "b.yaml")),
        kr(start=50, target=50, location=at(11, "b.yaml")),
        key="engaged",
        owner=None,
        location=at(8, "b.yaml"),
    )
    crowd = [
        objective(key=f"c{n}", team="product", location=at(100 + n, "a.yaml")) for n in range(4)
    ]
    kpis = [KpiSpec(kpi(f"k{n}", team="product"), at(2 + n, "a.yaml")) for n in range(9)]
    kpis.append(KpiSpec(kpi("bare", target=None, owner=None), at(30, "a.yaml")))
    return goals(loud, crowd[2], engaged, *crowd[:2], crowd[3], kpis=tuple(reversed(kpis)))


def test_findings_are_sorted_by_file_then_line() -> None:
    found = lint(everything_wrong())
    where = [(f.location.file, f.location.line) for f in found]
    assert where == sorted(where)
    # Lines are numbers, not text: 8 before 10, 30 before 103.
    assert where.index(("b.yaml", 8)) < where.index(("b.yaml", 10))
    assert where.index(("a.yaml", 30)) < where.index(("a.yaml", 103))
    assert where[0] == ("a.yaml", 10)  # the ninth product KPI
    assert where[-1] == ("b.yaml", 14)


def test_every_rule_fires_once_in_everything_wrong() -> None:
    assert sorted(codes(lint(everything_wrong()))) == sorted(
        ["OKR001", "OKR002", "OKR003", "OKR004", "OKR005", "OKR006", "OKR006", "OKR008",
         "OKR009", "KPI001", "KPI002", "KPI003"]
    )  # fmt: skip


def test_every_finding_has_its_rules_severity_a_message_and_a_hint() -> None:
    found = lint(everything_wrong())
    # The rules on the record and on KPI data have goals of their own (test_lint_record).
    assert {f.code for f in found} == set(RULES) - {"OKR007", "OKR010", "OKR011", *DATA_RULES}
    for finding in found:
        assert finding.severity is RULES[finding.code].severity
        assert finding.message.strip()
        assert finding.hint.strip()
    errors = {f.code for f in found if f.severity is Severity.ERROR}
    assert errors == {"OKR001", "OKR002", "OKR003", "OKR006", "KPI001"}


def test_every_message_quotes_what_it_is_about() -> None:
    goals_ = everything_wrong()
    titles = {o.location: o.title for o in goals_.objectives}
    titles |= {k.location: k.title for o in goals_.objectives for k in o.key_results}
    titles |= {s.location: s.kpi.key for s in goals_.kpis}
    for finding in lint(goals_):
        if finding.code in ("OKR005", "KPI003"):  # about a team, not one entry
            assert "'product'" in finding.message
        else:
            assert repr(titles[finding.location]) in finding.message, finding


# --- properties ---------------------------------------------------------------------

TITLES = [
    GOOD_KR,
    "Generate 500 qualified leads",
    "Launch the new AI-powered search feature",
    "Maintain 99.9% uptime",
    "Double weekly sessions per user",
    "Hire 3 engineers",
]
key_results = st.builds(
    kr,
    st.sampled_from(TITLES),
    start=st.sampled_from([None, 10, 35]),
    target=st.sampled_from([None, 35, 50]),
    owner=st.sampled_from([None, OWNER]),
    guardrail=st.booleans(),
)
objectives = st.lists(
    st.tuples(
        st.sampled_from([GOOD_OBJECTIVE, "DAU = 100,000", "Keep CSAT above 90%"]),
        st.lists(key_results, max_size=7),
        st.sampled_from(["growth", "product"]),
        st.sampled_from([None, "dau"]),
    ),
    max_size=6,
)


def build(drawn: list[tuple[str, list[KeyResultSpec], str, str | None]]) -> Goals:
    """Goals from drawn objectives, each entry on its own line of one file."""
    specs = []
    for n, (title, krs, team, star) in enumerate(drawn):
        placed = tuple(
            dataclasses.replace(k, location=at(100 * n + 1 + i)) for i, k in enumerate(krs)
        )
        specs.append(
            objective(
                title,
                key=f"o{n}",
                team=team,
                north_star=star,
                key_results=placed,
                location=at(100 * n),
            )
        )
    return goals(*specs)


@given(objectives, st.sets(st.sampled_from(sorted(RULES))))
def test_disabling_rules_removes_exactly_their_findings(
    drawn: list[tuple[str, list[KeyResultSpec], str, str | None]], off: set[str]
) -> None:
    workspace = build(drawn)
    everything = lint(workspace)
    assert lint(workspace, disabled=off) == [f for f in everything if f.code not in off]
    assert everything == sorted(everything)


@given(objectives, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_the_order_things_are_given_in(
    drawn: list[tuple[str, list[KeyResultSpec], str, str | None]], rnd: random.Random
) -> None:
    workspace = build(drawn)
    shuffled = list(workspace.objectives)
    rnd.shuffle(shuffled)
    assert lint(dataclasses.replace(workspace, objectives=tuple(shuffled))) == lint(workspace)


# --- the demo -----------------------------------------------------------------------


def test_the_demo_workspace_lints_clean() -> None:
    assert lint(demo.goals(demo.build(date(2026, 11, 23)))) == []

"""Goals as code: `plan_goals` and `apply_goals` make the workspace what goals files
say, `export_goals` writes it back out. Real YAML files, read by the loader, applied to
real databases.

Every test runs on SQLite and on PostgreSQL (the `uow` fixture).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from okrkit import demo
from okrkit.adapters.goals.loader import load_goals
from okrkit.adapters.goals.writer import dump_goals
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.errors import InvalidInput
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.services.goals import Action, apply_goals, export_goals, plan_goals
from okrkit.services.objectives import list_objectives, objective_page
from okrkit.services.ports import ObjectiveQuery
from okrkit.services.values import import_values
from okrkit.services.workspace import load_workspace
from tests.conftest import empty_postgres
from tests.support.actors import ADMIN, as_actor

NOW = datetime(2026, 11, 23, 9, 30)

WORKSPACE = """\
teams:
  - key: company
    name: Acme
  - key: growth
    name: Growth
    parent: company
kpis:
  - key: trial_to_paid
    name: Trial-to-paid conversion rate
    unit: percent
    direction: higher
    target: 16
    thresholds: {green: 15, red: 12}
    cadence: weekly
    team: growth
    owner: maya@example.com
cycles:
  - name: 2026-Q3
    state: closed
  - name: 2026-Q4
objectives:
  - key: stay-and-pay
    title: Grow a customer base that stays and pays
    cycle: 2026-Q4
    team: company
    owner: ana@example.com
    type: aspirational
    north_star: trial_to_paid
    key_results:
      - title: Lift trial-to-paid conversion from 12% back to 16%
        kpi: trial_to_paid
        start: 12
        target: 16
        check_ins:
          - at: 2026-10-09 16:00:00
            value: 12.4
            note: A first lift.
      - title: Cut time to first key action from 8 to 3 minutes
        start: 8
        target: 3
        unit: min
  - key: onboarding
    title: Streamline onboarding to drive high-value conversions
    cycle: 2026-Q4
    team: growth
    owner: maya@example.com
    parent: stay-and-pay
    parent_key_result: 1
    private: true
    key_results:
      - title: Increase setup wizard completion rate from 40% to 70%
        start: 40
        target: 70
        unit: percent
        owner: noah@example.com
        check_ins:
          - at: 2026-10-05
            value: 41
            confidence: 6
            note: Shorter first step shipped.
            author: noah@example.com
          - at: 2026-10-12
            value: 43
        initiatives:
          - title: Rewrite the setup wizard's first step
            status: in_progress
            url: https://tracker.example.com/GROW-12
      - title: Onboarding checklist done
        type: milestone
        steps: [Checklist designed, Checklist built, Checklist live]
  - key: clarify-pricing
    title: Make pricing easy to understand before a trial starts
    cycle: 2026-Q3
    team: growth
    owner: maya@example.com
    type: committed
    status: closed
    retrospective: Short of the commitment; the table came late.
    key_results:
      - title: Lift pricing-page visitors who start a trial from 3.0% to 4.5%
        start: 3
        target: 4.5
        unit: percent
        score: 0.6
        check_ins:
          - at: 2026-09-25 16:00:00
            value: 3.9
      - title: Cut pricing questions to support from 120 to 60 a month
        start: 120
        target: 60
        score: 0.8
        score_reason: The last weeks' numbers came in after scoring.
        check_ins:
          - at: 2026-09-25 16:00:00
            value: 80
"""


def goals_file(tmp_path: Path, text: str = WORKSPACE, name: str = "okrkit.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_goals([path])


def apply(uow, tmp_path: Path, text: str = WORKSPACE):
    return apply_goals(uow, goals_file(tmp_path, text), as_actor("maya"), NOW)


def versions(uow) -> dict[str, int]:
    """Every versioned entry's version and the audit log's length."""
    with uow:
        found = {f"team {t.team.key}": t.revision.version for t in uow.teams.list(archived=True)}
        found |= {f"kpi {k.kpi.key}": k.revision.version for k in uow.kpis.list(archived=True)}
        found |= {f"cycle {c.cycle.name}": c.revision.version for c in uow.cycles.list()}
        listed, _ = uow.objectives.list(ObjectiveQuery(archived=True))
        found |= {f"objective {o.objective.key}": o.revision.version for o in listed}
        for krs in uow.key_results.of([o.objective.key for o in listed]).values():
            found |= {f"kr {kr.id}": kr.revision.version for kr in krs}
        count = 0
        for kind, key in [(k.split()[0], k.split()[1]) for k in list(found)]:
            count += len(uow.audit.history(kind, key))
        found["audit entries"] = count
    return found


def key_results(uow, key: str):
    with uow:
        return uow.key_results.of([key])[key]


def check_ins(uow, key: str, place: int = 0):
    kr = key_results(uow, key)[place]
    with uow:
        return uow.check_ins.of([kr.id])[kr.id]


# --- plan --------------------------------------------------------------------------------


def test_a_plan_on_an_empty_workspace_creates_everything_and_writes_nothing(uow, tmp_path):
    plan = plan_goals(uow, goals_file(tmp_path), as_actor("maya"), NOW)
    assert not plan.applied
    created = [(c.kind, c.key) for c in plan.changes if c.action is Action.CREATE]
    assert created[:5] == [
        ("team", "company"), ("team", "growth"), ("kpi", "trial_to_paid"),
        ("cycle", "2026-Q3"), ("cycle", "2026-Q4"),
    ]  # fmt: skip
    assert ("objective", "onboarding") in created
    assert ("initiative", "onboarding / Increase setup wizard completion rate from 40% to 70% / "
            "Rewrite the setup wizard's first step") in created  # fmt: skip
    appended = [c for c in plan.changes if c.action is Action.APPEND]
    assert len(appended) == 5
    assert appended[0].location.line == 35  # where the check-in is written
    assert plan.counts[Action.ARCHIVE] == 0
    with uow:
        assert uow.teams.list(archived=True) == []
        assert uow.cycles.list() == []


def test_a_plan_on_a_full_workspace_shows_each_field_before_and_after(uow, tmp_path):
    apply(uow, tmp_path)
    changed = (
        WORKSPACE.replace("name: Growth\n", "name: Growth team\n")
        .replace("cadence: weekly", "cadence: daily")
        .replace("title: Streamline onboarding", "title: Simplify onboarding")
    )
    before = versions(uow)
    plan = plan_goals(uow, goals_file(tmp_path, changed), as_actor("maya"), NOW)
    shown = {(c.kind, c.key): [(f.field, f.before, f.after) for f in c.fields]
             for c in plan.changes}  # fmt: skip
    assert shown == {
        ("team", "growth"): [("name", "Growth", "Growth team")],
        ("kpi", "trial_to_paid"): [("cadence", "weekly", "daily")],
        ("objective", "onboarding"): [(
            "title", "Streamline onboarding to drive high-value conversions",
            "Simplify onboarding to drive high-value conversions",
        )],
    }  # fmt: skip
    assert [c.action for c in plan.changes] == [Action.CHANGE] * 3
    assert plan.changes[0].location.line == 4
    assert versions(uow) == before  # a plan writes nothing


# --- apply -------------------------------------------------------------------------------


def test_apply_writes_the_workspace_and_a_second_apply_changes_nothing(uow, tmp_path):
    plan = apply(uow, tmp_path)
    assert plan.applied
    page = objective_page(uow, "onboarding", NOW, viewer=ADMIN)
    stored = page.state.stored
    assert stored.objective.private
    assert str(stored.objective.parent) == f"stay-and-pay#{key_results(uow, 'stay-and-pay')[0].id}"
    wizard, checklist = (s.key_result for s in page.state.key_results)
    assert wizard.definition.owner == "noah@example.com"
    assert checklist.definition.owner == "maya@example.com"  # the objective's owner
    assert checklist.definition.steps is not None
    assert checklist.definition.steps.names == (
        "Checklist designed", "Checklist built", "Checklist live",
    )  # fmt: skip
    assert [c.value for c in page.history[wizard.id]] == [41, 43]
    assert page.history[wizard.id][0].author == "noah@example.com"
    assert [i.initiative.title for i in page.initiatives[wizard.id]] == [
        "Rewrite the setup wizard's first step"
    ]
    closed = objective_page(uow, "clarify-pricing", NOW, viewer=ADMIN)
    assert closed.state.stored.status is ObjectiveStatus.CLOSED
    assert [s.key_result.score for s in closed.state.key_results] == [0.6, 0.8]
    assert closed.state.stored.score == pytest.approx(0.7)
    with uow:
        assert uow.cycles.get("2026-Q3").state.value == "closed"
        entries = uow.audit.history("objective", "onboarding")
    assert [e["action"] for e in entries] == ["create"]
    assert entries[0]["actor"] == "maya"

    before = versions(uow)
    again = apply(uow, tmp_path)
    assert again.changes == ()
    assert not again.applied
    assert versions(uow) == before  # not even a version moved


def test_a_kpi_fed_key_results_check_ins_are_history_kept_as_written(uow, tmp_path):
    """The workspace has no values of trial_to_paid: the check-in keeps the value the
    file gives (what the KPI showed then); apply writes no KPI value."""
    apply(uow, tmp_path)
    (stored,) = check_ins(uow, "stay-and-pay")
    assert (stored.value, stored.note) == (12.4, "A first lift.")
    with uow:
        assert uow.values.latest(["trial_to_paid"]) == {}


def test_renames_are_changes_of_the_same_entries(uow, tmp_path):
    apply(uow, tmp_path)
    ids = [kr.id for kr in key_results(uow, "onboarding")]
    renamed = (
        WORKSPACE.replace("name: Trial-to-paid conversion rate", "name: Trial conversion")
        .replace("title: Streamline onboarding", "title: Simplify onboarding")
        .replace("Increase setup wizard completion rate", "Raise setup wizard completion")
    )
    plan = apply(uow, tmp_path, renamed)
    assert {(c.action, c.kind) for c in plan.changes} == {
        (Action.CHANGE, "kpi"), (Action.CHANGE, "objective"), (Action.CHANGE, "key_result"),
    }  # fmt: skip
    after = key_results(uow, "onboarding")
    assert [kr.id for kr in after] == ids  # the same key result, renamed at its place
    assert after[0].definition.title == "Raise setup wizard completion from 40% to 70%"
    assert [c.value for c in check_ins(uow, "onboarding")] == [41, 43]
    with uow:
        assert uow.kpis.get("trial_to_paid").kpi.name == "Trial conversion"
        assert uow.kpis.get("trial_to_paid").revision.version == 2
    assert apply(uow, tmp_path, renamed).changes == ()


def test_what_the_files_leave_out_is_archived_and_named_again_restored(uow, tmp_path):
    apply(uow, tmp_path)
    start = WORKSPACE.index("  - key: onboarding")
    end = WORKSPACE.index("  - key: clarify-pricing")
    without = WORKSPACE[:start] + WORKSPACE[end:]
    plan = apply(uow, tmp_path, without)
    assert [(c.action, c.kind, c.key) for c in plan.changes] == [
        (Action.ARCHIVE, "objective", "onboarding")
    ]
    assert plan.changes[0].location.path == "/objectives/onboarding"
    assert "values" in plan.notes[0]
    listed, _ = list_objectives(uow, ObjectiveQuery(), NOW, viewer=ADMIN)
    assert "onboarding" not in {s.key for s in listed}
    page = objective_page(uow, "onboarding", NOW, viewer=ADMIN)  # its page still opens
    assert page.state.stored.archived
    assert len(page.history[page.state.key_results[0].key_result.id]) == 2

    restored = apply(uow, tmp_path)
    assert [(c.action, c.key) for c in restored.changes] == [(Action.RESTORE, "onboarding")]
    listed, _ = list_objectives(uow, ObjectiveQuery(), NOW, viewer=ADMIN)
    assert "onboarding" in {s.key for s in listed}
    with uow:
        actions = [e["action"] for e in uow.audit.history("objective", "onboarding")]
    assert actions == ["create", "archive", "restore"]


def test_check_ins_applied_twice_are_stored_once_and_new_ones_appended(uow, tmp_path):
    apply(uow, tmp_path)
    more = WORKSPACE.replace(
        "          - at: 2026-10-12\n            value: 43\n",
        "          - at: 2026-10-12\n            value: 43\n"
        "          - at: 2026-10-19 16:30:00\n            value: 44\n",
    )
    plan = apply(uow, tmp_path, more)
    assert [(c.action, c.key) for c in plan.changes] == [(
        Action.APPEND,
        "onboarding / Increase setup wizard completion rate from 40% to 70% / 2026-10-19 16:30:00",
    )]  # fmt: skip
    assert [c.value for c in check_ins(uow, "onboarding")] == [41, 43, 44]
    # A check-in the files leave out stays: check-ins are history.
    fewer = WORKSPACE.replace("          - at: 2026-10-12\n            value: 43\n", "")
    assert apply(uow, tmp_path, fewer).changes == ()
    assert [c.value for c in check_ins(uow, "onboarding")] == [41, 43, 44]


def test_a_changed_stored_check_in_is_refused_at_its_line(uow, tmp_path):
    apply(uow, tmp_path)
    before = versions(uow)
    edited = WORKSPACE.replace("            value: 43\n", "            value: 45\n")
    with pytest.raises(InvalidInput) as error:
        apply(uow, tmp_path, edited)
    assert error.value.source == str(tmp_path / "okrkit.yaml")
    assert error.value.line == 62
    assert error.value.field == "objectives[1].key_results[0].check_ins[1].value"
    assert "check-ins are never edited: write a correction as a new check-in" in str(error.value)
    assert versions(uow) == before


@pytest.mark.parametrize(
    ("change", "line", "field", "words"),
    [
        (
            ("deadline: never", "deadline: 2027-02-01"),
            51, "objectives[1].key_results[0].deadline", "is not in cycle 2026-Q4",
        ),
        (
            ("    parent_key_result: 1\n", "    parent_key_result: 1\n    status: draft\n"
             "    score: 0.5\n"),
            42, "objectives[1].score", "written when it is scored",
        ),
        (
            ("    retrospective: Short of the commitment; the table came late.\n", ""),
            71, "objectives[2].retrospective", "committed objective that scored under 1.0",
        ),
        (
            ("        score_reason: The last weeks' numbers came in after scoring.\n", ""),
            88, "objectives[2].key_results[1].score_reason", "say why in a reason",
        ),
        (
            ("    status: closed\n", ""),
            71, "objectives[2].status", "cycle 2026-Q3 is closed",
        ),
    ],
    ids=["deadline outside the cycle", "a draft with a score", "closed without explanation",
         "a changed score without a reason", "an active objective in a closed cycle"],
)  # fmt: skip
def test_a_rule_broken_at_apply_names_file_line_and_field_and_writes_nothing(
    uow, tmp_path, change, line, field, words
):
    old, new = change
    if old == "deadline: never":
        old = "        owner: noah@example.com\n"
        new = old + "        deadline: 2027-02-01\n"
    text = WORKSPACE.replace(old, new)
    assert text != WORKSPACE
    with pytest.raises(InvalidInput) as error:
        apply(uow, tmp_path, text)
    assert (error.value.line, error.value.field) == (line, field)
    assert str(error.value).startswith(f"{tmp_path / 'okrkit.yaml'}:{line}: {field}: ")
    if words:
        assert words in error.value.message
    with uow:
        assert uow.teams.list(archived=True) == []


def test_an_unknown_reference_is_refused_by_the_loader_at_its_line(uow, tmp_path):
    text = WORKSPACE.replace("north_star: trial_to_paid", "north_star: trial")
    with pytest.raises(InvalidInput) as error:
        goals_file(tmp_path, text)
    assert (error.value.line, error.value.field) == (28, "objectives[0].north_star")
    assert "unknown KPI 'trial'" in error.value.message


def test_a_target_changed_mid_cycle_needs_its_recalibration(uow, tmp_path):
    apply(uow, tmp_path)
    retargeted = WORKSPACE.replace("        start: 40\n        target: 70\n",
                                   "        start: 40\n        target: 65\n")  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        apply(uow, tmp_path, retargeted)
    assert error.value.field == "objectives[1].key_results[0].recalibration"
    reasoned = retargeted.replace(
        "        target: 65\n", "        target: 65\n        recalibration: Half the trials.\n"
    )
    plan = apply(uow, tmp_path, reasoned)
    (change,) = plan.changes
    assert {f.field: (f.before, f.after) for f in change.fields} == {
        "target": (70, 65), "original_target": (None, 70),
        "recalibration": ("", "Half the trials."),
    }  # fmt: skip
    wizard = key_results(uow, "onboarding")[0]
    assert (wizard.original_target, wizard.recalibration) == (70, "Half the trials.")
    text = dump_goals(export_goals(uow, viewer=ADMIN))
    assert "original_target: 70\n" in text
    assert "recalibration: Half the trials.\n" in text
    assert apply(uow, tmp_path, text).changes == ()


def test_a_key_result_the_files_leave_out_is_refused(uow, tmp_path):
    apply(uow, tmp_path)
    start = WORKSPACE.index("      - title: Onboarding checklist done\n")
    text = WORKSPACE[:start] + WORKSPACE[WORKSPACE.index("  - key: clarify-pricing\n") :]
    with pytest.raises(InvalidInput) as error:
        apply(uow, tmp_path, text)
    assert error.value.field == "objectives[1].key_results"
    assert "'Onboarding checklist done'" in error.value.message


# --- export ------------------------------------------------------------------------------


def test_the_demo_exported_applied_to_an_empty_database_and_exported_again_is_identical(
    uow, tmp_path, engine
):
    ws = demo.build(date(2026, 11, 23))
    load_workspace(uow, ws.teams, ws.kpis, ws.values, as_actor("demo"), NOW, okrs=ws.okrs)
    first = dump_goals(export_goals(uow, viewer=ADMIN))
    path = tmp_path / "demo.yaml"
    path.write_text(first, encoding="utf-8")
    goals = load_goals([path])
    # Applied to the workspace it came from: nothing to do, the alerts' drafts left alone.
    same = plan_goals(uow, goals, as_actor("maya"), NOW)
    assert same.changes == ()
    assert "arpa-2026-11-23" in same.notes[0]
    with uow:
        drafts = [o for o in uow.objectives.list(ObjectiveQuery())[0]
                  if o.status is ObjectiveStatus.DRAFT]  # fmt: skip
    assert drafts
    assert all(f"key: {d.objective.key}\n" not in first for d in drafts)

    if engine.dialect.name == "sqlite":
        other = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        upgrade(other)
    else:
        empty_postgres(engine)
        other = engine
    empty = SqlUnitOfWork(other)
    plan = apply_goals(empty, goals, as_actor("maya"), NOW)
    assert plan.counts[Action.APPEND] == sum(
        len(kr.check_ins) for o in goals.objectives for kr in o.key_results
    )
    again = dump_goals(export_goals(empty, viewer=ADMIN))
    assert again == first
    assert apply_goals(empty, goals, as_actor("maya"), NOW).changes == ()


def test_a_kpi_and_a_team_the_files_leave_out_are_archived_with_their_values(uow, tmp_path):
    more = WORKSPACE.replace(
        "kpis:\n",
        "  - key: support\n    name: Support\nkpis:\n  - key: activation\n    name: Activation\n"
        "    direction: higher\n    cadence: weekly\n    team: growth\n",
    )
    apply(uow, tmp_path, more)
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 11, 16), value=41.0)])
    import_values(uow, rows, as_actor("maya"), NOW, default_kpi="activation")
    plan = apply(uow, tmp_path)
    assert [(c.action, c.kind, c.key) for c in plan.changes] == [
        (Action.ARCHIVE, "team", "support"), (Action.ARCHIVE, "kpi", "activation"),
    ]  # fmt: skip
    assert plan.notes[0].startswith("Archiving keeps an entry with its history")
    with uow:
        assert [k.kpi.key for k in uow.kpis.list()] == ["trial_to_paid"]
        assert uow.kpis.get("activation").archived
        assert uow.values.latest(["activation"])["activation"][1] == 41.0
        assert [t.team.key for t in uow.teams.list()] == ["company", "growth"]
    restored = apply(uow, tmp_path, more)
    assert [(c.action, c.key) for c in restored.changes] == [
        (Action.RESTORE, "support"), (Action.RESTORE, "activation"),
    ]  # fmt: skip
    with uow:
        assert not uow.kpis.get("activation").archived

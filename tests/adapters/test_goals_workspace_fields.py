"""What goals files say beyond the linter's needs, for `okrkit apply`: cycles with their
states, scores, retrospectives, carry-overs, the parent's key result an objective
serves, milestone steps and recalibrations — read, checked at their lines, and written
back by the writer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from okrkit.adapters.goals.loader import load_goals
from okrkit.adapters.goals.writer import dump_goals
from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import InvalidInput

FILE = """\
teams:
  - key: growth
    name: Growth
cycles:
  - name: 2026-H2
    start: 2026-07-01
    end: 2026-12-31
    state: planning
  - name: 2026-Q3
    state: closed
objectives:
  - key: bet
    title: Become the tool analysts open every morning
    cycle: 2026-H2
    team: growth
    key_results:
      - title: Checklist done
        type: milestone
        steps: [Designed, Built, Live]
      - title: Grow weekly active analysts from 900 to 1,500
        start: 900
        target: 1400
        original_target: 1500
        recalibration: Half the sales team left.
  - key: onboarding
    title: Make onboarding feel obvious
    cycle: 2026-Q3
    team: growth
    parent: bet
    parent_key_result: 2
    status: closed
    score: 0.7
    retrospective: The wizard landed late.
    carried_from: bet
    key_results:
      - title: Raise activation from 35% to 50%
        start: 35
        target: 50
        score: 0.7
        score_reason: Measured after the cycle.
"""


def load(tmp_path: Path, text: str = FILE):
    path = tmp_path / "okrkit.yaml"
    path.write_text(text, encoding="utf-8")
    return load_goals([path])


def test_the_new_fields_are_read_and_written_back(tmp_path):
    goals = load(tmp_path)
    half, q3 = goals.cycles
    assert (half.cycle.name, half.cycle.start, half.state) == (
        "2026-H2", date(2026, 7, 1), CycleState.PLANNING,
    )  # fmt: skip
    assert (q3.cycle.end, q3.state, q3.location.line) == (date(2026, 9, 30), CycleState.CLOSED, 9)
    bet, onboarding = goals.objectives
    assert bet.cycle == half.cycle
    steps, analysts = bet.key_results
    assert (steps.steps, steps.milestones) == (("Designed", "Built", "Live"), 3)
    assert (analysts.original_target, analysts.recalibration) == (1500, "Half the sales team left.")
    assert (onboarding.parent_key_result, onboarding.score, onboarding.carried_from) == (
        2, 0.7, "bet",
    )  # fmt: skip
    assert onboarding.retrospective == "The wizard landed late."
    (kr,) = onboarding.key_results
    assert (kr.score, kr.score_reason) == (0.7, "Measured after the cycle.")
    again = load(tmp_path, dump_goals(goals))
    assert again.cycles[0].cycle == half.cycle
    assert [o.key_results for o in again.objectives] != []
    assert dump_goals(again) == dump_goals(goals)
    assert "cycle_start" not in dump_goals(goals)  # the cycle is listed: named alone


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("    cycle: 2026-H2\n", "    cycle: 2026-H2\n    cycle_start: 2026-06-01\n", 15,
         "objectives[0].cycle_start", "runs from 2026-07-01 to 2026-12-31 (cycles:)"),
        ("    parent: bet\n", "", 29, "objectives[1].parent_key_result", "needs its objective"),
        ("    parent_key_result: 2\n", "    parent_key_result: 3\n", 30,
         "objectives[1].parent_key_result", "has 2 key results: there is no key result number 3"),
        ("        steps: [Designed, Built, Live]\n",
         "        steps: [Designed, Built, Live]\n        milestones: 4\n", 20,
         "objectives[0].key_results[0].milestones", "4 milestones, but 3 steps"),
        ("  - name: 2026-Q3\n    state: closed\n",
         "  - name: 2026-Q3\n    state: closed\n  - name: 2026-Q3\n", 11,
         "cycles[2].key", "cycle key '2026-Q3' is already defined at"),
        ("    carried_from: bet\n", "    carried_from: nothing\n", 34,
         "objectives[1].carried_from", "unknown objective 'nothing'"),
    ],
    ids=["other dates for a listed cycle", "a parent's key result without the parent",
         "a key result the parent lacks", "steps and milestones disagree", "a cycle twice",
         "carried from nothing"],
)  # fmt: skip
def test_mistakes_are_named_at_their_line_and_field(tmp_path, old, new, line, field, words):
    text = FILE.replace(old, new)
    assert text != FILE
    with pytest.raises(InvalidInput) as error:
        load(tmp_path, text)
    assert (error.value.line, error.value.field) == (line, field), str(error.value)
    assert words in error.value.message


def test_one_cycle_named_by_objectives_has_one_span(tmp_path):
    text = (
        "teams:\n  - key: t\n    name: T\nobjectives:\n"
        "  - key: a\n    title: A\n    cycle: h2\n    cycle_start: 2026-07-01\n"
        "    cycle_end: 2026-12-31\n    team: t\n"
        "  - key: b\n    title: B\n    cycle: h2\n    cycle_start: 2026-07-01\n"
        "    cycle_end: 2026-11-30\n    team: t\n"
    )
    with pytest.raises(InvalidInput) as error:
        load(tmp_path, text)
    assert (error.value.line, error.value.field) == (13, "objectives[1].cycle")
    assert "runs from 2026-07-01 to 2026-12-31 at" in error.value.message

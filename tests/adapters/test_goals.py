"""Goals as code: loading, checking, writing and the JSON Schema of goals files.

Every test writes real YAML files into `tmp_path` and reads them with the loader.
Line numbers in the expectations were counted by hand from the strings.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from okrkit import demo
from okrkit.adapters.goals.loader import goal_files, load_goals
from okrkit.adapters.goals.schema import json_schema
from okrkit.adapters.goals.writer import dump_goals
from okrkit.domain.cadence import CadenceKind
from okrkit.domain.errors import InvalidInput, SourceUnavailable
from okrkit.domain.goals import NOWHERE, CheckIn, Goals, Location
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.lint import lint
from okrkit.domain.progress import KeyResultType

DATA = Path(__file__).parent.parent / "data" / "lint"

# The example of docs/goals-file.md, "A minimal file", verbatim.
DESIGN_EXAMPLE = """\
teams:
  - key: growth
    name: Growth
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
objectives:
  - key: streamline-onboarding
    title: Streamline onboarding to drive high-value conversions
    cycle: 2026-Q3
    team: growth
    type: aspirational
    key_results:
      - title: Increase setup wizard completion rate from 40% to 70%
        start: 40
        target: 70
        unit: percent
      - title: Lift trial-to-paid conversion from 12% back to 16%
        kpi: trial_to_paid
        start: 12
        target: 16
"""

# Every field the format has, so a round trip has something to lose.
EVERYTHING = """\
teams:
  - key: company
    name: Acme
  - key: growth
    name: Growth
    parent: company
kpis:
  - key: dau
    name: Daily active users
    description: Distinct signed-in users with a core action that UTC day.
    unit: count
    direction: higher
    target: 50000
    thresholds: {green: 48000, red: 44000}
    cadence: daily
    team: company
    owner: lena@example.com
    kind: leading
    north_star: true
  - key: latency
    name: p95 API latency
    unit: ms
    direction: lower
    thresholds: {green: 300, red: 450}
    cadence: 0 6 * * 1
    team: growth
    guardrail: true
    formula: slow / total
    source: warehouse.latency
objectives:
  - key: company-growth
    title: Become the tool product analysts open every morning
    description: The company bet for the second half.
    cycle: H2
    cycle_start: 2026-07-01
    cycle_end: 2026-12-31
    team: company
    owner: lena@example.com
    north_star: dau
    type: committed
    status: draft
    private: true
    key_results:
      - title: Enterprise customers can sign in with single sign-on
        type: boolean
      - title: Onboarding checklist milestones reached
        type: milestone
        milestones: 4
        weight: 2.5
  - key: onboarding
    title: Make onboarding feel obvious to a first-time user
    cycle: 2026-Q3
    team: growth
    owner: maya@example.com
    parent: company-growth
    type: learning
    key_results:
      - title: Increase activation rate from 35% to 50.5%
        start: 35
        target: 50.5
        unit: percent
        owner: noah@example.com
        deadline: 2026-09-15
        direction: higher
        check_ins:
          - at: 2026-07-10
            value: 36.2
            confidence: 7
            note: wizard shipped
            author: noah@example.com
          - at: 2026-07-17 14:30:00
            value: 37
        initiatives:
          - title: Rewrite the setup wizard
            status: in_progress
            url: https://tracker.example.com/ISSUE-12
          - title: Interview ten new users
      - title: p95 API latency no worse than 300 ms
        kpi: latency
        target: 300
        guardrail: true
"""


def write(folder: Path, text: str, name: str = "goals.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(folder: Path, text: str) -> tuple[Path, InvalidInput]:
    path = write(folder, text)
    with pytest.raises(InvalidInput) as raised:
        load_goals([path])
    return path, raised.value


def placeless(goals: Goals) -> Goals:
    """The goals with every `location` set to nowhere, to compare what they say."""
    return Goals(
        teams=tuple(dataclasses.replace(t, location=NOWHERE) for t in goals.teams),
        kpis=tuple(dataclasses.replace(k, location=NOWHERE) for k in goals.kpis),
        objectives=tuple(
            dataclasses.replace(
                o,
                location=NOWHERE,
                key_results=tuple(
                    dataclasses.replace(
                        kr,
                        location=NOWHERE,
                        check_in_locations=(),
                        initiatives=tuple(
                            dataclasses.replace(i, location=NOWHERE) for i in kr.initiatives
                        ),
                    )
                    for kr in o.key_results
                ),
            )
            for o in goals.objectives
        ),
    )


def demo_goals() -> Goals:
    return demo.goals(demo.build(date(2026, 11, 23)))


# --- DESIGN's example ---------------------------------------------------------------


def test_designs_example_loads_with_its_cycle_and_locations(tmp_path: Path) -> None:
    path = write(tmp_path, DESIGN_EXAMPLE)
    goals = load_goals([path])
    file = str(path)

    (team,) = goals.teams
    assert (team.team.key, team.team.name, team.parent) == ("growth", "Growth", None)
    assert team.location == Location(file, 2, "teams[0]")

    (objective,) = goals.objectives
    assert objective.key == "streamline-onboarding"
    assert objective.title == "Streamline onboarding to drive high-value conversions"
    assert objective.team == "growth"
    assert objective.type is ObjectiveType.ASPIRATIONAL
    assert objective.cycle.name == "2026-Q3"
    assert (objective.cycle.start, objective.cycle.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert objective.location == Location(file, 15, "objectives[0]")

    wizard, conversion = objective.key_results
    assert wizard.location == Location(file, 21, "objectives[0].key_results[0]")
    assert conversion.location == Location(file, 25, "objectives[0].key_results[1]")
    assert wizard.title == "Increase setup wizard completion rate from 40% to 70%"
    assert (wizard.type, wizard.start, wizard.target, wizard.unit) == (
        KeyResultType.NUMERIC,
        40,
        70,
        "percent",
    )
    assert (wizard.kpi, wizard.owner, wizard.deadline, wizard.weight) == (None, None, None, 1.0)
    assert (conversion.kpi, conversion.start, conversion.target) == ("trial_to_paid", 12, 16)


def test_designs_example_maps_the_kpi(tmp_path: Path) -> None:
    path = write(tmp_path, DESIGN_EXAMPLE)
    (spec,) = load_goals([path]).kpis
    kpi = spec.kpi
    assert spec.location == Location(str(path), 5, "kpis[0]")
    assert kpi.key == "trial_to_paid"
    assert kpi.name == "Trial-to-paid conversion rate"
    assert kpi.unit == "percent"
    assert kpi.direction is Direction.HIGHER
    assert kpi.target == 16
    assert kpi.thresholds == Thresholds(green=15, red=12)
    assert kpi.cadence.kind is CadenceKind.WEEKLY
    assert kpi.team == "growth"
    assert kpi.owner == "maya@example.com"


def test_every_field_of_the_format_reaches_the_domain(tmp_path: Path) -> None:
    goals = load_goals([write(tmp_path, EVERYTHING)])
    assert goals.teams[1].parent == "company"
    dau, latency = (s.kpi for s in goals.kpis)
    assert (dau.kind.value, dau.north_star, dau.description) == (
        "leading",
        True,
        "Distinct signed-in users with a core action that UTC day.",
    )
    assert (latency.cadence.kind, latency.cadence.expression) == (CadenceKind.CRON, "0 6 * * 1")
    assert (latency.guardrail, latency.formula, latency.source, latency.target) == (
        True,
        "slow / total",
        "warehouse.latency",
        None,
    )
    company, onboarding = goals.objectives
    assert (company.cycle.name, company.cycle.start, company.cycle.end) == (
        "H2",
        date(2026, 7, 1),
        date(2026, 12, 31),
    )
    assert (company.status.value, company.private, company.type) == (
        "draft",
        True,
        ObjectiveType.COMMITTED,
    )
    boolean, milestone = company.key_results
    assert boolean.type is KeyResultType.BOOLEAN
    assert (milestone.type, milestone.milestones, milestone.weight) == (
        KeyResultType.MILESTONE,
        4,
        2.5,
    )
    activation, guard = onboarding.key_results
    assert (activation.deadline, activation.direction) == (date(2026, 9, 15), Direction.HIGHER)
    first, second = activation.check_ins
    assert (first.at, first.value, first.confidence, first.note, first.author) == (
        datetime(2026, 7, 10),
        36.2,
        7,
        "wizard shipped",
        "noah@example.com",
    )
    assert (second.at, second.value, second.confidence) == (datetime(2026, 7, 17, 14, 30), 37, None)
    rewrite_spec, interviews_spec = activation.initiatives
    rewrite, interviews = rewrite_spec.initiative, interviews_spec.initiative
    assert (rewrite.status.value, rewrite.url) == (
        "in_progress",
        "https://tracker.example.com/ISSUE-12",
    )
    assert (interviews.status.value, interviews.url) == ("planned", None)
    # Initiatives keep their line too (counted by hand: lines 74 and 77).
    assert (rewrite_spec.location.line, interviews_spec.location.line) == (74, 77)
    assert (guard.guardrail, guard.kpi, guard.start) == (True, "latency", None)


# --- errors name the file, the line and the field -----------------------------------

TEAM = "teams:\n  - key: growth\n    name: Growth\n"
KPI = """\
kpis:
  - key: trial_to_paid
    name: Trial-to-paid conversion rate
    direction: higher
    thresholds: {green: 15, red: 12}
    cadence: weekly
    team: growth
"""


def test_a_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("        target: 70\n", "        target: lots\n")
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 23)
    assert error.field == "objectives[0].key_results[0].target"
    assert "number" in error.message
    assert "'lots'" in error.message
    assert str(error).startswith(f"{path}:23: objectives[0].key_results[0].target: ")


def test_an_unknown_field_names_file_line_and_field(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("        target: 70\n", "        trget: 70\n")
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 23)
    assert error.field == "objectives[0].key_results[0].trget"
    assert error.message == "unknown field 'trget'"


def test_a_missing_required_field_names_the_entry_and_the_field(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("    direction: higher\n", "")
    path, error = load_error(tmp_path, text)
    # Not written, so it points at the KPI it is missing from (line 5).
    assert (error.source, error.line) == (str(path), 5)
    assert error.field == "kpis[0].direction"
    assert error.message == "missing required field 'direction'"


def test_a_duplicate_key_points_at_the_second_and_names_the_first(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace(
        "        target: 70\n", "        target: 70\n        target: 75\n"
    )
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 24)
    assert error.field == "objectives[0].key_results[0].target"
    assert "duplicate key 'target'" in error.message
    assert "line 23" in error.message


def test_an_unknown_team_names_the_reference_and_the_known_teams(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("    team: growth\n    type:", "    team: grwoth\n    type:")
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 18)
    assert error.field == "objectives[0].team"
    assert "unknown team 'grwoth'" in error.message
    assert "growth" in error.message.removeprefix("unknown team 'grwoth'")


def test_an_unknown_kpi_in_a_key_result_is_an_error(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("kpi: trial_to_paid", "kpi: trial_to_pay")
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 26)
    assert error.field == "objectives[0].key_results[1].kpi"
    assert "unknown KPI 'trial_to_pay'" in error.message
    assert "trial_to_paid" in error.message


def test_an_unknown_parent_objective_is_an_error(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("    type: aspirational\n", "    parent: company-bet\n")
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 19)
    assert error.field == "objectives[0].parent"
    assert "unknown objective 'company-bet'" in error.message
    assert "streamline-onboarding" in error.message


def test_an_unknown_team_of_a_kpi_or_parent_of_a_team_is_an_error(tmp_path: Path) -> None:
    path, error = load_error(tmp_path, TEAM + KPI.replace("team: growth", "team: sales"))
    assert (error.line, error.field) == (10, "kpis[0].team")
    assert "unknown team 'sales'" in error.message
    _, error = load_error(tmp_path, TEAM + "    parent: company\n")
    assert (error.line, error.field) == (4, "teams[0].parent")
    assert "unknown team 'company'" in error.message


def test_a_key_defined_in_two_files_names_the_first_file_and_line(tmp_path: Path) -> None:
    first = write(tmp_path, DESIGN_EXAMPLE, "a.yaml")
    again = "\n".join(DESIGN_EXAMPLE.splitlines()[13:]) + "\n"  # from "objectives:" on
    second = write(tmp_path, again, "b.yaml")
    with pytest.raises(InvalidInput) as raised:
        load_goals([first, second])
    error = raised.value
    assert (error.source, error.line) == (str(second), 2)
    assert error.field == "objectives[0].key"
    assert "'streamline-onboarding'" in error.message
    assert f"{first}:15" in error.message


@pytest.mark.parametrize(
    ("direction", "green", "red", "says"),
    [
        ("higher", 10, 12, "green 10 is below red 12, but higher is better"),
        ("lower", 450, 300, "green 450 is above red 300, but lower is better"),
    ],
)
def test_thresholds_in_the_wrong_order_name_the_thresholds(
    tmp_path: Path, direction: str, green: int, red: int, says: str
) -> None:
    text = TEAM + KPI.replace("higher", direction).replace(
        "{green: 15, red: 12}", f"{{green: {green}, red: {red}}}"
    )
    path, error = load_error(tmp_path, text)
    assert says in error.message
    assert (error.source, error.line) == (str(path), 8)
    assert error.field == "kpis[0].thresholds"


def test_a_bad_cadence_names_its_line(tmp_path: Path) -> None:
    path, error = load_error(tmp_path, TEAM + KPI.replace("weekly", "fortnightly"))
    assert (error.source, error.line, error.field) == (str(path), 9, "kpis[0].cadence")
    assert "'fortnightly' is not a cadence" in error.message


def test_a_cycle_that_is_not_a_quarter_needs_its_dates(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("cycle: 2026-Q3", "cycle: summer")
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line, error.field) == (str(path), 17, "objectives[0].cycle")
    assert "'summer'" in error.message
    assert "start and end" in error.message


def test_a_cycle_that_ends_before_it_starts_is_an_error(tmp_path: Path) -> None:
    dates = "cycle: summer\n    cycle_start: 2026-09-01\n    cycle_end: 2026-06-01"
    path, error = load_error(tmp_path, DESIGN_EXAMPLE.replace("cycle: 2026-Q3", dates))
    assert (error.line, error.field) == (17, "objectives[0].cycle")
    assert "ends (2026-06-01) before it starts (2026-09-01)" in error.message


def test_a_bad_value_in_a_check_in_names_the_field_as_written(tmp_path: Path) -> None:
    check_in = "        check_ins:\n          - at: yesterday\n            value: 41\n"
    text = DESIGN_EXAMPLE.replace("        unit: percent\n", "        unit: percent\n" + check_in)
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 26)
    assert error.field == "objectives[0].key_results[0].check_ins[0].at"


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("{green: 15, red: 12}", "{green: .nan, red: 12}", 8, "kpis[0].thresholds"),
        ("{green: 15, red: 12}", "{green: 15, red: -.inf}", 8, "kpis[0].thresholds"),
        ("    cadence: weekly\n", "    cadence: weekly\n    target: .inf\n", 10, "kpis[0].target"),
    ],
    ids=["nan-green", "infinite-red", "infinite-target"],
)
def test_a_number_that_is_not_finite_is_an_error(
    tmp_path: Path, old: str, new: str, line: int, field: str
) -> None:
    # The domain refuses them (Thresholds.check); a goals file must not slip them in.
    path, error = load_error(tmp_path, TEAM + KPI.replace(old, new))
    assert (error.source, error.line) == (str(path), line)
    assert error.field is not None
    assert error.field.startswith(field)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (TEAM + "   bad: indent\n", 4),
        ("teams:\n  - key: growth\n    name: [Growth\nkpis: []\n", 4),
        ("teams:\n  - key: growth\n\tname: Growth\n", 3),
    ],
    ids=["indent", "unclosed", "tab"],
)
def test_a_yaml_syntax_error_names_the_line_of_the_problem(
    tmp_path: Path, text: str, line: int
) -> None:
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), line)
    assert error.message.startswith("not valid YAML: ")


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("start: 40", "deadline: 2026-02-30", 22, "deadline"),
        ("start: 40", "start: !!int lots", 22, "start"),
        ("target: 70", "target: !percent 70", 23, "target"),
    ],
    ids=["no-such-date", "bad-int", "unknown-tag"],
)
def test_a_value_yaml_cannot_construct_is_an_input_error(
    tmp_path: Path, old: str, new: str, line: int, field: str
) -> None:
    # PyYAML raises ValueError / ConstructorError for these: they must still say where.
    path, error = load_error(tmp_path, DESIGN_EXAMPLE.replace(old, new))
    assert (error.source, error.line) == (str(path), line)
    assert error.field == f"objectives[0].key_results[0].{field}"


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing here yet\n"])
def test_an_empty_file_is_an_error(tmp_path: Path, text: str) -> None:
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 1)
    assert "empty" in error.message


@pytest.mark.parametrize("text", ["- key: growth\n  name: Growth\n", "growth\n", "---\n"])
def test_the_top_level_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    path, error = load_error(tmp_path, text)
    assert (error.source, error.line) == (str(path), 1)
    assert "expected a mapping" in error.message


def test_a_non_utf8_file_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "goals.yaml"
    path.write_bytes("teams:\n  - key: growth\n    name: Café\n".encode("latin-1"))
    with pytest.raises(InvalidInput) as raised:
        load_goals([path])
    assert (raised.value.source, raised.value.line) == (str(path), 3)
    assert "UTF-8" in raised.value.message


def test_a_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "goals.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InvalidInput) as raised:
        load_goals([path])
    assert raised.value.source == str(path)
    assert "binary" in raised.value.message


def test_file_errors_do_not_call_a_goals_file_a_csv(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("teams:\n  - key: growth\n    name: Café\n".encode("latin-1"))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x00\x01teams:")
    for path in (latin, binary):
        with pytest.raises(InvalidInput) as raised:
            load_goals([path])
        assert "CSV" not in raised.value.message


def test_a_file_that_does_not_exist_is_unavailable(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(SourceUnavailable, match="nope.yaml"):
        load_goals([missing])


def test_a_folder_without_yaml_files_is_unavailable(tmp_path: Path) -> None:
    write(tmp_path, "teams: []\n", "notes.txt")
    with pytest.raises(SourceUnavailable, match="no .yaml or .yml files"):
        load_goals([tmp_path])


# --- a folder of files is one workspace ---------------------------------------------


def test_a_folder_loads_as_one_workspace_with_references_across_files(tmp_path: Path) -> None:
    lines = DESIGN_EXAMPLE.splitlines(keepends=True)
    write(tmp_path, "".join(lines[:3]), "teams.yaml")
    write(tmp_path, "".join(lines[3:13]), "kpis/growth.yml")
    write(tmp_path, "".join(lines[13:]), "okrs/2026-q3.yaml")
    write(tmp_path, "not: goals\n", "okrs/README.md")

    assert [p.relative_to(tmp_path).as_posix() for p in goal_files([tmp_path])] == [
        "kpis/growth.yml",
        "okrs/2026-q3.yaml",
        "teams.yaml",
    ]
    goals = load_goals([tmp_path])
    whole = load_goals([write(tmp_path / "one", DESIGN_EXAMPLE)])
    assert placeless(goals) == placeless(whole)
    assert goals.kpis[0].location == Location(str(tmp_path / "kpis/growth.yml"), 2, "kpis[0]")
    assert goals.objectives[0].key_results[1].location.line == 12
    assert goals.objectives[0].key_results[1].location.file == str(tmp_path / "okrs/2026-q3.yaml")


def test_a_reference_to_a_file_left_out_is_an_error(tmp_path: Path) -> None:
    lines = DESIGN_EXAMPLE.splitlines(keepends=True)
    okrs = write(tmp_path, "".join(lines[:3] + lines[13:]), "okrs.yaml")
    with pytest.raises(InvalidInput) as raised:
        load_goals([okrs])
    assert raised.value.field == "objectives[0].key_results[1].kpi"
    assert "none is defined" in raised.value.message


# --- round trip ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [DESIGN_EXAMPLE, EVERYTHING], ids=["design", "everything"])
def test_dumped_goals_load_back_to_the_same_goals(tmp_path: Path, text: str) -> None:
    loaded = load_goals([write(tmp_path, text)])
    again = load_goals([write(tmp_path, dump_goals(loaded), "again.yaml")])
    assert placeless(again) == placeless(loaded)
    assert dump_goals(again) == dump_goals(loaded)


def test_the_demo_goals_survive_a_round_trip(tmp_path: Path) -> None:
    goals = demo_goals()
    loaded = load_goals([write(tmp_path, dump_goals(goals))])
    assert placeless(loaded) == goals
    assert (
        loaded.objectives[0].key_results[0].check_ins
        == goals.objectives[0].key_results[0].check_ins
    )
    assert len(loaded.objectives[0].key_results[0].check_ins) >= 3


def test_a_check_in_a_moment_after_midnight_keeps_its_time(tmp_path: Path) -> None:
    loaded = load_goals([write(tmp_path, DESIGN_EXAMPLE)])
    objective = loaded.objectives[0]
    moments = (datetime(2026, 7, 10), datetime(2026, 7, 17, 0, 0, 0, 250_000))
    wizard = dataclasses.replace(
        objective.key_results[0],
        check_ins=tuple(CheckIn(at, 41.0 + n) for n, at in enumerate(moments)),
    )
    goals = dataclasses.replace(
        loaded,
        objectives=(
            dataclasses.replace(objective, key_results=(wizard, *objective.key_results[1:])),
        ),
    )
    again = load_goals([write(tmp_path, dump_goals(goals), "again.yaml")])
    assert [c.at for c in again.objectives[0].key_results[0].check_ins] == list(moments)


def test_the_writer_leaves_defaults_out(tmp_path: Path) -> None:
    dumped = yaml.safe_load(dump_goals(load_goals([write(tmp_path, DESIGN_EXAMPLE)])))
    wizard = dumped["objectives"][0]["key_results"][0]
    assert wizard == {
        "title": "Increase setup wizard completion rate from 40% to 70%",
        "start": 40,
        "target": 70,
        "unit": "percent",
    }
    assert "cycle_start" not in dumped["objectives"][0]


# --- JSON Schema --------------------------------------------------------------------


def as_json(value: Any) -> Any:
    """YAML data as JSON would hold it: dates and times as ISO 8601 strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def validator() -> Draft202012Validator:
    return Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == {"teams", "kpis", "cycles", "objectives"}


@pytest.mark.parametrize(
    "text",
    [DESIGN_EXAMPLE, EVERYTHING, dump_goals(demo_goals())],
    ids=["design", "everything", "demo"],
)
def test_goals_files_validate_against_the_json_schema(text: str) -> None:
    validator().validate(as_json(yaml.safe_load(text)))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("        target: 70\n", "        trget: 70\n"),
        ("        target: 70\n", "        target: lots\n"),
        ("    direction: higher\n", ""),
        ("    direction: higher\n", "    direction: up\n"),
        ("    type: aspirational\n", "    type: stretch\n"),
        ("  - key: growth\n", "  - key: Growth Team\n"),
    ],
    ids=["unknown-field", "wrong-type", "missing", "bad-direction", "bad-type", "bad-key"],
)
def test_the_json_schema_rejects_what_the_loader_rejects(
    tmp_path: Path, old: str, new: str
) -> None:
    text = DESIGN_EXAMPLE.replace(old, new)
    assert text != DESIGN_EXAMPLE
    with pytest.raises(ValidationError):
        validator().validate(as_json(yaml.safe_load(text)))
    with pytest.raises(InvalidInput):
        load_goals([write(tmp_path, text)])


# --- the seed files -----------------------------------------------------------------


def test_the_seeds_bad_examples_are_found_where_they_are_written() -> None:
    found = lint(load_goals([DATA / "seed_bad.yaml"]))
    assert [(f.location.line, f.code) for f in found] == [
        (20, "OKR001"),
        (20, "OKR006"),
        (49, "OKR002"),
        (57, "OKR001"),
        (57, "OKR006"),
        (64, "OKR006"),
    ]
    assert {f.location.file for f in found} == {str(DATA / "seed_bad.yaml")}


def test_the_seeds_rewrites_lint_clean() -> None:
    assert lint(load_goals([DATA / "seed_good.yaml"])) == []

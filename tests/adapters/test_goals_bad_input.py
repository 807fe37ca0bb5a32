"""Goals files no person writes: nested 50,000 deep, alias bombs, a self-referring
alias, dates outside the years okrkit keeps — each one error naming the file and line,
never a RecursionError or minutes of work; and a genuinely large file (far more values
than any alias limit) loads, with no word about aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrkit.adapters.goals.loader import MAX_DEPTH, load_goals
from tests.adapters.test_goals import DESIGN_EXAMPLE, load_error, write

DEEP = 50_000


@pytest.mark.parametrize(
    "text",
    [
        "teams: " + "[" * DEEP + "]" * DEEP + "\n",
        "teams: " + "{a: " * DEEP + "x" + "}" * DEEP + "\n",
        # Indented blocks grow with the square of their depth: 3,000 is 4.5 MB.
        "\n".join(" " * i + "a:" for i in range(3_000)) + " x\n",
        "\n".join(" " * i + "- " for i in range(3_000)) + "x\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "block-sequences"],
)
def test_a_file_nested_thousands_deep_is_one_error(tmp_path: Path, text: str) -> None:
    path, error = load_error(tmp_path, text)
    assert error.source == str(path)
    assert error.line is not None
    assert "nested" in error.message or "nesting depth" in error.message
    assert "alias" not in error.message


def test_nesting_just_inside_the_limit_is_read_as_data(tmp_path: Path) -> None:
    text = "teams: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    path, error = load_error(tmp_path, text)
    assert "nested" not in error.message  # the schema's complaint, not the depth's
    assert error.field is not None
    assert error.field.startswith("teams")


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=False)
)


def test_an_alias_bomb_is_named_as_such_at_its_line(tmp_path: Path) -> None:
    path, error = load_error(tmp_path, "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + BOMB)
    assert (error.source, error.line) == (str(path), 5)
    assert "aliases repeat more than 100,000 values" in error.message


def test_an_alias_to_itself_names_its_line(tmp_path: Path) -> None:
    path, error = load_error(tmp_path, "teams: []\na: &a [x, *a]\n")
    assert (error.source, error.line) == (str(path), 2)
    assert "*a names no anchor" in error.message


def test_an_anchor_shared_by_a_few_kpis_is_read(tmp_path: Path) -> None:
    text = DESIGN_EXAMPLE.replace("{green: 15, red: 12}", "&usual {green: 15, red: 12}")
    text = text.replace("objectives:\n", KPI_LIKE.format(key="paid_share") + "objectives:\n")
    goals = load_goals([write(tmp_path, text)])
    assert [k.kpi.thresholds for k in goals.kpis][0] == goals.kpis[1].kpi.thresholds


KPI_LIKE = """\
  - key: {key}
    name: Paid share
    direction: higher
    thresholds: *usual
    cadence: weekly
    team: growth
"""


def large_goals(teams: int) -> str:
    """A genuine goals file: `teams` teams, each with 5 KPIs and 3 objectives of 4 key
    results — every value written out, no alias."""
    lines = ["teams:", "  - key: company", "    name: Company"]
    for t in range(teams):
        lines += [f"  - key: team-{t}", f"    name: Product team {t}", "    parent: company"]
    lines.append("kpis:")
    for t in range(teams):
        for k in range(5):
            lines += [
                f"  - key: kpi-{t}-{k}",
                f"    name: Weekly active accounts, area {t}.{k}",
                "    description: Accounts with a key action in the week.",
                "    unit: percent",
                "    direction: higher",
                "    thresholds: {green: 15, red: 12}",
                "    cadence: weekly",
                f"    team: team-{t}",
            ]
    lines.append("objectives:")
    for t in range(teams):
        for o in range(3):
            lines += [
                f"  - key: obj-{t}-{o}",
                "    title: Make onboarding effortless",
                "    cycle: 2026-Q3",
                f"    team: team-{t}",
                "    key_results:",
            ]
            for r in range(4):
                lines += [f"      - title: Setup completion, step {r}", "        start: 40"]
                lines += ["        target: 70", "        unit: percent"]
    return "\n".join(lines) + "\n"


def test_a_large_genuine_file_loads_without_a_word_about_aliases(tmp_path: Path) -> None:
    # 1,500 teams: some 215,000 values in 5 MB, more than the old limit of 200,000 that
    # blamed every large file on "nested aliases?".
    goals = load_goals([write(tmp_path, large_goals(1_500))])
    assert (len(goals.teams), len(goals.kpis), len(goals.objectives)) == (1_501, 7_500, 4_500)
    assert goals.objectives[-1].location.line > 40_000


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("cycle: 2026-Q3", "cycle: 0001-Q3", "objectives[0].cycle"),
        ("cycle: 2026-Q3", "cycle: 9999-Q3", "objectives[0].cycle"),
        ("start: 40", "start: 40\n        deadline: 9999-12-31", "deadline"),
        ("start: 40", "start: 40\n        deadline: 0001-01-01", "deadline"),
        (
            "        unit: percent\n",
            "        unit: percent\n        check_ins:\n          - at: 0001-01-01\n"
            "            value: 41\n",
            "check_ins[0].at",
        ),
    ],
)
def test_a_date_outside_the_kept_years_names_its_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path, error = load_error(tmp_path, DESIGN_EXAMPLE.replace(old, new, 1))
    assert error.source == str(path)
    assert "out of range" in error.message
    assert "1900 to 2999" in error.message
    assert error.field is not None
    assert error.field.endswith(field)

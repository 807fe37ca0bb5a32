"""`okrkit lint`, `okrkit classify` and `okrkit schema` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.cli.helpers import assert_one_line_error
from tests.support.sarif import assert_valid_sarif

DATA = Path(__file__).resolve().parents[1] / "data" / "lint"
BAD, GOOD = DATA / "seed_bad.yaml", DATA / "seed_good.yaml"
LINT_KEYS = {"file", "line", "path", "code", "severity", "message", "hint"}


def test_lint_finds_the_seed_articles_bad_examples(okrkit):
    result = okrkit("lint", str(BAD), "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    assert all(set(f) == LINT_KEYS for f in findings)
    assert [(f["line"], f["code"]) for f in findings] == [
        (20, "OKR001"),
        (20, "OKR006"),
        (49, "OKR002"),
        (57, "OKR001"),
        (57, "OKR006"),
        (64, "OKR006"),
    ]
    launch = findings[2]
    assert launch["file"] == str(BAD)
    assert launch["path"] == "objectives[1].key_results[0]"
    assert launch["severity"] == "error"
    assert "Launch the new AI-powered search feature" in launch["message"]
    assert "initiative" in launch["hint"]


def test_lint_passes_their_rewrites(okrkit):
    result = okrkit("lint", str(GOOD))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings in 1 file." in result.stdout
    assert json.loads(okrkit("lint", str(GOOD), "--format", "json").stdout) == []


def test_lint_prints_like_a_code_linter(okrkit):
    result = okrkit("lint", str(BAD))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{BAD}:20: OKR001 objective 'DAU = 100,000'")
    assert lines[1].strip().startswith("hint:")
    assert lines[-1] == "6 errors, 0 warnings in 1 file"


def test_lint_rules_can_be_switched_off(okrkit):
    result = okrkit("lint", str(BAD), "--disable", "OKR001,okr006", "--format", "json")
    assert [f["code"] for f in json.loads(result.stdout)] == ["OKR002"]
    assert result.returncode == 1
    warnings_only = okrkit("lint", str(BAD), "--disable", "OKR001,OKR002,OKR006")
    assert warnings_only.returncode == 0


def test_lint_sarif_is_a_valid_log_of_the_same_findings(okrkit, tmp_path, monkeypatch):
    # Run where a review tool's checkout would be, on files whose names a URI must encode.
    folder = tmp_path / "goals" / "équipe croissance"
    folder.mkdir(parents=True)
    (folder / "plan été.yaml").write_text(BAD.read_text())
    monkeypatch.chdir(tmp_path)
    result = okrkit("lint", "goals", "--format", "sarif")
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    (run,) = log["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    as_json = json.loads(okrkit("lint", "goals", "--format", "json").stdout)
    rules = run["tool"]["driver"]["rules"]
    seen = []
    for entry, finding in zip(run["results"], as_json, strict=True):
        (location,) = entry["locations"]
        physical = location["physicalLocation"]
        seen.append((physical["artifactLocation"]["uri"], physical["region"]["startLine"]))
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"] == finding["code"]
        assert entry["level"] == finding["severity"]
        assert entry["message"]["text"] == f"{finding['message']}\nHint: {finding['hint']}"
        assert location["logicalLocations"][0]["fullyQualifiedName"] == finding["path"]
    uri = "goals/%C3%A9quipe%20croissance/plan%20%C3%A9t%C3%A9.yaml"
    assert seen == [(uri, finding["line"]) for finding in as_json]
    assert len(seen) >= 5


def test_lint_sarif_of_clean_files_is_an_empty_valid_log(okrkit):
    result = okrkit("lint", str(GOOD), "--format", "sarif")
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert log["runs"][0]["results"] == []


def test_lint_sarif_warnings_alone_exit_0(okrkit):
    result = okrkit("lint", str(BAD), "--disable", "OKR001,OKR002,OKR006", "--format", "sarif")
    assert result.returncode == 0, result.stderr
    assert_valid_sarif(json.loads(result.stdout))


def test_lint_sarif_of_a_bad_file_is_a_one_line_error(okrkit, tmp_path):
    result = okrkit("lint", str(tmp_path / "nope.yaml"), "--format", "sarif")
    assert_one_line_error(result, "nope.yaml", "no such file")


@pytest.mark.parametrize(
    "command", [("classify", "Keep NPS above 40"), ("kpi", "check", "series.csv")]
)
def test_only_lint_speaks_sarif(okrkit, command):
    result = okrkit(*command, "--format", "sarif")
    assert result.returncode == 2
    assert "'sarif' is not one of" in result.stderr


def test_lint_reads_a_folder_as_one_workspace(okrkit, tmp_path):
    (tmp_path / "teams.yaml").write_text("teams:\n  - key: growth\n    name: Growth\n")
    (tmp_path / "kpis.yml").write_text(
        "kpis:\n  - key: churn\n    name: Churn\n    direction: lower\n    cadence: monthly\n"
        "    team: growth\n"
    )
    result = okrkit("lint", str(tmp_path), "--format", "json")
    codes = [(Path(f["file"]).name, f["line"], f["code"]) for f in json.loads(result.stdout)]
    assert codes == [("kpis.yml", 2, "KPI001"), ("kpis.yml", 2, "KPI002")]
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [
        ("teams:\n  - key: growth\n    name: Growth\n    colour: blue\n", 4,
         ["teams[0].colour", "unknown field 'colour'"]),
        ("teams:\n  - name: Growth\n", 2, ["teams[0].key", "missing required field 'key'"]),
        ("teams:\n  - key: growth\n    name: Growth\n    name: Again\n", 4,
         ["teams[0].name", "duplicate key 'name'", "line 3"]),
        ("kpis:\n  - key: nps\n    name: NPS\n    direction: higher\n    cadence: monthly\n"
         "    team: growth\n    target: lots\n", 7, ["kpis[0].target", "valid number", "'lots'"]),
        ("kpis:\n  - key: nps\n    name: NPS\n    direction: higher\n    cadence: monthly\n"
         "    team: nowhere\n", 6, ["kpis[0].team", "unknown team 'nowhere'"]),
        ("teams:\n  - key: growth\n    name: Growth\nobjectives:\n  - key: o\n    title: Grow\n"
         "    cycle: 2026-Q3\n    team: growth\n    key_results:\n      - title: Lift it\n"
         "        kpi: ghost\n", 11, ["objectives[0].key_results[0].kpi", "unknown KPI 'ghost'"]),
        ("teams: [\n", 2, ["not valid YAML"]),
    ],
)  # fmt: skip
def test_bad_goals_files_get_one_line_with_file_line_and_field(
    okrkit, tmp_path, text, line, fragments
):
    path = tmp_path / "okrkit.yaml"
    path.write_text(text)
    result = okrkit("lint", str(path))
    assert_one_line_error(result, f"{path}:{line}:", *fragments)


def test_lint_of_a_missing_file(okrkit, tmp_path):
    assert_one_line_error(okrkit("lint", str(tmp_path / "nope.yaml")), "nope.yaml", "no such file")


def test_lint_unknown_rule(okrkit):
    assert_one_line_error(okrkit("lint", str(GOOD), "--disable", "OKR999"), "--disable", "OKR999")


@pytest.mark.parametrize(
    ("goal", "verdict"),
    [
        ("Launch the new AI-powered search feature", "initiative"),
        ("Our OKR is to maintain 99.9% uptime", "kpi"),
        ("Lift trial-to-paid conversion from 12% back to 16%", "okr"),
        ("Customer churn rate", "kpi"),
        ("Make onboarding feel obvious to a first-time user", "okr"),
    ],
)
def test_classify_json(okrkit, goal, verdict):
    result = okrkit("classify", goal, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"verdict", "reasons", "suggestion"}
    assert doc["verdict"] == verdict
    assert doc["reasons"]
    assert doc["suggestion"]


def test_classify_table_says_why(okrkit):
    result = okrkit("classify", "Launch the new AI-powered search feature")
    assert result.stdout.startswith("INITIATIVE: Launch the new AI-powered search feature")
    assert "because 'launch'" in result.stdout


def test_classify_empty_goal(okrkit):
    assert_one_line_error(okrkit("classify", "  "), "goal", "empty")


def test_schema_is_a_json_schema_that_accepts_the_design_example(okrkit):
    result = okrkit("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    document = yaml.safe_load(GOOD.read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    document["objectives"][0]["colour"] = "blue"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)

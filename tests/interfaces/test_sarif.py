"""The linter's SARIF log: valid against the official SARIF 2.1.0 schema (checked by
jsonschema, tests/support/sarif.py) for findings in files and in the workspace, for no
findings, and for file names a URI must encode; and saying what a review tool needs —
which rule, how bad, which file and line, and a fingerprint that survives a moved line."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import pytest

from okrkit.adapters.goals.loader import load_goals
from okrkit.domain.goals import Location
from okrkit.domain.lint import RULES, Finding, Severity, lint
from okrkit.interfaces.sarif import (
    FINGERPRINT,
    SARIF_SCHEMA,
    SRCROOT,
    fingerprint,
    rule_name,
    sarif_log,
)
from tests.support.sarif import assert_valid_sarif, sarif_schema

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "lint" / "seed_bad.yaml"
WORKSPACE = Path("/srv/goals")


def finding(code: str, file: str, line: int, path: str, message: str = "why") -> Finding:
    return Finding(Location(file, line, path), code, RULES[code].severity, message, "how")


# Findings of the workspace linter: no file, no line, the address of the page as the path.
IN_WORKSPACE = [
    finding("OKR009", "", 0, "/objectives/streamline-onboarding", "aligned to nothing"),
    finding("OKR003", "", 0, "/key-results/12", "lacks an owner"),
    finding("KPI002", "", 0, "/kpis/dau", "has no owner"),
    finding("KPI003", "", 0, "/teams/growth", "watches 9 KPIs"),
]


def run_of(log: dict) -> dict:
    assert len(log["runs"]) == 1
    return log["runs"][0]


def test_the_schema_is_the_official_one():
    schema = sarif_schema()
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_a_log_of_a_goals_files_findings_is_valid_sarif():
    findings = lint(load_goals([BAD]))
    assert findings
    log = sarif_log(findings, root=ROOT)
    assert_valid_sarif(log)
    assert log["$schema"] == SARIF_SCHEMA
    assert log["version"] == "2.1.0"
    results = run_of(log)["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [(f.code, f.location.line) for f in findings]  # fmt: skip


def test_a_log_of_workspace_findings_is_valid_sarif():
    log = sarif_log(IN_WORKSPACE, root=WORKSPACE)
    assert_valid_sarif(log)
    for result, found in zip(run_of(log)["results"], IN_WORKSPACE, strict=True):
        (location,) = result["locations"]
        assert "physicalLocation" not in location
        (logical,) = location["logicalLocations"]
        assert logical["fullyQualifiedName"] == found.location.path
    kinds = [r["locations"][0]["logicalLocations"][0] for r in run_of(log)["results"]]
    assert [(k["name"], k["kind"]) for k in kinds] == [
        ("streamline-onboarding", "object"),
        ("12", "member"),
        ("dau", "object"),
        ("growth", "object"),
    ]


@pytest.mark.parametrize("root", [WORKSPACE, None])
def test_a_log_without_findings_is_valid_sarif(root):
    log = sarif_log([], root=root)
    assert_valid_sarif(log)
    run = run_of(log)
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("/srv/goals/okrkit.yaml", "okrkit.yaml"),
        ("/srv/goals/Équipe croissance/objectifs été.yaml",
         "%C3%89quipe%20croissance/objectifs%20%C3%A9t%C3%A9.yaml"),
        ("/srv/goals/q3 plans/a:b#c?d%e.yml", "q3%20plans/a%3Ab%23c%3Fd%25e.yml"),
        ("/srv/goals/目標/ゴール.yaml", "%E7%9B%AE%E6%A8%99/%E3%82%B4%E3%83%BC%E3%83%AB.yaml"),
    ],
)  # fmt: skip
def test_a_file_is_a_percent_encoded_uri_below_the_source_root(file, uri):
    log = sarif_log([finding("OKR001", file, 7, "objectives[0]")], root=WORKSPACE)
    assert_valid_sarif(log)
    run = run_of(log)
    (location,) = run["results"][0]["locations"]
    artifact = location["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": uri, "uriBaseId": SRCROOT}
    assert run["originalUriBaseIds"] == {SRCROOT: {"uri": "file:///srv/goals/"}}


def test_a_file_outside_the_root_is_named_by_its_absolute_uri():
    log = sarif_log([finding("OKR001", "/tmp/other place/ü.yaml", 3, "objectives[0]")],
                    root=WORKSPACE)  # fmt: skip
    assert_valid_sarif(log)
    artifact = run_of(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///tmp/other%20place/%C3%BC.yaml"}


def test_without_a_root_a_relative_file_stays_relative_and_no_base_is_declared():
    log = sarif_log([finding("OKR001", "goals/plan 1.yaml", 3, "objectives[0]")], root=None)
    assert_valid_sarif(log)
    run = run_of(log)
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "goals/plan%201.yaml", "uriBaseId": SRCROOT}
    assert "originalUriBaseIds" not in run


def test_a_relative_file_is_named_relative_to_the_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    log = sarif_log([finding("OKR001", "teams/a b.yaml", 3, "objectives[0]")], root=tmp_path)
    artifact = run_of(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "teams/a%20b.yaml", "uriBaseId": SRCROOT}


def test_each_result_names_its_rule_level_message_file_line_and_path():
    findings = [
        finding("KPI002", "/srv/goals/kpis.yaml", 5, "kpis[0]", "KPI 'dau' has no owner"),
        finding("OKR001", "/srv/goals/okrkit.yaml", 20, "objectives[0]"),
        finding("OKR002", "/srv/goals/okrkit.yaml", 49, "objectives[1].key_results[0]"),
        finding("OKR001", "/srv/goals/okrkit.yaml", 57, "objectives[2]"),
    ]
    run = run_of(sarif_log(findings, root=WORKSPACE))
    rules = run["tool"]["driver"]["rules"]
    # Only the rules the findings use, in the linter's order.
    assert [r["id"] for r in rules] == ["OKR001", "OKR002", "KPI002"]
    for result, found in zip(run["results"], findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == found.code
        assert result["level"] == found.severity.value
        assert result["message"]["text"] == f"{found.message}\nHint: {found.hint}"
        (location,) = result["locations"]
        assert location["physicalLocation"]["region"] == {"startLine": found.location.line}
        (logical,) = location["logicalLocations"]
        assert logical["fullyQualifiedName"] == found.location.path
    assert [r["level"] for r in run["results"]] == ["warning", "error", "error", "error"]
    assert run["results"][2]["locations"][0]["logicalLocations"][0]["name"] == "key_results[0]"


def test_the_rules_say_what_they_find_how_to_fix_it_and_how_bad_it_is():
    run = run_of(sarif_log([finding("OKR004", "/srv/goals/a.yaml", 1, "objectives[0]")],
                           root=WORKSPACE))  # fmt: skip
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule == {
        "id": "OKR004",
        "name": "ObjectiveHasFewerThan2OrMoreThan5KeyResults",
        "shortDescription": {"text": "objective has fewer than 2 or more than 5 key results"},
        "help": {"text": RULES["OKR004"].fix},
        "defaultConfiguration": {"level": "warning"},
    }


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_every_rule_has_a_camel_case_name_and_says_how_to_fix(rule):
    name = rule_name(rule)
    assert name[:1].isupper()
    assert name.isalnum()
    assert rule.fix.strip()
    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}[rule.severity]
    log = sarif_log([finding(rule.code, "", 0, "/teams/growth")], root=None)
    assert_valid_sarif(log)
    assert run_of(log)["tool"]["driver"]["rules"][0]["defaultConfiguration"] == {"level": level}


def test_names_of_rules_with_capitals_and_punctuation():
    assert rule_name(RULES["OKR006"]) == "KpiDressedAsAnOkrALevelHeldNotAChange"
    assert rule_name(RULES["KPI001"]) == "KpiWithoutTargetOrThresholds"


def fingerprint_of(found: Finding, root: Path | None = WORKSPACE) -> str:
    (result,) = run_of(sarif_log([found], root=root))["results"]
    return result["partialFingerprints"][FINGERPRINT]


def test_the_fingerprint_stays_when_only_the_line_moves():
    before = finding("OKR002", "/srv/goals/okrkit.yaml", 49, "objectives[1].key_results[0]")
    moved = replace(before, location=replace(before.location, line=61))
    assert fingerprint_of(moved) == fingerprint_of(before)
    assert fingerprint_of(before) == fingerprint(
        "OKR002", "okrkit.yaml", "objectives[1].key_results[0]", "why"
    )
    # …and the same checkout in another folder is the same finding.
    elsewhere = replace(before, location=replace(before.location, file="/ci/work/okrkit.yaml"))
    assert fingerprint_of(elsewhere, Path("/ci/work")) == fingerprint_of(before)


@pytest.mark.parametrize(
    "change",
    [
        {"code": "OKR006"},
        {"message": "another reason"},
        {"location": Location("/srv/goals/other.yaml", 49, "objectives[1].key_results[0]")},
        {"location": Location("/srv/goals/okrkit.yaml", 49, "objectives[1].key_results[1]")},
    ],
    ids=["code", "message", "file", "path"],
)
def test_the_fingerprint_changes_with_what_the_finding_is(change):
    before = finding("OKR002", "/srv/goals/okrkit.yaml", 49, "objectives[1].key_results[0]")
    after = replace(before, **change)
    assert fingerprint_of(after) != fingerprint_of(before)


def test_a_workspace_findings_fingerprint_is_its_address_and_message():
    (found,) = IN_WORKSPACE[2:3]
    assert fingerprint_of(found) == fingerprint("KPI002", "/kpis/dau", "/kpis/dau", "has no owner")


def test_the_tool_is_okrkit_at_its_installed_version_with_a_home_only_if_it_has_one():
    driver = run_of(sarif_log([], root=None))["tool"]["driver"]
    assert driver["name"] == "okrkit"
    assert driver["version"] == metadata.version("okrkit")
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("urls", {})
    if urls:
        assert driver["informationUri"] in urls.values()
    else:
        assert "informationUri" not in driver


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("locations", 0, "physicalLocation", "artifactLocation", "uri"), "q3 plans/é.yaml"),
        (("locations", 0, "physicalLocation", "region", "startLine"), 0),
        (("level",), "fatal"),
        (("message",), {"markdown": "no text"}),
        (("ruleIndex",), -2),  # -1 is allowed: "no index"
    ],
    ids=["unencoded-uri", "line-0", "level", "message", "rule-index"],
)
def test_the_validator_rejects_what_sarif_forbids(where, value):
    log = sarif_log([finding("OKR001", "/srv/goals/a.yaml", 4, "objectives[0]")], root=WORKSPACE)
    node = run_of(log)["results"][0]
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    with pytest.raises(AssertionError, match=r"\$\.runs\[0\]\.results\[0\]"):
        assert_valid_sarif(log)

"""The linter's findings as a SARIF 2.1.0 log, the format code-review tools read (GitHub
code scanning, the SARIF viewers of editors and review tools), so that a pull request
that adds a KPI dressed as an OKR shows the finding beside the changed line.

Two kinds of finding have two kinds of location: a finding in a goals file points at
its file and line (a physical location) and at its path in the document (a logical
one); a finding in the workspace database has no file, only the address of its page,
such as `/objectives/streamline-onboarding` (a logical location alone). What the log
holds, for whom, is in docs/goals-file.md, "SARIF for code review".

Written with the standard library: a log is a dozen plain mappings, and an object model
(sarif-om) would add a dependency without adding a check; the tests validate every log
against the official SARIF 2.1.0 schema instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from okrkit import __version__
from okrkit.domain.lint import RULES, Finding, Rule, Severity

__all__ = ["FINGERPRINT", "SARIF_SCHEMA", "SRCROOT", "fingerprint", "rule_name", "sarif_log"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# The base a file's relative URI is resolved against: the folder `okrkit lint` ran in.
SRCROOT = "%SRCROOT%"
# Versioned as SARIF asks, so that a change of what is hashed gets a new name.
FINGERPRINT = "okrkitFinding/v1"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}
# Which of a project's URLs (pyproject's [project.urls]) says what okrkit is.
_HOME_LABELS = ("homepage", "home", "documentation", "repository", "source")


def sarif_log(findings: Sequence[Finding], *, root: Path | None) -> dict[str, Any]:
    """One run of okrkit's linter as a SARIF 2.1.0 log.

    A file is named relative to `root` (the folder a review tool's checkout stands in),
    under the base `%SRCROOT%`; a file outside `root`, or any absolute path when `root`
    is None, by its absolute `file:` URI. The log names only the rules its findings use.
    """
    used = {f.code for f in findings}
    rules = [rule for code, rule in RULES.items() if code in used]
    index = {rule.code: i for i, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules)},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code], root) for f in findings],
    }
    if root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": _directory_uri(root)}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def rule_name(rule: Rule) -> str:
    """A rule's name in CamelCase, from what it finds: ObjectiveContainsNumbersOrMetrics."""
    return "".join(word[:1].upper() + word[1:].lower() for word in re.findall(r"\w+", rule.finds))


def fingerprint(code: str, where: str, path: str, message: str) -> str:
    """What stays the same while a finding only moves between lines: a hash of its rule,
    its file (as the log names it) or page address, its path in the document and its
    message, so a review tool can tell a moved finding from a new one."""
    text = json.dumps([code, where, path, message], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _driver(rules: list[Rule]) -> dict[str, Any]:
    driver: dict[str, Any] = {"name": "okrkit", "version": _version()}
    home = _information_uri()
    if home:
        driver["informationUri"] = home
    driver["rules"] = [
        {
            "id": rule.code,
            "name": rule_name(rule),
            "shortDescription": {"text": rule.finds},
            "help": {"text": rule.fix},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        }
        for rule in rules
    ]
    return driver


def _result(finding: Finding, rule_index: int, root: Path | None) -> dict[str, Any]:
    where = finding.location
    if where.file:
        artifact = _artifact_location(where.file, root)
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {"startLine": where.line},
            }
        }
        if where.path:
            location["logicalLocations"] = [_logical(where.path, "object")]
        named = artifact["uri"]
    else:
        # A finding in the workspace: the address of its page is all there is.
        kind = "member" if where.path.startswith("/key-results/") else "object"
        location = {"logicalLocations": [_logical(where.path, kind)]}
        named = where.path
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": f"{finding.message}\nHint: {finding.hint}"},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT: fingerprint(finding.code, named, where.path, finding.message)
        },
    }


def _logical(name: str, kind: str) -> dict[str, str]:
    """`objectives[0].key_results[1]` in a file, `/kpis/dau` in the workspace."""
    last = re.split(r"[./]", name.rstrip("/"))[-1] or name
    return {"name": last, "fullyQualifiedName": name, "kind": kind}


def _artifact_location(file: str, root: Path | None) -> dict[str, str]:
    path = Path(file)
    if root is not None:
        absolute = Path(os.path.abspath(path))
        base = Path(os.path.abspath(root))
        if absolute.is_relative_to(base):
            return {"uri": _relative_uri(absolute.relative_to(base)), "uriBaseId": SRCROOT}
        return {"uri": absolute.as_uri()}
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": _relative_uri(path), "uriBaseId": SRCROOT}


def _relative_uri(path: PurePath) -> str:
    """A relative path as a URI reference: POSIX separators, every character that is not
    unreserved percent-encoded as UTF-8 (`plan ü.yaml` → `plan%20%C3%BC.yaml`); a colon
    too, so that a first segment such as `c:goals.yaml` is never read as a scheme."""
    return quote(path.as_posix(), safe="/")


def _directory_uri(root: Path) -> str:
    """The absolute `file:` URI of a folder; SARIF asks it to end with a slash."""
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _version() -> str:
    """The installed okrkit's version (the package's own when run from a source tree)."""
    try:
        return metadata.version("okrkit")
    except metadata.PackageNotFoundError:
        return __version__


def _information_uri() -> str | None:
    """okrkit's home page as its package metadata gives it, if it gives one."""
    try:
        meta = metadata.metadata("okrkit")
    except metadata.PackageNotFoundError:
        return None
    info = meta.json
    entries = info.get("project_url", [])
    urls: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else [entries]:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    for label in _HOME_LABELS:
        if urls.get(label):
            return urls[label]
    home = info.get("home_page")
    return home if isinstance(home, str) and home else None

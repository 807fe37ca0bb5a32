"""Goals-as-code commands: `okrkit schema`, `okrkit lint`, `okrkit classify`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from okrkit.adapters.goals.loader import goal_files, load_goals
from okrkit.adapters.goals.schema import json_schema
from okrkit.domain.classify import Classification, Verdict, classify
from okrkit.domain.lint import Finding, Severity, lint
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.interfaces.sarif import sarif_log

__all__ = [
    "LintFormat",
    "classify_command",
    "classify_document",
    "finding_document",
    "lint_command",
    "schema_command",
]

VERDICT_STYLE = {
    Verdict.KPI: "bold cyan",
    Verdict.OKR: "bold green",
    Verdict.INITIATIVE: "bold magenta",
}


class LintFormat(StrEnum):
    """How `okrkit lint` prints its findings: the shared formats and SARIF, which only
    the linter speaks."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"


LintFormatOption = Annotated[
    LintFormat,
    typer.Option(
        "--format",
        help="table for people, json for scripts, sarif (SARIF 2.1.0) for code review.",
        case_sensitive=False,
    ),
]


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def schema_command() -> None:
    """Print the JSON Schema of goals files (okrkit.yaml), for editors and CI."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def finding_document(finding: Finding) -> dict[str, Any]:
    """One finding as `lint --format json` prints it (docs/cli.md, "JSON output")."""
    return {
        "file": finding.location.file,
        "line": finding.location.line,
        "path": finding.location.path,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "hint": finding.hint,
    }


def lint_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Goals files or folders of them.", show_default=False)
    ],
    disable: Annotated[
        str | None,
        typer.Option(help="Rules to switch off, e.g. OKR009,KPI002.", metavar="CODE,..."),
    ] = None,
    output: LintFormatOption = LintFormat.TABLE,
) -> None:
    """Lint goals files: outputs written as key results, KPIs dressed as OKRs, numbers in
    objectives, missing owners and more. Exits 1 when it finds errors."""
    disabled = {code.strip().upper() for code in (disable or "").split(",") if code.strip()}
    files = goal_files(paths)
    findings = lint(load_goals(files), disabled)
    if output is LintFormat.JSON:
        print_json([finding_document(f) for f in findings])
    elif output is LintFormat.SARIF:
        print_json(sarif_log(findings, root=Path.cwd()))
    else:
        for f in findings:
            style = "red" if f.severity is Severity.ERROR else "yellow"
            console.print(
                f"{escape(str(f.location))}: [{style}]{f.code}[/] {escape(f.message)}\n"
                f"    [dim]hint: {escape(f.hint)}[/]",
                soft_wrap=True,  # one finding per line, as a code linter prints them
            )
        errors = sum(f.severity is Severity.ERROR for f in findings)
        where = _count(len(files), "file")
        if findings:
            console.print(
                f"{_count(errors, 'error')}, {_count(len(findings) - errors, 'warning')} in {where}"
            )
        else:
            console.print(f"No findings in {where}.")
    if any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)


def classify_document(result: Classification) -> dict[str, Any]:
    """`classify --format json` (docs/cli.md, "JSON output")."""
    return {
        "verdict": result.verdict.value,
        "reasons": list(result.reasons),
        "suggestion": result.suggestion,
    }


def classify_command(
    goal: Annotated[
        str, typer.Argument(help="A proposed goal in words, in quotes.", show_default=False)
    ],
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Say whether a goal belongs on the dashboard (KPI), in an OKR, or is an initiative."""
    result = classify(goal)
    if output is OutputFormat.JSON:
        print_json(classify_document(result))
        return
    console.print(
        f"[{VERDICT_STYLE[result.verdict]}]{result.verdict.value.upper()}[/]: {escape(goal)}"
    )
    for reason in result.reasons:
        console.print(f"  because {escape(reason)}")
    console.print(f"  [dim]{escape(result.suggestion)}[/]")

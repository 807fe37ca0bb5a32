"""Goals-as-code commands: `okrkit schema`, `okrkit lint`, `okrkit classify`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from okrkit.adapters.goals.loader import goal_files, load_goals
from okrkit.adapters.goals.schema import json_schema
from okrkit.adapters.goals.settings import find_settings
from okrkit.domain.classify import Classification, Verdict, classify
from okrkit.domain.lint import DATA_RULES, Finding, Severity, lint
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    TodayOption,
    console,
    error_console,
    print_json,
    today_or_now,
)
from okrkit.services.lint import lint_workspace

__all__ = [
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


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def schema_command() -> None:
    """Print the JSON Schema of goals files (okrkit.yaml), for editors and CI."""
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def finding_document(finding: Finding) -> dict[str, Any]:
    """One finding as `lint --format json` prints it (docs/cli.md, "JSON output"): an
    entry of the workspace has no file and no line (null), its `path` is its page's
    address."""
    where = finding.location
    return {
        "file": where.file or None,
        "line": where.line if where.file else None,
        "path": where.path,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "hint": finding.hint,
    }


# What `okrkit lint PATH` says once when files define KPIs: their data is not in files.
DATA_RULES_NOTE = (
    f"{DATA_RULES[0]}–{DATA_RULES[-1]} (stale data, no alerting, broken data) are judged "
    "on the workspace only: run okrkit lint without a PATH"
)


def lint_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Goals files or folders of them; none: lint the workspace.", show_default=False
        ),
    ] = None,
    disable: Annotated[
        str | None,
        typer.Option(
            help="Rules to switch off for this run, besides those the settings switch off, "
            "e.g. OKR009,KPI002.",
            metavar="CODE,...",
        ),
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
    today: TodayOption = None,
) -> None:
    """Lint goals files, or the workspace without a PATH: outputs written as key results,
    KPIs dressed as OKRs, numbers in objectives, missing owners, sandbagging, unscored
    objectives, stale or broken KPIs and more. Exits 1 when it finds errors."""
    disabled = {code.strip().upper() for code in (disable or "").split(",") if code.strip()}
    note = None
    if paths:
        files = goal_files(paths)
        _, settings = find_settings(files)
        goals = load_goals(files)
        findings = lint(goals, settings.disable | disabled)
        where = _count(len(files), "file")
        off = settings.disable | disabled
        if goals.kpis and not set(DATA_RULES) <= off:
            note = DATA_RULES_NOTE
    else:
        context.ready()
        result = lint_workspace(context.unit_of_work(), today_or_now(today), disabled)
        findings = list(result.findings)
        where = "the workspace"
        if result.settings_disable:
            note = "switched off by the workspace's settings: " + ", ".join(
                sorted(result.settings_disable)
            )
    if output is OutputFormat.JSON:
        print_json([finding_document(f) for f in findings])
        if note:
            error_console.print(f"[dim]{escape(note)}[/]", soft_wrap=True)
    else:
        _print_findings(findings, where, note)
    if any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)


def _print_findings(findings: list[Finding], where: str, note: str | None) -> None:
    """Findings as a code linter prints them, one a line with its hint below: in colour
    on a terminal, as plain lines written at once elsewhere (a workspace of thousands
    of KPIs gives tens of thousands of findings, and Rich takes 0.25 ms for each)."""
    if console.is_terminal:
        for f in findings:
            style = "red" if f.severity is Severity.ERROR else "yellow"
            console.print(
                f"{escape(str(f.location))}: [{style}]{f.code}[/] {escape(f.message)}\n"
                f"    [dim]hint: {escape(f.hint)}[/]",
                soft_wrap=True,  # one finding per line, as a code linter prints them
            )
    else:
        sys.stdout.writelines(
            f"{f.location}: {f.code} {f.message}\n    hint: {f.hint}\n" for f in findings
        )
        sys.stdout.flush()
    if note:
        console.print(f"[dim]{escape(note)}[/]", soft_wrap=True)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    if findings:
        console.print(
            f"{_count(errors, 'error')}, {_count(len(findings) - errors, 'warning')} in {where}"
        )
    else:
        console.print(f"No findings in {where}.")


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

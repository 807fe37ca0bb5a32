"""Goals-as-code commands: `okrkit schema`, `okrkit lint`, `okrkit classify`, and
`okrkit plan`, `okrkit apply`, `okrkit export` (goals files made the workspace, and back)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from okrkit.adapters.goals.loader import SUFFIXES, goal_files, load_goals
from okrkit.adapters.goals.schema import json_schema
from okrkit.adapters.goals.settings import find_settings
from okrkit.adapters.goals.writer import dump_goals, dump_goals_by_team
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
from okrkit.interfaces.sarif import sarif_log
from okrkit.services.goals import (
    Action,
    Change,
    Plan,
    apply_goals,
    export_goals,
    lint_workspace,
    plan_goals,
)

__all__ = [
    "LintFormat",
    "apply_command",
    "change_document",
    "classify_command",
    "export_command",
    "classify_document",
    "finding_document",
    "lint_command",
    "plan_command",
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
    output: LintFormatOption = LintFormat.TABLE,
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
        result = lint_workspace(
            context.unit_of_work(), today_or_now(today), disabled, viewer=context.actor()
        )
        findings = list(result.findings)
        where = "the workspace"
        if result.settings_disable:
            note = "switched off by the workspace's settings: " + ", ".join(
                sorted(result.settings_disable)
            )
    if output is LintFormat.JSON or output is LintFormat.SARIF:
        if output is LintFormat.JSON:
            print_json([finding_document(f) for f in findings])
        else:
            print_json(sarif_log(findings, root=Path.cwd()))
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


# --- Goals as code: okrkit plan, okrkit apply, okrkit export --------------------------------

DEFAULT_GOALS = Path("okrkit.yaml")
GoalsPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Goals files or folders of them (default: okrkit.yaml here).", show_default=False
    ),
]
ACTION_MARK = {
    Action.CREATE: "+",
    Action.CHANGE: "~",
    Action.ARCHIVE: "-",
    Action.RESTORE: "↺",
    Action.APPEND: "+",
}
ACTION_WORDS = {
    Action.CREATE: "to create",
    Action.CHANGE: "to change",
    Action.ARCHIVE: "to archive",
    Action.RESTORE: "to restore",
    Action.APPEND: "check-ins to append",
}


def change_document(change: Change) -> dict[str, Any]:
    """One change as `plan --format json` and `apply --format json` print it."""
    return {
        "action": change.action.value,
        "kind": change.kind,
        "key": change.key,
        "file": change.location.file or None,
        "line": change.location.line or None,
        "path": change.location.path,
        "fields": [{"field": f.field, "before": f.before, "after": f.after} for f in change.fields],
    }


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "none"
    # As the goals file writes it: text in quotes, true/false, numbers as they are.
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str | bool) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _print_plan(plan: Plan, files: list[Path]) -> None:
    counts = plan.counts
    if not plan.changes:
        console.print(
            f"No changes: the workspace is what {_count(len(files), 'file')} "
            f"{'says' if len(files) == 1 else 'say'}."
        )
        return
    summary = ", ".join(f"{counts[a]} {w}" for a, w in ACTION_WORDS.items() if counts[a])
    console.print(f"{'Applied' if plan.applied else 'Plan'}: {summary}.")
    for change in plan.changes:
        kind = change.kind.replace("_", " ")
        verb = change.action.value
        console.print(
            f"  {ACTION_MARK[change.action]} {verb} {kind} {escape(change.key)}"
            f"  [dim]({escape(str(change.location))})[/]",
            soft_wrap=True,
        )
        for f in change.fields:
            before = "" if change.action is Action.APPEND else f"{escape(_shown(f.before))} → "
            console.print(f"      {f.field}: {before}{escape(_shown(f.after))}", soft_wrap=True)
    for note in plan.notes:
        console.print(f"[dim]{escape(note)}[/]", soft_wrap=True)
    if not plan.applied:
        console.print(
            "Nothing was written: `okrkit apply` with the same files makes these changes."
        )


def _goals_run(paths: list[Path] | None, output: OutputFormat, *, apply: bool) -> None:
    files = goal_files(paths or [DEFAULT_GOALS])
    goals = load_goals(files)
    context.ready()
    run = apply_goals if apply else plan_goals
    plan = run(context.unit_of_work(), goals, context.actor(), context.now())
    if output is OutputFormat.JSON:
        print_json([change_document(c) for c in plan.changes])
    else:
        _print_plan(plan, files)


def plan_command(paths: GoalsPaths = None, output: FormatOption = OutputFormat.TABLE) -> None:
    """Show what `okrkit apply` would change in the workspace to make it what the goals
    files say (created, changed field by field, archived, restored, check-ins appended);
    writes nothing."""
    _goals_run(paths, output, apply=False)


def apply_command(paths: GoalsPaths = None, output: FormatOption = OutputFormat.TABLE) -> None:
    """Make the workspace what the goals files say, in one transaction, and print what
    changed; the same files again change nothing."""
    _goals_run(paths, output, apply=True)


def export_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A .yaml/.yml file, or a folder for one file a team (default: standard output).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the workspace out as goals files: teams, KPIs (their values stay in the
    database), cycles and objectives with their key results, check-ins and initiatives."""
    context.ready()
    goals = export_goals(context.unit_of_work(), viewer=context.actor())
    if path is None:
        sys.stdout.write(dump_goals(goals))
        return
    if path.suffix in SUFFIXES:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_goals(goals), encoding="utf-8")
        console.print(f"Wrote {escape(str(path))}.")
        return
    path.mkdir(parents=True, exist_ok=True)
    files = dump_goals_by_team(goals)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    console.print(f"Wrote {_count(len(files), 'file')} to {escape(str(path))}.")
    others = sorted(p.name for p in path.iterdir() if p.suffix in SUFFIXES and p.name not in files)
    if others:
        console.print(
            f"Left alone: {escape(', '.join(others))} (not written by this export: a file "
            "that still names a team, KPI or objective restores it at the next apply)."
        )

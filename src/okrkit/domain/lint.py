"""The linter: keeps KPIs and OKRs honest, the way a code linter keeps code honest.

Each rule has a stable code, a severity, a message that says why in the seeds' terms
and a hint that says how to fix. This module holds the rules that need only the goals
files themselves (no history): OKR001–OKR006, OKR008, OKR009, KPI001–KPI003.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum

from okrkit.domain import wording
from okrkit.domain.errors import InvalidInput
from okrkit.domain.goals import Goals, KeyResultSpec, Location, ObjectiveSpec
from okrkit.domain.progress import KeyResultType

__all__ = ["RULES", "Finding", "Rule", "Severity", "lint"]

MIN_KEY_RESULTS, MAX_KEY_RESULTS = 2, 5
MAX_OBJECTIVES = 3
MAX_KPIS = 8


class Severity(StrEnum):
    """An error makes `okrkit lint` fail; a warning is advice."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """A lint rule: its code, its severity, what it finds and, in general, how to fix
    it (each finding's hint says how to fix that one)."""

    code: str
    severity: Severity
    finds: str
    fix: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "OKR001",
            Severity.ERROR,
            "objective contains numbers or metrics",
            "Move the numbers into key results, and say in words where the objective goes.",
        ),
        Rule(
            "OKR002",
            Severity.ERROR,
            "key result is an output or task, not an outcome",
            "Measure the change the work should cause, from a baseline to a target, and make "
            "the work an initiative under that key result.",
        ),
        Rule(
            "OKR003",
            Severity.ERROR,
            "key result lacks a baseline, target, owner or deadline",
            "Give the key result a start, a target and an owner, and keep its deadline inside "
            "the cycle (left out, it is the cycle's end).",
        ),
        Rule(
            "OKR004",
            Severity.WARNING,
            "objective has fewer than 2 or more than 5 key results",
            "Keep 2 to 5 key results: add the measurable outcomes that would prove the "
            "objective, or move the extra ones to KPIs or initiatives.",
        ),
        Rule(
            "OKR005",
            Severity.WARNING,
            "a team has more than 3 objectives in a cycle",
            "Keep the 1 to 3 objectives that matter most this cycle; watch the rest as KPIs.",
        ),
        Rule(
            "OKR006",
            Severity.ERROR,
            "KPI dressed as an OKR: a level held, not a change",
            "Watch a level you hold as a KPI with thresholds (or as a guardrail key result); "
            "write objectives and key results for changes you would retire after the cycle.",
        ),
        Rule(
            "OKR008",
            Severity.WARNING,
            "engagement key result without a guardrail",
            "Add a key result with guardrail: true for what must not get worse, such as "
            "churn, unsubscribes or support tickets.",
        ),
        Rule(
            "OKR009",
            Severity.WARNING,
            "objective aligned to nothing",
            "Set parent: to the objective it serves, or north_star: to the North Star KPI.",
        ),
        Rule(
            "KPI001",
            Severity.ERROR,
            "KPI without target or thresholds",
            "Add target: and thresholds: {green: …, red: …} to the KPI.",
        ),
        Rule(
            "KPI002",
            Severity.WARNING,
            "KPI without owner",
            "Give the KPI an owner: the person who answers for it when it turns red.",
        ),
        Rule(
            "KPI003",
            Severity.WARNING,
            "a team watches more than 8 KPIs",
            "Keep the 5 to 8 health metrics the team reviews every week; archive the rest.",
        ),
    )
}


@dataclass(frozen=True, order=True)
class Finding:
    """One thing the linter found, where it was written, why it matters, how to fix it."""

    location: Location
    code: str
    severity: Severity
    message: str
    hint: str


def _finding(code: str, location: Location, message: str, hint: str) -> Finding:
    return Finding(location, code, RULES[code].severity, message, hint)


def lint(goals: Goals, disabled: Collection[str] = ()) -> list[Finding]:
    """Every finding of every enabled rule, ordered by file and line.

    `disabled` switches rules off by code; an unknown code is an error, so a typo does
    not silently leave a rule on.
    """
    unknown = sorted(set(disabled) - RULES.keys())
    if unknown:
        raise InvalidInput(
            f"unknown rule {', '.join(unknown)}; the rules are {', '.join(RULES)}",
            field="--disable",
        )
    findings = [
        *_objective_findings(goals),
        *_team_findings(goals),
        *_kpi_findings(goals),
    ]
    return sorted(f for f in findings if f.code not in disabled)


def _objective_findings(goals: Goals) -> Iterator[Finding]:
    parents = {t.parent for t in goals.teams if t.parent}
    top_teams = {t.team.key for t in goals.teams if t.parent is None and t.team.key in parents}
    for objective in goals.objectives:
        yield from _objective_text(objective)
        count = len(objective.key_results)
        if not MIN_KEY_RESULTS <= count <= MAX_KEY_RESULTS:
            yield _finding(
                "OKR004",
                objective.location,
                f"objective {objective.title!r} has {count} key result{'s' * (count != 1)}: "
                f"{MIN_KEY_RESULTS} to {MAX_KEY_RESULTS} make an objective measurable "
                "without turning it into a metrics dictionary",
                "keep the 2–5 key results that best prove the objective; move the rest to "
                "KPIs or initiatives"
                if count > MAX_KEY_RESULTS
                else "add measurable outcomes that would prove the objective is achieved",
            )
        if not (objective.parent or objective.north_star or objective.team in top_teams):
            yield _finding(
                "OKR009",
                objective.location,
                f"objective {objective.title!r} is aligned to nothing: no parent objective "
                "and no North Star KPI, so nobody can see what it serves",
                "set parent: to the objective it serves, or north_star: to the North Star KPI",
            )
        if any(
            wording.engagement(kr.title) for kr in objective.key_results if not kr.guardrail
        ) and not any(kr.guardrail for kr in objective.key_results):
            metric = next(
                e.words
                for kr in objective.key_results
                if not kr.guardrail and (e := wording.engagement(kr.title))
            )
            yield _finding(
                "OKR008",
                objective.location,
                f"objective {objective.title!r} pushes an engagement metric ({metric!r}) "
                "with no guardrail: engagement can be bought in ways that hurt users",
                "add a key result with guardrail: true for what must not get worse, such as "
                "churn, unsubscribes or support tickets",
            )
        for kr in objective.key_results:
            yield from _key_result_findings(objective, kr)


def _objective_text(objective: ObjectiveSpec) -> Iterator[Finding]:
    numbers = wording.numbers_in(objective.title)
    if numbers:
        yield _finding(
            "OKR001",
            objective.location,
            f"objective {objective.title!r} {numbers.reason} ({numbers.words!r}): an "
            "objective is the qualitative direction; numbers are its key results' job",
            f"move {numbers.words!r} into a key result and say where you are going in "
            "words (e.g. 'Make onboarding feel obvious to a first-time user')",
        )
    held = wording.status_quo(objective.title)
    if held:
        yield _finding(
            "OKR006",
            objective.location,
            f"objective {objective.title!r} {held.reason} ({held.words!r}): that is a "
            "KPI dressed as an OKR — if you are already there, there is no change to drive",
            "track it as a KPI with green and red thresholds; write an objective only for "
            "a change you would retire after the cycle",
        )


def _key_result_findings(objective: ObjectiveSpec, kr: KeyResultSpec) -> Iterator[Finding]:
    if not kr.guardrail:
        made = wording.output(kr.title)
        if made:
            yield _finding(
                "OKR002",
                kr.location,
                f"key result {kr.title!r} is an output ({made.reason}: {made.words!r}), not "
                "an outcome: you could ship it to the sound of crickets",
                "ask 'so what?': measure the change it should cause, from a baseline to a "
                "target, and make this an initiative under that key result",
            )
        held = wording.status_quo(kr.title)
        flat = kr.type is KeyResultType.NUMERIC and kr.start is not None and kr.start == kr.target
        why = None
        if flat and kr.start is not None:
            why = f"has its target equal to its start ({kr.start:g})"
        elif held:
            why = f"{held.reason} ({held.words!r})"
        if why:
            yield _finding(
                "OKR006",
                kr.location,
                f"key result {kr.title!r} {why}: a KPI dressed as an OKR — if you are "
                "already there, there is no change to drive",
                "watch it as a KPI with thresholds (or mark it guardrail: true); key results "
                "are for changes",
            )
    missing = []
    if kr.type is KeyResultType.NUMERIC:
        if kr.start is None and kr.kpi is None:
            missing.append("a baseline (start)")
        if kr.target is None:
            missing.append("a target")
    if kr.type is KeyResultType.MILESTONE and kr.milestones is None:
        missing.append("a number of milestones")
    if not (kr.owner or objective.owner):
        missing.append("an owner")
    if missing:
        listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        yield _finding(
            "OKR003",
            kr.location,
            f"key result {kr.title!r} lacks {listed}: a key result is tracked from a "
            "baseline to a target, by an owner, by a deadline",
            "give start:, target: and owner: (the deadline defaults to the cycle's end)",
        )
    if kr.deadline is not None and not objective.cycle.start <= kr.deadline <= objective.cycle.end:
        yield _finding(
            "OKR003",
            kr.location,
            f"key result {kr.title!r} has its deadline {kr.deadline} outside the cycle "
            f"{objective.cycle.name} ({objective.cycle.start} to {objective.cycle.end})",
            "set a deadline inside the cycle, or leave it out to use the cycle's end",
        )


def _team_findings(goals: Goals) -> Iterator[Finding]:
    per_cycle: dict[tuple[str, str], list[ObjectiveSpec]] = defaultdict(list)
    for objective in goals.objectives:
        per_cycle[(objective.team, objective.cycle.name)].append(objective)
    for (team, cycle), objectives in sorted(per_cycle.items()):
        if len(objectives) > MAX_OBJECTIVES:
            extra = sorted(objectives, key=lambda o: o.location)[MAX_OBJECTIVES]
            yield _finding(
                "OKR005",
                extra.location,
                f"team {team!r} has {len(objectives)} objectives in {cycle}: more than "
                f"{MAX_OBJECTIVES} is not focus — focus means saying no",
                "keep the 1–3 objectives that matter most this cycle; watch the rest as KPIs",
            )
    kpis_per_team = Counter(spec.kpi.team for spec in goals.kpis)
    for team, count in sorted(kpis_per_team.items()):
        if count > MAX_KPIS:
            watched = sorted(
                (s for s in goals.kpis if s.kpi.team == team), key=lambda s: s.location
            )
            yield _finding(
                "KPI003",
                watched[MAX_KPIS].location,
                f"team {team!r} watches {count} KPIs: more than {MAX_KPIS} and nobody "
                "watches any of them",
                "keep the 5–8 health metrics the team reviews every week; archive the rest",
            )


def _kpi_findings(goals: Goals) -> Iterator[Finding]:
    for spec in goals.kpis:
        kpi = spec.kpi
        missing = [
            name
            for name, value in (("a target", kpi.target), ("thresholds", kpi.thresholds))
            if value is None
        ]
        if missing:
            yield _finding(
                "KPI001",
                spec.location,
                f"KPI {kpi.key!r} has no {' and no '.join(m.removeprefix('a ') for m in missing)}: "
                "a KPI without a target is just a number on a slide, and without thresholds "
                "its status is unknown",
                "add target: and thresholds: {green: …, red: …}",
            )
        if not kpi.owner:
            yield _finding(
                "KPI002",
                spec.location,
                f"KPI {kpi.key!r} has no owner: when it turns red, nobody is the one to act",
                "add owner: (an e-mail address) for the person who answers for this KPI",
            )

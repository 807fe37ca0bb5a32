"""The linter: keeps KPIs and OKRs honest, the way a code linter keeps code honest.

Each rule has a stable code, a severity, a message that says why in the seeds' terms
and a hint that says how to fix. Most rules judge what is written (OKR001–OKR006,
OKR008, OKR009, KPI001–KPI003); three judge the record of past cycles (OKR007
sandbagging, OKR010 chronic overreach, OKR011 never scored), on files and workspace
alike once cycles carry their states and objectives their scores; three judge a KPI's
data (KPI004 stale, KPI005 no alerting, KPI006 broken data), which only a workspace
knows: the caller gives those facts (`KpiFacts`), and without them the rules are not
judged.

An objective of a closed cycle is history: only the rules on the record judge it (its
wording was judged while it was planned and worked on).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from okrkit.domain import wording
from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import InvalidInput
from okrkit.domain.goals import CycleSpec, Goals, KeyResultSpec, Location, ObjectiveSpec
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.domain.phrasing import when
from okrkit.domain.progress import KeyResultType
from okrkit.domain.quality import Quality

__all__ = [
    "DATA_RULES",
    "RULES",
    "SANDBAGGING",
    "STREAK",
    "TEAM_RULES",
    "Finding",
    "KpiFacts",
    "Rule",
    "Severity",
    "lint",
]

MIN_KEY_RESULTS, MAX_KEY_RESULTS = 2, 5
MAX_OBJECTIVES = 3
MAX_KPIS = 8
# A team's mean score of aspirational objectives in a closed cycle at or above this is
# a sure thing, not a stretch; below OVERREACH the goals were out of reach. Either, in
# STREAK or more of the team's closed cycles in a row, is a pattern (OKR007, OKR010).
SANDBAGGING, OVERREACH = 0.95, 0.4
STREAK = 2


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
    why: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("OKR001", Severity.ERROR, "objective contains numbers or metrics",
             "Move the numbers into key results, and say in words where the objective goes.",
             "An objective is the qualitative direction; the numbers that prove it belong "
             "in its key results."),
        Rule("OKR002", Severity.ERROR, "key result is an output or task, not an outcome",
             "Measure the change the work should cause, from a baseline to a target, and "
             "make the work an initiative under that key result.",
             "Shipping something is work, not a result: measure the change it should "
             "cause, and keep the work as an initiative under that key result."),
        Rule("OKR003", Severity.ERROR, "key result lacks a baseline, target, owner or deadline",
             "Give the key result a start, a target and an owner, and keep its deadline "
             "inside the cycle (left out, it is the cycle's end).",
             "A key result is tracked from a baseline to a target, by an owner, by a "
             "deadline; without one of them nobody can say how far it got."),
        Rule("OKR004", Severity.WARNING, "objective has fewer than 2 or more than 5 key results",
             "Keep 2 to 5 key results: add the measurable outcomes that would prove the "
             "objective, or move the extra ones to KPIs or initiatives.",
             "One key result rarely proves an objective; more than five turn it into a "
             "metrics dictionary."),
        Rule("OKR005", Severity.WARNING, "a team has more than 3 objectives in a cycle",
             "Keep the 1 to 3 objectives that matter most this cycle; watch the rest as KPIs.",
             "Focus means saying no: more than three objectives and none gets the "
             "attention it needs."),
        Rule("OKR006", Severity.ERROR, "KPI dressed as an OKR: a level held, not a change",
             "Watch a level you hold as a KPI with thresholds (or as a guardrail key "
             "result); write objectives and key results for changes you would retire "
             "after the cycle.",
             "Holding a level is a KPI's job, watched with thresholds; an OKR is a change "
             "you would retire after the cycle."),
        Rule("OKR007", Severity.WARNING,
             "sandbagging: a team scored 0.95 or more on its aspirational objectives "
             "for 2+ closed cycles in a row",
             "Set the next cycle's aspirational key results beyond what the team is sure "
             "to reach: 0.7 should feel like a stretch.",
             "An aspirational objective is a stretch: 0.7 is success. Reaching every one "
             "cycle after cycle means the goals were set where the team already was."),
        Rule("OKR008", Severity.WARNING, "engagement key result without a guardrail",
             "Add a key result with guardrail: true for what must not get worse, such as "
             "churn, unsubscribes or support tickets.",
             "Engagement can be bought in ways that hurt users; a guardrail says what "
             "must not get worse on the way."),
        Rule("OKR009", Severity.WARNING, "objective aligned to nothing",
             "Set parent: to the objective it serves, or north_star: to the North Star KPI.",
             "An objective that serves no parent objective and no North Star cannot show "
             "what it contributes to."),
        Rule("OKR010", Severity.WARNING,
             "chronic overreach: a team scored under 0.4 on its aspirational objectives "
             "for 2+ closed cycles in a row",
             "Set fewer or nearer aspirational key results, or give the team what it needs "
             "to reach them: 0.7 should be within reach.",
             "Missing by far cycle after cycle means the goals are out of reach; people "
             "stop believing them and stop trying."),
        Rule("OKR011", Severity.ERROR, "an objective of a closed cycle was never scored",
             "Score the objective's key results and write what was learned; then close it.",
             "OKRs never scored become decoration: nobody learns whether the bet paid "
             "off, and the next cycle is planned blind."),
        Rule("KPI001", Severity.ERROR, "KPI without target or thresholds",
             "Add target: and thresholds: {green: …, red: …} to the KPI.",
             "Without a target a KPI is a number on a slide; without thresholds its "
             "status is unknown and nothing can turn it red."),
        Rule("KPI002", Severity.WARNING, "KPI without owner",
             "Give the KPI an owner: the person who answers for it when it turns red.",
             "When a KPI turns red, someone must be the one to act."),
        Rule("KPI003", Severity.WARNING, "a team watches more than 8 KPIs",
             "Keep the 5 to 8 health metrics the team reviews every week; archive the rest.",
             "A team that watches more than eight KPIs watches none of them."),
        Rule("KPI004", Severity.WARNING, "stale KPI: its newest value is older than its "
             "cadence allows",
             "Bring the KPI's data up to date (an import, its source's refresh), or give it "
             "the cadence it is really measured at.",
             "Stale data is flagged, not trusted: a stale KPI is never shown green, so "
             "it cannot tell the team the business is healthy."),
        Rule("KPI005", Severity.WARNING, "KPI with no alerting: nobody is told when it moves",
             "Subscribe someone to the KPI, its team or everything (a webhook, Slack or "
             "e-mail), so a change reaches a person.",
             "A KPI that turns red with nobody told waits for someone to look; an alert "
             "turns it into a reason to act."),
        Rule("KPI006", Severity.WARNING,
             "KPI whose data is broken: gaps, nulls, duplicates, a segment that stopped "
             "reporting",
             "Fix the data where it comes from: fill the missing periods, remove nulls and "
             "duplicates, bring back the segment that stopped.",
             "A verdict on data that is not whole is noise: the chart and the status "
             "rest on periods that are missing or wrong."),
    )
}  # fmt: skip

# Rules about a team as a whole (found at one of its entries): a page of one objective
# or one KPI leaves them to the workspace's findings.
TEAM_RULES = frozenset({"OKR005", "OKR007", "OKR010", "KPI003"})
# Rules that judge a KPI's data: only a workspace knows it.
DATA_RULES = ("KPI004", "KPI005", "KPI006")


@dataclass(frozen=True)
class KpiFacts:
    """What a workspace knows of a KPI beyond its definition, for KPI004–KPI006: its
    newest value's moment (None: no value yet) and whether that is stale as of the
    lint, whether a switched-on subscription covers it (its own, its team's or every
    KPI's), and the data quality of the values it is judged on."""

    newest: datetime | None
    stale: bool
    alerted: bool
    quality: Quality = field(default_factory=lambda: Quality(()))


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


def lint(
    goals: Goals,
    disabled: Collection[str] = (),
    kpis: Mapping[str, KpiFacts] | None = None,
) -> list[Finding]:
    """Every finding of every enabled rule, ordered by file and line.

    `disabled` switches rules off by code; an unknown code is an error, so a typo does
    not silently leave a rule on. `kpis` gives the workspace's facts on its KPIs, by
    key (KPI004–KPI006 judge those given; without it they are not judged).
    """
    unknown = sorted(set(disabled) - RULES.keys())
    if unknown:
        raise InvalidInput(
            f"unknown rule {', '.join(unknown)}; the rules are {', '.join(RULES)}",
            field="--disable",
        )
    closed = {c.cycle.name for c in goals.cycles if c.state is CycleState.CLOSED}
    planned = [o for o in goals.objectives if o.cycle.name not in closed]
    findings = [
        *_objective_findings(goals, planned),
        *_team_findings(goals, planned),
        *_kpi_findings(goals),
        *_record_findings(goals, closed),
        *_data_findings(goals, kpis or {}),
    ]
    return sorted(f for f in findings if f.code not in disabled)


def _objective_findings(goals: Goals, planned: list[ObjectiveSpec]) -> Iterator[Finding]:
    parents = {t.parent for t in goals.teams if t.parent}
    top_teams = {t.team.key for t in goals.teams if t.parent is None and t.team.key in parents}
    for objective in planned:
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
        made = wording.key_result_output(kr.title)
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


def _team_findings(goals: Goals, planned: list[ObjectiveSpec]) -> Iterator[Finding]:
    per_cycle: dict[tuple[str, str], list[ObjectiveSpec]] = defaultdict(list)
    for objective in planned:
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


# --- The record of past cycles: OKR007, OKR010, OKR011 -------------------------------------


def _scored(objective: ObjectiveSpec) -> bool:
    """Scored: it has a score, or was scored without a number (a learning objective's
    score is optional; its retrospective says what was learned)."""
    return objective.score is not None or objective.status in (
        ObjectiveStatus.SCORED,
        ObjectiveStatus.CLOSED,
    )


def _record_findings(goals: Goals, closed: set[str]) -> Iterator[Finding]:
    """OKR011 on each objective of a closed cycle never scored (drafts nobody activated
    were never committed to, so they are left out); OKR007 and OKR010 on each team whose
    aspirational objectives scored on one side of a bar in its last `STREAK` or more
    closed cycles in a row."""
    cycles = {c.cycle.name: c for c in goals.cycles if c.cycle.name in closed}
    per_team: dict[str, dict[str, list[ObjectiveSpec]]] = defaultdict(lambda: defaultdict(list))
    for objective in goals.objectives:
        if objective.cycle.name not in closed or objective.status is ObjectiveStatus.DRAFT:
            continue
        if not _scored(objective):
            yield _finding(
                "OKR011",
                objective.location,
                f"objective {objective.title!r} of the closed cycle {objective.cycle.name} "
                "was never scored: OKRs never scored become decoration — nobody learns "
                "whether the bet paid off",
                "score it from 0.0 to 1.0 (okrkit okr score, or the cycle's scoring page), "
                "with a note on what was learned",
            )
        elif objective.type is ObjectiveType.ASPIRATIONAL and objective.score is not None:
            per_team[objective.team][objective.cycle.name].append(objective)
    teams = {t.team.key: t for t in goals.teams}
    for team, by_cycle in sorted(per_team.items()):
        yield from _streaks(team, by_cycle, cycles, teams[team].location if team in teams else None)


def _streaks(
    team: str,
    by_cycle: Mapping[str, list[ObjectiveSpec]],
    cycles: Mapping[str, CycleSpec],
    location: Location | None,
) -> Iterator[Finding]:
    """OKR007 or OKR010 for one team: its mean score of aspirational objectives in each
    closed cycle it scored any, newest first, counted while on the same side of a bar; a
    cycle in between breaks the run."""
    order = sorted(by_cycle, key=lambda n: (cycles[n].cycle.end, cycles[n].cycle.start, n))
    means = [(n, sum(o.score or 0.0 for o in by_cycle[n]) / len(by_cycle[n])) for n in order]
    where = location or min(o.location for o in by_cycle[order[-1]])
    for code in ("OKR007", "OKR010"):
        run = []
        for name, mean in reversed(means):
            if not (mean >= SANDBAGGING if code == "OKR007" else mean < OVERREACH):
                break
            run.append((name, mean))
        if len(run) < STREAK:
            continue
        run.reverse()
        scores = ", ".join(f"{mean:.2f} in {name}" for name, mean in run)
        if code == "OKR007":
            yield _finding(
                code,
                where,
                f"team {team!r} scored {scores} on its aspirational objectives, its last "
                f"{len(run)} closed cycles in a row: at {SANDBAGGING:g} or more every time, "
                "the goals were sure things, not a stretch — sandbagging",
                "set aspirational targets you expect to reach about 70 % of the way (0.7 is "
                "success); write what you are sure of as committed objectives",
            )
        else:
            yield _finding(
                code,
                where,
                f"team {team!r} scored {scores} on its aspirational objectives, its last "
                f"{len(run)} closed cycles in a row: under {OVERREACH:g} every time, the "
                "goals are out of reach — chronic overreach, and people stop believing them",
                "set fewer stretch goals, where 0.7 would be a success; read the last "
                "cycles' retrospectives for what blocked them",
            )


# --- A KPI's data: KPI004, KPI005, KPI006 (the workspace's facts) ---------------------------


def _data_findings(goals: Goals, facts: Mapping[str, KpiFacts]) -> Iterator[Finding]:
    for spec in goals.kpis:
        kpi = spec.kpi
        known = facts.get(kpi.key)
        if known is None:
            continue
        if known.stale:
            age = (
                "has no value yet"
                if known.newest is None
                else f"is stale: its newest value is from {when(known.newest)}, older "
                f"than its {kpi.cadence} cadence allows"
            )
            yield _finding(
                "KPI004",
                spec.location,
                f"KPI {kpi.key!r} {age}: stale data is not trusted, so it can never show "
                "the team that the business is healthy",
                "load its newest values (okrkit kpi import, or fix the pipeline that feeds "
                "it); archive a KPI nobody measures any more",
            )
        if not known.alerted:
            yield _finding(
                "KPI005",
                spec.location,
                f"KPI {kpi.key!r} has no alerting: no switched-on subscription covers it "
                f"(one to it, to the alerts of team {kpi.team!r}, or to every alert), so "
                "nobody is told when it turns yellow or red",
                f"subscribe the people who act on it: okrkit subscription add --team "
                f"{kpi.team} (or --kpi {kpi.key}), or on the Subscriptions page",
            )
        if not known.quality.ok:
            yield _finding(
                "KPI006",
                spec.location,
                f"KPI {kpi.key!r} has broken data ({known.quality.describe()}): its status "
                "and chart rest on data that is not whole",
                "load the missing periods, remove the wrong values, or fix the load of the "
                "segment that stopped; the KPI's page lists what is wrong",
            )

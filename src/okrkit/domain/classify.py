"""The decision filter: does a proposed goal belong on the dashboard or in an OKR?

The seeds' questions, in order: Does it hold a level ("maintain", "keep", "stay
above"), repeat every period ("month-over-month"), or name a metric with a standing
bar ("DAU above 50,000")? Would you review it forever? Then it is a KPI. Is it an
output ("launch X", "The export API exists", "X supports Y")? Then it is an
initiative, and the outcome it should move is what to measure — unless the sentence
already measures that outcome beside it ("Ship two features and achieve a 20 %
adoption rate"), which makes it an OKR whose output is only the means. Is it a
time-bound change you would retire after the cycle ("from 12 % to 16 %", "this
quarter") or a qualitative direction ("Make onboarding effortless")? Then it is an
OKR. Every answer names the words and the rule that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from okrkit.domain import wording
from okrkit.domain.errors import InvalidInput

__all__ = ["Classification", "Verdict", "classify"]


class Verdict(StrEnum):
    """Where a proposed goal belongs."""

    KPI = "kpi"
    OKR = "okr"
    INITIATIVE = "initiative"


@dataclass(frozen=True)
class Classification:
    """The verdict, the reasons (words and rules that decided), and what to do instead."""

    verdict: Verdict
    reasons: tuple[str, ...]
    suggestion: str


_TIME_BOUND = re.compile(
    r"\b(?:this|next) (?:quarter|cycle|half|year)\b|\bby (?:the )?(?:end of )?(?:q[1-4]|h[12]|"
    r"(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|the end)\b|\bin q[1-4]\b|\bwithin (?:the )?(?:quarter|cycle)\b",
    re.I,
)
_METRIC = re.compile(
    r"\b(?:rate|ratio|revenue|mrr|arr|arpu|cac|ltv|nps|csat|dau|mau|wau|churn|retention|"
    r"conversion|latency|uptime|time|score|scores|growth|coverage|cost|margin|users|"
    r"signups|sign-ups|traffic|tickets|sessions|adoption|activation|satisfaction|p\d\d)\b",
    re.I,
)
_DIRECTION = re.compile(
    r"^\s*(?:make|become|be|build|create|transform|revolutioni[sz]e|delight|dominate|win|"
    r"crack|reinvent|improve|streamline|simplify|strengthen|turn|establish|deliver|drive|"
    r"accelerate|unlock|empower|enable|reduce|increase|grow|lead|own|earn|help)\b",
    re.I,
)
_VERB_START = re.compile(r"^\s*(?:our okr is to\s+|we will\s+|to\s+)?([a-z]+)", re.I)


def _subject(text: str, made: wording.Evidence) -> str:
    """The thing an output is about: what follows the verb that opens it ('Launch the
    new search' → 'the new search', 'Fully automate the QA process' → 'the QA
    process'), or the whole statement when it states a deliverable ('The export API
    exists')."""
    goal = text.strip().rstrip(".")
    opening = wording.leading_verb(goal)
    verb = re.search(rf"\b{re.escape(opening)}\b", goal, re.I) if opening else None
    if verb and opening == made.words.lower() and goal[verb.end() :].strip():
        # "Patch/Document all systems": the verbs joined to the first are not the thing
        return re.sub(r"^(?:/[\w-]+)+\s*", "", goal[verb.end() :].strip()) or goal
    return goal


_CLAUSE = re.compile(r",|;|\band\b|\bwhich will\b|\bso that\b", re.I)


def _outcome_beside(goal: str) -> tuple[str, wording.Evidence] | None:
    """A measurable outcome in a later clause of an output ("Ship two features and
    achieve a 20 % adoption rate"): the clause and what makes it measurable."""
    for clause in _CLAUSE.split(goal)[1:]:
        clause = clause.strip().rstrip(".")
        change = wording.outcome_change(clause) if wording.leading_verb(clause) else None
        if change:
            return clause, change
    return None


def _answer(verdict: Verdict, reason: str, suggestion: str) -> Classification:
    return Classification(verdict, (reason,), suggestion)


def classify(text: str) -> Classification:
    """Say whether a goal in words is a KPI, an OKR or an initiative, and why."""
    goal = " ".join(text.split())
    if not goal:
        raise InvalidInput("the goal is empty: write it in words", field="goal")
    goal = re.sub(
        r"^(?:our )?(?:okr|kpi|objective|key result)\s*(?:is\s+to\s+|[:=-]\s*)",
        "",
        goal,
        flags=re.I,
    )
    kpi_advice = (
        "Put it on the dashboard as a KPI with a target and green/red thresholds; if it "
        "starts slipping, write an OKR to change it."
    )
    held = wording.status_quo(goal) or wording.recurring(goal)
    if held:
        return _answer(
            Verdict.KPI,
            f"{held.words!r} {held.reason}: a health signal you would review forever, not a "
            "change you would retire after the cycle",
            kpi_advice,
        )
    made = wording.output(goal) or wording.tally(goal)  # "Swim 3x/week": a tally of work
    beside = _outcome_beside(goal) if made else None
    if made and beside:
        clause, measured = beside
        return _answer(
            Verdict.OKR,
            f"{clause!r} {measured.reason}: a measurable change beside the output "
            f"({made.words!r}), which is only the means — a time-bound change you would "
            "retire after the cycle",
            f"Keep {clause!r} as the key result with its baseline, target, owner and "
            "deadline, and move the output to an initiative under it.",
        )
    if made:
        subject = _subject(goal, made)
        return _answer(
            Verdict.INITIATIVE,
            f"{made.words!r} {made.reason}: an output, not an outcome — it can be done "
            "without anything changing for users",
            f"Ask 'so what?': measure what {subject!r} should change, e.g. 'Increase the "
            f"share of users who get value from {subject} from X% to Y%', and keep "
            f"{goal!r} as an initiative under that key result.",
        )
    carried = wording.continued_change(goal)  # "Keep improving activation"
    change = (
        wording.from_to(goal)
        or (wording.outcome_change(goal) if wording.leading_verb(goal) else None)
        or (wording.Evidence("carries on a change, so asks for it", carried) if carried else None)
    )
    if change:
        return _answer(
            Verdict.OKR,
            f"{change.words!r} {change.reason}: a time-bound change you would retire after "
            "the cycle",
            "Write it as a key result with its baseline, target, owner and deadline, under "
            "a qualitative objective.",
        )
    bar = wording.standing_bar(goal)
    if bar:
        return _answer(
            Verdict.KPI,
            f"{bar.words!r} {bar.reason}: a bar to stay on the right side of, forever",
            kpi_advice,
        )
    level = wording.outcome_change(goal)
    if level:
        return _answer(
            Verdict.KPI,
            f"{level.words!r} names a metric with a target level and no change to drive: "
            "a single metric with a target is a KPI",
            kpi_advice,
        )
    timed = _TIME_BOUND.search(goal)
    if timed:
        return _answer(
            Verdict.OKR,
            f"{timed.group(0)!r} makes it time-bound: a change for this cycle",
            "Write it as an objective with 2–5 measurable key results.",
        )
    metric = _METRIC.search(goal)
    if metric and not _DIRECTION.match(goal):
        return _answer(
            Verdict.KPI,
            f"{metric.group(0)!r} names a metric with no change to drive: a health signal to watch",
            "Make it a KPI with a shared definition, a target and green/red thresholds.",
        )
    led = wording.led_by_outcome(goal)  # "Three partner teams use the new API"
    if led:
        return _answer(
            Verdict.OKR,
            f"{led.words!r} {led.reason}: an outcome to reach, not work to do — a change "
            "for this cycle",
            "Write it as a key result with its baseline, target, owner and deadline, under "
            "a qualitative objective.",
        )
    first = _VERB_START.match(goal)
    word = first.group(1) if first else goal.split()[0]
    return _answer(
        Verdict.OKR,
        f"{word!r} sets a qualitative direction of change: an objective",
        "Keep it as the objective and add 2–5 key results that measure the change, each "
        "from a baseline to a target.",
    )

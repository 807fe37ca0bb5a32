"""Status-quo targets (OKR006): does a goal hold a level or state it is already at, or ask
for a change from its baseline? Asked of the goal's own predicate (`wording_predicate`).
See `wording` for the cues."""

from __future__ import annotations

import re
from collections.abc import Callable

from okrkit.domain.wording_bars import _ZERO_DEFECTS
from okrkit.domain.wording_ongoing import light_held, ongoing_state
from okrkit.domain.wording_predicate import continued_change, main_clause, main_predicate
from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _HANDLING_VERBS,
    _NOT_A_QUANTITY,
    Evidence,
    _tidy,
    from_to,
    leading_verb,
)

__all__ = ["status_quo"]


_HOLDING = {"maintain", "sustain", "keep", "hold", "preserve", "protect"}


# --- status quo (OKR006) -------------------------------------------------------------

_HOLD_ANY = re.compile(
    r"\b(?:maintain|maintains|maintaining|sustain|sustains|sustaining|preserve|"
    r"preserves|preserving|protect|protects)\b",
    re.I,
)
_HOLD_WITH_LEVEL = re.compile(
    r"\b(?:keeps?|keeping|stays?|staying|don'?t let|do not let|"
    r"(?:holds?|holding)(?=\s+(?:[\w%#.,$€£-]+\s+){0,5}?(?:at|above|below|under|steady|"
    r"flat|constant|the line|within)\b)|"
    r"(?:is|are|be|being)\s+(?:maintained|sustained|kept|held|preserved)|"
    r"never (?:drop|fall|exceed|go|let|dip|slip)|avoid (?:dropping|falling)|"
    r"(?:does|do|should|will|must)\s+not\s+(?:drop|fall|dip|slip|go)\s+(?:below|under)|"
    r"(?:doesn['’]t|don['’]t|won['’]t|shouldn['’]t)\s+(?:drop|fall|dip|slip|go)\s+(?:below|under))\b",
    re.I,
)
_ONGOING = re.compile(
    r"\bremains?\b|\bcontinu(?:e|es|ing)\b(?!\s+(?:to\s+)?(?:grow|increase|reduce|"
    r"improve|decrease|lift|raise|cut))|\b(?:keeps?|keeping)\s+\w+ing\b",
    re.I,
)
_HELD_LEVEL = re.compile(
    r"\d|%|\b(?:above|below|under|over|at least|at most|within|no more than|no less than|"
    r"less than|more than|current|existing|steady|stable|high|healthy|level|levels|"
    r"standard|standards|sla|slo|target|targets|rate|score|uptime|availability|"
    r"satisfaction|quality|margin|budget|where (?:it|they) (?:is|are)|as (?:it )?is|flat|"
    r"unchanged|intact|in check|under control|the lights on|the line|number one|no\. 1|"
    r"leader|leading|ahead)\b|#1\b",
    re.I,
)
# Things kept current by work: maintaining them is a task, not a level.
_UPKEPT = re.compile(
    r"^(?:(?:the|our|a|an|its|their|it|them|updated|up-to-date|current|and)\s+)*"
    r"(?:[\w-]+\s+){0,2}?(?:plans?|roadmaps?|"
    r"vision|plugin|plug-in|library|libraries|codebase|code|repo|repository|project|"
    r"packages?|docs|documentation|guides?|handbook|summary|wiki|site|website|servers?|"
    r"infrastructure|tooling|tools|integrations?|app|relationships?|fork|modules?|sdks?|"
    r"apis?|cli|lists?|database|records)\b"
    r"|^(?:it|them)\s+(?:up[- ]to[- ]date|updated|current|fresh|accurate)\b"
    r"|^(?:updated|up-to-date)\b",
    re.I,
)
_COORDINATED = re.compile(r"(?:,|\band\b|\bor\b)\s*(?:and\s+)?$", re.I)
# "deploy, upgrade, and maintain X": maintaining listed with other work is work.
_LISTED = re.compile(
    r"\b(?P<run>[\w-]+(?:\s*,\s*[\w-]+)*)\s*(?:,\s*(?:and|or)?|\band|\bor)\s*$", re.I
)


def _listed_work(before: str) -> bool:
    """Whether a verb of doing is listed right before ("deploy, upgrade, and …")."""
    found = _LISTED.search(before)
    if not found:
        return False
    listed = re.split(r"\s*,\s*", found.group("run"))
    return any(word.lower() in _ACTIVITY_VERBS for word in listed)


# "time spent maintaining", "easier to maintain": the work measured, or a property of a
# thing ("a page easy to maintain"), not a level held.
_SPENT = re.compile(
    r"\b(?:spent|spend|spends|time|(?:easy|easier|simple|simpler|hard|harder|cheap|cheaper)"
    r"\s+to)\s*$",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;]|\band\b|\bwhile\b|\bwhilst\b|\bso\b", re.I)
_ENSURED = re.compile(
    r"\b(?:ensure|ensures|make sure|makes sure|guarantee)\b(?:\s+that)?\s+(?P<clause>[^;]*)",
    re.I,
)
_ENSURED_LEVEL = re.compile(
    r"\d|%|\b[xX]{1,3}\s?%|\b(?:no more than|at most|at least|within|zero|no|or less|"
    r"or more|or above|or higher|coverage|ctr|rate|cost|score|satisfaction|sla|uptime)\b",
    re.I,
)
_WE_DO = re.compile(r"^(?:we|you|the team)\s+(?:\w+ly\s+)?(\w+)\b", re.I)
_MONITORING = re.compile(
    r"^(?:(?:actively|regularly|continuously|closely)\s+)?(track|monitor|measure|watch|"
    r"review|report on)(?:\s+(?:and|&)\s+(?:report on|report|review|monitor|track|measure|"
    r"watch|communicate|share|publish))?\s+(?P<object>.*)$",
    re.I,
)
_OBJECT_END = re.compile(
    r",|\s+(?:with|for|in|across|by|to|so|which|who|that|while|and\s+(?!report|review|"
    r"monitor|track|measure|watch)[a-z]+)\b",
    re.I,
)
_MEASURING = re.compile(
    r"\bwe are\s+(?:\w+ly\s+)?(?:measuring|tracking|monitoring|watching|reporting on)\b"
    r"|\b(?:metrics|kpis|health|satisfaction|latency|error rates?|uptime|availability|"
    r"saturation|performance|usage|churn|nps|csat)\b[^;]{0,100}?\b(?:is|are)\s+(?:\w+ly\s+)?"
    r"(?:tracked|measured|monitored|reported)\b",
    re.I,
)
_WATCHED = re.compile(
    r"\b(?:metrics?|kpis?|health|satisfaction|adherence|compliance|time|rates?|scores?|"
    r"nps|csat|slas?|slos?|costs?|spend|impact|uptime|performance|churn|retention|usage|number|count|conversion|"
    r"revenue|mrr|arr|latency|errors|active users|dau|mau|wau|signups|sign-ups|traffic|"
    r"dashboards?|activation|adoption|engagement|funnels?)\b",
    re.I,
)
# Watching and telling what was watched ("… and send a weekly summary"): nothing new made.
_WATCHING = {
    "track", "monitor", "measure", "watch", "review", "report", "communicate", "share",
    "send", "publish", "present", "post", "email", "distribute",
}  # fmt: skip
_SETS_TARGETS = re.compile(r"\b(?:targets?|goals?|improve|increase|reduce|grow)\b", re.I)
# A health attribute named as the whole goal, with nothing to change ("Availability").
_BARE_HEALTH = re.compile(
    r"^(?:availability|uptime|responsiveness|reliability|stability)"
    r"(?:\s+(?:to|for|of)\s+[\w\s]+)?$",
    re.I,
)
# Keeping what one has: retain customers, talent, a position (not retention as a metric).
_RETAIN = re.compile(r"\b(?:retain|retains|retaining)\b", re.I)
# "Add and retain 5 members": retaining what the goal first wins is part of the change.
_WON_FIRST = re.compile(
    r"\b(?:add|acquire|attract|win|recruit|hire|onboard|grow|gain|sign|land)\s+(?:and|&)\s*$",
    re.I,
)
# A bar against any new harm, held rather than reached: "Don't push code that fails tests",
# "Don't release any new bugs", "avoid any …", "no new …", "zero regressions", "No
# regression should exist …", "customers not blocked", "100 % logo retention".
_NO_NEW_HARM = re.compile(
    r"(?:^|[,;.]\s*|\b(?:we|and|or)\s+)(?:don['’]?t|do not|never)\s+(?!let\b)\w+"
    r"|\bavoid(?:ing)?\s+(?:any|all|new)\b"
    r"|\bno\s+new\b|^no\s*(?:one|body)\b"
    r"|\bnot\s+(?:be\s+)?(?:blocked|broken|lost|interrupted|disrupted)\b"
    r"|\bnot a single\b"
    r"|\b100\s*%\s+(?:[\w-]+\s+){0,2}?retention\b",
    re.I,
)
# A metric stated as equal to a number, the whole goal: "DAU = 100,000".
_EQUALS = re.compile(r"^[\w /&()-]{1,40}?\s*=\s*[$€£]?\d[\d.,]*\s*[%kKmMbB]?$")
# "Customer satisfaction is at 98 %": the metric stated where it stands, the whole goal.
_STANDS_AT = re.compile(
    r"\b[a-z]+\s+(?:is|are|stays|sits)\s+at\s+[<>≥≤]?\s*[$€£]?\d[\d.,]*\s*[%kKmMbB]?$", re.I
)
# A baseline or a target in any number format: "1:3.7", "$1.2M", "4 h", "35 %".
_AMOUNTS = re.compile(r"\d[\d,.:/]*")
_TO = re.compile(r"\s(?:back\s+)?to\s", re.I)


def _is_activity(clause: str) -> bool:
    """Whether a clause is the team doing something ("Run 4 demos", "we hold a retro")."""
    verb = leading_verb(clause)
    if verb in _ACTIVITY_VERBS and verb not in _HANDLING_VERBS:
        return True
    doer = _WE_DO.match(clause)
    return bool(doer and doer.group(1).lower() in _ACTIVITY_VERBS)


# "Maintain & secure critical infrastructure": a verb of doing joined to the holding
# verb makes both work on a thing.
_JOINED_VERB = re.compile(r"^(?:&|and|,)\s*(?:and\s+)?(?P<verb>[a-z]+)\s+(?P<object>.+)$", re.I)


def _work_follows(after: str) -> bool:
    """Whether a verb of doing follows the holding verb, its object a thing, not a level."""
    found = _JOINED_VERB.match(after)
    if not found:
        return False
    verb = found.group("verb").lower()
    return (verb in _ACTIVITY_VERBS or verb in {"secure", "protect"}) and not _HELD_LEVEL.search(
        found.group("object")
    )


def _held_level(text: str) -> Evidence | None:
    """Holding a level or a trait: maintain / sustain a thing that is not an artefact,
    keep / stay at a level, remain, continue."""
    for found in _HOLD_ANY.finditer(text):
        before, after = text[: found.start()], text[found.end() :].strip()
        clause = _CLAUSE_END.split(after)[0]
        if _SPENT.search(before):
            continue  # "time spent maintaining": the work measured, not a level
        work = (
            _UPKEPT.match(after)
            or _listed_work(before)
            or _work_follows(after)
            or (_COORDINATED.search(before) and _is_activity(before.strip(" ,")))
        )
        if work and not re.search(r"\d|%", clause):
            continue
        return Evidence("holds a level instead of changing it", found.group(0))
    for found in _HOLD_WITH_LEVEL.finditer(text):
        after = text[found.end() :].strip()
        if _UPKEPT.match(after):
            continue
        if _HELD_LEVEL.search(_CLAUSE_END.split(after)[0]):
            return Evidence("holds a level instead of changing it", found.group(0))
    ongoing = _ONGOING.search(text)
    if ongoing:
        return Evidence("carries on as before instead of changing", ongoing.group(0))
    return None


def _ensured_level(text: str) -> Evidence | None:
    """A level made sure of ("Ensure a 40 % open rate"), not an activity or a new property."""
    found = _ENSURED.search(text)
    if not found:
        return None
    clause = found.group("clause")
    if _is_activity(clause) or not _ENSURED_LEVEL.search(clause):
        return None
    return Evidence("makes sure a level holds", found.group(0).split()[0])


def _monitoring(text: str) -> Evidence | None:
    """Watching a metric as the goal: "Track and report on …", "Actively monitor …"."""
    found = _MONITORING.match(text)
    if found:
        # the object's head decides: "Review 50 merge requests with an eye on
        # performance" reviews work; "Track all issues and achieve X" asks for X
        watched = _OBJECT_END.split(found.group("object"), maxsplit=1)[0]
        joined = re.match(r"\s*(?:and|&)\s+([a-z]+)", found.group("object")[len(watched) :])
        if joined and joined.group(1).lower() in _ACTIVITY_VERBS - _WATCHING:
            return None  # "Measure NPS and create a roadmap": something new is made
        if _WATCHED.search(watched) and not _SETS_TARGETS.search(watched):
            return Evidence("makes watching a metric the goal", found.group(1))
    measuring = _MEASURING.search(text)
    if measuring:
        return Evidence("makes watching a metric the goal", measuring.group(0))
    return None


def _holding(text: str) -> Evidence | None:
    """Words that hold a level: maintain, keep, stay, remain, continue (as read for the
    other rules too), and retain what one already has ("Retain our enterprise
    customers") — but not what the goal first wins ("Add and retain 5 members")."""
    found = _held_level(text)
    if found:
        return found
    for kept in _RETAIN.finditer(text):
        if not _WON_FIRST.search(text[: kept.start()]):
            return Evidence("holds what it has instead of changing it", kept.group(0))
    return None


def _no_new_harm(text: str) -> Evidence | None:
    """A bar against any new harm, held as a standing rule: "Don't release any new bugs",
    "zero downtime", "No regression should exist in production for more than a day"."""
    found = _NO_NEW_HARM.search(text) or _ZERO_DEFECTS.search(text)
    if found:
        return Evidence(
            "holds a bar against any new harm instead of changing a level", found.group(0)
        )
    return None


def _equal_target(text: str) -> Evidence | None:
    """A target equal to its baseline ("from 35 % to 35 %"), or a metric stated as equal
    to a number and nothing else ("DAU = 100,000")."""
    span = from_to(text)
    if span:
        ends = [_AMOUNTS.search(part) for part in _TO.split(span.words, maxsplit=1)]
        if len(ends) == 2 and ends[0] and ends[1] and ends[0].group(0) == ends[1].group(0):
            whole = re.search(re.escape(span.words) + r"(?:\s*%)?", text)
            return Evidence(
                "has its target equal to its baseline", whole.group(0) if whole else span.words
            )
        return None
    stated = _EQUALS.match(text) or _STANDS_AT.search(text)
    if stated:
        return Evidence("states a level as the goal, with nothing to change", stated.group(0))
    return None


def _named_health(text: str) -> Evidence | None:
    """A health attribute named as the whole goal ("Availability"): a KPI, not a change."""
    found = _BARE_HEALTH.match(text)
    return (
        Evidence("names a health attribute to watch, not a change", found.group(0))
        if found
        else None
    )


_GUARDRAIL_CLAUSE = re.compile(r"\s*,?\s+\b(?:while|whilst)\b", re.I)
# "Complete the migration with zero data loss": a bar that goes with the work or the
# result the sentence asks for, not the goal.
_WITH_BAR = re.compile(r"\s*,?\s+\b(?:with|without)\s+(?:zero|no|0|any)\b", re.I)
# A level held for a whole period or against today's value: "… throughout 2026", "… at
# all times", "Churn no higher than today's 3 %", "… at current levels".
_THROUGHOUT = re.compile(
    r"\b(?:throughout|at all times|all year(?: round)?|year-round|around the clock|"
    r"consistently)\b"
    r"|\b(?:no (?:higher|lower|worse)|not (?:above|below|worse)|at least|at or (?:above|below)|"
    r"at)\s+(?:than\s+)?(?:today['’]s|current|existing|present|the current)\b"
    r"|\bat current levels?\b",
    re.I,
)


def _level_throughout(text: str) -> Evidence | None:
    """A level held over a whole period or at today's value, not reached."""
    if leading_verb(text) in _ACTIVITY_VERBS - _HOLDING:
        return None  # "Hire 5 engineers throughout 2026": work spread over a period
    found = _THROUGHOUT.search(text)
    if found and _HELD_LEVEL.search(_NOT_A_QUANTITY.sub(" ", text)):
        return Evidence("holds a level instead of changing it", found.group(0))
    return None


def status_quo(text: str) -> Evidence | None:
    """A KPI dressed as an OKR: a goal that holds a level or a state it is already at,
    instead of asking for a change from its baseline — the seeds' one question, asked of
    the goal's own predicate, not of the words of its subordinate clauses.

    Held: the main verb holds ("Maintain 99.9 % uptime", "Keep CSAT above 90 %", "Retain
    our enterprise customers", "Continue doing X"), the whole goal is a standing bar with
    no change asked ("Don't release any new bugs", "Zero data loss incidents", "CSAT is
    at 98 %"), a target equal to its baseline, or watching a metric is the goal ("Track
    and report on …"). A goal whose main verb is a verb of change or of doing asks for
    that change or work, whatever a purpose clause, a participle ("remaining") or a noun
    ("availability") says ("Optimize X to keep up with Y", "Fill remaining positions",
    "Fix the errors and do not crash"); a result is a destination unless held over a
    period ("Achieve 99.9 % uptime consistently"); a from → to in any number format is a
    change. A held guardrail beside a change is not the goal ("Reduce cycle time …
    while maintaining 99 % accuracy"), and maintaining a thing is work, not a level
    ("…and maintain the plugin")."""
    tidy = _tidy(text)
    if not tidy or continued_change(tidy):
        return None  # "Keep improving activation": the change carried on is asked for
    equal = _equal_target(tidy)
    if equal or from_to(tidy):
        return equal
    held = ongoing_state(tidy)
    if held:
        return held
    predicate = main_predicate(tidy)
    if predicate.kind in ("change", "doing"):
        # the goal asks for that change or that work, unless it only makes a holding
        # possible ("Enable the fund to maintain reserves above $1M")
        return light_held(tidy)
    # "Reach 1,000 customers while keeping churn under 3 %": the guardrail beside the
    # change is not the goal; the main clause decides.
    tidy = _GUARDRAIL_CLAUSE.split(tidy, maxsplit=1)[0]
    readings: tuple[Callable[[str], Evidence | None], ...] = _READINGS
    if predicate.kind == "result":
        tidy = _WITH_BAR.split(tidy, maxsplit=1)[0]
        readings = (_no_new_harm, _level_throughout)
    elif not predicate.kind:
        tidy = main_clause(
            tidy, subject=True
        )  # a subject's verb: its purpose clause is not the goal
    for reading in readings:
        found = reading(tidy)
        if found:
            return found
    return None


_READINGS = (_holding, _no_new_harm, _monitoring, _named_health, _level_throughout)

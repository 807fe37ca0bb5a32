"""Status quo held with no holding verb in the opening (OKR006), read from structure: a
light verb whose complement holds ("Enable the fund to maintain reserves above $1M"),
keeping a thing in a state ("Keep the forum welcoming", "Keeping partners informed"),
a bar met every period ("SLOs are met every month"), and watching as the goal with a
subject ("The metric is measured and reported weekly"). Starting to measure ("We start
measuring X") makes measurement exist where it did not: new work, not a status quo."""

from __future__ import annotations

import re

from okrkit.domain.wording_text import _ANY_VERB, _ARTICLE, _CHANGE_VERBS, Evidence

__all__ = ["light_held", "metric_named", "ongoing_state"]

# "Enable X to maintain …", "Help the council keep …": a light verb of making possible,
# whose complement is what the goal asks for.
_LIGHT = re.compile(
    r"^(?:enable|allow|help|empower|let)\s+(?P<who>(?:[\w'’&.-]+\s+){1,5}?)(?:to\s+)?"
    r"(?P<held>maintain|keep|sustain|stay|remain|hold|preserve)\b",
    re.I,
)


def light_held(text: str) -> Evidence | None:
    """A light verb whose complement holds a level: the holding is the goal."""
    found = _LIGHT.match(text)
    return Evidence("makes holding a level the goal", found.group("held")) if found else None


# "Keep the forum welcoming", "Keeping the community informed and engaged":
# a thing kept in a state it already has, the state named by a participle or adjective,
# a compound one too ("Keep the handbook user-friendly"); kept up to date is upkeep.
_KEEP_STATE = re.compile(
    r"^(?:keep|keeping)\s+(?P<thing>(?:[\w'’.-]+\s+){1,5}?)(?P<state>[\w-]*ed|[a-z]+-[a-z]+|"
    r"safe|secure|healthy|stable|open|welcoming|green|clean|current|on track)"
    r"(?:\s+(?:and|&)\s+[\w-]+)?\s*$",
    re.I,
)
# "SLOs are met every month", "Budgets are respected each quarter": a bar met every period.
_MET_EVERY = re.compile(
    r"\b(?:is|are)\s+(?:\w+ly\s+)?(?:met|respected|honou?red|kept|achieved)\s+"
    r"(?:in\s+)?(?:every|each|all)\s+(?:day|week|month|quarter|sprint|release|year)s?\b",
    re.I,
)
# "X is being measured and reported", "X is tracked and shared": watching, a pair of verbs;
# over all items of a kind ("All engagements are tracked and reported in the CRM") it is
# record keeping, not a metric watched.
_WATCHED_PAIR = re.compile(
    r"^(?!all\b|every\b|each\b|\d)[^,;]*?\b(?:is|are)\s+(?:being\s+|now\s+)?(?:measured|tracked|monitored)\s+(?:and|&)\s+"
    r"(?:reported|reviewed|shared|published|communicated)\b",
    re.I,
)
# "Our users' data is well protected and secure": a safe state named as the goal, with no
# change asked.
_SAFE_STATE = re.compile(
    r"\b(?:is|are)\s+(?:well\s+|fully\s+|always\s+|still\s+)?(?:protected|secure|safe)"
    r"(?:\s+(?:and|&)\s+(?:protected|secure|safe))?\s*$",
    re.I,
)

# "Number of concept views from works pages", "Weekly active contributors", "Completion
# success rate", "Cloud cost", "Net revenue retention": a metric named with no level, no
# change and no work — the metric itself is the goal, watched rather than moved.
_MEASURE_HEADS = (
    r"rate|ratio|score|index|cost|costs|spend|margin|time|latency|uptime|throughput|revenue|"
    r"retention|churn|value|engagement|satisfaction|conversion|adoption|usage|nps|csat|arr|"
    r"mrr|views|downloads|sign-?ups|installs"
)
_PEOPLE_HEADS = (
    r"users|customers|subscribers|members|contributors|clients|accounts|teams|visitors|"
    r"buyers|readers|players|learners|students|developers"
)
_COUNT_OF = re.compile(
    r"^(?:(?:average|median|mean|total)\s+)?(?:number|share|percentage|proportion|count|%|#)"
    r"\s+of\b[^;:]*$",
    re.I,
)
# A short name whose head is a measure, people counted by what they do, or a time to a
# thing ("Cloud cost", "Weekly active teams", "Time to first response").
_MEASURE_NAME = re.compile(
    rf"^[\w+'’ -]{{0,60}}\b(?:{_MEASURE_HEADS})"
    r"(?:\s+(?:among|of|for|from|per|in)\s+[\w+'’ -]{1,40})?$"
    r"|^(?:daily|weekly|monthly)\s+active\s+[\w-]+(?:\s+[\w-]+){0,3}$"
    r"|^(?:active|new|paying|returning|retained)\s+"
    rf"(?:[\w-]+\s+){{0,3}}(?:{_PEOPLE_HEADS})$"
    r"|^(?:(?:average|median|mean)\s+)?time\s+to\s+[\w -]{1,40}$",
    re.I,
)
# What makes a short phrase more than a metric's name: a verb of work that no lexicon
# lists opening it, a net new amount (an amount added: a change), or two things joined.
_NOT_A_NAME = re.compile(
    r"^(?:scale|transform|reverse|address|tackle|fix|solve|drive|make|bring|turn|push|"
    r"provide|give|produce|optimi[sz]e|streamline|simplify|modernize|modernise)\b"
    r"|\bnet\s+new\b|\band\b",
    re.I,
)
# Words that give the metric a level, a change or work: then it is no bare name.
_NOT_BARE = re.compile(
    r"[\d<>=≤≥$€£]|\b(?:x+|n)\b|\b(?:increas|decreas|reduc|improv|grow|grew|rais|lower|boost|"
    r"achiev|reach|maintain|keep|ensure|above|below|under|over|at least|at most|more|less|"
    r"fewer|higher|double|half|zero|target|goal|launch|ship|build|create|define|faster|"
    r"better|shorter|quicker|cheaper|smaller|greater|larger|on time)\w*",
    re.I,
)
# A bare name is a few words; a longer text ending in a measure word says more than a name.
_NAME_WORDS = 7


def _more_than_a_name(text: str, words: list[str]) -> bool:
    """A short phrase that asks for work or change: a verb of change first ("Cut cloud
    cost"), a verb before an article ("Offer the plan's price"), or `_NOT_A_NAME`. A
    verb of doing before a noun modifies a measure's name ("Win rate", "Build time")."""
    first = words[0].lower()
    second = words[1].lower() if len(words) > 1 else ""
    return (
        (first in _CHANGE_VERBS and first != "speed")
        or (first in _ANY_VERB and second in _ARTICLE)
        or bool(_NOT_A_NAME.search(text))
    )


def metric_named(text: str) -> Evidence | None:
    """A metric named as the goal with no level to reach: watching it is the goal. A
    name other than "number of …" is short and opens with no verb ("Deliver the release
    on time", "Address non-discretionary cost" ask for work)."""
    words = text.split()
    if not words or _NOT_BARE.search(text):
        return None
    found = _COUNT_OF.match(text)
    if not found and len(words) <= _NAME_WORDS and not _more_than_a_name(text, words):
        found = _MEASURE_NAME.match(text)
    return (
        Evidence("names a metric to watch, with no level to reach", found.group(0))
        if found
        else None
    )


def ongoing_state(text: str) -> Evidence | None:
    """A state held with no holding verb of level: kept in a state, met every period, or
    a metric watched as the goal."""
    for pattern, reason in (
        (_KEEP_STATE, "keeps a thing in the state it has"),
        (_MET_EVERY, "holds a bar met every period"),
        (_WATCHED_PAIR, "makes watching a metric the goal"),
        (_SAFE_STATE, "names a safe state to hold, not a change"),
    ):
        found = pattern.search(text)
        if found:
            return Evidence(reason, found.group(0))
    return metric_named(text)

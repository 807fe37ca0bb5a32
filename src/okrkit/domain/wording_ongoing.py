"""Status quo held with no holding verb in the opening (OKR006), read from structure: a
light verb whose complement holds ("Enable the fund to maintain reserves above $1M"),
keeping a thing in a state ("Keep the forum welcoming", "Keeping partners informed"),
a bar met every period ("SLOs are met every month"), and watching as the goal with a
subject ("The metric is measured and reported weekly"). Starting to measure ("We start
measuring X") makes measurement exist where it did not: new work, not a status quo."""

from __future__ import annotations

import re

from okrkit.domain.wording_text import Evidence

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
# success rate": a metric named with no level, no change and no work — the metric itself
# is the goal, watched rather than moved.
_METRIC_NAME = re.compile(
    r"^(?:(?:average|median|mean|total)\s+)?(?:number|share|percentage|proportion|count|%|#)"
    r"\s+of\b[^;:]*$"
    r"|^[\w+'’ -]{0,60}\b(?:rate|ratio|score|index)(?:\s+(?:among|of|for|from)\s+[\w+'’ -]{1,40})?$"
    r"|^(?:daily|weekly|monthly)\s+active\s+[\w-]+(?:\s+[\w-]+){0,3}$",
    re.I,
)
# Words that give the metric a level, a change or work: then it is no bare name.
_NOT_BARE = re.compile(
    r"[\d<>=≤≥$€£]|\b(?:x+|n)\b|\b(?:increas|decreas|reduc|improv|grow|grew|rais|lower|boost|"
    r"achiev|reach|maintain|keep|ensure|above|below|under|over|at least|at most|more|less|"
    r"fewer|higher|double|half|zero|target|goal|launch|ship|build|create|define)\w*",
    re.I,
)


def metric_named(text: str) -> Evidence | None:
    """A metric named as the goal with no level to reach: watching it is the goal."""
    if _NOT_BARE.search(text):
        return None
    found = _METRIC_NAME.match(text)
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

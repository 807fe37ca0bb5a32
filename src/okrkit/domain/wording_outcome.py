"""The outcome reading, and the key result's default it decides (OKR002).

Outputs come in ever new kinds of wording, so listing them never catches up with new
text; outcomes are the narrower, more regular class. So a key result is read as an
output unless it reads as an outcome: a change in, or a level of, a quantity ("from X
to Y", "Increase activation", "Revenue doubled", "$2M ARR", "NPS of 50", "under 2 s",
"faster"), what other people do, say or adopt ("100 customers use X", "X adopted by 5
teams", "Half of new users complete …", "Users say …"), or a performance target or a
standing bar on the team's work ("… in under 1 minute", "resolved within a day", "99.9 %
uptime held"). The output readings (`wording_output`) are asked first: a task beside an
outcome ("Ship X and reach 20 % adoption") or a count of the team's own artefacts ("Publish
4 blog posts") stays an output.

An objective is a direction, not a measure, so the default is the key result's only:
`wording.output` keeps the positive reading for objectives and for the decision filter.
"""

from __future__ import annotations

import re

from okrkit.domain.wording_bars import _ceiling, _service_level
from okrkit.domain.wording_counts import counted_level, schedule, tally
from okrkit.domain.wording_deliverables import _BEHAVIOUR, _COMPARATIVE, _PERFORMANCE_BAR
from okrkit.domain.wording_held import status_quo
from okrkit.domain.wording_lead import _MONEY, _OPENERS, _TAKEN_VERBS, led_by_outcome
from okrkit.domain.wording_output import output
from okrkit.domain.wording_stated import _PEOPLE, _people_do, _result_reached, _share_of_people
from okrkit.domain.wording_text import (
    Evidence,
    _tidy,
    leading_verb,
    outcome_change,
    words,
)

__all__ = ["key_result_output", "outcome"]

# A change stated with its verb or noun anywhere ("Status calls decrease", "Reduction of
# breaches", "Engagement grew by half").
_CHANGED = re.compile(
    r"\b(?:increase[sd]?|decrease[sd]?|reduced|reduction|grew|grown|improved|improvements?|"
    r"growth|declines?|declined|doubles|doubled|halved|lowered|raised|rises|rose|drops|"
    r"dropped|falls|fell|drop|rise|fall|decline|shrinks?|shrank)\b",
    re.I,
)
# A level, a statistic or a quality that is measured rather than made.
_LEVEL_WORD = re.compile(
    r"\b(?:maturity|index|scor(?:e|es|ing)|ratings?|targets?|quota|budget|sla|slo|"
    r"percent(?:age)?|average|median|mean|p\d\d|benchmark|kpis?|roi|velocity|throughput|"
    r"productivity|efficiency|performance|reliability|quality|experience|awareness|"
    r"diversity|satisfaction|confidence|visibility|traction|presence|scalability|"
    r"experiences|(?<!-)levels?(?!\s+up\b))\b",
    re.I,
)
# A comparison: the performance words of a capability, and bounds. A bound on a schedule
# of one's own activity ("at least 30 minutes, 3x/week") only bounds a tally of work.
_COMPARE = re.compile(
    rf"{_COMPARATIVE.pattern}|\b(?:higher|lower|greater|cheaper|quicker|easier)\b|[<>≤≥]", re.I
)
_BOUND = re.compile(r"\bat (?:least|most)\b", re.I)
# What people say, know or do with a thing: their opinion or uptake.
_SAY = re.compile(
    r"\b(?:say|says|said|report|reports|feel|feels|know|knows|trust|trusts|tell|tells|"
    r"value|values|indicate|indicates|rate|rates|recommend|recommends|agree|agrees|"
    r"understand|understands|use|uses|using|used|adopt|adopts|adopted|participate|"
    r"participates|engage|engages|engaged|contribute|contributes|join|joins)\b",
    re.I,
)
# "X adopted by 5 teams", "… approved by the community": others took it up.
_TAKEN_UP = re.compile(
    rf"\b(?:{_TAKEN_VERBS}|approved|endorsed|accepted|using|utilized|discussed)\s+by\b", re.I
)
# Others as the subject doing something ("One customer indexes …", "Students learn …").
_OTHERS_FIRST = re.compile(
    r"^(?:(?:one|a|an|every|each|all|most|more|the|our|\d[\d,.]*\+?)\s+)?(?:[\w-]+\s+)?"
    r"(?:customers?|users?|clients?|members?|visitors?|buyers?|subscribers?|students?|"
    r"contributors?|developers?|people|partners?|companies|communities|applicants?|"
    r"candidates?|readers?)\s+(?!(?:who|that|which|of|for|in|on|with|and|or)\b)\w+",
    re.I,
)


def _change(text: str) -> Evidence | None:
    """A change or a result asked for: a from → to, a verb of change or result, or the
    change or result stated ("Churn decreased", "Milestones reached")."""
    found = outcome_change(text)
    if found:
        return found
    tokens = words(text)
    verb = leading_verb(text)
    if verb in _OPENERS or (tokens and tokens[0] in _OPENERS):
        return Evidence("asks for a change or a result", verb or tokens[0])
    if _result_reached(text):
        return Evidence("states a result reached", text)
    stated = _CHANGED.search(text)
    return Evidence("states a change", stated.group(0)) if stated else None


def _others(text: str) -> Evidence | None:
    """What other people do, say or take up: their behaviour is the outcome."""
    if _people_do(text) or _share_of_people(text) or _BEHAVIOUR.search(text):
        return Evidence("counts what others do", text)
    people = _PEOPLE.search(text)
    if people and (_SAY.search(text) or counted_level(text)):
        return Evidence("counts what others do or say", people.group(0))
    found = _TAKEN_UP.search(text) or _OTHERS_FIRST.match(text)
    return Evidence("states what others do", found.group(0)) if found else None


def _level(text: str) -> Evidence | None:
    """A level to reach: an amount of money, a measured quality, a comparison, or a
    number that is a level rather than a tally of the team's own work (`counted_level`:
    "500 customers", "40 %", "in 3 days"; not "12 streams", "Read 40 books")."""
    found = _MONEY.search(text) or _LEVEL_WORD.search(text)
    if not schedule(text):
        found = found or _COMPARE.search(text) or _BOUND.search(text)
    if found:
        return Evidence("names a level", found.group(0))
    return counted_level(text)


def _bar(text: str) -> Evidence | None:
    """A performance target, a standing bar or a level held."""
    found = _PERFORMANCE_BAR.search(text)
    if found:
        return Evidence("sets a performance target", found.group(0))
    return _service_level(text) or _ceiling(text) or status_quo(text)


def outcome(text: str) -> Evidence | None:
    """A change in, or a level of, a quantity or of what other people do, or a
    performance target of the team's work: what a key result should measure."""
    tidy = _tidy(text)
    if not tidy:
        return None
    return _change(tidy) or _others(tidy) or _level(tidy) or _bar(tidy) or led_by_outcome(tidy)


def key_result_output(text: str) -> Evidence | None:
    """A key result is an output unless it reads as an outcome. The output readings
    come first, so a task beside an outcome ("Ship X and reach 20 % adoption") is an
    output; a key result with neither reading names work to do, an output too. Outcomes
    in the grammar of work (`wording_lead`: what a group of others has done, a measure
    named first, …) are read inside `output`, before its readings of work."""
    made = output(text)
    if made:
        return made
    tidy = _tidy(text)
    measured = _MONEY.search(tidy) or _LEVEL_WORD.search(tidy)
    counted = tally(tidy) if tidy and not measured else None
    if counted:
        return counted
    if not tidy or outcome(tidy):
        return None
    shown = " ".join(tidy.split()[:8])
    return Evidence("names no change, level or doing of others to measure", shown)

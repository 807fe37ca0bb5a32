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
from okrkit.domain.wording_deliverables import _BEHAVIOUR, _COMPARATIVE, _PERFORMANCE_BAR
from okrkit.domain.wording_held import status_quo
from okrkit.domain.wording_output import _joined_task, output
from okrkit.domain.wording_stated import _PEOPLE, _people_do, _result_reached, _share_of_people
from okrkit.domain.wording_text import (
    _CHANGE_VERBS,
    _RESULT_VERBS,
    Evidence,
    _tidy,
    leading_verb,
    numbers_in,
    outcome_change,
    words,
)

__all__ = ["key_result_output", "outcome"]

# Verbs that open a change or a result to reach, whatever follows ("Improve developer
# experience", "Win the award", "Meet the hiring plan"): the change is the goal.
_OPENERS = _CHANGE_VERBS | _RESULT_VERBS | {
    "achieve", "meet", "exceed", "win", "secure", "close", "attract", "receive", "scale",
    "mitigate", "limit", "maximize", "expand",
}  # fmt: skip
# A change stated with its verb or noun anywhere ("Status calls decrease", "Reduction of
# breaches", "Engagement grew by half").
_CHANGED = re.compile(
    r"\b(?:increase[sd]?|decrease[sd]?|reduced|reduction|grew|grown|improved|improvements?|"
    r"growth|declines?|declined|doubles|doubled|halved|lowered|raised|rises|rose|drops|"
    r"dropped|falls|fell)\b",
    re.I,
)
# A level, a statistic or a quality that is measured rather than made.
_LEVEL_WORD = re.compile(
    r"\b(?:maturity|index|scor(?:e|es|ing)|ratings?|targets?|quota|budget|sla|slo|"
    r"percent(?:age)?|average|median|mean|p\d\d|benchmark|kpis?|roi|velocity|throughput|"
    r"productivity|efficiency|performance|reliability|quality|experience|awareness|"
    r"diversity|satisfaction|confidence|visibility|traction|presence|scalability)\b",
    re.I,
)
_MONEY = re.compile(r"[$€£]\s?\d|\b\d[\d.,]*\s?(?:k|m|mm|bn|million|billion)\b", re.I)
# A comparison: the performance words of a capability, and bounds.
_COMPARE = re.compile(
    rf"{_COMPARATIVE.pattern}|\b(?:higher|lower|greater|cheaper|quicker|easier|at least|"
    r"at most)\b|[<>≤≥+]",
    re.I,
)
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
    r"\b(?:used|adopted|approved|endorsed|accepted|using|utilized|discussed)\s+by\b", re.I
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
    if people and (_SAY.search(text) or numbers_in(text)):
        return Evidence("counts what others do or say", people.group(0))
    found = _TAKEN_UP.search(text) or _OTHERS_FIRST.match(text)
    return Evidence("states what others do", found.group(0)) if found else None


def _level(text: str) -> Evidence | None:
    """A level to reach: an amount of money, a number (the output readings have already
    taken counts of the team's own artefacts), a measured quality, or a comparison."""
    found = _MONEY.search(text) or _LEVEL_WORD.search(text) or _COMPARE.search(text)
    if found:
        return Evidence("names a level", found.group(0))
    amount = numbers_in(text)
    return Evidence("names a level", amount.words) if amount else None


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
    return _change(tidy) or _others(tidy) or _level(tidy) or _bar(tidy)


# A measure named first: "Number of teams that …", "% of time spent …", "X# of citations".
_MEASURE_FIRST = re.compile(
    r"^(?:the\s+)?(?:number|share|percentage|proportion|ratio|count|amount|%|#|x+\s*[#%])"
    r"\s+of\b",
    re.I,
)
# A group of other people, counted or quantified, as the subject of what they have done
# or are doing ("All team members have completed …", "At least 5 creators have created
# …", "100 % of hires using …"); not what they were given ("Every employee has a plan",
# "100 % of staff are trained"): that is the team's work.
_GROUP = re.compile(
    r"^(?:(?:all|every|each|most|many|half)(?:\s+of)?(?:\s+(?:the|our|their))?|(?:at least|"
    r"over|more than|>=?|≥)\s*\d[\d,.]*\+?|\d[\d,.]*\s*%\s+of(?:\s+(?:the|our|their))?)\s+"
    r"(?:[\w+'’-]+\s+){0,3}?(?:[\w-]+-)?(?:users?|customers?|clients?|members?|employees?|"
    r"teammates?|staff|people|teams?|accounts?|partners?|candidates?|applicants?|visitors?|"
    r"buyers?|subscribers?|students?|contributors?|developers?|engineers?|managers?|hires?|"
    r"creators?|volunteers?|maintainers?|researchers?|organi[sz]ations|companies|readers?)"
    r"\s+(?:(?:have|has)\s+(?!been\b)\w+(?:ed|en)|becomes?|\w+ing)\b",
    re.I,
)
# Others enabled to reach a result ("Enable the team to achieve 100 % quality").
_ENABLED = re.compile(
    r"^(?:enable|allow|help|empower|equip)\s+(?:[\w-]+\s+){1,3}?to\s+(?P<verb>[a-z]+)\b", re.I
)
# Verbs of making whose object can be money earned or saved ("Deliver $250k in savings").
_MONEY_MADE = {"deliver", "generate", "drive", "bring", "produce", "create", "add", "save"}
_CURRENCY = re.compile(r"[$€£]\s?\d|\b(?:usd|eur|gbp|chf)\b", re.I)
# A race or finish time, not a time of day ("Run a 17:59 5K"; not "Wake up at 6:30").
_FINISH_TIME = re.compile(
    r"(?<![\w:])(?<!\bat\s)\d{1,2}:\d{2}(?::\d{2})?(?![\w:])(?!\s*(?:am|pm|a\.m)\b)", re.I
)
# A quality of the product, stated ("go and js are interoperable", "runs … without a
# crash"): a level of the thing, not the thing made.
_QUALITY_STATE = re.compile(
    r"^(?:[\w'’/.+&-]+\s+){1,5}?(?:is|are|will be|remains?|becomes?)\s+(?:more\s+|fully\s+)?"
    r"(?!(?:available|usable)\b)(?:\w+(?:able|ible)|reliable|stable|secure|compliant|"
    r"responsive|consistent|accurate)\b"
    r"|\bwithout (?:a |any )?(?:crash|crashes|downtime|outages?|failures?|incidents?)\b",
    re.I,
)
# A state had with a quality compared ("Having a more diverse hiring funnel").
_HAD_COMPARED = re.compile(r"^(?:have|having)\s+(?:a|an)\s+(?:more|less)\s+\w+", re.I)


def _led_by_outcome(text: str) -> Evidence | None:
    """An outcome that some output readings would take for work, read before them: a
    measure named first, what a group of others has or does, others enabled to reach a
    result, money delivered or saved, a finish time, a quality of the product, or a
    compared state had."""
    verb = leading_verb(text)
    found = (
        _MEASURE_FIRST.match(text)
        or _GROUP.match(text)
        or _FINISH_TIME.search(text)
        or _QUALITY_STATE.search(text)
        or _HAD_COMPARED.match(text)
    )
    if found:
        return Evidence("names an outcome first", found.group(0))
    enabled = _ENABLED.match(text)
    if enabled and enabled.group("verb").lower() in _OPENERS:
        return Evidence("enables others to reach a result", enabled.group(0))
    if verb in _MONEY_MADE and _CURRENCY.search(text):
        return Evidence("delivers money earned or saved", verb)
    return None


def key_result_output(text: str) -> Evidence | None:
    """A key result is an output unless it reads as an outcome. The output readings
    come first, so a task beside an outcome ("Ship X and reach 20 % adoption") is an
    output; a key result with neither reading names work to do, an output too. Some
    outcomes look like work to those readings (what a group of others has done, a
    measure named first): they are read first, unless a task is joined to them."""
    tidy = _tidy(text)
    if tidy and _led_by_outcome(tidy) and not _joined_task(tidy):
        return None
    made = output(text)
    if made:
        return made
    if not tidy or outcome(tidy):
        return None
    shown = " ".join(tidy.split()[:8])
    return Evidence("names no change, level or doing of others to measure", shown)

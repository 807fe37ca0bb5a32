"""What a number counts: a level of an outcome, or a tally of the team's own work (OKR002).

A number alone does not make a key result an outcome. "Publish 12 posts", "3 workshops
held", "Read 40 books" and "Marketing partnerships with 3 organizations" count the
team's own artefacts or activities: a tally of work, an output. A number is a level of
an outcome when it is a share or a rate ("40 %", "half"), money ("$2M"), a multiplier
("3x", "double"), a large amount ("10k"), a time or duration ("under 2 s", "in 3
days") — unless the time is a schedule of the doer's own activity ("Spend 1 hr every
week on …", "60 mins practice per week") — or when it counts other people or what they
do ("500 customers", "1,000 signups", "20 qualified leads", "300 attendees"). Bounds
("at least", "400+", "> 50") only qualify the number they stand by.

`wording_outcome._level` asks this instead of "any number is a level"; a key result
read as neither a change, nor others' doing, nor a level stays an output by default.
`tally` reads a tally of work in the grammar of an outcome, before the outcome reading:
a schedule of one's own activity, a change whose target counts the team's artefacts,
and contact with people counted ("Talk to 5 customers", "2 customer interviews a week").
"""

from __future__ import annotations

import re
from functools import lru_cache

from okrkit.domain.wording_deliverables import _DOWN_VERBS
from okrkit.domain.wording_stated import _PEOPLE
from okrkit.domain.wording_text import (
    _CHANGE_VERBS,
    _OUTCOME_NOUNS,
    _RESULT_VERBS,
    Evidence,
    leading_verb,
    numbers_in,
    outcome_change,
)

__all__ = ["counted_level", "schedule", "tally"]

_NUMBER = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|hundred|a hundred|a thousand|a dozen|dozens|hundreds|"
    r"thousands)"
)
# A share, money, a multiplier or a large amount: a level whatever it counts.
_LEVEL_AMOUNT = re.compile(
    rf"[$€£]\s?\d|\d\s*%|\b{_NUMBER}\s*(?:percent|per cent)\b|\btwice\b(?!\s+(?:a|an|per|every)\b)"
    r"|\b(?:half|double|triple|"
    r"tenfold|million|millions|billion|billions|a third|a quarter)\b"
    r"|\b\d[\d.,]*\s?(?:k|m|mm|bn)\b|\b\d[\d.,]*\s?x\b(?!\s*(?:/|per\b|a\s+(?:day|week|month)))"
    r"|\b(?:usd|eur|gbp|dollars|euros)\b"
    # a measure in units: distance, weight, pace ("20 miles", "225 pounds", "1 book/month")
    r"|\b\d[\d.,]*\s?(?:miles?|mi|km|kilomet(?:er|re)s?|met(?:er|re)s?|kg|kilos?|pounds|lbs?|"
    r"steps|per\s+round)\b|\b\d[\d.,]*\s?[a-z]{2,}\s?/\s?(?:day|week|month|year)\b"
    # a size of data, a rank, a rating, a cap: levels, never tallies of work
    r"|\b\d[\d.,]*\s?(?:[kmgtp]b|gib|tib)\b|\btop[- ]?\d+\b|\bout of\s+\d|\d\s*/\s*(?:5|10)\b"
    r"|(?:<|≤|\bunder|\bbelow|\bless than|\bat most|\bno more than|\bfewer than)\s*[$€£]?\d",
    re.I,
)
# A time or a duration: how long, how fast.
_TIME_UNIT = re.compile(
    r"\b(?:ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|"
    r"months?|years?)\b",
    re.I,
)
# A schedule of one's own activity: so much, so often ("3x/week", "every week",
# "three times a month", "per week", "daily for 30 minutes").
_SCHEDULE = re.compile(
    r"(?<!\bwithin\s)(?<!\bin\s)(?<!\bover\s)\b(?:per|every|each|a|an)\s+(?:day|week|month|quarter|year|sprint|morning|evening|"
    r"weekday|weekend|round|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b\d+\s*x\s*/|/\s*(?:day|week|month|wk)\b|\btimes\s+(?:a|per)\b"
    r"|\b(?:regularly|daily|weekly|monthly)\b",
    re.I,
)
# What others do, counted, beyond the outcome nouns the output readings know: their
# uptake, their custom, their presence, and qualifiers that make the things counted
# others' ("250 active clubs", "20 qualified leads").
_UPTAKE = re.compile(
    r"\b(?:registrations?|installations?|pageviews?|clicks?|subscriptions?|upgrades?|likes?|"
    r"responses?|replies|pledges?|votes?|attendees?|participants?|volunteers?|signatures?|"
    r"applications?|transactions?|wins?|respondents?|viewers?|listeners?|learners?|"
    r"organi[sz]ations?|institutions?|schools?|cities|countries|municipalities|households?|"
    r"families|businesses|merchants?|vendors?|donors?|sponsors?|backers?|seats?|licen[cs]es?|"
    r"tenants?|retweets?|contributions?|regulars|influencers?|residents?|investments?|"
    r"investors?|(?:mau|dau|wau|adu)s|active|paying|returning|repeat|engaged|qualified|"
    r"positive|satisfied|happy)\b",
    re.I,
)
# Things counted that others did ("200 certifications completed by middle managers").
_DONE_BY = re.compile(
    rf"\b(?:\w+ed|taken|done|given|written|made)\s+by\s+(?:[\w-]+\s+){{0,3}}?{_PEOPLE.pattern}",
    re.I,
)
_STOP = re.compile(r"^(?:of|for|with|from|in|on|to|by|at|per|and|or|&|,|;|who|that|which)$")
# A number that describes the thing named before it ("calls with 400+ participants").
_WITH = re.compile(r"\b(?:with|w/?|including)\s+(?:at least\s+|over\s+|>\s*)?$", re.I)
_QUANTITY = re.compile(rf"(?<![\w.])(?:at least\s+|at most\s+|over\s+|>\s*)?{_NUMBER}\+?", re.I)


def _counted(after: str) -> str:
    """The phrase a number counts: up to four words after it, to a preposition."""
    taken: list[str] = []
    for token in re.findall(r"[\w'’/-]+|[,;&]", after)[:5]:
        if _STOP.match(token.lower()) and taken:
            break
        taken.append(token)
    return " ".join(taken)


def schedule(text: str) -> bool:
    """So much, so often: a schedule of one's own activity ("3x/week", "every day")."""
    return _SCHEDULE.search(text) is not None


@lru_cache(maxsize=4096)
def counted_level(text: str) -> Evidence | None:
    """A number that is a level of an outcome: a share, money, a multiplier, a time not
    spent on a schedule of one's own, or a count of other people or of what they do. A
    tally of the team's own artefacts or activities ("12 streams", "Read 40 books",
    "Spend 1 hr every week on side projects") is none."""
    if numbers_in(text) is None and not _QUANTITY.search(text):
        return None
    done = _DONE_BY.search(text)
    if done:
        return Evidence("counts other people or what they do", done.group(0))
    found = _LEVEL_AMOUNT.search(text)
    if found:
        return Evidence("names a level", found.group(0))
    scheduled = schedule(text)
    for number in _QUANTITY.finditer(text):
        if _WITH.search(text[: number.start()]):
            continue  # "Online calls with 400+ participants": the calls are what is named
        counted = _counted(text[number.end() :])
        if number.group(0)[0].isdigit() and counted.lower().startswith("of "):
            counted = _counted(counted[3:])
        other = _PEOPLE.search(counted) or _OUTCOME_NOUNS.search(counted) or _UPTAKE.search(counted)
        if other:
            return Evidence("counts other people or what they do", f"{number.group(0)} {counted}")
        if _TIME_UNIT.match(counted) and not scheduled:
            return Evidence("names a time or a duration", f"{number.group(0)} {counted}")
    return None


# The target of a change, counted in things ("… to 650 snippets", "from 10 to 25 guides").
_TARGET = re.compile(rf"\bto\s+(?:at least\s+|over\s+)?{_NUMBER}\+?\s+(?P<unit>[\w'’-]+)", re.I)


# Contact with people as the team's own activity: talking to, meeting, interviewing,
# surveying or coaching them, counted ("Talk to 5 customers", "2 customer interviews per
# week", "Calls with 20 prospects", "200 leaders coached"); the people are whom the work
# reaches, not an outcome they produce.
_CONTACT = re.compile(
    r"^(?:talk|speak)\s+(?:to|with)\b|^meet\s+with\b|^(?:interview|survey|coach|mentor|visit)\s+"
    r"|^call\s+on\b|\b\d[\d,]*\+?\s+(?:[\w-]+\s+)?(?:interviews|calls|conversations|meetings)\b"
    r"|\b(?:calls|interviews|conversations|meetings)\s+with\s+"
    r"|^\d[\d,]*\+?\s+(?:[\w-]+\s+){0,2}?(?:coached|mentored|interviewed|surveyed|called|visited)\b",
    re.I,
)
_TIME_BAR = re.compile(r"\b(?:within|in under|in less than)\s+\d", re.I)


def _others_in(text: str) -> bool:
    return bool(_PEOPLE.search(text) or _OUTCOME_NOUNS.search(text) or _UPTAKE.search(text))


def tally(text: str) -> Evidence | None:
    """A tally of the team's own work with the grammar of an outcome: a schedule of one's
    own activity with no level and no one else in it ("Swim 3x/week", "Blog twice a
    month"), or a change whose target counts the team's own artefacts ("Grow the template
    library to 200 templates") rather than others, money, time or a share."""
    contact = _CONTACT.search(text)
    if contact and not (_TIME_BAR.search(text) or outcome_change(text)):
        return Evidence("counts the team's contact with people", contact.group(0).strip())
    if _others_in(text) or counted_level(text):
        return None
    verb = leading_verb(text)
    if verb in _CHANGE_VERBS and verb not in _DOWN_VERBS:
        target = _TARGET.search(text)
        if target and not _TIME_UNIT.match(target["unit"]):
            return Evidence("counts the team's own work", target.group(0))
    if verb in _CHANGE_VERBS or verb in _RESULT_VERBS or outcome_change(text):
        return None  # fewer of a thing, or a rate of change, is a change in a level
    so_often = _SCHEDULE.search(text)
    if so_often and numbers_in(text):
        return Evidence("keeps a schedule of one's own activity", so_often.group(0))
    return None

"""Outcomes that read like work, read before the output readings (OKR002).

The output readings know work by its grammar: a verb of doing first, a deliverable
stated as done, a count of things. Some outcomes share that grammar: what a group of
other people has done or does ("All team members have completed the training", "Three
partner teams use the new API"), a thing taken up by others ("… visited by 10k
developers"), a measure named first ("Number of teams that …"), others enabled to reach a
result, money delivered or saved, a finish time ("Run a 17:59 5K"), a quality of the
product stated ("go and js are interoperable"), a metric named by a compound ("Deploy
frequency of …"), people able to do a thing unaided ("Admins can set up SSO without
contacting support"). `wording_outcome.key_result_output` asks this reading first, unless
a task is joined to the outcome ("Ship X and reach 20 % adoption" stays an output).
"""

from __future__ import annotations

import re
from functools import lru_cache

from okrkit.domain.wording_text import (
    _CHANGE_VERBS,
    _RESULT_VERBS,
    Evidence,
    _base_forms,
    leading_verb,
    words,
)

__all__ = ["led_by_outcome"]

# Verbs that open a change or a result to reach, whatever follows ("Improve developer
# experience", "Win the award", "Meet the hiring plan"): the change is the goal.
_OPENERS = _CHANGE_VERBS | _RESULT_VERBS | {
    "achieve", "meet", "exceed", "win", "secure", "close", "attract", "receive", "scale",
    "mitigate", "limit", "maximize", "expand",
}  # fmt: skip
# Money, a placeholder for it too ("$XM", "$M IARR").
_MONEY = re.compile(
    r"[$€£]\s?(?:\d|x*(?:k|m|mm|bn)\b|x+\b)|\b\d[\d.,]*\s?(?:k|m|mm|bn|million|billion)\b",
    re.I,
)
# A measure named first: "Number of teams that …", "% of time spent …", "X# of citations".
_MEASURE_FIRST = re.compile(
    r"^(?:the\s+)?(?:(?:average|median|mean|total)\s+)?(?:number|share|percentage|proportion|ratio|count|amount|%|#|x+\s*[#%])"
    r"\s+of\b",
    re.I,
)
# A group of other people, counted or quantified, as the subject of what they have done
# or are doing ("All team members have completed …", "At least 5 creators have created
# …", "100 % of hires using …"); not what they were given ("Every employee has a plan",
# "100 % of staff are trained"): that is the team's work.
_PEOPLE_WORD = (
    r"(?:users?|customers?|clients?|members?|employees?|teammates?|staff|people|"
    r"teams?|accounts?|partners?|candidates?|applicants?|visitors?|buyers?|subscribers?|"
    r"students?|learners?|contributors?|developers?|engineers?|managers?|hires?|agents?|"
    r"reps?|admins?|creators?|volunteers?|maintainers?|researchers?|organi[sz]ations|"
    r"companies|readers?|patients?|citizens?|residents?|participants?|attendees?|"
    r"merchants?|sellers?|vendors?|suppliers?|tenants?|players?|donors?|teachers?|"
    r"physicians?|nurses?|doctors?|clinicians?|translators?|schools?|districts?|agencies|"
    r"squads?|crews?|groups?|shoppers?|guests?|callers?|viewers?|listeners?|fans?|"
    r"followers?|households?|families|parents?|passengers?|riders?|drivers?)"
)
_PEOPLE_NOUN = rf"(?:[\w-]+-)?{_PEOPLE_WORD}"
_GROUP = re.compile(
    r"^(?P<count>(?:all|every|each|most|many|half)(?:\s+of)?(?:\s+(?:the|our|their))?|"
    r"(?:at least|over|more than|>=?|≥)?\s*(?:\d[\d,.]*\+?|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|twenty|fifty|hundred)|\d[\d,.]*\s*%\s+of(?:\s+(?:the|our|their))?)?"
    rf"\s*(?:(?!\d)[\w+'’-]+\s+){{0,3}}?(?P<people>{_PEOPLE_NOUN})\s+(?:(?P<who>who|that)\s+)?"
    rf"(?!{_PEOPLE_NOUN}\b)(?P<verb>(?:have|has)\s+"
    r"(?!been\b)\w+(?:ed|en)|becomes?|\w+ing|\w+)\b",
    re.I,
)
_PEOPLE_HEAD = re.compile(rf"\b{_PEOPLE_WORD}\b", re.I)
# What people do with a thing, as a verb that can follow them in the present.
_TAKE_UP = {
    "use", "adopt", "join", "visit", "attend", "buy", "purchase", "download", "install",
    "subscribe", "switch", "migrate", "rely", "recommend", "rate", "contribute",
    "participate", "engage", "return", "renew", "upgrade", "report", "say", "pay",
    "choose", "spend", "resolve", "deploy", "send", "find", "prefer", "trust", "wait",
    "stay", "come", "submit", "invite", "refer", "share",
}  # fmt: skip
# Finishing what the team set them ("All managers complete the course", "… have
# completed the training"): the reach of the team's rollout, read as its work.
_SET_BY_TEAM = {"complete", "finish", "pass", "attend", "take", "taken", "train"}


def _group_does(text: str) -> Evidence | None:
    """Other people as the subject of what they have done or do: counted or quantified
    ("All team members have completed …", "Three partner teams use …", "100 % of hires
    using …"), or a plural with a verb of their own ("Readers spend twice as long …").
    Not what they were given ("Every employee has a plan", "100 % of staff are trained"):
    that is the team's work, and a bare subject that can do a thing is a capability."""
    head = " ".join(text.split()[:7])
    if not _PEOPLE_HEAD.search(head):
        return None  # the group is the subject: it stands within the first words
    found = _GROUP.match(text)
    if not found:
        return None
    verb = found.group("verb").lower()
    if found.group("who"):
        # "Users who finish onboarding invite a teammate": past the relative clause's
        # verb, the main verb is the first verb of taking up in the plain present.
        rest = words(text[found.start("verb") :])[1:6]
        main = [w for w in rest if not w.endswith(("ing", "ed")) and set(_base_forms(w)) & _TAKE_UP]
        if not main:
            return None
        verb = main[0]
    counted = found.group("count") is not None
    if verb in ("have", "has"):
        doing = False  # "Every employee has a plan": what they were given
    elif verb.startswith(("have", "has")) or verb in ("become", "becomes"):
        done = verb.split()[-1]
        doing = counted and not set(_base_forms(done)) & _SET_BY_TEAM
    elif verb.endswith("ing"):
        doing = counted and verb not in ("being",)
    else:
        people = found.group("people").lower()
        plural = people.endswith("s") or people in ("people", "staff")
        singular_verb = verb.endswith("s")
        doing = (
            not verb.endswith("ed")
            and bool(set(_base_forms(verb)) & _TAKE_UP)
            and (counted or plural)
            and (singular_verb != plural or counted)
        )
    return Evidence("counts what others have done or do", found.group(0)) if doing else None


# A thing taken up by others, with the verb and the people apart ("Docs site visited by
# 10k developers", "… mentioned in a paper by outside researchers").
_TAKEN_VERBS = (
    r"(?:used|adopted|visited|downloaded|installed|starred|cited|mentioned|referenced|"
    r"recommended|rated|read|viewed|shared|forked)"
)
_TAKEN_BY = re.compile(
    rf"\b{_TAKEN_VERBS}\b(?:\s+[^\s,;]+){{0,6}}?\s+by\s+"
    rf"(?:[\w{{}}$%.,+-]+\s+){{0,3}}?{_PEOPLE_NOUN}\b",
    re.I,
)
# A change whose target is a number of people ("Scale the newsletter to thousands of
# engaged subscribers").
_TO_PEOPLE = re.compile(
    r"\bto\s+(?:\d[\d,.]*\s*[km+]?|thousands|hundreds|millions|tens)\s+(?:of\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?{_PEOPLE_NOUN}\b",
    re.I,
)
# Verbs that name a level to aim at ("Target a 20 % cut in churn").
_AIMING = {"target", "aim"}
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
    r"(?!(?:available|usable|compatible)\b)(?:\w+(?:able|ible)|reliable|stable|secure|compliant|"
    r"responsive|consistent|accurate)\b"
    r"|\bwithout (?:a |any )?(?:crash|crashes|downtime|outages?|failures?|incidents?)\b",
    re.I,
)
# None of a harm, as a level to reach ("Zero critical findings in the pen test").
_NONE_OF_HARM = re.compile(
    r"^(?:zero|no|0)\s+(?:[\w-]+\s+){0,3}?(?:findings|bugs|defects|errors|incidents|outages|"
    r"complaints|escalations|regressions|vulnerabilities|breaches|injuries|accidents|"
    r"violations|failures|crashes)\b",
    re.I,
)
# A metric named by a compound whose first word could be a verb ("Deploy frequency of
# at least daily", "Build time under 10 minutes").
_METRIC_COMPOUND = re.compile(
    r"^\w+\s+(?:frequency|rate|time|times|latency|duration|velocity|throughput|accuracy|"
    r"coverage|cost|costs)(?=\s*$|\s+(?:of|under|below|above|over|at|to|from|within|less|"
    r"more|down|up|is|are|[<>≤≥]|\d))",
    re.I,
)
# People able to do a thing unaided: their independence is the outcome ("Admins can set
# up SSO without contacting support", "Translators find their copy without help").
_ABLE = re.compile(
    rf"^(?:[\w+'’-]+\s+){{0,3}}?{_PEOPLE_NOUN}\s+(?:can|could|are able to|will be able to)\b",
    re.I,
)
_UNAIDED = re.compile(
    r"\b(?:without (?:help|assistance|(?:any\s+)?(?:contacting|calling|asking|waiting|"
    r"needing|filing|opening)\b)|on (?:their|his|her) own|by themselves|unaided|"
    r"self-serve)",
    re.I,
)
_QUALITY_HINT = re.compile(r"\b(?:is|are|be|remains?|becomes?|without)\b", re.I)
# A state had with a quality compared ("Having a more diverse hiring funnel").
_HAD_COMPARED = re.compile(r"^(?:have|having)\s+(?:a|an)\s+(?:more|less)\s+\w+", re.I)


@lru_cache(maxsize=4096)
def led_by_outcome(text: str) -> Evidence | None:
    """An outcome that some output readings would take for work, read before them: a
    measure named first, what a group of others has or does, others enabled to reach a
    result, money delivered or saved, a finish time, a quality of the product, or a
    compared state had."""
    found = (
        _MEASURE_FIRST.match(text)
        or (" by " in text and _TAKEN_BY.search(text))
        or (":" in text and _FINISH_TIME.search(text))
        or (_QUALITY_HINT.search(text) and _QUALITY_STATE.search(text))
        or _HAD_COMPARED.match(text)
        or _METRIC_COMPOUND.match(text)
        or _NONE_OF_HARM.match(text)
    )
    if found:
        return Evidence("names an outcome first", found.group(0))
    group = _group_does(text)
    if group:
        return group
    able = _UNAIDED.search(text)
    if able and _ABLE.match(text):
        return Evidence("others can do a thing unaided", able.group(0))
    verb = leading_verb(text) or (words(text) or [""])[0]
    enabled = _ENABLED.match(text)
    if enabled and enabled.group("verb").lower() in _OPENERS:
        return Evidence("enables others to reach a result", enabled.group(0))
    if verb in _MONEY_MADE and _CURRENCY.search(text):
        return Evidence("delivers money earned or saved", verb)
    if verb in _AIMING:
        return Evidence("aims at a level", verb)
    if (verb in _CHANGE_VERBS or verb == "scale") and _TO_PEOPLE.search(text):
        return Evidence("changes how many people are reached", verb)
    return None

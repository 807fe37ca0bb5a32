"""Outputs stated without an opening verb (OKR002): a deliverable done, existing, held,
shipped or counted, a doer at work, or named by a noun phrase's head."""

from __future__ import annotations

import re

from okrkit.domain.wording_deliverables import (
    _ARTEFACT,
    _AUX,
    _BOUND,
    _CAPABILITY,
    _COMPARATIVE,
    _DOCUMENT_HEAD,
    _DONE_STATES,
    _FINITE,
    _FINITE_VERB,
    _HEAD,
    _METRIC_OF,
    _NOT_A_SUBJECT,
    _OF_TARGET,
    _OPINION,
    _OTHERS,
    _OUTCOME_VERBS,
    _PARTICIPATION,
    _PAYING,
    _PEOPLE_SHARE,
    _PROGRESSIVE,
    _QUALIFIED,
    _RANKING,
    _SERVICE_TIME,
    _STATISTIC_WORD,
    _WORK_NOUN,
    _performance,
)
from okrkit.domain.wording_held import _WE_DO
from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _ANY_VERB,
    _CHANGE_VERBS,
    _FINITE_WORDS,
    _HANDLING_VERBS,
    _LEVEL,
    _METRIC_HEAD,
    _OUTCOME_NOUNS,
    _RESULT_VERBS,
    Evidence,
    _base_forms,
    numbers_in,
)

__all__ = []


# People as the subject: what they have, do or can do is their behaviour, an outcome.
_PEOPLE = re.compile(
    r"\b(?:users?|customers?|clients?|members?|veterans?|employees?|teammates?|staff|people|"
    r"everyone|teams?|accounts?|companies|partners?|candidates?|applicants?|visitors?|"
    r"buyers?|subscribers?|students?|contributors?|developers?|engineers?|managers?|reps?|"
    r"hires?|sellers?|owners?|leaders?|admins?|editors?|readers?|patients?|citizens?)\b",
    re.I,
)
# A subject of up to six words that is not a share, a count or a clause of its own.
_SUBJECT = (
    r"^(?!\d|no\b|most\b|half\b|there\b|it\b|we\b|you\b|they\b|"
    rf"{_METRIC_OF})(?P<subject>(?:(?!(?:who|that|which|where|when|is|are|was|were|can|will|"
    r"should|has|have|had|does|do|doesn['’]t|don['’]t)\b)[\w'’/+.&,-]+\s+){1,6}?)"
)
# "Usage examples and proper documentation exist for all modules", "X exists".
_EXISTS = re.compile(r"^(?!no\b)(?:[\w'’/+.&,-]+\s+){1,8}?(?:now\s+|already\s+)?exists?\b", re.I)
# "DHT has stream support", "go-ipfs doesn't have checked-in paths", "Have benchmarks
# that demonstrate …": a product holding (or rid of) a thing the team makes.
_HAS = re.compile(
    rf"(?:{_SUBJECT}(?:now\s+|also\s+)?(?P<verb>has|have|doesn['’]t have|does not have|"
    r"no longer has)|^(?P<imperative>have))\s+(?P<object>.+)$",
    re.I,
)
# "has increased by 30 %", "has grown", "has fewer incidents": a change or a level,
# not a thing held.
_NOT_A_THING = re.compile(
    r"^(?:been|had|grown|risen|fallen|gone|become|got|gotten|shrunk|seen|fewer|more|less|"
    r"higher|lower|better|worse|faster|slower|greater|smaller|bigger|the (?:best|most|"
    r"highest|lowest|fastest))\b|^\w+ed(?:\s+(?:\w+ly|by|to|from|in|on|at|with|for|over|"
    r"since|more|less|\d\S*))?\s*$|^\w+ed\s+(?:\w+ly|by|to|from|over|since)\b",
    re.I,
)
# "Connection manager supports dial backoff", "GraphSync learns to distribute paths":
# a product's new capability, stated in the present tense.
_CAPABLE = re.compile(
    rf"{_SUBJECT}(?:now\s+|fully\s+|also\s+)?(?P<verb>supports|exposes|provides|offers|"
    r"includes|integrates with|interoperates with|interops with|works (?:offline|with|on|in|"
    r"across)|runs (?:on|in)|ships with|learns to|learned to|knows how to|allows|lets)\b",
    re.I,
)
# A passive of a verb of doing: "X is linked to a brief", "X is security-scanned".
_PASSIVE = re.compile(
    rf"\b{_AUX}\s+(?:now\s+|all\s+|\w+ly\s+)?(?:\w+-)?(?P<done>\w+ed)\b(?P<after>.*)$", re.I
)
# Verbs whose passive tells what others did with the thing: their uptake, an outcome.
_UPTAKE = {
    "use", "adopt", "join", "visit", "attend", "buy", "purchase", "call", "email", "request",
    "file", "enrol", "enroll", "participate", "read", "share", "download", "install", "open",
}  # fmt: skip
_BY_OTHERS = re.compile(r"^\s*by\s+(?:\S+\s+){0,3}?(?:\d|%)", re.I)
# "Average of 4 interviews per hire": a statistic of the work, not a count of it.
_STATISTIC = re.compile(rf"^{_STATISTIC_WORD}", re.I)
# A count of the team's own artefacts: the number right before the thing counted.
_COUNTED = re.compile(
    r"(?:\d[\d.,]*\+?|\b(?:x|xx|one|two|three|four|five|six|seven|eight|nine|ten|dozen))"
    rf"\s*(?:%\s+of\s+)?(?:[\w'’/\"“”-]+\s+){{0,3}}?{_ARTEFACT}\b",
    re.I,
)


# "Become the default tool for data teams": a state to reach, not a thing named.
_COPULA = re.compile(r"^(?:be|become|remain|stay|make|get|feel|seem|look)\b", re.I)
_PEOPLE_VERB = re.compile(rf"(?<![\w-]){_PEOPLE.pattern}\s+(?:\w+ly\s+)?(\w+)", re.I)


_AFTER_NOUN = re.compile(r"(?<=\w\s)(\w+ed)(?=\s*$|\s+(?:by|in|on|at|for|within|before)\b)", re.I)


def _result_reached(text: str) -> bool:
    """Whether a noun phrase ends in a result reached ("milestones reached", "costs cut
    in half"): a changed state, not a deliverable named."""
    return any(
        set(_base_forms(found.group(1).lower())) & (_CHANGE_VERBS | _RESULT_VERBS)
        for found in _AFTER_NOUN.finditer(text)
    )


def _people_do(text: str) -> bool:
    """Whether people are the ones acting ("More teams use the dashboard"): an outcome."""
    return any(
        set(_base_forms(found.group(1).lower())) & (_ANY_VERB | _UPTAKE)
        for found in _PEOPLE_VERB.finditer(text)
    )


# "Dark mode available on iOS", "New onboarding flow live for all users", "Offline mode
# ships in the Android app": a deliverable stated as out, with no "is".
_DELIVERED = re.compile(
    rf"{_SUBJECT}(?:now\s+)?(?P<state>(?:live|available|in place|generally available|enabled|"
    r"in beta)(?=\s+(?:for|on|in|to|across|at|by|within)\b)|in production$|ships|launches|"
    r"goes live|rolls out|lands in)\b",
    re.I,
)


# "Every squad publishes a monthly update": each unit of the organisation doing work
# (what each customer or user does is their behaviour, read as an outcome).
_EACH_DOES = re.compile(
    r"^(?:each|every)\s+(?!(?:[\w-]+\s+){0,2}?(?:new\s+|active\s+|paying\s+)?(?:customers?|"
    r"users?|clients?|members?|visitors?|buyers?|veterans?|applicants?|accounts?|trials?|"
    r"subscribers?|students?|patients?|citizens?|readers?|partners?)\b)(?:[\w-]+\s+){1,3}?"
    r"(\w+s)\b",
    re.I,
)


# "Ansible tower manages our deployments", "NDIT captures business objectives …", "The
# SRE team identify 3 issues": a subject that is not others doing a verb of doing to an
# object — the team or its tooling at work.
_MODAL = {"now", "also", "will", "should", "must", "shall"}
# "Search provides fast and relevant results": a quality of the service, an outcome.
_QUALITY = re.compile(
    rf"{_COMPARATIVE.pattern}|\b(?:fast|quick|relevant|reliable|accurate|stable|secure|"
    r"consistent|timely)\b",
    re.I,
)
_PREPOSITIONS = {"for", "in", "on", "at", "with", "to", "from", "by", "of", "over", "under"}
_NOT_A_DOER = re.compile(
    r"^(?:\d|no\b|most\b|half\b|there\b|it\b|they\b|if\b|by\b|as\b|in\b|with\b)", re.I
)
# The organisation's own people: a plan or a review each of them has is the team's work.
_OWN_PEOPLE = re.compile(
    r"^(?:all|every|each|100\s*%\s+of)\s+(?:[\w-]+\s+){0,2}?(?:teams?|squads?|employees?|"
    r"staff|managers?|engineers?|team members?|departments?|groups?)\b",
    re.I,
)


def _doer_does(text: str) -> Evidence | None:
    """A named doer at work: a subject of one to five words that is not customers, users
    or a metric, then a verb of doing in the present or with a modal, then its object
    ("Ansible tower manages our deployments", "SREs should prepare new test plans")."""
    if _NOT_A_DOER.match(text) or _share_of_people(text) or _STATISTIC.match(text):
        return None
    tokens = text.split()
    for size in range(1, min(6, len(tokens) - 1)):
        subject, rest = " ".join(tokens[:size]), tokens[size:]
        modal = rest[0].lower() in _MODAL
        if modal:
            rest = rest[1:]
        if len(rest) < 2 or _FINITE_WORDS & {t.lower() for t in tokens[:size]}:
            continue
        if _NOT_A_SUBJECT.search(subject) or re.search(r"\b(?:who|whom)\b|\d", subject, re.I):
            return None
        verb, following = rest[0].lower(), rest[1].lower()
        # "Patch releases take 1 hour", "engineers will have …", "A daemon runs for 10
        # days": a plural noun before its own verb, or a verb with no object.
        if (
            following in _MODAL
            or following in _FINITE_WORDS
            or _OUTCOME_VERBS.match(following)
            or following in _PREPOSITIONS
        ):
            continue
        team = re.search(r"\b(?:team|squad|group|department)$", subject, re.I)
        if not (verb.endswith("s") or team or modal):
            continue
        forms = set(_base_forms(verb))
        if not forms & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE) or forms & _CHANGE_VERBS:
            continue
        if (
            _OTHERS.search(subject)
            or _PAYING.search(subject)
            or re.search(r"\b(?:users?|customers?)\b", subject, re.I)
            or _METRIC_HEAD.search(subject)
            or _OUTCOME_NOUNS.search(" ".join(rest[1:4]))
            or _QUALITY.search(" ".join(rest[1:]))
        ):
            return None
        return Evidence("states the team's own work", " ".join(tokens[: size + modal + 1]))
    return None


def _done_by_team(text: str) -> Evidence | None:
    """A passive of a verb of doing, not of others' uptake ("X is linked to a brief")."""
    found = _PASSIVE.search(text)
    if not found or _share_of_people(text) or _BY_OTHERS.match(found.group("after")):
        return None
    forms = set(_base_forms(found.group("done").lower()))
    if forms & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE) and not forms & _UPTAKE:
        return Evidence("states a deliverable as done", text[found.start() : found.end("done")])
    return None


def _held_thing(text: str) -> Evidence | None:
    """A deliverable stated as existing or held by a product: "X exists", "DHT has stream
    support", "Have proper JSON serialization for …"; not what people have or a level."""
    found = _EXISTS.search(text)
    if found:
        return Evidence("states a deliverable as existing", found.group(0))
    found = _HAS.search(text)
    if not found or _NOT_A_THING.search(found.group("object")):
        return None
    held = found.group("object")
    first = held.split()[0].lower()
    if first.endswith("ed") and set(_base_forms(first)) & (_CHANGE_VERBS | _RESULT_VERBS):
        return None  # "has improved onboarding": a change, not a thing held
    subject = found.group("subject") or ""
    own = _OWN_PEOPLE.match(text) and _WORK_NOUN.search(" ".join(held.split()[:4]))
    if own:
        return Evidence("states a deliverable as existing", f"{found.group('verb')} {own.group(0)}")
    if (
        _PEOPLE.search(subject)
        or numbers_in(held)
        or _OUTCOME_NOUNS.search(held)
        or _METRIC_HEAD.search(held)
        or (found.group("imperative") and _OUTCOME_NOUNS.search(text))
    ):
        return None
    verb = found.group("verb") or found.group("imperative")
    return Evidence("states a deliverable as existing", " ".join([verb, *held.split()[:3]]))


def _stated_output(text: str) -> Evidence | None:
    """An output stated without an opening verb: done, possible, attended, counted."""
    # "90 % of orders are shipped without a manual step": a quality rate, not a launch.
    rate = _PEOPLE_SHARE.search(text) and _QUALIFIED.search(text)
    if _SERVICE_TIME.search(text):
        return None  # "available 99.9 % of the time": uptime, not a launch
    # "Half of new users complete the tutorial": a share of people doing something.
    people_share = _share_of_people(text)
    for pattern in _DONE_STATES:
        found = pattern.search(text)
        if found and pattern is _DONE_STATES[1]:
            subject = found.group(0).rsplit(None, 1)[0]
            if people_share or (
                found.group(0).lower().endswith("complete") and _PEOPLE.search(subject)
            ):
                continue  # "Customers complete setup …": people doing, not work done
        if found and pattern is _DONE_STATES[0] and _BY_OTHERS.match(text[found.end() :]):
            continue  # "X is adopted by 5 teams": others' uptake, an outcome
        if found and not (rate and pattern is _DONE_STATES[0]):
            return Evidence("states a deliverable as done", found.group(0))
    found = _DELIVERED.search(text)
    if found and not _PEOPLE.search(found.group("subject")):
        return Evidence("states a deliverable as shipped", found.group("state"))
    doer = _WE_DO.match(text) or _EACH_DOES.match(text)
    if doer and set(_base_forms(doer.group(1).lower())) & (_ACTIVITY_VERBS - _UPTAKE):
        return Evidence("states the team's own work", doer.group(0))
    done = None if rate else _done_by_team(text)
    found_thing = done or _held_thing(text)
    if found_thing:
        return found_thing
    for found in _PROGRESSIVE.finditer(text):
        if any(form in _ACTIVITY_VERBS for form in _base_forms(found.group(1).lower())):
            return Evidence("states the team's own work in progress", found.group(0))
    able = _CAPABILITY.search(text)
    if able and not (
        _NOT_A_SUBJECT.search(able.group(1)) or _PAYING.search(able.group(1)) or _performance(text)
    ):
        return Evidence("states a capability as shipped", able.group(2))
    able = _CAPABLE.search(text)
    if able and not (_OTHERS.search(able.group("subject")) or _performance(text)):
        return Evidence("states a capability as shipped", able.group("verb"))
    found = _PARTICIPATION.search(text)
    # "Each customer completes onboarding": what customers complete is their behaviour
    customers = found and re.search(
        r"\b(?:customers?|users?|clients?|buyers?|visitors?)\b", text[: found.start(1)], re.I
    )
    if found and not (customers and found.group(1).lower().startswith(("complete", "finish"))):
        return Evidence("puts people through the team's own activity", found.group(0))
    found_doer = _doer_does(text)
    if found_doer:
        return found_doer
    counted = _COUNTED.search(text)
    artefact = _WORK_NOUN.search(counted.group(0)) if counted else None
    if _OF_TARGET.search(text):
        artefact = None  # "+/- 25 % of plan": a share of a target, not plans counted
    if (
        artefact
        and not _OUTCOME_NOUNS.search(text)
        and not _OUTCOME_VERBS.search(text)
        and not _OPINION.search(text)
        and not _RANKING.search(text)
        and not _BOUND.search(text)
        and not _people_do(text)
        and not _STATISTIC.match(text)
    ):
        return Evidence("counts the team's own work", artefact.group(0))
    named = _WORK_NOUN.search(text)
    head = _HEAD.split(text, maxsplit=1)[0]
    # the last work noun of the head is the head noun ("A migration plan" → plan)
    headed = next(reversed(list(_WORK_NOUN.finditer(head))), None)
    if headed and not (
        _COPULA.match(text)
        or _result_reached(text)
        or _FINITE_VERB.search(head)
        or (
            (_OUTCOME_NOUNS.search(head) or _METRIC_HEAD.search(head))
            and not _DOCUMENT_HEAD.search(head)
        )
        or _OUTCOME_VERBS.search(text)
        or _LEVEL.search(text)
        and numbers_in(text)
        or _people_do(text)
    ):
        return Evidence("names a deliverable", headed.group(0))
    if named and not (
        _COPULA.match(text)
        or _result_reached(text)
        or _people_do(text)
        or _FINITE.search(text)
        or _OUTCOME_NOUNS.search(text)
        or _METRIC_HEAD.search(text)
        or _OUTCOME_VERBS.search(text)
    ):
        return Evidence("names a deliverable", named.group(0))
    return None


def _share_of_people(text: str) -> bool:
    """Whether a sentence opens with a share of people ("Half of new users …"), whose
    doing is their behaviour; a share of things ("100 % of the runbooks …") is not."""
    return bool(_PEOPLE_SHARE.search(text) and _PEOPLE.search(" ".join(text.split()[:6])))

"""Outputs read from a goal's structure when it opens with no verb (OKR002): a thing
named as the thing to have, an artefact the team holds, or an artefact stated as in
production. The subject and its predicate decide, not a list of phrases: a noun phrase
whose head is neither a metric, an outcome, people nor a quality names a deliverable
("Structural pointers", "Follower cluster peer mode", "Project Hamilton delivery");
"We have a runbook for …" holds an artefact; "CRDT consensus becomes the default",
"X is used for daily Y work", "X is deployed on Z" put an artefact in production;
"Finished payroll v2" and "3 vendors assessed" report work done. With an opening verb,
a causative of work ("Get v2 released", "Make X the default") and "land" or "improve"
with a thing the team makes and no level ("Land bulk actions") are work on it."""

from __future__ import annotations

import re

from okrkit.domain.wording_deliverables import _FINITE_VERB
from okrkit.domain.wording_stated import _COPULA, _PEOPLE, _UPTAKE
from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _CHANGE_VERBS,
    _HANDLING_VERBS,
    _LEVEL,
    _METRIC_HEAD,
    _OUTCOME_NOUNS,
    _RESULT_VERBS,
    Evidence,
    _base_forms,
    leading_verb,
    numbers_in,
    words,
)

__all__ = ["caused_work", "named_output", "thing_worked_on"]

# Words that make a noun phrase a state or a change rather than a thing: comparatives,
# participles of change and adjectives of quality ("Faster builds", "Improved search",
# "Happy customers", "More reliable deploys").
_STATE_WORD = re.compile(
    r"\b(?:more|less|fewer|most|least|better|best|worse|improved|increased|reduced|"
    r"decreased|higher|lower|faster|happy|happier|engaged|healthy|stable|reliable|strong|"
    r"stronger|great|good|excellent|world-class|seamless|delightful|successful|growing|"
    r"sustainable|efficient|effective|consistent|clear|clearer|aware|satisfied|loyal|"
    r"active|continuous|continued|ongoing|regular|positive|no|zero|cheaper|easier|simpler|"
    r"smaller|larger|bigger|greater|safer|quicker|shorter|longer|healthier|richer|deeper|"
    r"broader|wider|smoother|tighter|leaner|fastest|lowest|highest|cheapest|largest|"
    r"biggest|easiest|simplest|smallest|strongest|slower|slowest)\b",
    re.I,
)
# Nouns of a quality or a direction, not a thing: "-ity", "-ness", "-ence" …
_ABSTRACT_HEAD = re.compile(
    r"(?:ity|ities|ness|ence|ency|ance|ancy|ship|hood|ism|dom|ment|experiences?|quality|"
    r"awareness|trust|health|culture|growth|momentum|visibility|presence|brand|reputation|"
    r"community|alignment|understanding|knowledge|feedback|participation|goals?|"
    r"objectives?|results?|trends?|metrics?|kpis?|outcomes?|impact|targets?|traction|speed|"
    r"performance|communication|collaboration|security|onboarding|retention|conversion|"
    r"efficiency|accuracy|relevance|usability|morale|diversity|inclusion)$",
    re.I,
)
# A noun phrase ends at its first clause word; what follows "of"/"for" only modifies.
_CLAUSE = re.compile(
    r"\b(?:that|which|who|so|where|when|while|because|if|and then|to)\b|[;,]|:(?!//)",
    re.I,
)
_MODIFIER = re.compile(
    r"\s+(?:of|for|on|about|with|from|in|into|across|via|using|per|at|during|through|"
    r"throughout|among|between|by|within|under|over)\s+",
    re.I,
)
# A present tense after the subject makes a clause of it ("Team satisfaction increases").
_ACTION_S = re.compile(
    r"\b(?:rises?|falls?|goes|go (?:up|down)|indexes|uses|adopts|completes|becomes|stays|"
    r"remains)\b",
    re.I,
)


def _predicate_after(tokens: list[str]) -> bool:
    """Whether a verb of change or result follows the subject ("Complaints decrease",
    "Team morale rises"), which makes a clause of the phrase, not a thing named."""
    for token in tokens:
        if _ACTION_S.fullmatch(token) or set(_base_forms(token)) & (_CHANGE_VERBS | _RESULT_VERBS):
            return True
    return _ACTION_S.search(" ".join(tokens)) is not None


_ADVERB_OR_PREP = {"at", "by", "within", "under", "over", "above", "below"}
_FUNCTION = {"the", "a", "an", "our", "their", "its", "your", "this", "these", "those"}


def _bare_phrase(text: str, opening: bool = True) -> Evidence | None:
    """A noun phrase named as the thing to have, with no verb: a deliverable unless its
    head is a metric, an outcome, people or a quality, or a word of change or quality
    says it is a state ("Structural pointers" yes; "Higher retention", "Happy
    customers", "Community growth" no)."""
    tokens = words(text)
    if not tokens or len(tokens) > 14:
        return None
    if _LEVEL.search(text) or numbers_in(text) or "$" in text:
        return None
    if _COPULA.match(text):  # "Make onboarding so good …", "Become the default …"
        return None
    clause = _CLAUSE.split(text, maxsplit=1)[0]
    if _FINITE_VERB.search(clause):
        return None  # a clause of its own: "Onboarding is faster"
    head_text = _MODIFIER.split(clause, maxsplit=1)[0]
    head_words = words(head_text)
    while head_words and head_words[0] in _FUNCTION:
        head_words = head_words[1:]
    if not head_words:
        return None
    if opening and leading_verb(text) is not None:
        return None  # an opening verb: read elsewhere
    head = head_words[-1]
    # a singular first word before more words modifies ("User research report"); the
    # rest of the phrase decides whether people or an outcome are named
    named = (
        head_words[1:] if len(head_words) > 1 and not head_words[0].endswith("s") else head_words
    )
    gerund = head_words[0].endswith("ing")
    if gerund and set(_base_forms(head_words[0])) & (_CHANGE_VERBS | _RESULT_VERBS):
        return None  # "Getting traction for …": a change or a result by its gerund
    if (
        _OUTCOME_NOUNS.search(" ".join(named))
        or _PEOPLE.search(" ".join(named))
        or _predicate_after(head_words[1:])
        or head.endswith("ed")
    ):
        return None
    if (
        _STATE_WORD.search(head_text)
        or _ABSTRACT_HEAD.search(head)
        or _METRIC_HEAD.search(text)
        or head.endswith("ly")
        or head in _ADVERB_OR_PREP
    ):
        return None
    return Evidence("names a deliverable to have", " ".join(head_words[-3:]))


# "We have a communications runbook", "We have a single list of …": the team holds it.
_WE_HAVE = re.compile(
    r"^(?:we|the team|our team)\s+(?:now\s+)?(?:have|has)\s+(?P<object>.+)$", re.I
)


def _team_has(text: str) -> Evidence | None:
    """An artefact the team holds ("We have a plan to …"): an output, unless what it has
    is a level, people or an outcome ("We have 500 customers", "We have happy users")."""
    found = _WE_HAVE.match(text)
    if not found:
        return None
    held = _CLAUSE.split(found.group("object"), maxsplit=1)[0]
    if numbers_in(held) or _bare_phrase(held) is None:
        return None
    return Evidence("states an artefact the team holds", found.group(0)[:40])


# An artefact stated as in production: "CRDT consensus becomes the default", "X is used
# for daily relay work", "Y is deployed on …", "Z is production ready".
_IN_USE = re.compile(
    r"^(?P<subject>(?:[\w'’/+.&()-]+\s+){1,6}?)(?:is|are|becomes?|gets?)\s+(?:now\s+)?"
    r"(?P<state>the default|production[- ]ready|deployed|in use|used (?:for|in|by (?:the|our))|"
    r"(?:a|the) (?:transport|backend|default))\b",
    re.I,
)


def _in_production(text: str) -> Evidence | None:
    """A thing of the team's stated as in production, not people doing something."""
    found = _IN_USE.match(text)
    if not found or _PEOPLE.search(found.group("subject")) or numbers_in(text):
        return None
    return Evidence("states an artefact as in production", found.group("state"))


# "Finished tokenomics v2", "Shipped the importer": a verb of finishing opens the goal
# as a past participle, so the thing named is reported done.
_FINISHING = {"finish", "complete", "ship", "release", "deliver", "launch", "publish", "done"}


def _finished_first(text: str) -> Evidence | None:
    """A deliverable reported done with the participle first, whatever follows."""
    tokens = words(text)
    if len(tokens) < 2 or not tokens[0].endswith(("ed", "done")) or numbers_in(text):
        return None
    if set(_base_forms(tokens[0])) & _FINISHING and not _OUTCOME_NOUNS.search(text):
        return Evidence("reports a deliverable as finished", tokens[0])
    return None


# A headline passive: "3 runbooks written and reviewed", "100 % of SREs trained on …",
# "Sessions scheduled for each region" — the auxiliary dropped, the participle of a verb
# of doing right after its subject.
_HEADLINE_PASSIVE = re.compile(
    r"^(?P<subject>(?:(?!(?:is|are|was|were|be|been|has|have|had|will|can|should|must|"
    r"by|that|which|who|to|on|based)\b)[\w%'’/+.&#-]+\s+){1,7}?)(?P<done>\w+ed)(?=\s*$|\s*[,;:]|\s+(?:and|&|on|in|"
    r"for|with|within|across|at|into|to|per|before|during|as|via|through)\b)",
    re.I,
)
# Others' doing is their behaviour: "Customers onboarded", "Users invited by a friend".
_OUTSIDERS = re.compile(
    r"\b(?:customers?|users?|clients?|visitors?|buyers?|subscribers?|applicants?|"
    r"candidates?|students?|citizens?|patients?|readers?|prospects?|leads?|accounts?)\b",
    re.I,
)


def _headline_passive(text: str) -> Evidence | None:
    """Work stated done with the auxiliary dropped ("6 playbooks written", "100 % of
    SREs trained"): an output, unless others are the subject or the verb is handling
    incoming work, others' uptake or a change ("Tickets resolved in 4 h", "Customers
    onboarded", "Costs reduced")."""
    found = _HEADLINE_PASSIVE.match(text)
    if not found or _OUTSIDERS.search(found.group("subject")):
        return None
    forms = set(_base_forms(found.group("done").lower()))
    if not forms & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE) or forms & _UPTAKE:
        return None
    if _METRIC_HEAD.search(found.group("subject")) or _OUTCOME_NOUNS.search(found.group("subject")):
        return None
    return Evidence("states the team's work as done", found.group(0))


def named_output(text: str) -> Evidence | None:
    """An output with no opening verb, read from the sentence's subject and predicate."""
    return (
        _team_has(text)
        or _in_production(text)
        or _finished_first(text)
        or caused_work(text)
        or _headline_passive(text)
        or _bare_phrase(text)
    )


# "Get sbws 1.6 released", "Have the API documented", "Make X the default": a causative
# whose result is the team's work done on a thing, or a thing put in production.
_CAUSATIVE = re.compile(
    r"^(?:get|have)\s+(?P<thing>(?:[\w.'’/+-]+\s+){1,6}?)(?P<done>\w+ed)\b"
    r"|^make\s+(?P<made>(?:[\w.'’/+-]+\s+){1,6}?)the (?:default|standard)\b",
    re.I,
)


def caused_work(text: str) -> Evidence | None:
    """A causative whose result is work done on a thing ("Get the v2 API released"), not
    people or a level ("Get customers engaged", "Get churn reduced by 2 %")."""
    found = _CAUSATIVE.match(text)
    if not found:
        return None
    thing = found.group("thing") or found.group("made")
    if _PEOPLE.search(thing) or _OUTCOME_NOUNS.search(thing) or _METRIC_HEAD.search(thing):
        return None
    done = found.group("done")
    if done and not set(_base_forms(done.lower())) & (_ACTIVITY_VERBS | _FINISHING):
        return None
    return Evidence("asks for work done on a thing", found.group(0))


def thing_worked_on(text: str, verb: str) -> Evidence | None:
    """ "Land" with a thing the team makes as its object, no level ("Land bulk actions",
    "Land the new results tab"): shipping it. A deal, people or a count landed ("Land 5
    enterprise deals", "Land a new customer") is a result."""
    if verb not in {"land", "improve", "enhance"} or _LEVEL.search(text) or numbers_in(text):
        return None
    rest = text.split(None, 1)[1] if len(text.split()) > 1 else ""
    rest = _CLAUSE.split(rest, maxsplit=1)[0]
    if re.search(r"\b(?:deals?|contracts?|logos?|partners?(?:hips?)?|rounds?)\b", rest, re.I):
        return None
    found = _bare_phrase(rest, opening=False)
    reason = "ships a thing the team makes" if verb == "land" else "works on a thing the team makes"
    return Evidence(reason, f"{verb} {found.words}") if found else None

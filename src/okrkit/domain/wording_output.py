"""The output reading (OKR002): work the team does or a thing it ships, rather than the
change it should cause. See `wording` for the cues."""

from __future__ import annotations

import re

from okrkit.domain.wording_bars import _ceiling, _service_level
from okrkit.domain.wording_deliverables import _ENSURE, _OTHERS_DO, _opening_output
from okrkit.domain.wording_held import _HOLDING, _ensured_level, _held_level, _no_new_harm
from okrkit.domain.wording_lead import led_by_outcome
from okrkit.domain.wording_named import caused_work, named_output, thing_worked_on
from okrkit.domain.wording_ongoing import light_held
from okrkit.domain.wording_predicate import main_clause
from okrkit.domain.wording_stated import _PEOPLE, _UPTAKE, _stated_output
from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _ANY_VERB,
    _ARTICLE,
    _CHANGE_VERBS,
    _HANDLING_VERBS,
    _LEVEL,
    _METRIC_HEAD,
    _OBJECT_START,
    _OUTCOME_NOUNS,
    Evidence,
    _base_forms,
    _tidy,
    from_to,
    leading_verb,
    numbers_in,
    words,
)

__all__ = ["output"]


def _past_work(text: str) -> Evidence | None:
    """Work reported done with the verb first: "Updated 30 how-to articles", "Hosted
    a meetup" — a past tense of a verb of doing before its object."""
    tokens = words(text)
    if len(tokens) < 2 or not tokens[0].endswith("ed") or not _OBJECT_START.match(tokens[1]):
        return None
    forms = set(_base_forms(tokens[0]))
    if forms & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE):
        return Evidence("states the team's own work as done", text.split()[0])
    return None


# Words that open a direction or a state to reach, not a task ("Become the default …").
_ASPIRATION = {
    "be", "become", "make", "get", "stay", "remain", "delight", "dominate", "own", "lead",
    "win", "transform", "revolutionize", "revolutionise", "empower", "inspire", "wow",
    "crush", "conquer", "disrupt", "excite", "amaze", "impress", "please", "satisfy",
    "help", "turn", "unlock", "crack", "reinvent", "earn", "keep", "hold",
}  # fmt: skip


# An abstract object makes a direction of it ("Simplify the complexity of …", "Lay the
# foundation for …"), not a task on a thing.
_ABSTRACT = re.compile(
    r"\b(?:\w+(?:ity|ness|ence|ance|ship|hood|ism|dom)|foundations?|vision|culture|journey|"
    r"future|world|way|ways|bar|game|path|mission|story)\b",
    re.I,
)


def _unknown_opening_verb(text: str) -> Evidence | None:
    """An imperative whose verb is not in the lexicon, known by its grammar: a word
    right before an article or a possessive opens a clause only as a verb ("Negotiate
    the contract …", "Overhaul our intake form"). It is work unless its object is
    people, an outcome or an abstraction ("Delight our customers", "Simplify the
    complexity of …"), or the word opens a direction ("Become the …")."""
    tokens = words(text)
    if len(tokens) < 3 or tokens[1] not in _ARTICLE:
        return None
    first = tokens[0]
    if (
        first in _ASPIRATION
        or first in _ANY_VERB
        or not first.isalpha()
        or first.endswith(("ly", "s"))
        or (_LEVEL.search(text) and numbers_in(text))
        or _PEOPLE.search(" ".join(tokens[2:5]))
        or _OUTCOME_NOUNS.search(" ".join(tokens[2:5]))
        or _METRIC_HEAD.search(text)
        or _ABSTRACT.search(" ".join(tokens[2:5]))
    ):
        return None
    return Evidence("starts with an activity", first)


# "Reduce open bugs and check the validity of old ones": a second clause joined by "and".
_JOINED = re.compile(r"\s(?:and|&)\s+(?P<clause>[a-z].*)$", re.I)


def _joined_task(text: str) -> Evidence | None:
    """A task joined to a change ("Increase X and enable remote development"): a mixed
    key result, an output like one that opens with the task."""
    for found in _JOINED.finditer(text):
        clause = found.group("clause")
        verb = leading_verb(clause)
        if verb in _ACTIVITY_VERBS and verb not in _HANDLING_VERBS and verb not in _HOLDING:
            opening = _opening_output(clause, verb)
            if opening:
                return Evidence("joins a task to the change", opening.words)
    return None


# "Make checkout easier by automating refunds": the means named, a verb of doing in -ing.
_MEANS = re.compile(r"\b(?:by|through|via)\s+(?P<doing>[a-z]+ing)\b", re.I)


def _by_doing(text: str, verb: str) -> Evidence | None:
    """A change with no level to measure, reached by work named as its means ("Improve
    onboarding by rewriting the setup guide"): the work is what will be checked, an
    output. With a level ("Increase adoption by 40 % by suggesting …") or a metric
    ("Reduce onboarding time by creating …") the change of it is."""
    if verb not in _CHANGE_VERBS | _ASPIRATION or _LEVEL.search(text) or numbers_in(text):
        return None
    for found in _MEANS.finditer(text):
        if _METRIC_HEAD.search(text[: found.start()]):
            return None  # "Cut response time by automating triage": a metric changed
        doing = found.group("doing").lower()
        forms = set(_base_forms(doing))
        if forms & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE) or doing == "ensuring":
            return Evidence("names the work that is its means", found.group(0))
    return None


# "Launching of the new programme", "Hiring: two engineers": a gerund names the work.
# The gerund takes an object (an article, a number, "of", a colon); before a bare noun it
# is an adjective ("Hiring managers report …", "Engineering efficiency").
_GERUND = re.compile(
    r"^(?P<gerund>[a-z]+ing)(?:\s*:\s*|\s+of\s+|\s+(?=(?:the|a|an|our|their|its|your|this|"
    r"these|those|every|each|all|new|\d)\b))(?P<rest>.+)$",
    re.I,
)


def _gerund_work(text: str) -> Evidence | None:
    """Work named by its gerund ("Launching of the new programme", "Starting the
    mentoring scheme"): read as if the verb opened the sentence, with its exceptions."""
    found = _GERUND.match(text)
    if not found:
        return None
    gerund = found.group("gerund")
    verbs = set(_base_forms(gerund.lower())) & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE)
    if not verbs:
        return None
    verb = sorted(verbs)[0]
    reading = _opening_output(f"{verb} {found.group('rest')}", verb)
    return Evidence("names the team's work by its gerund", gerund) if reading else None


def output(text: str) -> Evidence | None:
    """Work the team does or a thing it ships, rather than the change it should cause.

    A sentence that opens with an activity is an output even when it adds an outcome
    ("Ship two features and reach 20 % adoption"); one that opens with a change or a
    result in what others do is not ("Increase adoption by 40 % by suggesting …").
    A standing bar on handling work is a service level, not a deliverable.
    """
    tidy = _tidy(text)
    if not tidy:
        return None
    if led_by_outcome(tidy) and not _joined_task(tidy):
        return None  # "Three partner teams use the new API": an outcome in work's grammar
    # A bar held in a purpose clause does not undo the work that opens the sentence
    # ("Develop buffers to ensure incidents remain under budget").
    verb = leading_verb(tidy)
    doing = verb in _ACTIVITY_VERBS and verb not in _HANDLING_VERBS
    main = main_clause(tidy) if doing else tidy
    if _service_level(main) or _ceiling(main) or _held_level(main):
        return None
    if _no_new_harm(main) or light_held(tidy):
        return None  # "Don't release any new bugs": a standing bar, not a deliverable
    ensured = _ENSURE.match(tidy)
    if ensured:
        if _ensured_level(tidy) or _OTHERS_DO.match(tidy[ensured.end() :].strip()):
            return None
        return Evidence("ensures a property of the team's own work", ensured.group(0))
    if verb:
        return (
            _opening_output(tidy, verb)
            or _joined_task(tidy)
            or _by_doing(tidy, verb)
            or caused_work(tidy)
            or thing_worked_on(tidy, verb)
        )
    if from_to(tidy):
        return None
    first = words(tidy)[0] if words(tidy) else ""
    return (
        _past_work(tidy)
        or _gerund_work(tidy)
        or _stated_output(tidy)
        or _unknown_opening_verb(tidy)
        or _by_doing(tidy, first)
        or named_output(tidy)
    )

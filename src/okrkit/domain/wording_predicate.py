"""The main predicate of a goal: what the whole sentence asks for, read before the words
of its subordinate clauses. A goal whose main verb is a verb of change or of doing asks
for that change or work, whatever a purpose clause ("… to keep X", "in order to retain
…"), a participle ("the remaining work") or a noun ("availability") says; the status-quo
reading (OKR006) and the output reading (OKR002) both start here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from okrkit.domain.wording_deliverables import _FINITE_VERB
from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _CHANGE_VERBS,
    _base_forms,
    leading_verb,
    words,
)

__all__ = ["Predicate", "continued_change", "main_clause", "main_predicate"]


# Verbs whose main use in a goal is to hold a level or a state already reached.
_HOLDING_VERBS = {
    "maintain", "sustain", "keep", "preserve", "protect", "retain", "continue", "remain",
    "stay", "hold",
}  # fmt: skip
# Verbs of watching a metric: the goal may be the watching itself.
_WATCHING_VERBS = {"track", "monitor", "measure", "watch", "review", "report"}
# Light verbs: their complement says what is asked ("Ensure uptime does not fall …").
_LIGHT_VERBS = {"ensure", "guarantee", "help", "make sure"}
# "Hold" holds a level only with one named ("Hold churn at 2 %"); "Hold a workshop" is
# an event the team runs.
_HOLD_LEVEL = re.compile(
    r"^hold\s+(?:[\w%#.,$€£-]+\s+){0,5}?(?:at|above|below|under|steady|flat|constant|"
    r"the line|within)\b",
    re.I,
)

# A subordinate clause: purpose, result, a relative clause or a means. What it says is
# not what the goal asks for.
_PURPOSE = re.compile(
    r"\s+(?:so that|so|in order to|to (?:ensure|make sure|keep|help|allow|let|prove|"
    r"support|reduce|increase|improve|achieve|drive|maintain|avoid|prevent|guarantee|"
    r"retain|remain|stay|protect|preserve|sustain|continue))\b"
    r"|,\s*(?:ensuring|resulting|which|so)\b",
    re.I,
)


# "Continue to grow revenue", "Keep improving activation", "Continue efforts to improve
# X": what carries on is a change, so the goal asks for that change.
_CARRIED_ON = re.compile(
    r"\b(?:continu(?:e|es|ing)|keeps?|keeping)\s+(?:(?:our|the|its|their)\s+)?"
    r"(?:(?:efforts?|work(?:ing)?)\s+(?:to|on|towards)\s+|to\s+)?(?P<verb>[a-z]+)",
    re.I,
)


def continued_change(text: str) -> str | None:
    """The words that carry on a change ("keep improving", "continue to reduce"): a
    verb of holding whose complement is a verb of change asks for the change."""
    for found in _CARRIED_ON.finditer(text):
        if set(_base_forms(found.group("verb").lower())) & _CHANGE_VERBS:
            return found.group(0)
    return None


# "Our goal is to maintain …": after a copula the infinitive is the predicate.
_COPULA_END = re.compile(r"\b(?:is|are|was|were|be)\s*$", re.I)


def main_clause(text: str, subject: bool = False) -> str:
    """The sentence before its purpose clause ("…, so that …", "… to ensure …").

    With a subject and no verb before it, or a copula right before it, "to …" is the
    predicate itself ("Each support rep to maintain a CSAT of 95 %", "Our goal is to
    keep churn flat"), not a purpose."""
    found = _PURPOSE.search(text)
    if not found:
        return text
    before = text[: found.start()]
    infinitive = found.group(0).strip().lower().startswith("to ")
    if subject and infinitive and (not _FINITE_VERB.search(before) or _COPULA_END.search(before)):
        return text
    return before


@dataclass(frozen=True)
class Predicate:
    """The main predicate: its kind and the verb that decided it.

    kind is "hold" (maintain, keep, stay, remain, retain, continue, protect …), "watch"
    (track, monitor, measure …), "light" (ensure, help: the complement decides),
    "change" (increase, improve, optimize …), "doing" (build, review, fix, fill …),
    "result" (achieve, reach, close …), or "" when the sentence opens with no verb (a
    subject and its verb, or a noun phrase)."""

    kind: str
    verb: str


@lru_cache(maxsize=4096)
def main_predicate(text: str) -> Predicate:
    """What the goal's own verb asks for, read from its opening (an adverb skipped)."""
    tokens = words(text)
    if tokens and tokens[0].endswith("ly") and len(tokens) > 1:
        tokens = tokens[1:]
    if not tokens:
        return Predicate("", "")
    first = tokens[0]
    forms = set(_base_forms(first))
    if " ".join(tokens[:2]) == "make sure" or forms & _LIGHT_VERBS:
        return Predicate("light", first)
    if forms & _HOLDING_VERBS:
        carried = continued_change(" ".join(tokens))
        if carried:
            return Predicate("change", carried.split()[-1])
        if "hold" in forms and not _HOLD_LEVEL.match(" ".join(tokens)):
            return Predicate("doing", first)
        return Predicate("hold", first)
    verb = leading_verb(text)
    if verb is None:
        return Predicate("", "")
    classes = (("watch", _WATCHING_VERBS), ("change", _CHANGE_VERBS), ("doing", _ACTIVITY_VERBS))
    # leading_verb knows only listed verbs, so what is left is a verb of result
    kind = next((kind for kind, verbs in classes if verb in verbs), "result")
    return Predicate(kind, verb)

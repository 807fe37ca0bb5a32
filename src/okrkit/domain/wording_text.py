"""Words of a goal: the sentence tidied, its numbers (OKR001), the verbs it may open
with and their classes, changes and results, engagement (OKR008). The other wording
modules read outputs and status-quo targets with these; `wording` gathers them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Evidence",
    "engagement",
    "from_to",
    "leading_verb",
    "numbers_in",
    "outcome_change",
    "words",
]


@dataclass(frozen=True)
class Evidence:
    """What was found and the words that show it."""

    reason: str
    words: str


_LABEL = re.compile(r"^\s*(?:KR|O|key result|objective)\s*\d*\s*[:.)-]\s*", re.I)
_ASIDE = re.compile(r"\s*\([^()]*\)")
_DEFINITION = re.compile(
    r",?\s*\b(?:where|in which)\b[^,;]{0,40}?\b(?:is|are)\s+defined\s+as\b.*$", re.I
)
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’+.%$€£/-]*|[$€£#=<>≥≤%]")


def words(text: str) -> list[str]:
    """Lower-case words of a text, numbers and % kept, list numbering dropped."""
    return _TOKEN.findall(_LABEL.sub("", text).lower())


def _tidy(text: str) -> str:
    """The sentence to read: no list label, no asides in brackets, no definitions."""
    text = _LABEL.sub("", text)
    text = _ASIDE.sub("", _ASIDE.sub("", text))
    text = _DEFINITION.sub("", text)
    return _SPACES.sub(" ", text).strip().rstrip(".;:!")


# --- numbers (OKR001) --------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d"
_SPAN = r"\d+\s*(?:days?|weeks?|months?|quarters?|years?)"
_NOT_A_QUANTITY = re.compile(
    rf"\b(?:{_YEAR}(?:[-/ ]?(?:q[1-4]|h[12]))?|(?:q[1-4]|h[12]|fy)[-/ ]?(?:{_YEAR}|\d\d)?"
    r"|v\d+(?:\.\d+)*|\d+(?:st|nd|rd|th)|\d+-bit"
    r"|(?:tier|level|phase|stage|type|class|series|gen|generation|step|part|round|wave|"
    r"cohort|batch|milestone|pillar|chapter|season|version|edition|release|sprint|"
    r"iteration|priority|objective|goal)s?[- ]\d+[a-z]?(?:\s*(?:[-–/&,]|and|or)\s*\d+[a-z]?)*"
    # a period, not a target: "over the next 18 months", "in 90 days", "first 30 days"
    rf"|(?:(?:over|during|for|within|in|across)\s+)?(?:the\s+)?(?:next|coming|first|"
    rf"following)\s+{_SPAN}|(?:over|during|for|within|in|across)\s+(?:the\s+)?(?:last|past)\s+"
    rf"{_SPAN}|(?:over|during|for)\s+{_SPAN}|^in\s+{_SPAN}"
    r"|24/7|b2b|b2c|p2p|web3|k8s|s3|ec2|[a-z]+\d+[a-z]*|\d+[a-z]+\d+)\b",
    re.I,
)
# A version name: a capitalised word and a dotted number, not an amount ("Web 3.0").
_VERSION = re.compile(r"\b[A-Z][A-Za-z]*[- ]?\d+(?:\.\d+)+\b(?!\s*[%$€£kKmMbB])")
# A product named by a number: "the 8086 as …", "the 386's", "… an Acme 9000" — a
# bare number after "the" or a name, followed by nothing it could count.
_NAMED_NUMBER = re.compile(
    r"(\bthe\s+|(?<=\s)[A-Z][a-z]+\s+)\d{3,}(?=['’]s\b|\s+(?:as|is|are|and|or|vs|"
    r"versus|was|were)\b|\s*[,.;:]|\s*$)"
)
_QUANTITY = re.compile(
    r"(?<![\w.])(?:[#$€£]\s?)?\d[\d,.]*\s*(?:%|x\b|k\b|m\b|bn\b|b\b)?|\d+\s*%"
    r"|\b[xX]{1,3}\s?%",
    re.I,
)
_NUMBER_WORDS = re.compile(
    r"\b(?:double|doubling|triple|tripling|quadruple|halve|halving|twice|tenfold|"
    r"million|millions|billion|billions|thousand|thousands|hundred|hundreds|"
    r"two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|fifty|"
    r"percent|per cent)\b",
    re.I,
)
_COMPARATOR = re.compile(r"[=<>≥≤]")
# An arrow between steps, not a comparison: "lead > buy-in > proposal", "A -> B".
_ARROW = re.compile(r"[-=]+>|→|>\s*(?=[a-z]+ing\b)", re.I)
# A form or standard named by a code ("Form 1095-B", "W-2", "ISO-27001", "COVID-19"):
# an identifier, not an amount. Case matters: the letters are capitals.
_CODE = re.compile(r"\b(?:\d+-(?![KM]\b)[A-Z]{1,2}|[A-Z]{1,6}-\d+[A-Z]?)\b(?!\s*%)")


# The readings ask the same small questions of a sentence many times over (its opening
# verb, whether it holds an amount): pure functions of a string, so remembered.
@lru_cache(maxsize=4096)
def numbers_in(text: str) -> Evidence | None:
    """Numbers or metric targets in a text (an objective should have none).

    Dates, quarters, ranks, ordinals, version and product names, periods and arrows are
    not quantities ("in 2026", "Q3", "tier-1", "Phase 2", "3rd parties", "Web 3.0", "the
    8086", "over the next 18 months", "a > b > c"); digits, percentages, money, number words
    used as amounts ("double", "two new markets"), placeholders ("XX %") and
    comparisons ("DAU = 100,000") are.
    """
    cleaned = _NAMED_NUMBER.sub(r"\1 ", text)
    cleaned = _NOT_A_QUANTITY.sub(" ", _VERSION.sub(" ", _CODE.sub(" ", cleaned)))
    if cleaned.count(">") > 1:
        cleaned = cleaned.replace(">", " ")  # a chain of steps: "a > b > c"
    cleaned = _ARROW.sub(" ", cleaned)
    for pattern in (_QUANTITY, _COMPARATOR, _NUMBER_WORDS):
        found = pattern.search(cleaned)
        if found:
            return Evidence("contains a number or a metric target", found.group(0).strip())
    return None


# --- verbs -------------------------------------------------------------------------

# Work the team does on its own artefacts, events and people.
_ACTIVITY_VERBS = {
    "launch", "ship", "build", "write", "implement", "release", "publish", "create",
    "develop", "design", "deploy", "hire", "recruit", "migrate", "complete", "finish",
    "deliver", "run", "hold", "host", "organize", "organise", "conduct", "introduce",
    "document", "define", "draft", "produce", "prepare", "update", "redesign", "refactor",
    "integrate", "add", "establish", "rewrite", "pilot", "interview", "attend", "present",
    "send", "post", "record", "translate", "automate", "upgrade", "replace", "start",
    "begin", "finalize", "finalise", "plan", "research", "evaluate", "investigate",
    "audit", "review", "analyze", "analyse", "identify", "map", "select", "choose",
    "submit", "setup", "set", "roll", "kick", "train", "test", "open", "formalize",
    "formalise", "standardize", "standardise", "consolidate", "deprecate", "remove",
    "port", "rebuild", "revamp", "outline", "speak", "give", "contribute", "onboard",
    "adopt", "use", "provide", "offer", "support", "enable", "refresh", "clean", "fix",
    "resolve", "schedule", "mentor", "teach", "coach", "learn", "study", "explore",
    "prototype", "validate", "benchmark", "measure", "instrument", "track", "report",
    "communicate", "share", "distribute", "invite", "collect", "gather", "survey",
    "assess", "scope", "spec", "specify", "architect", "model", "sunset", "decommission",
    "retire", "archive", "transition", "switch", "package", "certify", "partner",
    "sponsor", "do", "consider", "compile", "promote", "institute", "celebrate", "decide",
    "amplify", "monitor", "install", "configure", "localize", "localise", "draw",
    # more verbs of making, arranging and doing, so that a new sentence's opening verb
    # is read by its class rather than by the handful of verbs a corpus happened to use
    "align", "negotiate", "prioritize", "prioritise", "undertake", "execute", "perform",
    "craft", "compose", "author", "code", "engineer", "assemble", "construct", "arrange",
    "coordinate", "facilitate", "procure", "purchase", "buy", "restructure", "reorganize",
    "reorganise", "overhaul", "rework", "harden", "patch", "encrypt", "verify", "debug",
    "unblock", "refine", "polish", "tune", "calibrate", "extend", "expose", "embed",
    "connect", "link", "wire", "merge", "extract", "modularize", "modularise",
    "containerize", "rename", "digitize", "digitise", "backport", "announce", "advertise",
    "market", "pitch", "demo", "showcase", "blog", "tweet", "email", "call", "visit",
    "sync", "offboard", "fund", "budget", "allocate", "assign", "delegate", "appoint",
    "nominate", "approve", "ratify", "agree", "file", "enrol", "enroll", "participate",
    "join", "label", "tag", "categorize", "categorise", "tidy", "delete", "purge", "rotate",
    "restore", "inspect", "scan", "poll", "request", "summarize", "summarise", "synthesize",
    "synthesise", "visualize", "visualise", "illustrate", "rollout", "kickoff", "upskill",
    "reskill", "relaunch", "fine-tune", "fine tune", "a/b test", "follow up", "carry out",
    "pay down", "work on", "work with", "team up", "hand over", "hand off", "sign off",
    "spin up", "stand up", "clean up", "write up", "put in place",
    # running, securing and advising: the work of service teams
    "provision", "remediate", "manage", "operate", "administer", "advise",
    "educate", "propose", "describe", "mirror", "incorporate", "catalog", "catalogue",
    "inventory", "maintain", "check",
    # deciding, starting and working alongside: the work of planning and platform teams
    "determine", "initiate", "collaborate", "store", "reconfigure", "dogfood",
}  # fmt: skip
# Two-word verbs whose first word alone means something else ("Fine tune …", "A/B test").
_PHRASAL = {verb for verb in _ACTIVITY_VERBS if " " in verb}
# Verbs of a change in a measured level.
_CHANGE_VERBS = {
    "increase", "decrease", "reduce", "grow", "lift", "improve", "raise", "cut", "lower",
    "boost", "double", "triple", "halve", "minimize", "minimise", "maximize", "maximise",
    "accelerate", "shorten", "decline", "drop", "expand", "shrink", "speed", "slash",
    "elevate", "enhance", "strengthen", "drive", "move", "bring", "push", "get",
    "eliminate", "optimize", "optimise", "streamline", "simplify",
}  # fmt: skip
# Verbs of a result in what others do or buy.
_RESULT_VERBS = {
    "generate", "acquire", "win", "land", "gain", "attract", "earn", "achieve", "reach",
    "hit", "attain", "secure", "sign", "close", "convert", "retain", "grow", "get", "obtain",
    "book", "capture", "sell", "recover", "save", "serve", "activate", "engage", "find",
    "up-sell", "upsell", "exceed", "meet",
}  # fmt: skip
# Handling incoming work: a time bar on it is a service level.
_HANDLING_VERBS = {
    "resolve", "fix", "respond", "answer", "address", "troubleshoot", "triage", "close",
    "handle", "reply", "contact", "process",
}  # fmt: skip
# Words that open metric names as nouns as often as they open tasks as verbs
# ("Support tickets per user", "Model latency"): a verb only before an object, before
# a second verb ("Design and roll out"), or where no metric is named.
_NOUN_VERBS = {
    "support", "model", "test", "review", "report", "plan", "map", "design", "record",
    "post", "track", "measure", "share", "offer", "survey", "schedule", "document",
    "benchmark", "audit", "release", "update", "spec", "package", "coach", "train",
    "research", "use", "move", "switch", "partner", "set", "close", "open", "start",
    "market", "budget", "email", "call", "file", "tag", "label", "code", "pitch", "demo",
    "blog", "tweet", "visit", "request", "scan", "poll", "link", "sync", "patch", "fund",
    "engineer", "showcase", "purchase", "tune", "extract", "upgrade", "check",
}  # fmt: skip
_OBJECT_START = re.compile(
    r"^(?:the|a|an|our|all|new|every|each|its|their|your|this|that|these|those|"
    r"[$€£]?\d[\d,.]*%?|x|xx|two|three|four|five|six|seven|eight|nine|ten|up|out|to|in|with|for|"
    r"on|and|or|&)$"
)
_METRIC_HEAD = re.compile(
    r"\b(?:rate|ratio|time|latency|score|scores|per(?!-)|coverage|count|cost|costs|revenue|"
    r"nps|csat|growth|percentile|p\d\d)\b",
    re.I,
)
_ANY_VERB = _ACTIVITY_VERBS | _CHANGE_VERBS | _RESULT_VERBS
# Words that open a noun phrase: after a verb they make it a verb with its object.
_ARTICLE = {
    "the", "a", "an", "our", "their", "its", "your", "this", "these", "those", "every",
    "each",
}  # fmt: skip
# Words that make a clause finite: after one of them the opening word was its subject.
_FINITE_WORDS = {
    "is", "are", "was", "were", "has", "have", "had", "can", "will", "should", "must", "do",
    "does", "go", "goes", "went", "drop", "drops", "fall", "falls", "rise", "rises", "grow",
    "grows", "increase", "increases", "decrease", "decreases", "improve", "improves",
}  # fmt: skip


# Words in -ly that are adjectives, not adverbs: "Monthly release notes" is a noun phrase.
_LY_ADJECTIVES = {"daily", "weekly", "monthly", "quarterly", "yearly", "early", "only"}


@lru_cache(maxsize=8192)
def _base_forms(word: str) -> tuple[str, ...]:
    """Base forms a verb form may come from: 'tracking' → track, 'identifies' →
    identify, 'rolling' → roll, 'measuring' → measure."""
    forms = [word]
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])
            if ending == "es" and stem.endswith("i"):
                forms.append(stem[:-1] + "y")
    return tuple(forms)


_HALF = re.compile(r"\b(?:half|a third|a quarter)\b", re.I)


def _amount_in(text: str) -> bool:
    """Whether a text names an amount (a version or a date is not one)."""
    return numbers_in(text) is not None or bool(_HALF.search(text))


def _verb_at(tokens: list[str], text: str) -> str | None:
    """The verb the tokens open with, if they open with one."""
    for size in (3, 2):
        phrase = " ".join(tokens[:size])
        if phrase in _PHRASAL:
            return phrase
    first = tokens[0]
    if "/" in first and first.split("/")[0] in _ANY_VERB:
        first = first.split("/")[0]  # "Patch/Document all systems": verbs joined
    if first.startswith("re-") and first[3:] in _ANY_VERB:
        first = first[3:]
    if first in _NOUN_VERBS:
        following = tokens[1] if len(tokens) > 1 else ""
        if _FINITE_WORDS & set(tokens[1:4]):
            return None  # "Support calls go down": a noun phrase with its own verb
        if _OBJECT_START.match(following) or (
            following and not _METRIC_HEAD.search(text) and not _amount_in(text)
        ):
            return first
        return None
    return first if first in _ANY_VERB else None


@lru_cache(maxsize=4096)
def leading_verb(text: str) -> str | None:
    """The verb a goal opens with, if it opens with one ("Launch the …" → 'launch';
    "Fully automate …" → 'automate')."""
    tokens = words(_ASIDE.sub("", text))
    if not tokens:
        return None
    if (
        len(tokens) > 1
        and tokens[0].endswith("ly")
        and tokens[0] not in _LY_ADJECTIVES
        and _verb_at(tokens[1:], text)
    ):
        tokens = tokens[1:]
    return _verb_at(tokens, text)


# --- changes and results -----------------------------------------------------------

_AMOUNT = (
    r"(?:[$€£]\s?)?(?:\d[\d.,:]*|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty|fifty|hundred|half|zero)"
)
_FROM_TO = re.compile(
    rf"\bfrom\s+(?:about\s+|around\s+|~)?{_AMOUNT}\S*(?:\s+\S+){{0,3}}?\s+(?:back\s+)?to\s+"
    rf"(?:under\s+|below\s+|above\s+|over\s+|less than\s+|more than\s+|no more than\s+|"
    rf"at least\s+|~)?{_AMOUNT}",
    re.I,
)
_LEVEL = re.compile(
    r"\d|%|\b(?:percent|per cent|half|double|twice)\b|\b(?:by|to|under|below|above|over|"
    r"at least|at most|less than|more than|fewer than|no more than|within)\s+[$€£]?\d",
    re.I,
)
_OUTCOME_NOUNS = re.compile(
    r"\b(?:users?|customers?|clients?|leads?|mqls?|sqls?|saos?|sqos?|opportunit(?:y|ies)|"
    r"signups?|sign-ups?|subscribers?|members?|accounts?|logos?|deals?|revenue|arr|mrr|"
    r"iacv|sales|bookings|pipeline|downloads?|installs?|visitors?|visits?|views|page ?views"
    r"|reads|impressions|traffic|orders?|purchases?|buyers?|retention|churn|conversions?|"
    r"adoption|engagement|activation|satisfaction|nps|csat|ces|rating|ratings|"
    r"margin|profit|savings|cost|costs|latency|uptime|availability|errors?|incidents?|"
    r"outages?|score|share|rate|ratio|time|usage|referrals?|renewals?|upsells?|mau|dau|wau|"
    r"stars|contributors|partners|followers|mentions|citations|trials?|tweets|"
    r"participants|participation|attendance|attendees|registrations|applications|"
    r"donations|donors|companies|"
    r"publishers|curators|(?:media|press) (?:features?|stor(?:y|ies)|coverage))\b",
    re.I,
)


def from_to(text: str) -> Evidence | None:
    """A baseline and a target: "from 12 % to 16 %"."""
    found = _FROM_TO.search(text)
    if found:
        return Evidence("measures a change from a baseline to a target", found.group(0))
    return None


def outcome_change(text: str) -> Evidence | None:
    """A measurable change or result: "from X to Y", a change verb with a level, or a
    result verb with a number of outcome things ("Generate 500 qualified leads")."""
    tokens = words(text)
    if not tokens:
        return None
    found = from_to(text)
    if found:
        return found
    first = leading_verb(text)
    if first in _CHANGE_VERBS and _LEVEL.search(text):
        return Evidence("changes a measured level", first)
    if first in _RESULT_VERBS and _LEVEL.search(text) and _OUTCOME_NOUNS.search(text):
        return Evidence("counts results in what others do or buy", first)
    metric = _OUTCOME_NOUNS.search(text)
    measured = re.search(r"\d\s*%|\b(?:rate|ratio|score|nps|csat)\b", text, re.I)
    if metric and measured and _LEVEL.search(text):
        return Evidence("sets a level for an outcome metric", metric.group(0))
    return None


# --- engagement (OKR008) -----------------------------------------------------------

_ENGAGEMENT = re.compile(
    r"\b(?:engagement|engaged|dau|mau|wau|daily active|weekly active|monthly active|"
    r"sessions?|time spent|time on site|minutes per|session length|page ?views?|clicks?|"
    r"click-through|ctr|opens?|open rate|notifications?|streaks?|stickiness|visits per|"
    r"views|watch time|likes|shares|comments|posts per|messages sent)\b",
    re.I,
)


def engagement(text: str) -> Evidence | None:
    """An engagement metric, which can be pushed up in ways that hurt users (so it
    needs a guardrail beside it)."""
    found = _ENGAGEMENT.search(text)
    return Evidence("measures engagement", found.group(0)) if found else None

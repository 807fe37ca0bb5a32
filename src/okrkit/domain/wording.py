"""Reading goals written in words: numbers, outputs, status-quo targets, engagement.

The linter (OKR001, OKR002, OKR006, OKR008) and the decision filter share these
readings, so a phrase is judged the same way everywhere. Each reading returns the
words that decided it (`Evidence`), because an answer must say why.

The readings follow the seeds' distinctions, on meaning rather than on a first word:
- an *output* is work the team does or a thing it ships — an action on its own
  artefacts ("Launch the new search", "Write 3 blog posts", "Hire 2 engineers") or such
  a thing stated as done ("The new search is live", "Handbook describes the process");
- an *outcome* is a change in what people do or in a business result, even when it
  starts with a verb ("Generate 500 qualified leads", "Increase activation from 35 %
  to 50 %");
- a *status-quo target* holds a level ("Maintain 99.9 % uptime", "Keep CSAT above
  90 %"): a KPI dressed as an OKR. Maintaining a thing ("…and maintain the plugin")
  is work, not a level.

Hand-written because no maintained library classifies goal statements; these are
small, explainable rules measured against a labelled corpus (bench/lint_quality.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Evidence",
    "engagement",
    "from_to",
    "leading_verb",
    "numbers_in",
    "outcome_change",
    "output",
    "recurring",
    "standing_bar",
    "status_quo",
    "words",
]


@dataclass(frozen=True)
class Evidence:
    """What was found and the words that show it."""

    reason: str
    words: str


def words(text: str) -> list[str]:
    """Lower-case words of a text, numbers and % kept, list numbering dropped."""
    text = re.sub(r"^\s*(?:KR|O|key result|objective)\s*\d*\s*[:.)-]\s*", "", text, flags=re.I)
    return re.findall(r"[a-z0-9][a-z0-9'’+.%$€£/-]*|[$€£#=<>≥≤%]", text.lower())


# --- numbers (OKR001) --------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d"
_NOT_A_QUANTITY = re.compile(
    rf"\b(?:{_YEAR}(?:[-/ ]?(?:q[1-4]|h[12]))?|(?:q[1-4]|h[12]|fy)[-/ ]?(?:{_YEAR}|\d\d)?"
    r"|v\d+(?:\.\d+)*|\d+(?:st|nd|rd|th)\s+(?:quarter|half|year)"
    r"|24/7|b2b|b2c|p2p|web3|k8s|s3|ec2|[a-z]+\d+[a-z]*|\d+[a-z]+\d+)\b",
    re.I,
)
# A version name: a capitalised word and a dotted number, not an amount ("Web 3.0").
_VERSION = re.compile(r"\b[A-Z][A-Za-z]*[- ]?\d+(?:\.\d+)+\b(?!\s*[%$€£kKmMbB])")
_QUANTITY = re.compile(
    r"(?<![\w.])(?:[#$€£]\s?)?\d[\d,.]*\s*(?:%|x\b|k\b|m\b|bn\b|b\b)?|\d+\s*%", re.I
)
_NUMBER_WORDS = re.compile(
    r"\b(?:double|doubling|triple|tripling|quadruple|halve|halving|twice|tenfold|"
    r"million|millions|billion|billions|thousand|thousands|hundred|hundreds|"
    r"two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|fifty|"
    r"percent|per cent)\b",
    re.I,
)
_COMPARATOR = re.compile(r"[=<>≥≤]")


def numbers_in(text: str) -> Evidence | None:
    """Numbers or metric targets in a text (an objective should have none).

    Dates, quarters and version names are not quantities ("in 2026", "Q3", "Web 3.0");
    digits, percentages, money, number words used as amounts ("double", "two new
    markets") and comparisons ("DAU = 100,000") are.
    """
    cleaned = _NOT_A_QUANTITY.sub(" ", _VERSION.sub(" ", text))
    for pattern in (_QUANTITY, _COMPARATOR, _NUMBER_WORDS):
        found = pattern.search(cleaned)
        if found:
            return Evidence("contains a number or a metric target", found.group(0).strip())
    return None


# --- outputs (OKR002) ---------------------------------------------------------------

_OUTPUT_VERBS = {
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
    "move", "port", "rebuild", "revamp", "outline", "speak", "give", "contribute",
    "onboard", "adopt", "use", "provide", "offer", "support", "expand", "enable",
    "refresh", "clean", "fix", "close", "resolve", "schedule",
    "mentor", "teach", "coach", "learn", "study", "explore", "prototype", "validate",
    "benchmark", "measure", "instrument", "track", "report", "communicate", "share",
    "distribute", "invite", "collect", "gather", "survey", "assess", "scope", "spec",
    "specify", "architect", "model", "sunset", "decommission", "retire", "archive",
    "transition", "switch", "convert", "package", "certify", "obtain",
    "secure", "sign", "negotiate", "partner", "sponsor",
}  # fmt: skip
# Nouns for the team's own artefacts and activities: counting them counts work done.
_ARTEFACTS = re.compile(
    r"\b(?:blog ?posts?|posts?|articles?|videos?|webinars?|workshops?|events?|meetups?|"
    r"talks?|presentations?|features?|interviews?|calls?|meetings?|demos?|hires?|engineers?|"
    r"developers?|designers?|people|staff|docs?|documents?|documentation|pages?|tutorials?|"
    r"courses?|releases?|campaigns?|emails?|newsletters?|case studies|podcasts?|"
    r"integrations?|pull requests?|prs|templates?|experiments?|tests?|prototypes?|"
    r"guides?|playbooks?|trainings?|sessions?|sprints?|tickets?|issues?|bugs?|reports?|"
    r"dashboards?|apis?|endpoints?|modules?|components?|plugins?|screens?|mockups?|"
    r"surveys?|studies|papers?|proposals?|roles?|positions?|candidates?|slides?|decks?)\b",
    re.I,
)
_DONE_STATE = re.compile(
    r"\b(?:is|are|was|were|has been|have been|gets?|becomes?)\s+(?:now\s+|fully\s+|"
    r"successfully\s+)?(?:live|launched|shipped|released|available|in place|done|"
    r"complete|completed|deployed|published|implemented|rolled out|documented|"
    r"in production|finished|delivered|created|built|written|established|defined|"
    r"migrated|approved|signed|merged|ready|operational|up and running|set up|adopted)\b"
    r"|\b(?:describes|documents|explains|covers|lists|includes|contains|outlines)\b",
    re.I,
)
_CHANGE_VERBS = {
    "increase", "decrease", "reduce", "grow", "lift", "improve", "raise", "cut", "lower",
    "boost", "double", "triple", "halve", "minimize", "minimise", "maximize", "maximise",
    "accelerate", "shorten", "decline", "drop", "expand", "shrink", "speed", "slash",
    "elevate", "enhance", "strengthen", "drive", "move", "bring", "push", "get",
}  # fmt: skip
_OUTCOME_NOUNS = re.compile(
    r"\b(?:users?|customers?|clients?|leads?|signups?|sign-ups?|subscribers?|members?|"
    r"accounts?|logos?|deals?|revenue|arr|mrr|sales|bookings|pipeline|downloads?|installs?|"
    r"visitors?|visits?|traffic|orders?|purchases?|buyers?|retention|churn|conversion|"
    r"adoption|engagement|activation|satisfaction|nps|csat|ces|rating|ratings|reviews?|"
    r"margin|profit|savings|cost|costs|latency|uptime|availability|errors?|incidents?|"
    r"outages?|score|share|rate|ratio|time|usage|referrals?|renewals?|upsells?|mau|dau|wau|"
    r"installs|stars|contributors|partners|followers|mentions|citations|trials?|"
    r"users|participants|attendees|registrations|applications|donations|donors)\b",
    re.I,
)
_RESULT_VERBS = {
    "generate", "acquire", "win", "land", "gain", "attract", "earn", "achieve", "reach",
    "hit", "attain", "secure", "sign", "close", "convert", "retain", "grow", "get", "obtain",
    "book", "capture", "sell", "recover", "save", "serve", "activate", "engage",
}  # fmt: skip
_FROM_TO = re.compile(r"\bfrom\b.{0,60}?\bto\b", re.I)
_LEVEL = re.compile(
    r"\d|%|\b(?:percent|per cent|half|double|twice)\b|\b(?:by|to|under|below|above|over|"
    r"at least|at most|less than|more than|fewer than|no more than|within)\s+[$€£]?\d",
    re.I,
)


# Words that open metric names as nouns as often as they open tasks as verbs
# ("Support tickets per user", "Model latency"): a verb only before an object.
_NOUN_VERBS = {
    "support", "model", "test", "review", "report", "plan", "map", "design", "record",
    "post", "track", "measure", "share", "offer", "survey", "schedule", "document",
    "benchmark", "audit", "release", "update", "spec", "package", "coach", "train",
    "research", "use", "move", "switch", "partner", "set", "close", "open", "start",
}  # fmt: skip
_OBJECT_START = re.compile(
    r"^(?:the|a|an|our|all|new|every|each|its|their|your|this|that|these|those|"
    r"\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|up|out|to|in|with|for|on)$"
)


def leading_verb(text: str) -> str | None:
    """The verb a goal opens with, if it opens with one ("Launch the …" → 'launch')."""
    tokens = words(text)
    if not tokens:
        return None
    first = tokens[0]
    if first in _NOUN_VERBS:
        following = tokens[1] if len(tokens) > 1 else ""
        return first if _OBJECT_START.match(following) else None
    if first in _OUTPUT_VERBS or first in _CHANGE_VERBS or first in _RESULT_VERBS:
        return first
    return None


def from_to(text: str) -> Evidence | None:
    """A baseline and a target: "from 12 % to 16 %"."""
    found = _FROM_TO.search(text)
    if found and _LEVEL.search(text):
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
    first = tokens[0]
    if first in _CHANGE_VERBS and _LEVEL.search(text):
        return Evidence("changes a measured level", first)
    if first in _RESULT_VERBS and _LEVEL.search(text) and _OUTCOME_NOUNS.search(text):
        return Evidence("counts results in what others do or buy", first)
    metric = _OUTCOME_NOUNS.search(text)
    measured = re.search(r"\d\s*%|\b(?:rate|ratio|score|nps|csat)\b", text, re.I)
    if metric and measured and _LEVEL.search(text):
        return Evidence("sets a level for an outcome metric", metric.group(0))
    return None


def output(text: str) -> Evidence | None:
    """Work the team does or a thing it ships, rather than the change it should cause.

    An outcome found in the same sentence ("Ship two features and reach 20 %
    adoption") wins: the key result then measures the change.
    """
    tokens = words(text)
    if not tokens or outcome_change(text):
        return None
    done = _DONE_STATE.search(text)
    if done:
        return Evidence("states a deliverable as done", done.group(0))
    first = leading_verb(text)
    if first in _OUTPUT_VERBS:
        return Evidence("starts with an activity", first)
    artefact = _ARTEFACTS.search(text)
    counted = re.search(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten)\b", text, re.I)
    if artefact and counted and not _OUTCOME_NOUNS.search(text):
        return Evidence("counts the team's own work", artefact.group(0))
    return None


# --- status quo (OKR006) and standing bars -------------------------------------------

_HOLD_VERBS = re.compile(
    r"\b(?:maintains?|maintaining|keeps?|keeping|stays?|staying|sustains?|sustaining|holds?|"
    r"holding|preserves?|preserving|remains?|remaining|continues? to (?:be|have|hit|meet)|protect|"
    r"don'?t let|do not let|never (?:drop|fall|exceed|go)|avoid (?:dropping|falling))\b",
    re.I,
)
_HELD_LEVEL = re.compile(
    r"\d|%|\b(?:above|below|under|over|at least|at most|within|no more than|no less than|"
    r"less than|more than|current|existing|steady|stable|high|healthy|level|levels|"
    r"standard|standards|sla|slo|target|targets|rate|score|uptime|availability|"
    r"satisfaction|quality|margin|budget)\b",
    re.I,
)
_MAINTAIN_WORK = re.compile(
    r"\bmaintain(?:ing)?\s+(?:the|our|a|an|its|their)?\s*(?:plugin|plug-in|library|"
    r"libraries|codebase|code|repo|repository|project|package|packages|docs|documentation|"
    r"site|website|servers?|infrastructure|tooling|tools|integration|integrations|app|"
    r"relationships?|fork|module|modules|sdk|sdks|api|apis|cli)\b",
    re.I,
)
_STANDING = re.compile(
    r"^\s*(?:at least|no more than|no less than|never|always|under|below|above|over|less than|"
    r"more than)\b|[<>≤≥]|\b(?:above|below|under|over)\s+[$€£+]?\d|"
    r"\b(?:every|each|per)\s+(?:day|week|month|quarter|year)\b.*\b(?:at least|no more than)\b",
    re.I,
)
_RECURRING = re.compile(
    r"\b(?:month[- ]over[- ]month|week[- ]over[- ]week|year[- ]over[- ]year|quarter[- ]over"
    r"[- ]quarter|mom|wow|yoy|qoq|every (?:day|week|month|quarter|year)|each (?:day|week|"
    r"month|quarter)|ongoing|always|continuously|on an ongoing basis)\b",
    re.I,
)


def status_quo(text: str) -> Evidence | None:
    """A target that holds a level instead of changing it: "Maintain 99.9 % uptime",
    "Keep CSAT above 90 %", "Stay under budget". Maintaining a thing is work, not a
    level: "…and maintain the plugin" is not a status-quo target."""
    for found in _HOLD_VERBS.finditer(text):
        rest = text[found.start() :]
        if _MAINTAIN_WORK.match(rest) and not re.search(r"\d|%", rest):
            continue
        clause = re.split(
            r"[,;]|\band\b|\bwhile\b|\bwhilst\b", rest[found.end() - found.start() :]
        )[0]
        if _HELD_LEVEL.search(clause):
            return Evidence("holds a level instead of changing it", found.group(0))
    return None


def standing_bar(text: str) -> Evidence | None:
    """A standing threshold rather than a change: "DAU above 50,000", "CAC < $40"."""
    if _FROM_TO.search(text) or (words(text) and words(text)[0] in _CHANGE_VERBS):
        return None
    found = _STANDING.search(text)
    return Evidence("states a standing threshold", found.group(0).strip()) if found else None


def recurring(text: str) -> Evidence | None:
    """A target that repeats every period ("5 % month-over-month"): a KPI's rhythm."""
    found = _RECURRING.search(text)
    return Evidence("repeats every period", found.group(0)) if found else None


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

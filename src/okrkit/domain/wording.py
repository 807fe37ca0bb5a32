"""Reading goals written in words: numbers, outputs, status-quo targets, engagement.

The linter (OKR001, OKR002, OKR006, OKR008) and the decision filter share these
readings, so a phrase is judged the same way everywhere. Each reading returns the
words that decided it (`Evidence`), because an answer must say why.

The readings follow the seeds' distinctions, on meaning rather than on a first word.
A sentence is first tidied (list labels, asides in brackets and "where X is defined
as …" clauses dropped), then read for:

- *numbers* (OKR001): digits, percentages, money, multipliers, number words used as
  amounts, placeholders ("XX %") and comparisons — but not dates, quarters, version or
  product names ("Web 3.0", "the 8086"), form codes ("1095-B", "W-2"), ranks
  ("tier-1") or specs ("16-bit");
- an *output* (OKR002): work the team does or a thing it ships, read by the grammar of
  the sentence rather than by phrases — an opening verb of making or doing, known by its
  class ("Launch", "Hire", "Negotiate", "Set up", "A/B test", adverbs skipped: "Fully
  automate") or, unlisted, by its place before an article ("Modernize the billing
  stack", unless its object is people, an outcome or an abstraction); "ensure" with no
  level ("Ensure the new app works offline"); a change verb whose object is the team's
  own artefact ("Improve our release process"); a deliverable stated as done or existing
  ("The new search is live", "X is linked to a brief", "2 designers hired", "Updated 30
  articles", "We've documented …", "X exists", "There is a prototype of Y", "Dark mode
  available on iOS"), held by a product ("DHT has stream support", "Have benchmarks that
  …") or a new capability of it ("Users can export their data", "X supports Y", "X
  learns to …", unless a performance target: "can import 1 GB in a minute"); a document
  holding what it should ("Handbook outlines Z", "This outline defines …"); the team's
  own work ("The team runs a retro every sprint", "All new hires go through security
  training"); a count of the team's own artefacts ("Publish 4 blog posts", "3 case
  studies") unless others' behaviour, opinions, rankings, a statistic or a cap decide
  it; or a deliverable named with no verb ("Monthly release notes for customers", "POC
  of X", "A detailed plan for …", "ROI analysis of …": the head noun of the phrase
  decides, what follows "of"/"for" only modifies it). The sentence's structure is read
  before its phrases: the doer (the team or its tooling doing a verb of doing to an
  object — "Ansible manages our deployments", "SREs should prepare test plans" — but
  not customers, users or a metric), a passive of doing, modal too ("will be
  documented", "to be written"), over a share of things rather than of people ("100 %
  of critical findings are remediated"), and the direction of a change (more of the
  team's artefacts from a baseline is work; fewer bugs is a change in quality). How well
  a task is done is not the task ("Run the suite in under 5 minutes", "… more
  efficiently"). Mixed key results — an output plus an adoption figure, or a task
  joined to a change by "and" — are outputs, and a bar
  in a purpose clause does not undo the work that opens the sentence ("Develop buffers
  to ensure incidents remain …"). A standing bar on handling work ("Answer 95 % of
  tickets in under 4 hours") is a service level, not a deliverable; a change in a level,
  a share of people doing something ("Half of new users complete the tutorial", "Measure
  the number of users who …") or a change in what others do or buy is an *outcome*, even
  when it starts with a verb ("Generate 500 qualified leads", "Add 30 customers");
- a *status-quo target* (OKR006), a KPI dressed as an OKR, by the seeds' one question:
  does the goal hold a level or state it is already at, or ask for a change from its
  baseline? Held: a verb of holding ("Maintain 99.9 % uptime", "Keep CSAT above 90 %",
  "Retain our enterprise customers", "remain the market leader", "Continue doing X",
  "Keep hiring", "Ensure uptime does not fall below 99.9 %"), a bar against any new harm
  ("Don't release any new bugs", "zero regressions", "No regression should exist in
  production for more than a day"), a target equal to its baseline, a level held over a
  whole period or at today's value ("< 1 % errors throughout 2026", "no higher than
  today's 3 %"), a metric stated as equal to a number ("DAU = 100,000"), or watching a
  metric as the goal ("Track and report on …", "Actively monitor …"). A change asked for
  is not a status quo even with a threshold, a rate, "ensure" or "no more than" ("Grow
  MRR 5 % month over month", "Reduce churn to no more than 2 %", "Ensure every new
  customer completes onboarding in their first week", "99 % uptime" with no word of
  holding — a target is a destination unless its words say it is already reached), nor a
  guardrail held beside the change ("Reach 1,000 customers while keeping churn low").
  Maintaining a thing is work, not a level ("Draft and maintain the guides",
  "Rebuild the handbook and keep it up to date", "Maintain & secure the servers"), and
  retaining what the goal first wins is part of the change ("Add and retain 5 members").
  Also held: a level "consistently" met, a metric stated where it stands ("CSAT is at
  98 %"), a passive of holding ("is maintained at …"), metrics "monitored and reported",
  "no one hurt". Not held: a bar that goes with the work or result asked for ("Complete
  the migration with zero data loss"), a leftover ("with 50 % of the food remaining"),
  work spread over a period ("Hire 5 engineers throughout 2026"); a date is no level.

Hand-written because no maintained library classifies goal statements; these are
small, explainable rules measured against a labelled corpus (bench/lint_quality.py).
"""

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
_NOT_A_QUANTITY = re.compile(
    rf"\b(?:{_YEAR}(?:[-/ ]?(?:q[1-4]|h[12]))?|(?:q[1-4]|h[12]|fy)[-/ ]?(?:{_YEAR}|\d\d)?"
    r"|v\d+(?:\.\d+)*|\d+(?:st|nd|rd|th)\s+(?:quarter|half|year)|\d+-bit"
    r"|(?:tier|level|phase|stage|type|class|series|gen|generation)[- ]\d+"
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
# A form or standard named by a code ("Form 1095-B", "W-2", "ISO-27001", "COVID-19"):
# an identifier, not an amount. Case matters: the letters are capitals.
_CODE = re.compile(r"\b(?:\d+-(?![KM]\b)[A-Z]{1,2}|[A-Z]{1,6}-\d+[A-Z]?)\b(?!\s*%)")


# The readings ask the same small questions of a sentence many times over (its opening
# verb, whether it holds an amount): pure functions of a string, so remembered.
@lru_cache(maxsize=4096)
def numbers_in(text: str) -> Evidence | None:
    """Numbers or metric targets in a text (an objective should have none).

    Dates, quarters, ranks, version and product names are not quantities ("in 2026",
    "Q3", "tier-1", "Web 3.0", "the 8086"); digits, percentages, money, number words
    used as amounts ("double", "two new markets"), placeholders ("XX %") and
    comparisons ("DAU = 100,000") are.
    """
    cleaned = _NAMED_NUMBER.sub(r"\1 ", text)
    cleaned = _NOT_A_QUANTITY.sub(" ", _VERSION.sub(" ", _CODE.sub(" ", cleaned)))
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
}  # fmt: skip
# Two-word verbs whose first word alone means something else ("Fine tune …", "A/B test").
_PHRASAL = {verb for verb in _ACTIVITY_VERBS if " " in verb}
# Verbs of a change in a measured level.
_CHANGE_VERBS = {
    "increase", "decrease", "reduce", "grow", "lift", "improve", "raise", "cut", "lower",
    "boost", "double", "triple", "halve", "minimize", "minimise", "maximize", "maximise",
    "accelerate", "shorten", "decline", "drop", "expand", "shrink", "speed", "slash",
    "elevate", "enhance", "strengthen", "drive", "move", "bring", "push", "get",
    "eliminate",
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
    r"(?:[$€£]\s?)?(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|"
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
    r"participants|attendees|registrations|applications|donations|donors|companies|"
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


# --- outputs (OKR002) ---------------------------------------------------------------

# Nouns for the team's own artefacts and activities: counting them counts work done.
_ARTEFACT = (
    r"(?:blog ?posts?|posts?|articles?|videos?|webinars?|workshops?|events?|meetups?|"
    r"talks?|presentations?|features?|interviews?|calls?|meetings?|demos?|hires?|"
    r"engineers?|developers?|designers?|docs?|documents?|documentation|pages?|tutorials?|"
    r"courses?|releases?|campaigns?|emails?|newsletters?|case studies|podcasts?|"
    r"integrations?|pull requests?|prs|templates?|experiments?|tests?|snapshots?|"
    r"prototypes?|guides?|playbooks?|trainings?|sessions?|sprints?|tickets?|issues?|bugs?|"
    r"reports?|dashboards?|apis?|endpoints?|modules?|components?|plugins?|screens?|"
    r"mockups?|surveys?|studies|papers?|proposals?|roles?|positions?|candidates?|slides?|"
    r"decks?|briefings?|amas?|confs?|conferences?|story points|patterns?|updates?|"
    r"summar(?:y|ies)|pieces|office hours|pocs?|proofs? of concept|mvps?|specs?|"
    r"specifications?|implementations?|tools?|librar(?:y|ies)|sdks?|rfcs?|design ?docs?|"
    r"benchmarks?|test suites?|checklists?|handbooks?|wikis?|runbooks?|roadmaps?|"
    r"boot-?camps?|hackathons?|lines of (?:[\w-]+\s+)?code|migrations?|redesigns?|"
    r"rewrites?|refactors?|rollouts?|overhauls?|revamps?|audits?|upgrades?|versions?|"
    r"betas?|pilots?|drafts?|wireframes?|diagrams?|fixes|plans?|analys[ie]s|assessments?|"
    r"inventor(?:y|ies)|narratives?|milestones?|deliverables?|catalogu?e?s?)"
)
_WORK_NOUN = re.compile(rf"\b{_ARTEFACT}\b", re.I)
# The team's own products, documents and processes, as the object of a change verb.
_OWN_WORK = re.compile(
    r"^\S+\s+(?:(?:the|our|a|an|its|their)\s+)?(?:(?!(?:in|of|for|to|on|with|at)\b)[\w-]+\s+)"
    r"{0,3}?(?P<work>process|processes|workflow|system|tooling|website|site|page|docs|"
    r"documentation|handbook|roadmap|playbook|program|programme|codebase|"
    r"infrastructure|architecture)(?=\s*$|\s+(?:for|to|in|on|with|and|so|by|across)\b)",
    re.I,
)
_NUMBER_OF_WORK = re.compile(
    rf"^\w+\s+(?:the\s+)?(?:number|count|amount|frequency) of\s+(?:[\w-]+\s+){{0,2}}{_ARTEFACT}\b"
    # "Increase knowledge base articles from 25 to 100": the artefacts themselves counted
    rf"|^\w+\s+(?:our\s+)?(?:[\w-]+\s+){{0,3}}?{_ARTEFACT}(?=\s+from\b)"
    rf"|^\w+\s+(?:\d+|one|two|three|four|five)\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:process|practice|program|programme|initiative)s?\b",
    re.I,
)
_CUSTOMERS = re.compile(
    r"\b(?:customers?|clients?|companies|logos?|accounts?|users?|subscribers?|leads?|"
    r"deals?|partners?|buyers?|organi[sz]ations)\b",
    re.I,
)
_PARTICIPLE = (
    r"(?:live|launched|shipped|released|available|in place|done|complete|completed|"
    r"deployed|published|implemented|rolled out|rolling out|documented|in production|"
    r"finished|delivered|created|built|written|established|defined|migrated|approved|"
    r"merged|ready|operational|up and running|set up|adopted|finalized|finalised|updated|"
    r"deprecated|proposed|reviewed|supported|enabled|hired|onboarded|started|installed|"
    r"configured|integrated|automated|added|introduced|replaced|upgraded|drafted|"
    r"designed|developed|certified|public|visible|discoverable|accessible|running|"
    r"identified|benchmarked|tracked|measured|authored|produced|prepared|outlined|"
    r"formalized|standardized|removed|decommissioned|sunset|linked)"
)
# Participles that state a deliverable done even without "is" ("2 designers hired").
_STRONG_PARTICIPLE = (
    r"(?:launched|shipped|released|deployed|published|implemented|rolled out|documented|"
    r"delivered|created|built|written|defined|migrated|hired|onboarded|finalized|"
    r"finalised|added|complete|completed|set up|drafted|authored|held|hosted|conducted|"
    r"organized|organised|sent|translated|presented|installed|configured|integrated|"
    r"automated|refactored|rewritten|redesigned|prototyped|piloted|archived|deprecated|"
    r"decommissioned|removed|replaced|upgraded)"
)
_AUX = (
    r"(?:is|are|was|were|has been|have been|had been|gets?|got|becomes?|became|"
    r"(?:will|shall|should|must|would|to)\s+(?:be|have been))"
)
_FREQUENCY = r"(?:daily|weekly|monthly|quarterly|yearly)\b"
_STATISTIC_WORD = r"(?:the\s+)?(?:average|median|mean|ratio|rate|share|proportion)\b"
# "The number of messages sent …": a metric's name, not a deliverable done.
_METRIC_OF = (
    r"(?:the\s+)?(?:number|count|amount|share|percentage|proportion|rate|ratio|total)\s+of\b"
)
# A deliverable stated as done: "X is live / is supported / is rolling out", "2
# designers hired", "We've documented …", "Every account has a plan defined", "There
# is a prototype of Y", "Handbook outlines Z" (a document holding what it should).
_DONE_STATES = (
    re.compile(rf"\b{_AUX}\s+(?:now\s+|all\s+|well\s+|\w+ly\s+)?(?:re-?)?{_PARTICIPLE}\b", re.I),
    re.compile(
        rf"^(?!(?!{_FREQUENCY})[\w-]+ly\b|{_METRIC_OF}|{_STATISTIC_WORD})"
        r"(?:(?!(?:who|that|which|where|is|are|was|were|be|been|to)\b)[\w'’/+.&%-]+\s+){1,6}?"
        r"(?:fully\s+|successfully\s+|now\s+)?"
        rf"{_STRONG_PARTICIPLE}\b",
        re.I,
    ),
    re.compile(rf"^we(?:['’]ve| have| had)?\s+(?:\w+ly\s+)?{_PARTICIPLE}\b", re.I),
    re.compile(
        rf"\b(?:has|have)\s+(?:(?:a|an|the|its|their|our)\s+)?(?:[\w-]+\s+){{0,3}}?"
        rf"{_STRONG_PARTICIPLE}\b",
        re.I,
    ),
    re.compile(rf"^there (?:is|are) (?:now )?(?:a|an|one)?\b.*\b{_ARTEFACT}\b", re.I),
    re.compile(
        r"^(?:the |our |a |an |this |these |each |every )?(?:[\w/.-]+\s+){0,3}?(?:handbook|"
        r"roadmap|docs?|documentation|guides?|page|readme|website|site|wiki|api|policy|"
        r"plan|spec|outline|brief|charter|playbook|runbook|template|checklist|faq|manual|"
        r"section|proposal|rfc)\s+(?:[^,;]{0,40}?\band\s+)?"
        r"(?:now\s+)?(?:outlines|describes|documents|explains|covers|lists|includes|"
        r"contains|indicates|shows|captures|specifies|details|defines|exposes)\b"
        r"(?!\s+that\b)",
        re.I,
    ),
)
_PEOPLE_SHARE = re.compile(r"^(?:\d[\d.,]*\s*%|all|most|half)\s+of\b", re.I)


def _share_of_people(text: str) -> bool:
    """Whether a sentence opens with a share of people ("Half of new users …"), whose
    doing is their behaviour; a share of things ("100 % of the runbooks …") is not."""
    return bool(_PEOPLE_SHARE.search(text) and _PEOPLE.search(" ".join(text.split()[:6])))


_SERVICE_TIME = re.compile(r"\b(?:available|up|running|operational)\s+\d[\d.]*\s*%", re.I)
_QUALIFIED = re.compile(r"\b(?:with no|without)\b", re.I)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|will|should|would|does|do|did|gets?|"
    r"must|may)\b|\d|%",
    re.I,
)
_PROGRESSIVE = re.compile(r"\b(?:we are|we're|are|is)\s+(?:\w+ly\s+)?(\w+ing)\b", re.I)
_CAPABILITY = re.compile(
    r"^(?!\d|all\b|every\b)((?:[\w'’/.+-]+\s+){1,6}?)"
    r"(can|is able to|are able to)\s+(?:now\s+)?(?:be\s+)?\w+",
    re.I,
)
# "Enterprise customers can sign in with SSO": what a customer segment can do is read
# as their result; what users, members or a product can do is the feature shipped.
_PAYING = re.compile(r"\b(?:customers?|clients?|companies|accounts?|buyers?)\b", re.I)
# "The app can import 1 GB in a minute", "… in less time": a performance target.
_COMPARATIVE = re.compile(
    r"\b(?:less|more|fewer|faster|slower|better|lowest|highest|best|fastest|cheapest|"
    r"most|least)\b",
    re.I,
)
# Others in the plural as a subject ("Customers provide feedback"): their behaviour.
_OTHERS = re.compile(
    r"\b(?:customers|users|clients|members|visitors|buyers|veterans|applicants|subscribers|"
    r"companies|partners|people)\b",
    re.I,
)


# The head of a noun phrase ends at its first preposition or clause: "A detailed roadmap |
# for how …", "Narrative | of existing communities".
_HEAD = re.compile(r"\b(?:of|for|on|about|with|to|by|from|that|which|so)\b", re.I)
# A document ends the head: "Cost analysis", "Churn report" name the document, not the metric.
_DOCUMENT_HEAD = re.compile(
    r"\b(?:plans?|analys[ie]s|assessments?|reports?|roadmaps?|inventor(?:y|ies)|narratives?|"
    r"proposals?|specs?|strateg(?:y|ies)|audits?|reviews?)\s*$",
    re.I,
)
_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|will|should|would|does|do|did|gets?|"
    r"must|may)\b",
    re.I,
)


def _performance(text: str) -> bool:
    """Whether a capability is stated as a performance target ("can import 1 GB in a
    minute", "… in less time"): an amount (a form code is not one) or a comparison."""
    return numbers_in(text) is not None or bool(_COMPARATIVE.search(text))


_NOT_A_SUBJECT = re.compile(r"\b(?:so|that|which|it|is|are|where|when|if)\b", re.I)
_PARTICIPATION = re.compile(
    r"^(?:all|every|each|\d[\d.,]*\s*%\s+of)\s+(?:[\w'’-]+\s+){0,5}?"
    r"(participates? in|go(?:es)? through|attends?|take part in|(?:have|has) completed|"
    r"completes?|finish(?:es)?)\s+"
    r"(?:[\w/'’-]+\s+){0,4}?(?:trainings?|interviews?|reviews?|process|onboarding|"
    r"sessions?|workshops?|courses?|programs?|programmes?|bootcamps?|boot-camps?)\b",
    re.I,
)
_OUTCOME_VERBS = re.compile(
    r"\b(?:hits?|drives?|reach(?:es)?|gets?|earns?|ranks?|leads? to|results? in|"
    r"increases?|grows?|rises?|drops?|goes viral|trends?|takes?|took|lasts?|decreases?|"
    r"falls?|declines?|improves?|doubles?|triples?|halves?|shrinks?|go(?:es)? (?:up|down)|"
    r"(?:up|down) (?:by )?(?:\d|half|a third|a quarter))\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(?:say|says|report|reports|indicate|indicates|feel|feels|rate|rates|recommend|"
    r"agree|agrees|would)\b",
    re.I,
)
# A count capped from above is a quality bar, not work done ("fewer than 10 open bugs").
_BOUND = re.compile(r"[<≤]|\b(?:fewer|less)\s+than\b|\b(?:under|below|at most)\s+\d", re.I)
_RANKING = re.compile(r"\btop[- ]?\d+\b", re.I)
_COUNT_WORD = re.compile(
    r"\d|\b(?:x|xx|one|two|three|four|five|six|seven|eight|nine|ten|dozen)\b", re.I
)
_ENSURE = re.compile(r"^(?:ensure|make sure|guarantee)\b(?:\s+that)?", re.I)
# "Ensure every new customer completes onboarding …": what others do is an outcome.
_OTHERS_DO = re.compile(
    r"^(?:(?:every|each|all|most|more)\s+(?:new\s+|active\s+|paying\s+)?|\d[\d.,]*\s*%\s+of\s+"
    r"(?:new\s+|our\s+)?)(?:customers?|users?|clients?|members?|visitors?|buyers?|veterans?|"
    r"applicants?|accounts?|trials?|subscribers?)\b",
    re.I,
)


# "Measure number of Veterans who register online": the metric is what people do.
_BEHAVIOUR = re.compile(
    r"\b(?:number|share|percentage|proportion|count|rate|%)\s+of\s+(?:[\w-]+\s+){0,2}?"
    r"(?:users?|customers?|clients?|veterans?|people|members?|visitors?|applicants?|"
    r"buyers?|subscribers?|students?|patients?|citizens?)\s+(?:who|that)\b",
    re.I,
)
_WATCHING = {"measure", "track", "monitor", "report"}
# How well a task is done rather than the task: a time bar or a manner compared
# ("in under 5 minutes", "in six days or fewer", "more efficiently").
_PERFORMANCE_BAR = re.compile(
    r"\bin\s+(?:under|less than|fewer than)\s+(?:\d[\d.,]*|one|two|three|four|five|six|seven|"
    r"eight|nine|ten)\s*(?:seconds?|minutes?|mins?|hours?|days?|weeks?)\b"
    r"|\b(?:seconds?|minutes?|hours?|days?|weeks?)\s+or\s+(?:fewer|less)\b"
    r"|\b(?:more|less)\s+\w+ly\b",
    re.I,
)
_OF_TARGET = re.compile(r"%\s+of\s+(?:plan|target|budget|goal|quota|forecast)\b", re.I)
# Change verbs that lower a level: fewer bugs or tickets is a change in quality, not
# fewer things made ("Reduce the number of bugs per release").
_DOWN_VERBS = {
    "decrease", "reduce", "cut", "lower", "minimize", "minimise", "halve", "shorten",
    "decline", "drop", "shrink", "slash", "eliminate",
}  # fmt: skip


def _opening_output(text: str, verb: str) -> Evidence | None:
    """An output read from the verb a sentence opens with."""
    rest = text.split(None, 1)[1] if " " in text else ""
    if verb in _WATCHING and _BEHAVIOUR.search(text):
        return None  # watching what people do names an outcome metric
    if verb in _ACTIVITY_VERBS:
        if verb in {"add", "onboard"} and _CUSTOMERS.search(" ".join(rest.split()[:4])):
            return None  # "Add 50 customers": customers won, not work done
        if _PERFORMANCE_BAR.search(text):
            return None  # "Run the test suite in under 5 minutes": how well, not what
        return Evidence("starts with an activity", verb)
    if verb == "reach" and rest.lower().startswith("out"):
        return Evidence("starts with an activity", "reach out")
    if verb == "get" and re.match(r"(?:feedback|input)\b", rest, re.I):
        return Evidence("starts with an activity", "get feedback")
    if verb in _CHANGE_VERBS:
        counted = _NUMBER_OF_WORK.search(text)
        unhyphened = re.sub(r"\S+-\S+", " ", counted.group(0)) if counted else ""
        if counted and verb not in _DOWN_VERBS and not _OUTCOME_NOUNS.search(unhyphened):
            return Evidence("counts the team's own work", counted.group(0))
        own = _OWN_WORK.search(text)
        if own and not _LEVEL.search(text):
            return Evidence("works on the team's own artefact", own.group(0))
    return None


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


_PURPOSE = re.compile(
    r"\s+(?:so that|so|in order to|to (?:ensure|make sure|keep|help|allow|let|prove|"
    r"support|reduce|increase|improve|achieve|drive|maintain|avoid|prevent|guarantee))\b"
    r"|,\s*(?:ensuring|resulting|which|so)\b",
    re.I,
)


def _main_clause(text: str) -> str:
    """The sentence before its purpose clause ("…, so that …", "… to ensure …")."""
    found = _PURPOSE.search(text)
    return text[: found.start()] if found else text


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
_ARTICLE = {
    "the", "a", "an", "our", "their", "its", "your", "this", "these", "those", "every",
    "each",
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
        or _LEVEL.search(text)
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


_HOLDING = {"maintain", "sustain", "keep", "hold", "preserve", "protect"}
# "Make checkout easier by automating refunds": the means named, a verb of doing in -ing.
_MEANS = re.compile(r"\b(?:by|through|via)\s+(?P<doing>[a-z]+ing)\b", re.I)


def _by_doing(text: str, verb: str) -> Evidence | None:
    """A change with no level to measure, reached by work named as its means ("Improve
    onboarding by rewriting the setup guide"): the work is what will be checked, an
    output. With a level ("Increase adoption by 40 % by suggesting …") the level is."""
    if verb not in _CHANGE_VERBS | _ASPIRATION or _LEVEL.search(text) or numbers_in(text):
        return None
    for found in _MEANS.finditer(text):
        doing = found.group("doing").lower()
        forms = set(_base_forms(doing))
        if forms & (_ACTIVITY_VERBS - _HANDLING_VERBS - _UPTAKE) or doing == "ensuring":
            return Evidence("names the work that is its means", found.group(0))
    return None


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
    # A bar held in a purpose clause does not undo the work that opens the sentence
    # ("Develop buffers to ensure incidents remain under budget").
    verb = leading_verb(tidy)
    doing = verb in _ACTIVITY_VERBS and verb not in _HANDLING_VERBS
    main = _main_clause(tidy) if doing else tidy
    if _service_level(main) or _ceiling(main) or _held_level(main):
        return None
    if _no_new_harm(main):
        return None  # "Don't release any new bugs": a standing bar, not a deliverable
    ensured = _ENSURE.match(tidy)
    if ensured:
        if _ensured_level(tidy) or _OTHERS_DO.match(tidy[ensured.end() :].strip()):
            return None
        return Evidence("ensures a property of the team's own work", ensured.group(0))
    if verb:
        return _opening_output(tidy, verb) or _joined_task(tidy) or _by_doing(tidy, verb)
    if from_to(tidy):
        return None
    first = words(tidy)[0] if words(tidy) else ""
    return (
        _past_work(tidy)
        or _stated_output(tidy)
        or _unknown_opening_verb(tidy)
        or _by_doing(tidy, first)
    )


# --- status quo (OKR006) and standing bars -------------------------------------------

_COUNT = (
    r"(?:\d[\d.,]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"fourteen|fifteen|twenty|thirty|n|x|xx)"
)
_TIME_UNIT = (
    r"(?:minutes?|mins?|hours?|hrs?|h|days?|business days?|working days?|workdays?|"
    r"weeks?|months?|iterations?|sprints?|d)"
)
_PERIOD = r"(?:day|week|month|quarter|year|sprint|release|iteration|cycle)"

_HOLD_ANY = re.compile(
    r"\b(?:maintain|maintains|maintaining|sustain|sustains|sustaining|preserve|"
    r"preserves|preserving|protect|protects)\b",
    re.I,
)
_HOLD_WITH_LEVEL = re.compile(
    r"\b(?:keeps?|keeping|stays?|staying|holds?|holding|don'?t let|do not let|"
    r"(?:is|are|be|being)\s+(?:maintained|sustained|kept|held|preserved)|"
    r"never (?:drop|fall|exceed|go|let|dip|slip)|avoid (?:dropping|falling)|"
    r"(?:does|do|should|will|must)\s+not\s+(?:drop|fall|dip|slip|go)\s+(?:below|under)|"
    r"(?:doesn['’]t|don['’]t|won['’]t|shouldn['’]t)\s+(?:drop|fall|dip|slip|go)\s+(?:below|under))\b",
    re.I,
)
_ONGOING = re.compile(
    r"\b(?:remains?|remaining)\b|\bcontinues?\b(?!\s+(?:to\s+)?(?:grow|increase|reduce|"
    r"improve|decrease|lift|raise|cut))|\bkeep\s+\w+ing\b",
    re.I,
)
_LEFTOVER = re.compile(r"\bwith\b[^,;]*?\bremaining\s*(?:$|[,;])", re.I)
_HELD_LEVEL = re.compile(
    r"\d|%|\b(?:above|below|under|over|at least|at most|within|no more than|no less than|"
    r"less than|more than|current|existing|steady|stable|high|healthy|level|levels|"
    r"standard|standards|sla|slo|target|targets|rate|score|uptime|availability|"
    r"satisfaction|quality|margin|budget|where (?:it|they) (?:is|are)|as (?:it )?is|flat|"
    r"unchanged|intact|in check|under control|the lights on|the line|number one|no\. 1|"
    r"leader|leading|ahead)\b|#1\b",
    re.I,
)
# Things kept current by work: maintaining them is a task, not a level.
_UPKEPT = re.compile(
    r"^(?:(?:the|our|a|an|its|their|it|them|updated|up-to-date|current|and)\s+)*"
    r"(?:[\w-]+\s+){0,2}?(?:plans?|roadmaps?|"
    r"vision|plugin|plug-in|library|libraries|codebase|code|repo|repository|project|"
    r"packages?|docs|documentation|guides?|handbook|summary|wiki|site|website|servers?|"
    r"infrastructure|tooling|tools|integrations?|app|relationships?|fork|modules?|sdks?|"
    r"apis?|cli|lists?|database|records)\b"
    r"|^(?:it|them)\s+(?:up[- ]to[- ]date|updated|current|fresh|accurate)\b"
    r"|^(?:updated|up-to-date)\b",
    re.I,
)
_COORDINATED = re.compile(r"(?:,|\band\b|\bor\b)\s*(?:and\s+)?$", re.I)
# "deploy, upgrade, and maintain X": maintaining listed with other work is work.
_LISTED = re.compile(
    r"\b(?P<run>[\w-]+(?:\s*,\s*[\w-]+)*)\s*(?:,\s*(?:and|or)?|\band|\bor)\s*$", re.I
)


def _listed_work(before: str) -> bool:
    """Whether a verb of doing is listed right before ("deploy, upgrade, and …")."""
    found = _LISTED.search(before)
    if not found:
        return False
    listed = re.split(r"\s*,\s*", found.group("run"))
    return any(word.lower() in _ACTIVITY_VERBS for word in listed)


_SPENT = re.compile(r"\b(?:spent|spend|spends|time)\s*$", re.I)
_CLAUSE_END = re.compile(r"[,;]|\band\b|\bwhile\b|\bwhilst\b|\bso\b", re.I)
_ENSURED = re.compile(
    r"\b(?:ensure|ensures|make sure|makes sure|guarantee)\b(?:\s+that)?\s+(?P<clause>[^;]*)",
    re.I,
)
_ENSURED_LEVEL = re.compile(
    r"\d|%|\b[xX]{1,3}\s?%|\b(?:no more than|at most|at least|within|zero|no|or less|"
    r"or more|or above|or higher|coverage|ctr|rate|cost|score|satisfaction|sla|uptime)\b",
    re.I,
)
_WE_DO = re.compile(r"^(?:we|you|the team)\s+(?:\w+ly\s+)?(\w+)\b", re.I)
_WITHIN = re.compile(
    rf"\bwithin\s+(?!(?:the\s+|their\s+|its\s+|our\s+)?(?:first|next|same)\b){_COUNT}\s*"
    rf"(?:business\s+|working\s+|calendar\s+)?{_TIME_UNIT}\b",
    re.I,
)
_HANDLED_IN = re.compile(
    r"\b(?:resolved?|fix(?:ed)?|answer(?:ed)?|respond(?:ed)?|contact(?:ed)?|handled?|"
    r"triaged?|closed?|address(?:ed)?|troubleshoot|process(?:ed)?|repl(?:y|ied))\b"
    r"[^;]{0,80}?\bin\s+(?:under\s+|less than\s+)?"
    rf"{_COUNT}\s*(?:business\s+|working\s+)?{_TIME_UNIT}\b",
    re.I,
)
_QUALITY_BAR = re.compile(r"\b(?:on time|on schedule|correctly)\b", re.I)
_ZERO_DEFECTS = re.compile(
    r"^no\s+(?!more\b|less\b|longer\b|later\b|one\b)\w+(?:\s+\w+)?"
    r"|\b(?:zero|0)\s+(?:[\w-]+\s+){0,2}?(?:regressions?|bugs?|incidents?|outages?|"
    r"defects?|errors?|failures?|downtime|breaches|escalations?|complaints?|crashes|"
    r"vulnerabilities|rollbacks?|leaks?|data loss|violations?|disruptions?|interruptions?|"
    r"hotfixes)\b|\b(?:zero|0)\s+(?:failed|failing|broken|missed|lost|dropped|unplanned)\s+\w+",
    re.I,
)
_CEILING = re.compile(
    rf"\b(?:no more than|no less than|not more than|no fewer than|at most)\s+[$€£]?{_COUNT}",
    re.I,
)
_MONITORING = re.compile(
    r"^(?:(?:actively|regularly|continuously|closely)\s+)?(track|monitor|measure|watch|"
    r"review|report on)(?:\s+(?:and|&)\s+(?:report on|report|review|monitor|track|measure|"
    r"watch))?\s+(?P<object>.*)$",
    re.I,
)
_MEASURING = re.compile(
    r"\bwe are\s+(?:\w+ly\s+)?(?:measuring|tracking|monitoring|watching|reporting on)\b"
    r"|\b(?:metrics|kpis|health|satisfaction|latency|error rates?|uptime|availability|"
    r"saturation|performance|usage|churn|nps|csat)\b[^;]{0,100}?\b(?:is|are)\s+(?:\w+ly\s+)?"
    r"(?:tracked|measured|monitored|reported)\b",
    re.I,
)
_WATCHED = re.compile(
    r"\b(?:metrics?|kpis?|health|satisfaction|adherence|compliance|time|rates?|scores?|"
    r"nps|csat|sla|slo|uptime|performance|churn|retention|usage|number|count|conversion|"
    r"revenue|mrr|arr|latency|errors|active users|dau|mau|wau|signups|sign-ups|traffic)\b",
    re.I,
)
_SETS_TARGETS = re.compile(r"\b(?:targets?|goals?|improve|increase|reduce|grow)\b", re.I)
# A health attribute named as the whole goal, with nothing to change ("Availability").
_BARE_HEALTH = re.compile(
    r"^(?:availability|uptime|responsiveness|reliability|stability)"
    r"(?:\s+(?:to|for|of)\s+[\w\s]+)?$",
    re.I,
)
# Keeping what one has: retain customers, talent, a position (not retention as a metric).
_RETAIN = re.compile(r"\b(?:retain|retains|retaining)\b", re.I)
# "Add and retain 5 members": retaining what the goal first wins is part of the change.
_WON_FIRST = re.compile(
    r"\b(?:add|acquire|attract|win|recruit|hire|onboard|grow|gain|sign|land)\s+(?:and|&)\s*$",
    re.I,
)
# A bar against any new harm, held rather than reached: "Don't push code that fails tests",
# "Don't release any new bugs", "avoid any …", "no new …", "zero regressions", "No
# regression should exist …", "customers not blocked", "100 % logo retention".
_NO_NEW_HARM = re.compile(
    r"(?:^|[,;.]\s*|\b(?:we|and|or)\s+)(?:don['’]?t|do not|never)\s+(?!let\b)\w+"
    r"|\bavoid(?:ing)?\s+(?:any|all|new)\b"
    r"|\bno\s+new\b|^no\s*(?:one|body)\b"
    r"|\bnot\s+(?:be\s+)?(?:blocked|broken|lost|interrupted|disrupted)\b"
    r"|\bnot a single\b"
    r"|\b100\s*%\s+(?:[\w-]+\s+){0,2}?retention\b",
    re.I,
)
# A metric stated as equal to a number, the whole goal: "DAU = 100,000".
_EQUALS = re.compile(r"^[\w /&()-]{1,40}?\s*=\s*[$€£]?\d[\d.,]*\s*[%kKmMbB]?$")
# "Customer satisfaction is at 98 %": the metric stated where it stands, the whole goal.
_STANDS_AT = re.compile(
    r"\b[a-z]+\s+(?:is|are|stays|sits)\s+at\s+[<>≥≤]?\s*[$€£]?\d[\d.,]*\s*[%kKmMbB]?$", re.I
)
_AMOUNTS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _is_activity(clause: str) -> bool:
    """Whether a clause is the team doing something ("Run 4 demos", "we hold a retro")."""
    verb = leading_verb(clause)
    if verb in _ACTIVITY_VERBS and verb not in _HANDLING_VERBS:
        return True
    doer = _WE_DO.match(clause)
    return bool(doer and doer.group(1).lower() in _ACTIVITY_VERBS)


# "Maintain & secure critical infrastructure": a verb of doing joined to the holding
# verb makes both work on a thing.
_JOINED_VERB = re.compile(r"^(?:&|and|,)\s*(?:and\s+)?(?P<verb>[a-z]+)\s+(?P<object>.+)$", re.I)


def _work_follows(after: str) -> bool:
    """Whether a verb of doing follows the holding verb, its object a thing, not a level."""
    found = _JOINED_VERB.match(after)
    if not found:
        return False
    verb = found.group("verb").lower()
    return (verb in _ACTIVITY_VERBS or verb in {"secure", "protect"}) and not _HELD_LEVEL.search(
        found.group("object")
    )


def _held_level(text: str) -> Evidence | None:
    """Holding a level or a trait: maintain / sustain a thing that is not an artefact,
    keep / stay at a level, remain, continue."""
    for found in _HOLD_ANY.finditer(text):
        before, after = text[: found.start()], text[found.end() :].strip()
        clause = _CLAUSE_END.split(after)[0]
        if _SPENT.search(before):
            continue  # "time spent maintaining": the work measured, not a level
        work = (
            _UPKEPT.match(after)
            or _listed_work(before)
            or _work_follows(after)
            or (_COORDINATED.search(before) and _is_activity(before.strip(" ,")))
        )
        if work and not re.search(r"\d|%", clause):
            continue
        return Evidence("holds a level instead of changing it", found.group(0))
    for found in _HOLD_WITH_LEVEL.finditer(text):
        after = text[found.end() :].strip()
        if _UPKEPT.match(after):
            continue
        if _HELD_LEVEL.search(_CLAUSE_END.split(after)[0]):
            return Evidence("holds a level instead of changing it", found.group(0))
    ongoing = _ONGOING.search(text)
    if ongoing and ongoing.group(0).lower() == "remaining" and _LEFTOVER.search(text):
        ongoing = None
    if ongoing:
        return Evidence("carries on as before instead of changing", ongoing.group(0))
    return None


def _ensured_level(text: str) -> Evidence | None:
    """A level made sure of ("Ensure a 40 % open rate"), not an activity or a new property."""
    found = _ENSURED.search(text)
    if not found:
        return None
    clause = found.group("clause")
    if _is_activity(clause) or not _ENSURED_LEVEL.search(clause):
        return None
    return Evidence("makes sure a level holds", found.group(0).split()[0])


def _service_level(text: str) -> Evidence | None:
    """A standing bar on handling work: "resolved within 7 days", "in under 24 hours"."""
    verb = leading_verb(text)
    if verb in _CHANGE_VERBS:
        return None
    handled = _HANDLED_IN.search(text)
    if handled:
        return Evidence("sets a standing service level", handled.group(0))
    doing = verb in _ACTIVITY_VERBS and verb not in _HANDLING_VERBS
    within = _WITHIN.search(text) or _QUALITY_BAR.search(text)
    if within and not doing:
        return Evidence("sets a standing service level", within.group(0))
    return None


def _ceiling(text: str) -> Evidence | None:
    """Zero defects or a ceiling that must never be crossed."""
    if leading_verb(text) in _CHANGE_VERBS:
        return None
    found = _ZERO_DEFECTS.search(text) or _CEILING.search(text)
    return Evidence("sets a bar never to cross", found.group(0)) if found else None


def _monitoring(text: str) -> Evidence | None:
    """Watching a metric as the goal: "Track and report on …", "Actively monitor …"."""
    found = _MONITORING.match(text)
    if found:
        watched = found.group("object")
        if _WATCHED.search(watched) and not _SETS_TARGETS.search(watched):
            return Evidence("makes watching a metric the goal", found.group(1))
    measuring = _MEASURING.search(text)
    if measuring:
        return Evidence("makes watching a metric the goal", measuring.group(0))
    return None


def _holding(text: str) -> Evidence | None:
    """Words that hold a level: maintain, keep, stay, remain, continue (as read for the
    other rules too), and retain what one already has ("Retain our enterprise
    customers") — but not what the goal first wins ("Add and retain 5 members")."""
    found = _held_level(text)
    if found:
        return found
    for kept in _RETAIN.finditer(text):
        if not _WON_FIRST.search(text[: kept.start()]):
            return Evidence("holds what it has instead of changing it", kept.group(0))
    return None


def _no_new_harm(text: str) -> Evidence | None:
    """A bar against any new harm, held as a standing rule: "Don't release any new bugs",
    "zero downtime", "No regression should exist in production for more than a day"."""
    found = _NO_NEW_HARM.search(text) or _ZERO_DEFECTS.search(text)
    if found:
        return Evidence(
            "holds a bar against any new harm instead of changing a level", found.group(0)
        )
    return None


def _equal_target(text: str) -> Evidence | None:
    """A target equal to its baseline ("from 35 % to 35 %"), or a metric stated as equal
    to a number and nothing else ("DAU = 100,000")."""
    span = from_to(text)
    if span:
        amounts = _AMOUNTS.findall(span.words)
        if len(amounts) >= 2 and amounts[0] == amounts[-1]:
            whole = re.search(re.escape(span.words) + r"(?:\s*%)?", text)
            return Evidence(
                "has its target equal to its baseline", whole.group(0) if whole else span.words
            )
        return None
    stated = _EQUALS.match(text) or _STANDS_AT.search(text)
    if stated:
        return Evidence("states a level as the goal, with nothing to change", stated.group(0))
    return None


def _named_health(text: str) -> Evidence | None:
    """A health attribute named as the whole goal ("Availability"): a KPI, not a change."""
    found = _BARE_HEALTH.match(text)
    return (
        Evidence("names a health attribute to watch, not a change", found.group(0))
        if found
        else None
    )


_GUARDRAIL_CLAUSE = re.compile(r"\s*,?\s+\b(?:while|whilst)\b", re.I)
# "Complete the migration with zero data loss": a bar that goes with the work or the
# result the sentence asks for, not the goal.
_WITH_BAR = re.compile(r"\s*,?\s+\b(?:with|without)\s+(?:zero|no|0|any)\b", re.I)
# A level held for a whole period or against today's value: "… throughout 2026", "… at
# all times", "Churn no higher than today's 3 %", "… at current levels".
_THROUGHOUT = re.compile(
    r"\b(?:throughout|at all times|all year(?: round)?|year-round|around the clock|"
    r"consistently)\b"
    r"|\b(?:no (?:higher|lower|worse)|not (?:above|below|worse)|at least|at or (?:above|below)|"
    r"at)\s+(?:than\s+)?(?:today['’]s|current|existing|present|the current)\b"
    r"|\bat current levels?\b",
    re.I,
)


def _level_throughout(text: str) -> Evidence | None:
    """A level held over a whole period or at today's value, not reached."""
    if leading_verb(text) in _ACTIVITY_VERBS - _HOLDING:
        return None  # "Hire 5 engineers throughout 2026": work spread over a period
    found = _THROUGHOUT.search(text)
    if found and _HELD_LEVEL.search(_NOT_A_QUANTITY.sub(" ", text)):
        return Evidence("holds a level instead of changing it", found.group(0))
    return None


def status_quo(text: str) -> Evidence | None:
    """A KPI dressed as an OKR: a goal that holds a level or a state it is already at,
    instead of asking for a change from its baseline — the seeds' one question.

    Held: "Maintain 99.9 % uptime", "Keep CSAT above 90 %", "Retain our enterprise
    customers", "Continue doing X", "Don't release any new bugs", "Have zero regressions",
    a target equal to its baseline, or watching a metric as the goal ("Track and report
    on …"). Asked for a change, even with a threshold, a rate, "ensure" or "no more
    than": "Grow MRR 5 % month over month", "Ensure every new customer completes
    onboarding in their first week", "Reduce churn to no more than 2 %", "Bring errors
    down to 0", "99 % uptime" with no word of holding (a target is a destination unless
    its words say it is already reached), and a held guardrail beside a change ("Reduce
    cycle time … while maintaining 99 % accuracy"). Maintaining a thing is work, not a
    level ("…and maintain the plugin")."""
    tidy = _tidy(text)
    if not tidy:
        return None
    equal = _equal_target(tidy)
    if equal or from_to(tidy) or leading_verb(tidy) in _CHANGE_VERBS:
        return equal
    # "Reach 1,000 customers while keeping churn under 3 %": the guardrail beside the
    # change is not the goal; the main clause decides.
    tidy = _GUARDRAIL_CLAUSE.split(tidy, maxsplit=1)[0]
    if leading_verb(tidy) in _ACTIVITY_VERBS | _RESULT_VERBS:
        tidy = _WITH_BAR.split(tidy, maxsplit=1)[0]
    for reading in (_holding, _no_new_harm, _monitoring, _named_health, _level_throughout):
        found = reading(tidy)
        if found:
            return found
    return None


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


def standing_bar(text: str) -> Evidence | None:
    """A standing threshold rather than a change: "DAU above 50,000", "CAC < $40"."""
    if _FROM_TO.search(text) or leading_verb(text) in _CHANGE_VERBS:
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

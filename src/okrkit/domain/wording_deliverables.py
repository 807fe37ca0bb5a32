"""What a deliverable looks like (OKR002): the team's artefacts, the participles that
state work done, and the verb a key result opens with read as work or as a change."""

from __future__ import annotations

import re

from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _CHANGE_VERBS,
    _LEVEL,
    _OUTCOME_NOUNS,
    Evidence,
    numbers_in,
)

__all__ = []


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
    r"mockups?|surveys?|stud(?:y|ies)|research|testing|papers?|proposals?|roles?|positions?|candidates?|slides?|"
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


_SERVICE_TIME = re.compile(r"\b(?:available|up|running|operational)\s+\d[\d.]*\s*%", re.I)
_QUALIFIED = re.compile(r"\b(?:with no|without)\b", re.I)
# A finite verb makes a clause of a phrase; with an amount, a statement of a level.
_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|will|should|would|does|do|did|gets?|"
    r"must|may)\b",
    re.I,
)
_FINITE = re.compile(rf"{_FINITE_VERB.pattern}|\d|%", re.I)
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
# ("in under 5 minutes", "in six days or fewer", "more efficiently", "on time").
_PERFORMANCE_BAR = re.compile(
    r"\bin\s+(?:under|less than|fewer than)\s+(?:\d[\d.,]*|one|two|three|four|five|six|seven|"
    r"eight|nine|ten)\s*(?:seconds?|minutes?|mins?|hours?|days?|weeks?)\b"
    r"|\b(?:seconds?|minutes?|hours?|days?|weeks?)\s+or\s+(?:fewer|less)\b"
    r"|\b(?:more|less)\s+\w+ly\b|\bon (?:time|schedule)\b",
    re.I,
)
_OF_TARGET = re.compile(r"%\s+of\s+(?:plan|target|budget|goal|quota|forecast)\b", re.I)
# Change verbs that lower a level: fewer bugs or tickets is a change in quality, not
# fewer things made ("Reduce the number of bugs per release").
_DOWN_VERBS = {
    "decrease", "reduce", "cut", "lower", "minimize", "minimise", "halve", "shorten",
    "decline", "drop", "shrink", "slash", "eliminate",
}  # fmt: skip


# Asking people for feedback is the team's activity ("Gain feedback from candidates",
# "Get direct 1-1 feedback from …"); a feedback score or share is not.
_ASKING = {"get", "gain", "gather", "seek", "solicit"}
_FEEDBACK = re.compile(
    r"(?:(?!over\b|of\b)[a-z0-9-]+\s+){0,2}?(?:feedback|input)\b(?!\s+(?:score|rating)s?\b)",
    re.I,
)


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
    asked = _FEEDBACK.match(rest) if verb in _ASKING else None
    if asked:
        return Evidence("starts with an activity", f"{verb} {asked.group(0)}")
    if verb in _CHANGE_VERBS:
        counted = _NUMBER_OF_WORK.search(text)
        if counted and re.search(r"\bper\b", text[: counted.end() + 5], re.I):
            counted = None  # "pages per session": a ratio, a level of use
        unhyphened = re.sub(r"\S+-\S+", " ", counted.group(0)) if counted else ""
        if counted and verb not in _DOWN_VERBS and not _OUTCOME_NOUNS.search(unhyphened):
            return Evidence("counts the team's own work", counted.group(0))
        own = _OWN_WORK.search(text)
        if own and not _LEVEL.search(text):
            return Evidence("works on the team's own artefact", own.group(0))
    return None

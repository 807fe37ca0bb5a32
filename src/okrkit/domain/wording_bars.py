"""Standing bars: a threshold that stands rather than a change ("DAU above 50,000"), a
service level on handling work ("resolved within 7 days"), a ceiling never to cross
("zero regressions"), and a target that repeats every period. The status-quo (OKR006)
and output (OKR002) readings and the decision filter share them."""

from __future__ import annotations

import re

from okrkit.domain.wording_text import (
    _ACTIVITY_VERBS,
    _CHANGE_VERBS,
    _FROM_TO,
    _HANDLING_VERBS,
    Evidence,
    leading_verb,
)

__all__ = ["recurring", "standing_bar"]


_COUNT = (
    r"(?:\d[\d.,]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"fourteen|fifteen|twenty|thirty|n|x|xx)"
)
_TIME_UNIT = (
    r"(?:minutes?|mins?|hours?|hrs?|h|days?|business days?|working days?|workdays?|"
    r"weeks?|months?|iterations?|sprints?|d)"
)

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

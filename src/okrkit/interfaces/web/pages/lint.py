"""The linter's pages: what each rule means, and the workspace's findings.

`/lint` explains every rule — its code (each an anchor, `/lint#OKR002`, which the
advice on an objective's or a KPI's page links to), what it finds, why it matters —
and says which ones the workspace's settings switch off. It reads no more than the
settings, so every link to a rule's explanation is cheap. `/lint/findings` lints the
whole workspace, as `okrkit lint` does, on request: on an organisation of thousands of
KPIs that reads every KPI's window of values (seconds), which no other page should pay
for; it lists a rule's first findings, each linked to the page where it is fixed.
"""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from okrkit.domain.lint import RULES, Finding
from okrkit.interfaces.web.deps import Now, Uow, Who
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import lint
from okrkit.services.goals import lint_workspace

__all__ = ["SHOWN_PER_RULE", "findings", "router", "rules"]

router = APIRouter()

# A rule's findings the page lists; the rest are counted (okrkit lint lists them all).
SHOWN_PER_RULE = 50


@router.get("/lint", response_class=HTMLResponse)
def rules(request: Request, uow: Uow) -> HTMLResponse:
    """Every rule: its code, severity, what it finds and why; those switched off."""
    return page(request, "lint/rules.html", nav="lint", rules=RULES, off=lint.switched_off(uow))


@router.get("/lint/findings", response_class=HTMLResponse)
def findings(request: Request, uow: Uow, who: Who, now: Now) -> HTMLResponse:
    """The workspace's findings by rule, errors' rules first, each linked to its page:
    on what the reader may see."""
    result = lint_workspace(uow, now, viewer=who)
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_rule[finding.code].append(finding)
    order = sorted(by_rule, key=lambda code: (RULES[code].severity.value, list(RULES).index(code)))
    return page(
        request,
        "lint/findings.html",
        nav="lint",
        as_of=now,
        result=result,
        groups=[(RULES[code], by_rule[code]) for code in order],
        shown=SHOWN_PER_RULE,
    )

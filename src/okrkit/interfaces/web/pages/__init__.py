"""The HTML pages: server-rendered views on the same services as the API and the CLI.

    /                        home: every team's KPI health, the North Star on top
    /teams/{team}            a team's dashboard: one tile per KPI
    /kpis/{kpi}              a KPI: definition, XmR chart, segments, values, import
    /kpis/{kpi}/import/{token}            an uploaded file's preview (POST imports it;
                                          …/cancel forgets it)
    /kpis/{kpi}/values       type in or correct one value (POST; …/values/delete)
    /kpis/{kpi}/imports/{id}/undo         undo a write of values (POST)
    /kpis/new?team=…         a new KPI (form)
    /kpis/{kpi}/edit         edit a KPI's definition (form)
    /cycles                  the current cycle's overview (303), or how to add the first
    /cycles/new              a new cycle (form; POST /cycles)
    /cycles/{cycle}          a cycle's objectives by team: progress, pace, flags
                             (?team=&owner=&type=&page=); POST …/start starts it
    /cycles/{cycle}/close    closing a cycle, confirmed (POST closes it)
    /cycles/{cycle}/scoring  score its objectives (POST …/scoring/{objective})
    /tree?cycle=…            the alignment tree (without a cycle: the current one's, 303)
    /me/week?owner=…         My week: check in on every key result a person owns (POST)
    /key-results/{id}        a key result: 303 to its place on its objective's page
    /key-results/{id}/check-in            one key result's check-in (form, POST)
    /objectives/{objective}/key-results/new   a new key result (form; POST to
                                              /objectives/{objective}/key-results)
    /key-results/{id}/edit   edit a key result, a new target mid-cycle with its reason
    /key-results/{id}/initiatives         add an initiative under it (POST)
    /initiatives/{id}/edit   edit an initiative (form, POST)
    /objectives/{objective}  an objective: progress, pace, a card and a chart per key
                             result (`#kr-{id}`) with its forecast, check-ins and
                             initiatives, and the linter's advice
    /objectives/new?cycle=…&team=…&parent=…   a new objective with its key results (form)
    /objectives/{objective}/edit      edit an objective (form)
    /objectives/{objective}/activate  make a draft active (POST)
    /objectives/{objective}/carry     carry it over into another cycle (form, POST)
    /alerts                  the alerts KPIs raised: open (or ?state=acknowledged,
                             resolved), by team, KPI and level, a page at a time
    /alerts/{id}             one alert with its KPI and draft objective; POST
                             …/accept, …/dismiss, …/acknowledge, …/resolve act on it
    /subscriptions           who is told about alerts, and how; add one (POST)
    /subscriptions/{id}      a subscription and its delivery log; …/off, …/on (POST),
                             …/delete (confirm, POST)
    /audit                   the audit log: who changed what, when, before → after, by
                             team, person and thing (?team=&person=&kind=&key=), newest
                             first, older and newer pages (?before=, ?after=); read only
    /lint                    the linter's rules: what each finds and why (`#OKR002`), and
                             which ones the workspace's settings switch off
    /lint/findings           the workspace's findings, by rule, each linked to its page
    /sign-in                 sign in (?next=); POST signs in; /sign-in/link/{link} the
                             one-time link `okrkit serve` prints; POST /sign-out
    /account                 your account: teams, password, API tokens (make, revoke)
    /api/v1/docs             the JSON API's reference, from its OpenAPI document
    /static/vendor/vega-bundle.js   the chart library, built from the installed package

Every page works with plain links and forms; `static/okrkit.js` draws the charts and
adds small conveniences when scripts run. Errors outside `/api/` are shown as a page in
words (`rendering.error_page`, which `create_app` hands to `problems.install`).
"""

from __future__ import annotations

from fastapi import APIRouter

from okrkit.interfaces.web.pages import (
    accounts,
    alerts,
    alignment,
    apidocs,
    audit,
    check_ins,
    cycles,
    dashboards,
    imports,
    initiatives,
    key_results,
    kpis,
    lint,
    objectives,
    subscriptions,
    values,
    vendor,
)

__all__ = ["public", "router"]

# Open to anyone: signing in, and the chart library the pages load.
public = APIRouter(include_in_schema=False)
public.include_router(vendor.router)
public.include_router(accounts.public)
# Everything else needs someone signed in (`create_app` puts `deps.signed_in` on it).
router = APIRouter(include_in_schema=False)
router.include_router(accounts.router)
router.include_router(apidocs.router)
router.include_router(dashboards.router)
router.include_router(values.router)
router.include_router(imports.router)
router.include_router(kpis.router)
router.include_router(cycles.router)
router.include_router(alignment.router)
router.include_router(check_ins.router)
router.include_router(key_results.router)
router.include_router(initiatives.router)
router.include_router(objectives.router)
router.include_router(alerts.router)
router.include_router(lint.router)
router.include_router(subscriptions.router)
router.include_router(audit.router)

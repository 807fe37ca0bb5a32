"""The JSON API's request and response shapes (Pydantic), and their mapping to the domain,
one module per feature (`teams`, `kpis`, `health`, `values`, `problems`, and the OKR
side's `cycles`, `objectives`, `key_results`, `check_ins`, `initiatives`, `alerts`;
`subscriptions`) and `common`
for what several of them share.

Requests check JSON types at the edge; the business rules (what a key looks like,
thresholds in the right order, a cadence that parses) stay in the services, which name
the field they reject — so a rule is never written twice. Responses are built from the
services' read models by the `from_*` constructors; the OpenAPI document describes them.

Moments: `timestamp` strings are ISO 8601 in UTC — the date alone when it is midnight,
otherwise date and time with `Z`, as `okrkit kpi check --format json` prints them;
`changed_at` is a full UTC datetime.
"""

__all__ = [
    "alerts",
    "check_ins",
    "common",
    "cycles",
    "health",
    "initiatives",
    "key_results",
    "kpis",
    "objectives",
    "problems",
    "subscriptions",
    "teams",
    "values",
]

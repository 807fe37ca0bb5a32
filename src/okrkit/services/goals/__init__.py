"""Goals as code: the workspace read as goals files, and made what they say.

`read_goals` and `export_goals` (`reading`) read the workspace as `Goals`, and
`lint_workspace` (`linting`) judges it with the linter;
`plan_goals` and `apply_goals` (`applying`) compare goals with the workspace and make it
what they say, one change at a time, in one transaction: teams, KPIs and cycles
(`definitions`), objectives and their scores (`okrs`), key results, check-ins and
initiatives (`key_results`), each change with its audit entry and each error at its
entry's file, line and field (`recording`); `changes` is what a plan holds.
"""

from __future__ import annotations

from okrkit.services.goals.applying import apply_goals, plan_goals, write_goals
from okrkit.services.goals.changes import Action, Change, FieldChange, Plan
from okrkit.services.goals.linting import WorkspaceLint, lint_workspace
from okrkit.services.goals.reading import alert_drafts, export_goals, read_goals

__all__ = [
    "Action",
    "Change",
    "FieldChange",
    "Plan",
    "WorkspaceLint",
    "alert_drafts",
    "apply_goals",
    "export_goals",
    "lint_workspace",
    "plan_goals",
    "read_goals",
    "write_goals",
]

"""The OKR workspace of `tests.support.okrs` with private things in it, for the tests of
what each reader sees: the growth team's onboarding objective is private, and so is its
trial-to-paid KPI; the company (public) has an objective aligned under the private one,
and a key result of its own fed by the private KPI. A member of growth sees them all; an
editor of the company team only (an outsider to growth) sees none of them."""

from __future__ import annotations

from dataclasses import dataclass

from okrkit.domain.access import Actor
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import Alignment, Objective
from okrkit.services import kpis, objectives
from okrkit.services.initiatives import AddInitiative, add_initiative
from okrkit.services.key_results import AddKeyResult, add_key_result
from okrkit.services.objectives import CreateObjective, EditObjective
from okrkit.services.ports import UnitOfWork
from tests.support import okrs
from tests.support.actors import ADMIN

__all__ = [
    "ALIGNED",
    "MEMBER",
    "OUTSIDER",
    "PRIVATE",
    "PRIVATE_KPI",
    "PRIVATE_KPI_NAME",
    "PRIVATE_TITLE",
    "Private",
    "build",
]

NOW = okrs.NOW
PRIVATE = "streamline-onboarding"
PRIVATE_TITLE = "Streamline onboarding to drive high-value conversions"
PRIVATE_KPI = "trial_to_paid"
PRIVATE_KPI_NAME = "Trial-to-paid conversion rate"
# A public objective of the company, aligned to the private one's wizard key result.
ALIGNED = "activation-emails"

MEMBER = Actor("bo@example.com", member_of=frozenset({"growth"}))
OUTSIDER = Actor("cy@example.com", member_of=frozenset({"company"}), edits=frozenset({"company"}))


@dataclass(frozen=True)
class Private:
    """What `build` made: the ids of `tests.support.okrs`, the company's key result fed
    by the private KPI, and an initiative under the private objective."""

    ids: okrs.Okrs
    fed: int
    initiative: int


def build(uow: UnitOfWork) -> Private:
    """`tests.support.okrs.build`, then the private things (written by an admin)."""
    ids = okrs.build(uow)
    fed = add_key_result(
        uow,
        AddKeyResult(
            ids.company,
            KeyResultDefinition(
                title="Keep paying conversion at 12% or more",
                start=12,
                target=16,
                unit="percent",
                kpi=PRIVATE_KPI,
            ),
        ),
        ADMIN,
        NOW,
    ).id
    objectives.create_objective(
        uow,
        CreateObjective(
            Objective(
                key=ALIGNED,
                title="Make the first week's e-mails pull people back",
                cycle="2026-Q3",
                team="company",
                owner="ceo@example.com",
                parent=Alignment(PRIVATE, ids.wizard),
            )
        ),
        ADMIN,
        NOW,
    )
    initiative = add_initiative(
        uow, AddInitiative(ids.wizard, "Rewrite the wizard's second step"), ADMIN, NOW
    ).id
    kpis.edit_kpi(uow, kpis.EditKpi(PRIVATE_KPI, 1, {"private": True}), ADMIN, NOW)
    version = objectives.get_objective(uow, PRIVATE, NOW, viewer=ADMIN).stored.revision.version
    objectives.edit_objective(uow, EditObjective(PRIVATE, version, {"private": True}), ADMIN, NOW)
    return Private(ids, fed, initiative)

"""The alignment tree through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from okrkit.domain.objectives import Alignment, Objective
from okrkit.services.alignment import alignment_tree
from okrkit.services.objectives import CreateObjective, create_objective
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor


def test_the_tree_runs_from_the_north_star_to_team_objectives(uow):
    ids = okrs.build(uow)
    create_objective(
        uow,
        CreateObjective(
            Objective(
                key="activation-emails",
                title="Make the first week's e-mails pull people back",
                cycle="2026-Q3",
                team="growth",
                parent=Alignment(ids.onboarding, ids.wizard),
            )
        ),
        as_actor(okrs.ACTOR),
        okrs.NOW,
    )
    create_objective(
        uow,
        CreateObjective(
            Objective(
                key="hiring", title="Hire a great support lead", cycle="2026-Q3", team="growth"
            )
        ),
        as_actor(okrs.ACTOR),
        okrs.NOW,
    )
    tree = alignment_tree(uow, "2026-Q3", okrs.NOW, viewer=ADMIN)
    (star,) = tree.north_stars
    assert star.tile.stored.kpi.key == "dau"
    (company,) = star.objectives
    assert company.state.key == ids.company
    (onboarding,) = company.children
    assert onboarding.state.key == ids.onboarding
    assert [n.state.key for n in onboarding.under_key_results[ids.wizard]] == ["activation-emails"]
    assert company.size == 3
    assert [n.state.key for n in tree.unaligned] == ["hiring"]
    assert (tree.roots, tree.count) == ((), 4)

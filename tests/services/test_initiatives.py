"""Initiatives through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.initiatives import InitiativeStatus
from okrkit.services.initiatives import (
    AddInitiative,
    EditInitiative,
    add_initiative,
    edit_initiative,
)
from okrkit.services.objectives import objective_page
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

URL = "https://tracker.example.com/ISSUE-12"


def test_work_is_attached_to_a_key_result_and_edited(uow):
    ids = okrs.build(uow, check_ins=False)
    command = AddInitiative(
        ids.wizard, " Rewrite the setup wizard ", InitiativeStatus.IN_PROGRESS, URL
    )
    added = add_initiative(uow, command, as_actor(okrs.ACTOR), okrs.NOW)
    assert (added.initiative.title, added.initiative.url, added.revision.version) == (
        "Rewrite the setup wizard",
        URL,
        1,
    )
    done = edit_initiative(
        uow,
        EditInitiative(added.id, 1, status=InitiativeStatus.DONE, url=""),
        as_actor(okrs.ACTOR),
        okrs.NOW,
    )
    assert (done.initiative.status, done.initiative.url) == (InitiativeStatus.DONE, None)
    with pytest.raises(Conflict, match="yours 1"):
        edit_initiative(uow, EditInitiative(added.id, 1, title="x"), as_actor(okrs.ACTOR), okrs.NOW)
    page = objective_page(uow, ids.onboarding, okrs.NOW, viewer=ADMIN)
    assert [i.initiative.title for i in page.initiatives[ids.wizard]] == [
        "Rewrite the setup wizard"
    ]


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (AddInitiative(0, " "), "title"),
        (AddInitiative(0, "x" * 201), "title"),
        (AddInitiative(0, "Interviews", url="javascript:alert(1)"), "url"),
    ],
)
def test_bad_work_is_refused_at_its_field(uow, command, field):
    ids = okrs.build(uow, check_ins=False)
    with pytest.raises(InvalidInput) as error:
        add_initiative(
            uow,
            AddInitiative(ids.wizard, command.title, command.status, command.url),
            as_actor(okrs.ACTOR),
            okrs.NOW,
        )
    assert error.value.field == field
    assert objective_page(uow, ids.onboarding, okrs.NOW, viewer=ADMIN).initiatives[ids.wizard] == ()


def test_work_needs_a_key_result(uow):
    okrs.build(uow, check_ins=False)
    with pytest.raises(NotFound, match="no key result 999"):
        add_initiative(uow, AddInitiative(999, "Interviews"), as_actor(okrs.ACTOR), okrs.NOW)

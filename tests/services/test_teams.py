"""Teams through the services, on SQLite and PostgreSQL: a name is a line of text — not
empty, not a document, without a NUL byte — and a refused one writes nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.domain.teams import MAX_TEAM_NAME
from okrkit.services.teams import CreateTeam, EditTeam, create_team, edit_team, list_teams
from tests.support.actors import as_actor

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("   ", "a team needs a name"),
        ("x" * (MAX_TEAM_NAME + 1), f"at most {MAX_TEAM_NAME} characters; this one has 201"),
        ("Gro\x00wth", "cannot hold a NUL byte"),
        ("x" * 20_000_000, "this one has 20,000,000"),
    ],
)
def test_a_name_that_is_not_a_line_of_text_is_refused_and_nothing_written(uow, name, says):
    with pytest.raises(InvalidInput, match=says) as refused:
        create_team(uow, CreateTeam("growth", name), as_actor("maya"), NOW)
    assert refused.value.field == "name"
    assert list_teams(uow) == []
    create_team(uow, CreateTeam("growth", " Growth "), as_actor("maya"), NOW)
    with pytest.raises(InvalidInput, match=says):
        edit_team(uow, EditTeam("growth", 1, name=name), as_actor("maya"), NOW)
    assert [t.team.name for t in list_teams(uow)] == ["Growth"]


def test_a_name_of_the_longest_length_is_kept_whole(uow):
    name = "é" * MAX_TEAM_NAME
    assert create_team(uow, CreateTeam("growth", name), as_actor("maya"), NOW).team.name == name

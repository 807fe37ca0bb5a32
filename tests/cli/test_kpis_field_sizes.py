"""A definition's texts are bounded on the command line as at the API: one line naming
the field and its limit, exit 2, nothing written (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from okrkit.domain.fields import MAX_PROSE
from tests.cli.helpers import ADD_KPI, assert_one_line_error, okrkit_in, okrkit_json


@pytest.mark.parametrize(
    ("option", "size", "limit"),
    [("--description", MAX_PROSE + 1, "5000"), ("--name", 201, "200"), ("--unit", 33, "32")],
)
def test_a_kpi_text_over_its_bound_is_one_line(database, option, size, limit):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    args = list(ADD_KPI)
    if option in args:
        args[args.index(option) + 1] = "x" * size
    else:
        args += [option, "x" * size]
    result = okrkit_in(database, *args)
    assert_one_line_error(result, option.removeprefix("--"), limit)
    assert okrkit_json(database, "kpi", "list") == []


def test_a_team_name_of_20_mb_is_one_line(database):
    result = okrkit_in(database, "team", "add", "growth", "--name", "n" * 20_000_000)
    assert_one_line_error(result, "name", "200")
    assert okrkit_json(database, "team", "list") == []

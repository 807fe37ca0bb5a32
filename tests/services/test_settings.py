"""The workspace's settings (`services.settings`): stored whole, versioned and audited;
refused with the line and nothing stored. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.services.settings import MAX_DOCUMENT, set_settings, show_settings
from tests.support.actors import as_actor

NOW = datetime(2026, 11, 23, 9, 0)
DOCUMENT = '[lint]\ndisable = ["OKR009"]\n'


def test_none_before_the_first(uow) -> None:
    assert show_settings(uow) is None


def test_stored_versioned_and_audited(uow) -> None:
    first = set_settings(uow, DOCUMENT, None, as_actor("maya"), NOW)
    assert (first.document, first.revision.version, first.revision.changed_by) == (
        DOCUMENT, 1, "maya",
    )  # fmt: skip
    second = set_settings(uow, "[lint]\ndisable = []\n", 1, as_actor("omar"), NOW)
    assert second.revision.version == 2
    shown = show_settings(uow)
    assert shown is not None
    assert shown.document == "[lint]\ndisable = []\n"
    assert shown.revision.changed_by == "omar"
    with uow:
        history = uow.audit.history("settings", "workspace")
    assert [(h["action"], h["before"], h["after"]) for h in history] == [
        ("create", None, {"document": DOCUMENT}),
        ("edit", {"document": DOCUMENT}, {"document": "[lint]\ndisable = []\n"}),
    ]


def test_a_stale_version_is_a_conflict(uow) -> None:
    set_settings(uow, DOCUMENT, 0, as_actor("maya"), NOW)
    with pytest.raises(Conflict, match="changed by maya"):
        set_settings(uow, "[lint]\n", 0 + 2, as_actor("omar"), NOW)
    with pytest.raises(Conflict):
        set_settings(uow, "[lint]\n", 0, as_actor("omar"), NOW)
    set_settings(
        uow, "[lint]\n", None, as_actor("omar"), NOW
    )  # without a version: whatever is stored
    assert show_settings(uow).revision.version == 2  # type: ignore[union-attr]


def test_the_first_store_with_a_version_other_than_0(uow) -> None:
    with pytest.raises(Conflict, match="never stored"):
        set_settings(uow, DOCUMENT, 3, as_actor("maya"), NOW)


@pytest.mark.parametrize(
    ("text", "line"),
    [('[lint]\ndisable = ["OKR009",\n  "NOPE1"]\n', 3), ("[rules]\n", 1), ("[lint\n", 1)],
)
def test_refused_with_the_line_and_nothing_stored(uow, text, line) -> None:
    with pytest.raises(InvalidInput) as caught:
        set_settings(uow, text, None, as_actor("maya"), NOW, source="team.toml")
    assert (caught.value.source, caught.value.line) == ("team.toml", line)
    assert show_settings(uow) is None


def test_a_document_of_a_sane_size(uow) -> None:
    with pytest.raises(InvalidInput, match="at most 64,000 characters"):
        set_settings(uow, "#" * (MAX_DOCUMENT + 1), None, as_actor("maya"), NOW)

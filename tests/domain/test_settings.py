"""A workspace's settings document (`domain.settings`): what it reads, and every way it
is refused, each with the line it is on."""

from __future__ import annotations

import pytest

from okrkit.domain.errors import InvalidInput
from okrkit.domain.settings import Settings, parse_settings


def test_the_lint_section_switches_rules_off_in_any_case() -> None:
    text = '# our rules\n[lint]\ndisable = ["OKR009", "kpi002"]\n'
    assert parse_settings(text, "okrkit.toml") == Settings(frozenset({"OKR009", "KPI002"}), text)


@pytest.mark.parametrize(
    "text", ["", "# nothing yet\n", "[lint]\n", "[lint]\ndisable = []\n", "lint.disable = []\n"]
)
def test_an_empty_document_switches_nothing_off(text) -> None:
    assert parse_settings(text, "s").disable == frozenset()


@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [
        ('[lint]\ndisable = [\n  "OKR009",\n  "OKR099",\n]\n', 4,
         ["lint.disable", "unknown rule 'OKR099'", "the rules are OKR001"]),
        ("[lint]\n\nignore = []\n", 3, ["lint.ignore", "unknown key 'ignore' in [lint]"]),
        ("[lint]\ndisable = []\n\n[colours]\ngrowth = 'green'\n", 4,
         ["colours", "unknown section [colours]", "okrkit reads [lint]"]),
        ("theme = 'dark'\n", 1, ["unknown section [theme]"]),
        ('[lint]\ndisable = "OKR009"\n', 2, ["lint.disable", "a list of rule codes"]),
        ("[lint]\ndisable = [9]\n", 2, ["a list of rule codes"]),
        ("lint = 3\n", 1, ["[lint] is a section of keys"]),
        ("[lint]\ndisable = [\n", 3, ["not valid TOML"]),
        ("[lint\n", 1, ["not valid TOML"]),
    ],
)  # fmt: skip
def test_what_is_refused_is_named_at_its_line(text, line, fragments) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_settings(text, "okrkit.toml")
    error = caught.value
    assert (error.source, error.line) == ("okrkit.toml", line), str(error)
    for fragment in fragments:
        assert fragment in str(error)
    assert str(error).startswith(f"okrkit.toml:{line}: ")

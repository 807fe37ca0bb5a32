"""The docs stand alone and stay true to the code.

- docs/cli.md's reference is exactly what `scripts/cli-reference` generates now, so a
  new command or option fails here until the doc is regenerated;
- no file of the repository points outside it (the product specification and style
  guide kept beside the repository, the shared folder, a path on someone's machine);
- every relative link of README.md and docs/*.md reaches a file (and heading) that
  exists, and every `docs/….md, "Section"` pointer in the code names a real section;
- the goals-file examples of docs/goals-file.md load and lint as the page says, and
  the page documents every field of the format.

Each check is a function over text, so the tests below also run it on a broken
document and see it fail.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Annotated

import pytest
import typer

from okrkit.adapters.goals.loader import load_goals
from okrkit.adapters.goals.schema import json_schema
from okrkit.domain.lint import lint

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CLI_DOC = DOCS / "cli.md"
GOALS_DOC = DOCS / "goals-file.md"
REGENERATE = ".venv/bin/python scripts/cli-reference --write"
# What the repository's files are, when git cannot say (an unpacked archive).
TOP_LEVEL = ("README.md", "Makefile", "pyproject.toml", "docs", "src", "tests", "bench", "scripts")


def _generator() -> ModuleType:
    """scripts/cli_reference.py, the generator `scripts/cli-reference` runs."""
    path = ROOT / "scripts" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cli_reference = _generator()


# --- (a) the CLI reference is generated from the program -----------------------------


def reference_problem(document: str, generated: str) -> str | None:
    """Why the document's generated part is not `generated`, or None when it is."""
    found = cli_reference.generated_section(document)
    if found is None:
        return (
            f"docs/cli.md lacks the markers {cli_reference.BEGIN!r} and "
            f"{cli_reference.END!r} around its reference"
        )
    if found == generated:
        return None
    diff = difflib.unified_diff(
        found.splitlines(), generated.splitlines(), "docs/cli.md", "the program", lineterm=""
    )
    shown = "\n".join(list(diff)[:40])
    return f"docs/cli.md's reference is out of date: run `{REGENERATE}`\n{shown}"


def test_the_cli_reference_is_what_the_program_says():
    problem = reference_problem(CLI_DOC.read_text(encoding="utf-8"), cli_reference.reference())
    assert problem is None, problem


def test_a_new_option_makes_the_reference_out_of_date():
    document = CLI_DOC.read_text(encoding="utf-8")
    app = typer.Typer()

    @app.command()
    def hello(
        name: Annotated[str, typer.Argument(help="Who to greet.")],
        loud: Annotated[bool, typer.Option(help="Shout.")] = False,
        times: Annotated[int, typer.Option(min=1, max=9, help="How often.")] = 2,
    ) -> None:
        """Say hello."""

    text = cli_reference.reference(app)
    assert "| `NAME` | text | required | Who to greet. |" in text
    assert "| `--loud / --no-loud` | flag | off | Shout. |" in text
    assert "| `--times` | integer, 1–9 | `2` | How often. |" in text
    problem = reference_problem(document, cli_reference.reference() + text)
    assert problem is not None
    assert REGENERATE in problem
    assert reference_problem("# no markers", cli_reference.reference()) is not None


def test_every_command_is_in_the_reference():
    text = cli_reference.generated_section(CLI_DOC.read_text(encoding="utf-8")) or ""
    root = typer.main.get_command(cli_reference_app())
    for path in _command_paths(root, ["okrkit"]):
        assert f"### `{' '.join(path)}`" in text, f"{' '.join(path)} is not in docs/cli.md"


def cli_reference_app() -> typer.Typer:
    from okrkit.interfaces.cli.main import app

    return app


def _command_paths(command: object, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, [*path, name])


# --- (b) nothing points outside the repository --------------------------------------

# The patterns are written so that this file does not match them itself.
OUTSIDE = {
    "the product specification kept outside the repository": re.compile(r"\bDESIGN\.md\b"),
    "the style guide kept outside the repository": re.compile(r"\bSTYLE\.md\b"),
    "the shared folder beside the repository": re.compile(r"(?<![\w-])shared[/\\]"),
    "a path on someone's machine": re.compile(r"(?<![\w.:/-])/(?:work|home|Users|root)/"),
}
# A relative path such as ../x/y: it must resolve inside the repository.
RELATIVE_UP = re.compile(r"(?<![\w./-])((?:\.\./)+)([\w.-]*)")


def repository_files() -> list[Path]:
    """The files of the repository: tracked ones and new ones git does not ignore."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = [n for n in listed.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [
            str(p.relative_to(ROOT))
            for top in TOP_LEVEL
            for p in ([ROOT / top] if (ROOT / top).is_file() else (ROOT / top).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        ]
    return [ROOT / n for n in sorted(names) if (ROOT / n).is_file()]


def outside_mentions(path: Path, text: str) -> Iterator[str]:
    """Every line of `text` (the content of `path`) that points outside the repository."""
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in OUTSIDE.items():
            found = pattern.search(line)
            if found:
                yield f"{_relative(path)}:{number}: {found.group(0)!r} names {what}"
        for match in RELATIVE_UP.finditer(line):
            target = (path.parent / match.group(1) / match.group(2)).resolve()
            if not target.is_relative_to(ROOT):
                yield f"{_relative(path)}:{number}: {match.group(0)!r} leaves the repository"


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def test_no_file_points_outside_the_repository():
    problems = []
    for path in repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not text
        problems += outside_mentions(path, text)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("file", "line"),
    [
        ("README.md", "the format is in " + "DESIGN" + ".md"),
        ("src/okrkit/domain/spc.py", '"""Rule (' + "STYLE" + '.md, "Names")."""'),
        ("tests/data/README.md", "| Seed articles (sha" + "red/seeds/) | 29 |"),
        ("tests/domain/test_x.py", "# Copied from /" + "work/sha" + "red/spec.md"),
        ("README.md", "see [the spec](../sha" + "red/spec.md)"),
        ("docs/rules.md", "see ../" + "../outside.md"),
    ],
)
def test_a_mention_of_something_outside_is_found(file, line):
    assert list(outside_mentions(ROOT / file, f"fine\n{line}\n")), line


def test_paths_inside_the_repository_are_fine():
    text = "[the README](../README.md), docs/rules.md, /api/v1/teams, shared state, ../src/okrkit"
    assert not list(outside_mentions(DOCS / "cli.md", text))


# --- (c) links lead somewhere --------------------------------------------------------

LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """Markdown without its code: links inside code are not links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def headings(text: str) -> list[str]:
    """The headings of a Markdown document, as written (code blocks skipped)."""
    return [m.group(2) for m in HEADING.finditer(FENCE.sub("", text))]


def anchors(text: str) -> set[str]:
    """The anchors a Markdown renderer gives the headings (GitHub's rule): lower case,
    punctuation dropped, spaces to hyphens, repeats numbered -1, -2 …"""
    seen: dict[str, int] = {}
    result = set()
    for heading in headings(text):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def broken_links(path: Path, text: str) -> Iterator[str]:
    """Every relative link of a Markdown file that leads to no file or no heading."""
    prose = _prose(text)
    targets = [m.group(1) for m in LINK.finditer(prose)]
    targets += [m.group(1) for m in REFERENCE_LINK.finditer(prose)]
    for target in targets:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("//"):
            continue  # a URL or an e-mail address, not a file of the repository
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.is_relative_to(ROOT):
            yield f"{_relative(path)}: {target} leaves the repository"
        elif not linked.exists():
            yield f"{_relative(path)}: {target} — no such file"
        elif (
            anchor
            and linked.suffix == ".md"
            and anchor not in anchors(linked.read_text(encoding="utf-8") if file else text)
        ):
            yield f"{_relative(path)}: {target} — no heading #{anchor} in {file or 'it'}"


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: _relative(p))
def test_every_relative_link_leads_to_a_file(path):
    problems = list(broken_links(path, path.read_text(encoding="utf-8")))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "text",
    [
        "See [the rules](rule.md).",
        "See [a rule](rules.md#no-such-rule).",
        "See [below](#nowhere).",
        "See [the spec](../" + "../spec.md).",
        "[spec]: missing.md",
    ],
)
def test_a_broken_link_is_found(text):
    assert list(broken_links(DOCS / "cli.md", f"# Title\n\n{text}\n")), text


def test_links_that_work_and_text_that_is_no_link_pass():
    text = (
        "# A title\n\n## Keys, and more\n\n[up](#a-title) [keys](#keys-and-more) "
        "[rules](rules.md#keys) [readme](../README.md) [web](https://example.com) "
        "[mail](mailto:a@example.com) `[code](nowhere.md)`\n\n```\n[x](nowhere.md)\n```\n"
    )
    assert not list(broken_links(DOCS / "cli.md", text))


# `docs/rules.md, "Trend"`, `docs/rules.md ("Trend" and "Freshness")`: a section's name
# starts with a capital and may wrap onto a second line of a comment or docstring.
POINTER = re.compile(
    r"docs/([\w.-]+\.md)(?:,[ \t]*|[ \t]+)\(?"
    r'((?:"[A-Z][^"\n]{0,60}(?:\n[^"\n]{0,60})?"(?:[ \t]*(?:,|and)[ \t]*)?)+)'
)


def section_pointers(text: str) -> Iterator[tuple[str, str]]:
    """(document, section) for every `docs/rules.md, "Trend"` in a text."""
    for match in POINTER.finditer(text):
        for section in re.findall(r'"([^"]+)"', match.group(2)):
            yield match.group(1), " ".join(section.split())


def test_every_pointer_from_the_code_names_a_real_section():
    known = {
        path.name: {h.strip("`").lower() for h in headings(path.read_text(encoding="utf-8"))}
        for path in DOCS.glob("*.md")
    }
    problems = []
    for path in repository_files():
        if path.suffix not in (".py", ".yaml", ".md", ".html") or path.parent == DOCS:
            continue
        text = path.read_text(encoding="utf-8")
        # A path inside an address (`…/blob/<commit>/docs/OKRs.md`) is someone else's.
        for name in re.findall(r"(?<![\w/.-])docs/([\w.-]+\.md)", text):
            if name not in known:
                problems.append(f"{_relative(path)}: docs/{name} does not exist")
        for name, section in section_pointers(text):
            if name in known and section.lower() not in known[name]:
                problems.append(f'{_relative(path)}: docs/{name} has no section "{section}"')
    assert not problems, "\n".join(problems)


def test_a_pointer_to_a_missing_section_is_seen():
    text = "Rule (docs/" + 'rules.md, "Trend" and "Window and\n  base")'
    pointers = list(section_pointers(text))
    assert pointers == [("rules.md", "Trend"), ("rules.md", "Window and base")]


# --- the goals-file page is true --------------------------------------------------------


def example(name: str) -> str:
    """The YAML block marked `<!-- example: name -->` in docs/goals-file.md."""
    text = GOALS_DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- example: {name} -->\s*```yaml\n(.*?)^```", text, re.S | re.M)
    assert found, f"docs/goals-file.md has no example {name!r}"
    return found.group(1)


def findings(tmp_path: Path, text: str, name: str = "okrkit.yaml") -> list[tuple[int, str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [(f.location.line, f.code) for f in lint(load_goals([path]))]


def test_the_complete_example_lints_clean(tmp_path):
    assert findings(tmp_path, example("complete")) == []


@pytest.mark.parametrize(("name", "file"), [("minimal", "okrkit.yaml"), ("lint", "lint.yaml")])
def test_the_examples_findings_are_the_ones_the_page_shows(tmp_path, name, file):
    found = findings(tmp_path, example(name), file)
    assert found
    page = GOALS_DOC.read_text(encoding="utf-8")
    shown = re.findall(rf"^{re.escape(file)}:(\d+): ([A-Z]+\d+) ", page, re.M)
    assert set(found) == {(int(line), code) for line, code in shown}


def test_every_field_of_the_format_is_documented():
    """Each section of a goals file has a heading, each field a row in a table."""
    page = GOALS_DOC.read_text(encoding="utf-8")
    schema = json_schema()
    missing = [f"section {name}" for name in schema["properties"] if f"### `{name}`" not in page]
    missing += sorted(
        {
            f"field {name}"
            for model in schema["$defs"].values()
            for name in model["properties"]
            if f"| `{name}` |" not in page
        }
    )
    assert not missing, f"docs/goals-file.md does not describe {', '.join(missing)}"

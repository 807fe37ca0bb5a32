"""A pytest plugin that adds up the authorisation matrix
(tests/web/test_app_authorization_matrix.py) across its tests: one test per route, spread
by pytest-xdist, each recording its cells as the user property "authorization matrix";
the controller prints the figures at the end of the run — cells checked, cells failing,
leaks found. (A plugin of the root conftest: a sub-folder's conftest is not asked for
the terminal summary when the whole suite runs.)"""

from __future__ import annotations

from _pytest.terminal import TerminalReporter

__all__: list[str] = []


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """The authorisation matrix in figures — cells checked, cells failing, leaks found —
    gathered from every worker's reports (tests/web/test_app_authorization_matrix.py)."""
    cells, failing, leaks = 0, 0, 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, found in getattr(report, "user_properties", ()):
                if name == "authorization matrix":
                    cells += found["cells"]
                    failing += len(found["failing"])
                    leaks += len(found["leaks"])
    if cells:
        terminalreporter.write_sep("-", "authorisation matrix")
        terminalreporter.write_line(
            f"{cells} cells checked, {failing} failing, {leaks} leaks found"
        )

"""The domain: the rules of docs/rules.md as pure functions and frozen dataclasses.

Import from the modules (`okrkit.domain.health`, `okrkit.domain.spc`, …); each lists
its public names in `__all__`."""

__all__ = [
    "cadence",
    "classify",
    "decompose",
    "errors",
    "forecast",
    "formula",
    "goals",
    "grading",
    "health",
    "keys",
    "kpis",
    "leading",
    "lint",
    "pace",
    "periods",
    "progress",
    "quality",
    "spc",
    "teams",
    "trend",
    "values",
    "versions",
    "wording",
]

"""Interfaces: the CLI and the web app, thin views on the services."""

__all__ = [
    "cli",
    "documents",
    "formatting",
    "sarif",
    "web",
]

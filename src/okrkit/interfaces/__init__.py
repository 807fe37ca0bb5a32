"""Interfaces: the CLI (and later the web app), thin views on the services."""

__all__ = ["cli", "formatting"]

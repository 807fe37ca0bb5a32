"""Alembic migrations of okrkit's tables, from the first table on."""

"""SQL text for DuckDB: a string or a name written into a statement as a literal or an
identifier, quoted so that a file's path or column names cannot change the SQL around
them. Shared by the modules that stage, check and report a file."""

__all__ = ["ident", "literal"]


def literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'

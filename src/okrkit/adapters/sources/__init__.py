"""Sources: the only code that reads external data: series files for the standalone
commands, and KPI values to import (files through DuckDB, rows of an API body)."""

__all__ = [
    "series_files",
    "values",
]

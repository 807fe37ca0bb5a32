"""KPI values to import: a file (CSV, Parquet, JSON) checked by DuckDB, or the rows of an
API body; both are a `services.ports.ValueSource`.

A file is `files.ValueFile`, made of one module per step: `staging` (open and stage the
file), `checks` (check every row in SQL) and `report` (name the bad rows); `sql` quotes
what goes into DuckDB's SQL, and `limits` holds the numbers both sources keep to."""

__all__ = [
    "checks",
    "files",
    "limits",
    "report",
    "rows",
    "sql",
    "staging",
]

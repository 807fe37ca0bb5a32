"""KPI values to import: a file (CSV, Parquet, JSON) checked by DuckDB, or the rows of an
API body; both are a `services.ports.ValueSource`. `staging` opens and stages a file,
`checks` checks every row in SQL; `limits` holds the numbers both sources keep to; `sql`
quotes what goes into DuckDB's SQL."""

__all__ = [
    "checks",
    "files",
    "limits",
    "rows",
    "sql",
    "staging",
]

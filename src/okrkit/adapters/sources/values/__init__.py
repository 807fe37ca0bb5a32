"""KPI values to import: a file (CSV, Parquet, JSON) checked by DuckDB, or the rows of an
API body; both are a `services.ports.ValueSource`."""

__all__ = [
    "files",
    "rows",
]

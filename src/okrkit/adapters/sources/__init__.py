"""Sources: the only code that reads external data (files now; SQL later)."""

from okrkit.adapters.sources.files import SeriesFile, read_series_csv

__all__ = ["SeriesFile", "read_series_csv"]

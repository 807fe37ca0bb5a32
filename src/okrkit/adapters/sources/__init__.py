"""Sources: the only code that reads external data (files now; SQL later)."""

from okrkit.adapters.sources.files import (
    MultiSeriesFile,
    SeriesFile,
    read_multi_series_csv,
    read_series_csv,
    read_text,
)

__all__ = ["MultiSeriesFile", "SeriesFile", "read_multi_series_csv", "read_series_csv", "read_text"]

"""How much one import of KPI values takes at a time, reports and stores: the numbers a
file (`files`) and the rows of an API body (`rows`) keep alike, in a module of their own
so that both sources, and the modules that read a file, share them without importing
each other."""

__all__ = ["BATCH_ROWS", "MAX_REPORTED", "MAX_SEGMENT"]

BATCH_ROWS = 100_000
MAX_REPORTED = 1_000
# The store's column widths (adapters/store/tables.py): longer would fail mid-import.
MAX_SEGMENT = 200

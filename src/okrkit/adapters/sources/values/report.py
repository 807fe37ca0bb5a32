"""Bad rows of a KPI values file as the user reads them: one `BadRows` error naming every
bad row (up to a cap, with the total count) in file order, each by where it is and what
is wrong with it in words.

A CSV row is named by its line, the header being line 1, as an editor shows it; a
Parquet or JSON row by its 1-based row. DuckDB numbers CSV rows, not lines, so for the
few rows to report, the file is read once more as plain lines to find them
(`_locate`). The failures come from the checks (`checks`: the `rows` view and the
`known` and `dup_groups` tables) and, for a CSV file, from DuckDB's rejects table.
A module apart from the checks: it runs only when they fail, and its concern is places
and words (lines, reasons), not rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from okrkit.adapters.sources.values.checks import KEPT, rejected_count
from okrkit.adapters.sources.values.limits import MAX_SEGMENT
from okrkit.adapters.sources.values.sql import literal
from okrkit.adapters.sources.values.staging import COLUMNS, StagedFile
from okrkit.domain.errors import BadRows, RowError
from okrkit.domain.values import YEARS_RULE

__all__ = ["bad_rows_error", "lines_of"]

_ISO_EXAMPLE = "e.g. 2026-11-23 or 2026-11-23T09:30:00Z"
# An unlikely delimiter, so that reading a CSV "one column per line" sees whole lines.
_WHOLE_LINE = r"E'\x01\x02\x03\x04'"


def bad_rows_error(
    staged: StagedFile, has_kpi: bool, duplicates: bool, max_reported: int
) -> BadRows:
    """Every bad row (up to `max_reported`), in file order, as one error.

    `duplicates` says whether `checks.count_duplicates` found any (its `dup_groups`
    table); without, an empty one stands in.
    """
    file = staged.file
    con = file.con
    kpi_check = (
        "CASE WHEN r.kpi = '' THEN 'empty' WHEN k.key IS NULL THEN 'unknown' END"
        if has_kpi
        else "NULL"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW checked AS
        SELECT r.*,
            {kpi_check} AS kpi_error,
            CASE WHEN r.ts_empty THEN 'empty'
                 WHEN r.sec IS NULL THEN 'invalid'
                 WHEN NOT ({KEPT}) THEN 'range' END AS ts_error,
            CASE WHEN r.value_empty THEN 'empty'
                 WHEN r.value IS NULL THEN 'invalid'
                 WHEN NOT isfinite(r.value) THEN 'infinite' END AS value_error,
            CASE WHEN length(r.segment) > {MAX_SEGMENT} THEN 'long' END AS segment_error
        FROM rows r LEFT JOIN known k ON r.kpi = k.key
        WHERE NOT r.blank
        """
    )
    if not duplicates:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE dup_groups "
            "(kpi VARCHAR, segment VARCHAR, sec BIGINT, first BIGINT)"
        )
    has = [c for c in ("kpi", "segment") if c in staged.columns]
    same = ", ".join([*has, "timestamp"])
    same = " and ".join(same.rsplit(", ", 1))
    errors = """
        SELECT n, 0 AS k, 'kpi' AS col, kpi_error AS code, kpi_raw AS raw, NULL AS other
          FROM checked WHERE kpi_error IS NOT NULL
        UNION ALL SELECT n, 1, 'timestamp', ts_error, ts_raw, NULL
          FROM checked WHERE ts_error IS NOT NULL
        UNION ALL SELECT n, 2, 'value', value_error, value_raw, NULL
          FROM checked WHERE value_error IS NOT NULL
        UNION ALL SELECT n, 3, 'segment', segment_error, segment, NULL
          FROM checked WHERE segment_error IS NOT NULL
        UNION ALL SELECT r.n, 1, 'timestamp', 'duplicate',
            strftime(make_timestamp(r.sec::BIGINT * 1000000), '%Y-%m-%d %H:%M:%S'), g.first
          FROM rows r JOIN dup_groups g USING (kpi, segment, sec)
          WHERE NOT r.blank AND r.n > g.first
    """
    count, bad_rows = con.execute(
        f"SELECT count(*), count(DISTINCT n) FROM ({errors})"
    ).fetchone() or (0, 0)
    listed = con.execute(
        f"SELECT n, col, code, raw, other FROM ({errors}) ORDER BY n, k LIMIT {int(max_reported)}"
    ).fetchall()
    rejects: list[tuple[int, str, str]] = []
    if file.format == "csv":
        rejects = [
            (int(line), str(kind), str(message))
            for line, kind, message in con.execute(
                # DuckDB reports a short line once per missing column: the first
                # one says how many fields the line has.
                "SELECT line, arg_min(error_type, column_idx), "
                "arg_min(error_message, column_idx) FROM csv_rejects "
                f"GROUP BY line ORDER BY line LIMIT {int(max_reported)}"
            ).fetchall()
        ]
        count += rejected_count(staged)
        bad_rows += rejected_count(staged)
    unit = "line" if file.format == "csv" else "row"
    where = _locate(
        staged,
        [int(n) for n, *_ in listed] + [int(o) for *_, o in listed if o is not None],
        [line for line, _, _ in rejects],
    )
    found = [
        (where.row(int(n)), col, _reason(col, code, raw, other, where, unit, same))
        for n, col, code, raw, other in listed
    ]
    found += [(where.reject(line), None, _reject_reason(kind, msg)) for line, kind, msg in rejects]
    found.sort(key=lambda item: (item[0], COLUMNS.index(item[1]) if item[1] else -1))
    rows = [RowError(line, col, reason, unit) for line, col, reason in found]
    return BadRows(rows[:max_reported], source=file.name, count=int(count), bad_rows=int(bad_rows))


def lines_of(staged: StagedFile, ordinals: Sequence[int]) -> tuple[list[int], str]:
    """Where rows given by their ordinal are in the file, and the word for it."""
    where = _locate(staged, list(ordinals), [])
    return [where.row(int(n)) for n in ordinals], ("line" if staged.file.format == "csv" else "row")


@dataclass(frozen=True)
class _Lines:
    """Row ordinals (0-based) and DuckDB's reject lines -> the numbers to report."""

    rows: dict[int, int]
    rejects: dict[int, int]
    offset: int

    def row(self, n: int) -> int:
        return int(self.rows.get(n, n + self.offset))

    def reject(self, line: int) -> int:
        return int(self.rejects.get(line, line))


def _locate(staged: StagedFile, ordinals: list[int], rejects: list[int]) -> _Lines:
    """Where rows are in the file: 1-based rows, or for CSV, the lines they start on.

    DuckDB numbers CSV rows, not lines: blank lines, lines it rejected and values
    spanning lines (in quotes) shift one from the other. So for the few rows to
    report, the file is read once more as plain lines, and each row is matched to
    the line its record starts on (a line starts a record when the quotes before it
    are balanced).
    """
    file = staged.file
    if file.format != "csv":
        return _Lines({}, {}, offset=1)
    con = file.con
    lines = file.staged("lines.parquet")
    file.copy(
        f"""COPY (SELECT t FROM read_csv({literal(file.link_path())}, header = false,
              columns = {{'t': 'VARCHAR'}}, delim = {_WHOLE_LINE}, quote = '',
              escape = '', strict_mode = false, auto_detect = false))
            TO {literal(lines)} (FORMAT parquet)""",
        "CSV",
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE records AS
        WITH l AS (
            SELECT file_row_number + 1 AS line, t,
                   (length(coalesce(t, '')) - length(replace(coalesce(t, ''), '"', ''))) % 2
                       AS odd
            FROM read_parquet({literal(lines)}, file_row_number = true)),
        q AS (
            SELECT line, t, coalesce(sum(odd) OVER (ORDER BY line
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) % 2 = 1 AS inside
            FROM l)
        SELECT line, t IS NULL AS blank, row_number() OVER (ORDER BY line) AS duck_line
        FROM q WHERE NOT inside
        """
    )
    header = file.scalar("SELECT min(duck_line) FROM records WHERE NOT blank") or 1
    by_duck = dict(
        con.execute(
            "SELECT duck_line, line FROM records WHERE duck_line IN (SELECT unnest(?))",
            [rejects],
        ).fetchall()
    )
    by_row = dict(
        con.execute(
            f"""
            SELECT k, line FROM (
                SELECT line, row_number() OVER (ORDER BY line) - 1 AS k FROM records
                WHERE NOT blank AND duck_line > {int(header)}
                  AND duck_line NOT IN (SELECT line FROM csv_rejects))
            WHERE k IN (SELECT unnest(?))
            """,
            [sorted(set(ordinals))],
        ).fetchall()
    )
    return _Lines(by_row, by_duck, offset=2)


def _shown(raw: str | None, limit: int = 40) -> str:
    """A cell as an error message quotes it, cut when long."""
    text = (raw or "").strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _reason(
    column: str,
    code: str,
    raw: str | None,
    other: int | None,
    where: _Lines,
    unit: str,
    same: str,
) -> str:
    """What is wrong with one cell, in words."""
    if code == "empty":
        return "is empty"
    if column == "kpi":
        return f"no KPI {_shown(raw)}"
    if code == "duplicate":
        assert other is not None
        return f"duplicate: {unit} {where.row(int(other))} has the same {same} ({raw} UTC)"
    if code == "range":
        return f"{_shown(raw)} is out of range: {YEARS_RULE}"
    if column == "timestamp":
        return f"{_shown(raw)} is not an ISO 8601 date or datetime ({_ISO_EXAMPLE})"
    if column == "segment":
        return f"is longer than {MAX_SEGMENT} characters"
    if code == "infinite":
        return f"{_shown(raw)} is not a finite number"
    hint = " (write percentages as plain numbers: 15 for 15 %)" if "%" in (raw or "") else ""
    return f"{_shown(raw)} is not a number{hint}"


_FIELDS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _reject_reason(kind: str, message: str) -> str:
    """Why DuckDB could not split a CSV line into the header's fields."""
    fields = _FIELDS.search(message)
    if fields:
        return f"has {fields.group(2)} fields, the header has {fields.group(1)}"
    if "UNICODE" in kind or "ENCODING" in kind:
        return "not UTF-8 text: save the file as UTF-8"
    if "QUOTE" in kind:
        return "a quoted value is not closed, or a quote stands inside an unquoted value"
    return (message.strip().splitlines() or [kind])[0]

"""The tables: the only place that knows how okrkit's data is laid out in SQL.

KPI values are the big table (millions of rows): one row per (KPI, segment, time), the
time in whole seconds since 1970-01-01 UTC (an integer is compact, indexes well and
reads straight into NumPy's datetime64[s]); the total of a KPI has the empty segment.
Everything users edit carries a `version` that every write bumps (optimistic
concurrency) and who changed it when.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from okrkit.domain.fields import Declared, fields_of
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.kpis import Kpi

__all__ = [
    "KPI_SKIPPED",
    "alerts",
    "audit_log",
    "declared_columns",
    "kpi_health",
    "kpi_values",
    "kpis",
    "metadata",
    "teams",
]

# Named constraints, so migrations can refer to them on every database.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _edited() -> list[Column[object]]:
    """Columns of everything a user edits: version and who changed it when."""
    return [
        Column("version", Integer, nullable=False, server_default="1"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("updated_by", String(254), nullable=False),
    ]


teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("parent_key", String(64), nullable=True),
    Column("archived", Boolean, nullable=False, server_default="0"),
    *_edited(),
)


def _declared(field: Declared) -> list[Column[object]]:
    """The columns of a declared field of a domain object: a group's parts side by side
    (`green`, `red`), any other field one column of its type."""
    if field.parts:
        return [Column(part, Float, nullable=True) for part in field.parts]
    kind: Any
    if field.type is bool:
        kind = Boolean
    elif field.type is float:
        kind = Float
    else:
        kind = Text if field.max_length is None else String(field.max_length)
    default = field.default
    server_default = None
    if isinstance(default, bool):
        server_default = "1" if default else "0"
    elif isinstance(default, str):
        server_default = str(default)
    return [Column(field.name, kind, nullable=field.optional, server_default=server_default)]


def declared_columns(cls: type, *, skip: frozenset[str] = frozenset()) -> list[Column[object]]:
    """The columns of every declared field of a domain object (`domain.fields`), but
    those in `skip` (stored another way, e.g. a team as its row id)."""
    return [c for f in fields_of(cls) if f.name not in skip for c in _declared(f)]


# A KPI's team is stored as the team's row id.
KPI_SKIPPED = frozenset({"key", "team"})

kpis = Table(
    "kpis",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(MAX_KEY_LENGTH), nullable=False, unique=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, index=True),
    *declared_columns(Kpi, skip=KPI_SKIPPED),
    Column("window_periods", Integer, nullable=False, server_default="60"),
    Column("baseline_from", BigInteger, nullable=True),
    Column("baseline_to", BigInteger, nullable=True),
    # Bumped by every write of the KPI's values (migration 0003): what a kept tile of
    # the health read model was judged on, with `version` for the definition.
    Column("values_version", BigInteger, nullable=False, server_default="0"),
    Column("archived", Boolean, nullable=False, server_default="0"),
    *_edited(),
)

kpi_values = Table(
    "kpi_values",
    metadata,
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True),
    Column("segment", String(200), primary_key=True, server_default=""),
    Column("ts", BigInteger, primary_key=True),
    Column("value", Float, nullable=False),
    # Clustered by its key on SQLite (migration 0002): a KPI's window is one range.
    sqlite_with_rowid=False,
)

# A read model: each KPI's dashboard tile as last judged (services.health), with the
# definition and values versions it was judged on (migration 0003).
kpi_health = Table(
    "kpi_health",
    metadata,
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True),
    Column("format", Integer, nullable=False),
    Column("payload", Text, nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(8), nullable=False, server_default="open"),
    Column("message", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Index("ix_alerts_kpi_open", "kpi_id", "status"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_key", String(64), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Index("ix_audit_log_entity", "entity", "entity_key"),
)

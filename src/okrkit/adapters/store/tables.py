"""The tables: the only place that knows how okrkit's data is laid out in SQL.

KPI values are the big table (millions of rows): one row per (KPI, segment, time), the
time in whole seconds since 1970-01-01 UTC (an integer is compact, indexes well and
reads straight into NumPy's datetime64[s]); the total of a KPI has the empty segment.
Everything users edit carries a `version` that every write bumps (optimistic
concurrency) and who changed it when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    false,
    text,
    true,
)

from okrkit.domain.fields import Declared, fields_of, trusted_reader
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import Objective

__all__ = [
    "KEY_RESULT_SKIPPED",
    "KPI_SKIPPED",
    "OBJECTIVE_SKIPPED",
    "check_ins",
    "cycles",
    "initiatives",
    "key_results",
    "objectives",
    "alerts",
    "audit_log",
    "deliveries",
    "delivery_attempts",
    "subscriptions",
    "declared_columns",
    "declared_reader",
    "declared_values",
    "kpi_health",
    "kpi_values",
    "kpis",
    "metadata",
    "teams",
    "workspace_settings",
    "users",
    "team_members",
    "sessions",
    "api_tokens",
    "sign_in_links",
]

T = TypeVar("T")

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
    # Listings go by name (migration 0005): a page of a cycle's objectives is read in
    # this order without sorting every objective of the cycle.
    Index("ix_teams_name_key", "name", "key"),
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
    elif field.type is date:
        kind = Date
    else:
        # Prose (a description, a formula) is bounded at the edges; its column is TEXT.
        long = field.max_length is None or field.prose
        kind = Text if long else String(field.max_length)
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


def declared_values(obj: Any, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The column values of a domain object's declared fields (but those in `skip`): a
    choice as its value, a parsed text as its text, a group as its parts."""
    values: dict[str, Any] = {}
    for f in fields_of(type(obj)):
        if f.name in skip:
            continue
        value = getattr(obj, f.name)
        if f.parts:
            values.update(
                {part: None if value is None else getattr(value, part) for part in f.parts}
            )
        elif isinstance(value, StrEnum):
            values[f.name] = value.value
        elif value is not None and hasattr(f.type, "parse"):
            values[f.name] = str(value)
        else:
            values[f.name] = value
    return values


def declared_reader(cls: type[T], **stored_as: str) -> Callable[[Any, dict[str, Any]], T]:
    """How a row becomes the domain object: `read(row, given)` reads each declared field
    from its column (a field stored another way from the column named in `stored_as`,
    or from `given`), converted but not checked again (okrkit wrote it)."""
    readers: list[tuple[str, Callable[[Any], Any]]] = []
    for f in fields_of(cls):
        read = trusted_reader(f)
        if f.parts:
            parts = f.parts

            def group(
                row: Any, read: Callable[[Any], Any] = read, parts: tuple[str, ...] = parts
            ) -> Any:
                values = {part: getattr(row, part) for part in parts}
                return read(None if None in values.values() else values)

            readers.append((f.name, group))
        else:

            def single(
                row: Any,
                read: Callable[[Any], Any] = read,
                column: str = stored_as.get(f.name, f.name),
            ) -> Any:
                return read(getattr(row, column))

            readers.append((f.name, single))

    def build(row: Any, given: dict[str, Any]) -> T:
        return cls(**{name: given[name] if name in given else read(row) for name, read in readers})

    return build


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
    # The write (`value_imports`) that last set it; none before migration 0006.
    Column("import_id", Integer, nullable=True),
    # Clustered by its key on SQLite (migration 0002): a KPI's window is one range.
    sqlite_with_rowid=False,
)

# Every write of values — an import, a value typed in or deleted — with its counts; the
# KPIs it touched; and every value it replaced or deleted (migration 0006: a trigger on
# kpi_values writes `value_history` for every change of a value).
value_imports = Table(
    "value_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("replaced", Integer, nullable=False),
    Column("first", BigInteger, nullable=True),
    Column("last", BigInteger, nullable=True),
    Column("undone_at", DateTime(timezone=True), nullable=True),
    Column("undone_by", String(254), nullable=True),
)

value_import_kpis = Table(
    "value_import_kpis",
    metadata,
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "import_id", Integer, ForeignKey("value_imports.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("rows", Integer, nullable=False),
)

value_history = Table(
    "value_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, nullable=True, index=True),
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), nullable=False),
    Column("segment", String(200), nullable=False),
    Column("ts", BigInteger, nullable=False),
    Column("before", Float, nullable=True),
    Column("before_import", Integer, nullable=True),
    Column("after", Float, nullable=True),
)

# A file uploaded on a page, kept between its preview and its confirmation.
pending_imports = Table(
    "pending_imports",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("kpi", String(MAX_KEY_LENGTH), nullable=False),
    Column("name", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
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

# One row per alert a KPI raised (migration 0007); one unresolved per KPI and kind.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("level", String(8), nullable=False),
    Column("state", String(16), nullable=False),
    Column("problem", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(8), nullable=False),
    Column("value", Float, nullable=True),
    Column("value_at", BigInteger, nullable=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column(
        "objective_id",
        Integer,
        ForeignKey("objectives.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
    Column("acknowledged_by", String(254), nullable=True),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", String(254), nullable=True),
    Column("note", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=True),
    Index(
        "ux_alerts_unresolved",
        "kpi_id",
        "kind",
        unique=True,
        sqlite_where=text("state <> 'resolved'"),
        postgresql_where=text("state <> 'resolved'"),
    ),
    Index("ix_alerts_state_opened", "state", "opened_at"),
)

# Who is told: per team, per KPI, or (neither) about everything.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "team_id", Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=True, index=True
    ),
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("channel", String(8), nullable=False),
    Column("target", String(2000), nullable=False),
    Column("secret", String(200), nullable=True),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("disabled_reason", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=True),
)

# The outbox: one message to one subscription, written with the alert it tells of.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", String(40), nullable=False, unique=True),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("event", String(16), nullable=False),
    # The notice as it was when the alert moved (JSON): every attempt sends the same.
    Column("payload", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=False, server_default=""),
    Index("ix_deliveries_state_next", "state", "next_attempt_at"),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "delivery_id",
        Integer,
        ForeignKey("deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("status", Integer, nullable=True),
    Column("error", Text, nullable=False, server_default=""),
    Column("duration_ms", Integer, nullable=False),
)

# --- The OKR side -----------------------------------------------------------------------

# A cycle's name is its key (`2026-Q3`, or a custom name), as in its address.
cycles = Table(
    "cycles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(MAX_KEY_LENGTH), nullable=False, unique=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("state", String(16), nullable=False),
    *_edited(),
)

# An objective's cycle and team are stored as row ids; what it aligns to as the parent's
# key and, when it aligns to one key result of the parent, that key result's id.
OBJECTIVE_SKIPPED = frozenset({"key", "cycle", "team", "parent"})

objectives = Table(
    "objectives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(MAX_KEY_LENGTH), nullable=False, unique=True),
    Column("cycle_id", Integer, ForeignKey("cycles.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    *declared_columns(Objective, skip=OBJECTIVE_SKIPPED),
    Column("parent_key", String(MAX_KEY_LENGTH), nullable=True, index=True),
    Column("parent_key_result_id", Integer, nullable=True),
    Column("status", String(16), nullable=False),
    Column("score", Float, nullable=True),
    Column("retrospective", Text, nullable=False, server_default=""),
    Column("carried_from", String(MAX_KEY_LENGTH), nullable=True),
    Column("urgent", Boolean, nullable=False, server_default=false()),
    # An objective the goals files no longer name (migration 0008), as teams and KPIs.
    Column("archived", Boolean, nullable=False, server_default=false()),
    *_edited(),
    Index("ix_objectives_cycle_team", "cycle_id", "team_id"),
    Index("ix_objectives_cycle_owner", "cycle_id", "owner"),
)

# The workspace's settings (migration 0008): one TOML document, one row (id 1).
workspace_settings = Table(
    "workspace_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document", Text, nullable=False),
    *_edited(),
)

# The part of each objective's judgement that does not depend on the clock, as last
# judged (migration 0005): the read model the cycle overview reads instead of judging
# every key result on every request. `stamp` is what it was judged on.
objective_summaries = Table(
    "objective_summaries",
    metadata,
    Column(
        "objective_id", Integer, ForeignKey("objectives.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("stamp", Text, nullable=False),
    Column("payload", Text, nullable=False),
)

# A key result's KPI is stored as the KPI's row id.
KEY_RESULT_SKIPPED = frozenset({"kpi"})

key_results = Table(
    "key_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "objective_id",
        Integer,
        ForeignKey("objectives.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    *declared_columns(KeyResultDefinition, skip=KEY_RESULT_SKIPPED),
    Column("kpi_id", Integer, ForeignKey("kpis.id"), nullable=True, index=True),
    Column("original_target", Float, nullable=True),
    Column("recalibration", Text, nullable=False, server_default=""),
    Column("score", Float, nullable=True),
    Column("score_reason", Text, nullable=False, server_default=""),
    Column("final_value", Float, nullable=True),
    *_edited(),
)

# Append-only: a check-in is never updated; `at` in whole seconds since 1970 UTC, and of
# two at one second the first written (the lower id) came first.
check_ins = Table(
    "check_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "key_result_id", Integer, ForeignKey("key_results.id", ondelete="CASCADE"), nullable=False
    ),
    Column("at", BigInteger, nullable=False),
    Column("value", Float, nullable=False),
    Column("confidence", Float, nullable=True),
    Column("note", Text, nullable=False, server_default=""),
    Column("author", String(254), nullable=True),
    Index("ix_check_ins_key_result_at", "key_result_id", "at"),
)

initiatives = Table(
    "initiatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "key_result_id",
        Integer,
        ForeignKey("key_results.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("title", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("url", String(2000), nullable=True),
    *_edited(),
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
    # The audit page filters by person (migration 0009).
    Index("ix_audit_log_actor", "actor", "id"),
)

# Accounts (migration 0009): who signs in, their teams, their sessions and API tokens.
# A password, a session or a token is kept only as a hash: argon2id for a password
# (slow on purpose: people choose guessable ones), SHA-256 for a session's and a
# token's 256 random bits (nothing to guess, and looked up on every request).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("admin", Boolean, nullable=False, server_default=false()),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    *_edited(),
)

team_members = Table(
    "team_members",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(8), nullable=False),
    PrimaryKeyConstraint("user_id", "team_id"),
    Index("ix_team_members_team_id", "team_id"),
)


def _by_hash(name: str, *columns: Column[object]) -> Table:
    """A table of secrets kept by their hash, each belonging to a user."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column(
            "user_id",
            Integer,
            ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        *columns,
    )


sessions = _by_hash(
    "sessions",
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

api_tokens = _by_hash(
    "api_tokens",
    Column("name", String(100), nullable=False),
    Column("scope", String(8), nullable=False),
    Column("hint", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

# A one-time sign-in link (`okrkit serve` on a workspace with no admin who can sign in).
sign_in_links = _by_hash(
    "sign_in_links",
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

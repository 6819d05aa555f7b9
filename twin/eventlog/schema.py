"""The ``events`` table (SQLAlchemy Core). Created only by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

from twin.eventlog.models import utc

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def sqlite_text(value: datetime) -> str:
    """Return how SQLite stores an aware datetime: naive UTC text, microseconds always."""
    return utc(value).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend.

    PostgreSQL stores ``timestamptz``. SQLite, which has no time zone, stores naive UTC text
    ``YYYY-MM-DD HH:MM:SS.ffffff`` (fixed width, so it sorts chronologically). Values read
    back are always aware and in UTC; naive values are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return sqlite_text(value) if dialect.name == "sqlite" else utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value + "+00:00")
        return value if value.tzinfo is UTC else value.astimezone(UTC)


#: ``seq`` is ``INTEGER PRIMARY KEY`` on SQLite (the rowid), ``BIGSERIAL`` on PostgreSQL.
SeqType = BigInteger().with_variant(Integer(), "sqlite")
#: ``data`` is JSON text on SQLite, ``jsonb`` on PostgreSQL (queryable later by projections).
DataType = JSON().with_variant(JSONB(), "postgresql")

events = Table(
    "events",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("stream", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String, nullable=False),
    Column("effective_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("actor", String, nullable=False),
    Column("data", DataType, nullable=False),
    Column("idempotency_key", String, nullable=True),
    UniqueConstraint("stream", "version"),  # a stream in order; the optimistic-concurrency rule
    UniqueConstraint("idempotency_key"),
    CheckConstraint("version >= 1", name="version_positive"),
    Index(None, "effective_at", "seq"),  # time travel: effective_at <= T
    Index(None, "type", "seq"),
)

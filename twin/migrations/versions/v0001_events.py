"""The append-only event log: table ``events``.

Revision ID: 0001_events
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_events"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_GUARD = """
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is refused', TG_OP;
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
"""
_SQLITE_GUARD = [
    f"""CREATE TRIGGER events_no_{op_name.lower()} BEFORE {op_name} ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only: {op_name} is refused'); END"""
    for op_name in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("stream", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("idempotency_key", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_events")),
        sa.UniqueConstraint("stream", "version", name=op.f("uq_events_stream_version")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_events_idempotency_key")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_events_version_positive")),
    )
    op.create_index(op.f("ix_events_effective_at_seq"), "events", ["effective_at", "seq"])
    op.create_index(op.f("ix_events_type_seq"), "events", ["type", "seq"])
    if op.get_context().dialect.name == "postgresql":
        op.execute(_PG_GUARD)
    else:
        for statement in _SQLITE_GUARD:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_append_only ON events")
        op.execute("DROP FUNCTION IF EXISTS events_append_only()")
    op.drop_table("events")  # SQLite drops the table's triggers with it

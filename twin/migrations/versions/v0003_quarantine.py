"""Quarantine: table ``events_quarantine`` for events set aside by ``twin db check``.

An event the log could not read back (stored before text was checked at the edge: a lone
surrogate or a NUL) is moved here whole, as ASCII JSON, so every endpoint answers again and
nothing is lost.

Revision ID: 0003_quarantine
Revises: 0002_tokens
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_quarantine"
down_revision: str | None = "0002_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "events_quarantine",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("stream", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
        sa.Column("quarantined_at", sa.String(32), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("events_quarantine")

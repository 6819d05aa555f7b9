"""Series provenance: ``reading_series.simulated`` marks a series of simulated readings.

A series (facility, metric) holds measured readings or simulated ones (``twin simulate``),
never both: ingestion refuses a reading whose provenance is not its series'. Existing series
hold measured readings (false).

Revision ID: 0005_series_provenance
Revises: 0004_measurements
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_series_provenance"
down_revision: str | None = "0004_measurements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "reading_series",
        sa.Column("simulated", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    """Drops the marks: simulated series then read as measured (delete them first)."""
    with op.batch_alter_table("reading_series") as batch:
        batch.drop_column("simulated")

"""download_links: files served at unguessable links, shared by every instance and kept across restarts

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-01 23:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "download_links",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_download_links_expires_at", "download_links", ["expires_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_download_links_expires_at", table_name="download_links")
    op.drop_table("download_links")

"""download_links and webhook_checks: download files shared by every instance; the last webhook set

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-01 23:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0010"
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
    op.create_table(
        "webhook_checks",
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("secret_digest", sa.String(64), nullable=False),
        sa.Column("verification", sa.JSON),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("webhook_checks")
    op.drop_index("ix_download_links_expires_at", table_name="download_links")
    op.drop_table("download_links")

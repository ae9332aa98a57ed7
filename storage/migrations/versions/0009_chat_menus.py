"""chat_menus: the numbered menu each chat was shown last

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "chat_menus",
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("chat_id", sa.String(100), primary_key=True),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("chat_menus")

"""code_attempts: wrong invite codes, so guessing is paused

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-01 23:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("sender_id", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_code_attempts_channel_at", "code_attempts", ["channel", "at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_code_attempts_channel_at", table_name="code_attempts")
    op.drop_table("code_attempts")

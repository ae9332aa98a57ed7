"""pledge_updates.evidence_ref as text: a Zalo photo link is longer than 300 characters

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("pledge_updates") as batch:
        batch.alter_column(
            "evidence_ref", type_=sa.Text, existing_type=sa.String(300), existing_nullable=True
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("pledge_updates") as batch:
        batch.alter_column(
            "evidence_ref", type_=sa.String(300), existing_type=sa.Text, existing_nullable=True
        )

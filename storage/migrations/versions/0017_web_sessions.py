"""web_links and web_sessions: one-time login links to the web view and the sessions they open

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    for table in ("web_links", "web_sessions"):
        ended = "used_at" if table == "web_links" else "ended_at"
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
            sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False, index=True),
            sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
            sa.Column(ended, sa.DateTime(timezone=True)),
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("web_sessions")
    op.drop_table("web_links")

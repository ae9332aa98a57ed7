"""meeting_reports: the end time, the guests and the vote on the resolution, which the minutes record

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # Plain ADD COLUMNs: a batch rebuild would drop the table the attendance rows point at.
    op.add_column("meeting_reports", sa.Column("end_time", sa.String(5)))
    op.add_column("meeting_reports", sa.Column("guests", sa.Text))
    op.add_column("meeting_reports", sa.Column("vote_for", sa.Integer))
    op.add_column("meeting_reports", sa.Column("vote_against", sa.Integer))
    op.add_column("meeting_reports", sa.Column("vote_total", sa.Integer))


def downgrade() -> None:
    """Revert this revision."""
    for column in ("vote_total", "vote_against", "vote_for", "guests", "end_time"):
        op.drop_column("meeting_reports", column)

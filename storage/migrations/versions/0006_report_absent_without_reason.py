"""meeting_reports: keep the count of absences without reason beside the other counts

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-26 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # A plain ADD COLUMN: a batch rebuild would drop the table the attendance rows point at.
    op.add_column(
        "meeting_reports", sa.Column("absent_without_reason", sa.Integer, nullable=False, server_default="0")
    )
    op.execute(
        "UPDATE meeting_reports SET absent_without_reason = ("
        "SELECT count(*) FROM meeting_attendance AS a"
        " WHERE a.report_id = meeting_reports.id AND a.status = 'absent_without_reason')"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("meeting_reports", "absent_without_reason")

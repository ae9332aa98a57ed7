"""meeting_attendance: an index on report_id and status, so a report's absences are read without its roster

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-03 07:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # An export lists each report's absent members: about 3 in 40 of its attendance rows. Without
    # the status in an index every row of every report was read (2.4 million for a province's year).
    op.create_index("ix_meeting_attendance_report_id_status", "meeting_attendance", ["report_id", "status"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_meeting_attendance_report_id_status", table_name="meeting_attendance")

"""meeting reports, their attendance and revisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:36:10.572000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "meeting_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("chair_member_id", sa.Integer(), nullable=False),
        sa.Column("minutes_member_id", sa.Integer(), nullable=False),
        sa.Column("study", sa.Text(), nullable=True),
        sa.Column("documents", sa.Text(), nullable=True),
        sa.Column("review", sa.Text(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("quality", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("excused", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["cells.id"], name=op.f("fk_meeting_reports_cell_id_cells")),
        sa.ForeignKeyConstraint(
            ["chair_member_id"], ["members.id"], name=op.f("fk_meeting_reports_chair_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["minutes_member_id"], ["members.id"], name=op.f("fk_meeting_reports_minutes_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["people.id"], name=op.f("fk_meeting_reports_submitted_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_reports")),
        sa.UniqueConstraint("cell_id", "year", "month", "kind", name="uq_meeting_reports_cell_month_kind"),
    )
    with op.batch_alter_table("meeting_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_reports_cell_id"), ["cell_id"], unique=False)

    op.create_table(
        "meeting_attendance",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_meeting_attendance_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["meeting_reports.id"],
            name=op.f("fk_meeting_attendance_report_id_meeting_reports"),
        ),
        sa.PrimaryKeyConstraint("report_id", "member_id", name=op.f("pk_meeting_attendance")),
    )
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_attendance_member_id"), ["member_id"], unique=False)

    op.create_table(
        "meeting_report_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_meeting_report_revisions_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_meeting_report_revisions_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["meeting_reports.id"],
            name=op.f("fk_meeting_report_revisions_report_id_meeting_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_report_revisions")),
        sa.UniqueConstraint("report_id", "revision", name="uq_meeting_report_revisions_report_revision"),
    )
    with op.batch_alter_table("meeting_report_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_report_revisions_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("meeting_report_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_report_revisions_report_id"))

    op.drop_table("meeting_report_revisions")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendance_member_id"))

    op.drop_table("meeting_attendance")
    with op.batch_alter_table("meeting_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_reports_cell_id"))

    op.drop_table("meeting_reports")

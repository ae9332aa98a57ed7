"""inspections, remedial tasks, reminder mutes

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-26 01:35:21.165053
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "reminder_mutes",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_reminder_mutes_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", "kind", name=op.f("pk_reminder_mutes")),
    )
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("session_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("documents", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("planned_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("self_report", sa.Text(), nullable=True),
        sa.Column("self_report_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=True),
        sa.Column("limitations", sa.Text(), nullable=True),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("concluded_by", sa.Integer(), nullable=True),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["cell_id"], ["cells.id"], name=op.f("fk_inspections_cell_id_cells")),
        sa.ForeignKeyConstraint(
            ["committee_id"], ["committees.id"], name=op.f("fk_inspections_committee_id_committees")
        ),
        sa.ForeignKeyConstraint(
            ["concluded_by"], ["people.id"], name=op.f("fk_inspections_concluded_by_people")
        ),
        sa.ForeignKeyConstraint(["planned_by"], ["people.id"], name=op.f("fk_inspections_planned_by_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspections_cell_id"), ["cell_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspections_session_on"), ["session_on"], unique=False)

    op.create_table(
        "remedial_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["people.id"], name=op.f("fk_remedial_tasks_closed_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name=op.f("fk_remedial_tasks_inspection_id_inspections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remedial_tasks")),
    )
    with op.batch_alter_table("remedial_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remedial_tasks_inspection_id"), ["inspection_id"], unique=False)

    op.create_table(
        "remedial_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_remedial_updates_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["remedial_tasks.id"], name=op.f("fk_remedial_updates_task_id_remedial_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remedial_updates")),
    )
    with op.batch_alter_table("remedial_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remedial_updates_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("reminder_mutes")
    with op.batch_alter_table("remedial_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remedial_updates_task_id"))

    op.drop_table("remedial_updates")
    with op.batch_alter_table("remedial_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remedial_tasks_inspection_id"))

    op.drop_table("remedial_tasks")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_session_on"))
        batch_op.drop_index(batch_op.f("ix_inspections_cell_id"))

    op.drop_table("inspections")

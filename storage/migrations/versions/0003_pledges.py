"""pledges

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 01:35:16.634070
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


# The member ranking scale in force in 2015; later scales are added as rows from their year.
RANKING_2015 = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)


def upgrade() -> None:
    """Apply this revision."""
    ranking_levels = op.create_table(
        "ranking_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_levels")),
        sa.UniqueConstraint("from_year", "position", name="uq_ranking_levels_from_year_position"),
    )
    op.bulk_insert(
        ranking_levels,
        [{"from_year": 2015, "position": n, "label": label} for n, label in enumerate(RANKING_2015, start=1)],
    )
    op.create_table(
        "member_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("ranking", sa.String(length=200), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f("fk_member_reviews_created_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_reviews_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_reviews")),
        sa.UniqueConstraint("member_id", "year", "kind", name="uq_member_reviews_member_year_kind"),
    )
    op.create_table(
        "pledges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["people.id"], name=op.f("fk_pledges_created_by_people")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_pledges_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
        sa.UniqueConstraint("member_id", "year", name="uq_pledges_member_year"),
    )
    op.create_table(
        "pledge_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("duty", sa.Text(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("milestones", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("vague", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f("fk_pledge_items_created_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_items_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_items")),
    )
    with op.batch_alter_table("pledge_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledge_items_pledge_id"), ["pledge_id"], unique=False)

    op.create_table(
        "pledge_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evidence_text", sa.Text(), nullable=True),
        sa.Column("evidence_kind", sa.String(length=20), nullable=True),
        sa.Column("evidence_ref", sa.String(length=300), nullable=True),
        sa.Column("evidence_name", sa.String(length=300), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f("fk_pledge_updates_created_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["pledge_items.id"], name=op.f("fk_pledge_updates_item_id_pledge_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_updates")),
    )
    with op.batch_alter_table("pledge_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledge_updates_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("pledge_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_updates_item_id"))

    op.drop_table("pledge_updates")
    with op.batch_alter_table("pledge_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_items_pledge_id"))

    op.drop_table("pledge_items")
    op.drop_table("pledges")
    op.drop_table("member_reviews")
    op.drop_table("ranking_levels")

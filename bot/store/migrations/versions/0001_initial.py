"""Initial schema: people, goals, progress updates, follow-ups.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("sender_id", name="uq_people_sender_id"),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("persona", sa.String(length=16), nullable=False),
        sa.Column("measure", sa.Text(), nullable=True),
        sa.Column("first_step", sa.Text(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_text", sa.Text(), nullable=True),
        sa.Column("commitment", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("persona IN ('coach', 'mentor')", name="ck_goals_persona"),
        sa.CheckConstraint(
            "status IN ('active', 'done', 'dropped')", name="ck_goals_status"
        ),
        sa.CheckConstraint(
            "commitment IS NULL OR (commitment >= 1 AND commitment <= 10)",
            name="ck_goals_commitment",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_goals_person_id_people", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_goals"),
    )
    op.create_index("ix_goals_person_id", "goals", ["person_id"])
    op.create_table(
        "progress_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name="fk_progress_updates_goal_id_goals",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_progress_updates"),
    )
    op.create_index("ix_progress_updates_goal_id", "progress_updates", ["goal_id"])
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=255), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'claimed', 'delivered', 'cancelled')",
            name="ck_followups_status",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_followups_person_id_people",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name="fk_followups_goal_id_goals", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_followups"),
    )
    op.create_index("ix_followups_person_id", "followups", ["person_id"])
    op.create_index("ix_followups_goal_id", "followups", ["goal_id"])
    op.create_index("ix_followups_status_due_at", "followups", ["status", "due_at"])


def downgrade() -> None:
    op.drop_table("followups")
    op.drop_table("progress_updates")
    op.drop_table("goals")
    op.drop_table("people")

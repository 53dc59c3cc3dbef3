"""The conform stage: change lists between picture versions, and the cues they flagged.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("old_version_id", sa.Integer(), nullable=True),
        sa.Column("new_version_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["new_version_id"],
            ["picture_versions.id"],
            name=op.f("fk_change_lists_new_version_id_picture_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["old_version_id"],
            ["picture_versions.id"],
            name=op.f("fk_change_lists_old_version_id_picture_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_change_lists_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_lists")),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_change_lists_project_id_number")),
    )
    with op.batch_alter_table("change_lists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_lists_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "conform_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_list_id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("proposals", sa.JSON(), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_list_id"],
            ["change_lists.id"],
            name=op.f("fk_conform_flags_change_list_id_change_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_conform_flags_cue_id_cues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conform_flags")),
        sa.UniqueConstraint(
            "change_list_id", "cue_id", name=op.f("uq_conform_flags_change_list_id_cue_id")
        ),
    )
    with op.batch_alter_table("conform_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conform_flags_change_list_id"), ["change_list_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conform_flags_cue_id"), ["cue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conform_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conform_flags_cue_id"))
        batch_op.drop_index(batch_op.f("ix_conform_flags_change_list_id"))

    op.drop_table("conform_flags")
    with op.batch_alter_table("change_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_lists_project_id"))

    op.drop_table("change_lists")

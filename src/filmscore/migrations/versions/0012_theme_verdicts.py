"""The composer's verdicts on the theme report's occurrences (confirmed or rejected).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=500), nullable=False),
        sa.Column("onset", sa.String(length=32), nullable=False),
        sa.Column("bar", sa.Integer(), nullable=False),
        sa.Column("beat", sa.String(length=16), nullable=False),
        sa.Column("music_version", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_theme_verdicts_cue_id_cues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_theme_verdicts_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_verdicts")),
        sa.UniqueConstraint(
            "theme_id", "cue_id", "part", "onset",
            name=op.f("uq_theme_verdicts_theme_id_cue_id_part_onset"),
        ),
    )
    with op.batch_alter_table("theme_verdicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_verdicts_cue_id"), ["cue_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_theme_verdicts_theme_id"), ["theme_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("theme_verdicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_verdicts_theme_id"))
        batch_op.drop_index(batch_op.f("ix_theme_verdicts_cue_id"))

    op.drop_table("theme_verdicts")

"""Tempo maps: one per cue, its segments as JSON.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cue_tempo_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cue_id"], ["cues.id"],
                                name=op.f("fk_cue_tempo_maps_cue_id_cues"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cue_tempo_maps")),
    )
    op.create_index(op.f("ix_cue_tempo_maps_cue_id"), "cue_tempo_maps", ["cue_id"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_cue_tempo_maps_cue_id"), table_name="cue_tempo_maps")
    op.drop_table("cue_tempo_maps")

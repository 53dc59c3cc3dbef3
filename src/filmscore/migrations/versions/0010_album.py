"""The album stage: album edits, candidates, albums (editions) and their tracks per
medium.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "album_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("crossfade_ms", sa.Double(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("crossfade_ms >= 0", name=op.f("ck_album_edits_crossfade_not_negative")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_album_edits_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_album_edits")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_album_edits_project_id_name")),
    )
    with op.batch_alter_table("album_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_album_edits_project_id"), ["project_id"], unique=False)

    op.create_table(
        "albums",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("artist", sa.String(length=300), nullable=False),
        sa.Column("label_name", sa.String(length=200), nullable=False),
        sa.Column("catalog", sa.String(length=16), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("credits", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_albums_number_positive")),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["albums.id"],
            name=op.f("fk_albums_previous_id_albums"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_albums_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_albums")),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_albums_project_id_number")),
    )
    with op.batch_alter_table("albums", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_albums_project_id"), ["project_id"], unique=False)

    op.create_table(
        "album_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=True),
        sa.Column("mix_number", sa.Integer(), nullable=True),
        sa.Column("edit_id", sa.Integer(), nullable=True),
        sa.Column("take_number", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("film_frame", sa.Integer(), nullable=True),
        sa.Column("media_hash", sa.String(length=64), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("sample_rate", sa.Integer(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("loudness_lufs", sa.Double(), nullable=True),
        sa.Column("true_peak_dbtp", sa.Double(), nullable=True),
        sa.Column("bass_share", sa.Double(), nullable=True),
        sa.Column("tempo_bpm", sa.Double(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rating >= 0 AND rating <= 5", name=op.f("ck_album_candidates_rating_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["cue_id"],
            ["cues.id"],
            name=op.f("fk_album_candidates_cue_id_cues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edit_id"],
            ["album_edits.id"],
            name=op.f("fk_album_candidates_edit_id_album_edits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_album_candidates_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_album_candidates")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_album_candidates_project_id_key")),
    )
    with op.batch_alter_table("album_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_album_candidates_cue_id"), ["cue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_album_candidates_edit_id"), ["edit_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_album_candidates_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "album_tracks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("album_id", sa.Integer(), nullable=False),
        sa.Column("medium", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=2), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.String(length=8), nullable=False),
        sa.Column("isrc", sa.String(length=12), nullable=False),
        sa.Column("gap_seconds", sa.String(length=16), nullable=False),
        sa.Column("mastered", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_album_tracks_position_positive")),
        sa.ForeignKeyConstraint(
            ["album_id"],
            ["albums.id"],
            name=op.f("fk_album_tracks_album_id_albums"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["album_candidates.id"],
            name=op.f("fk_album_tracks_candidate_id_album_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_album_tracks")),
        sa.UniqueConstraint(
            "album_id", "medium", "position", name=op.f("uq_album_tracks_album_id_medium_position")
        ),
    )
    with op.batch_alter_table("album_tracks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_album_tracks_album_id"), ["album_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_album_tracks_candidate_id"), ["candidate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("album_tracks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_album_tracks_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_album_tracks_album_id"))

    op.drop_table("album_tracks")
    with op.batch_alter_table("album_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_album_candidates_project_id"))
        batch_op.drop_index(batch_op.f("ix_album_candidates_edit_id"))
        batch_op.drop_index(batch_op.f("ix_album_candidates_cue_id"))

    op.drop_table("album_candidates")
    with op.batch_alter_table("albums", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_albums_project_id"))

    op.drop_table("albums")
    with op.batch_alter_table("album_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_album_edits_project_id"))

    op.drop_table("album_edits")

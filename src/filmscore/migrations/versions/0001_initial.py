"""Initial tables: projects, picture versions (reels, events, markers), cues, sync points.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("rate_name", sa.String(length=16), nullable=False),
        sa.Column("sample_rate", sa.Integer(), nullable=False),
        sa.Column("film_gauge", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sample_rate > 0", name=op.f("ck_projects_sample_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_table(
        "cues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("reel", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("insert", sa.String(length=8), nullable=False),
        sa.Column("source", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start_frame", sa.Integer(), nullable=False),
        sa.Column("end_frame", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("mood", sa.String(length=200), nullable=False),
        sa.Column("instrumentation", sa.String(length=500), nullable=False),
        sa.Column("temp_track", sa.String(length=500), nullable=False),
        sa.Column("temp_in_frame", sa.Integer(), nullable=True),
        sa.Column("temp_out_frame", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_frame > start_frame", name=op.f("ck_cues_end_after_start")),
        sa.CheckConstraint(
            "temp_in_frame IS NULL OR temp_out_frame IS NULL OR temp_out_frame > temp_in_frame",
            name=op.f("ck_cues_temp_out_after_in"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_cues_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cues")),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_cues_project_id_number")),
    )
    op.create_index(op.f("ix_cues_project_id"), "cues", ["project_id"])
    op.create_table(
        "picture_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("media_hash", sa.String(length=64), nullable=True),
        sa.Column("video_hash", sa.String(length=64), nullable=True),
        sa.Column("rate_name", sa.String(length=16), nullable=False),
        sa.Column("start_frame", sa.Integer(), nullable=False),
        sa.Column("duration_frames", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration_frames >= 0", name=op.f("ck_picture_versions_duration_not_negative")
        ),
        sa.CheckConstraint("number > 0", name=op.f("ck_picture_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_picture_versions_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picture_versions")),
        sa.UniqueConstraint(
            "project_id", "number", name=op.f("uq_picture_versions_project_id_number")
        ),
    )
    op.create_index(op.f("ix_picture_versions_project_id"), "picture_versions", ["project_id"])
    op.create_table(
        "markers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("picture_version_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False),
        sa.Column("end_frame", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "end_frame IS NULL OR end_frame > frame", name=op.f("ck_markers_end_after_frame")
        ),
        sa.ForeignKeyConstraint(
            ["picture_version_id"],
            ["picture_versions.id"],
            name=op.f("fk_markers_picture_version_id_picture_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_markers")),
    )
    op.create_index(op.f("ix_markers_picture_version_id"), "markers", ["picture_version_id"])
    op.create_table(
        "picture_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("picture_version_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("track", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("clip_name", sa.String(length=500), nullable=False),
        sa.Column("source_reel", sa.String(length=200), nullable=False),
        sa.Column("source_in_frame", sa.Integer(), nullable=False),
        sa.Column("source_out_frame", sa.Integer(), nullable=False),
        sa.Column("record_in_frame", sa.Integer(), nullable=False),
        sa.Column("record_out_frame", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "record_out_frame >= record_in_frame",
            name=op.f("ck_picture_events_record_out_after_in"),
        ),
        sa.ForeignKeyConstraint(
            ["picture_version_id"],
            ["picture_versions.id"],
            name=op.f("fk_picture_events_picture_version_id_picture_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picture_events")),
    )
    op.create_index(
        op.f("ix_picture_events_picture_version_id"), "picture_events", ["picture_version_id"]
    )
    op.create_table(
        "reels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("picture_version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_frame", sa.Integer(), nullable=False),
        sa.Column("duration_frames", sa.Integer(), nullable=False),
        sa.CheckConstraint("duration_frames >= 0", name=op.f("ck_reels_duration_not_negative")),
        sa.ForeignKeyConstraint(
            ["picture_version_id"],
            ["picture_versions.id"],
            name=op.f("fk_reels_picture_version_id_picture_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reels")),
        sa.UniqueConstraint(
            "picture_version_id", "number", name=op.f("uq_reels_picture_version_id_number")
        ),
    )
    op.create_index(op.f("ix_reels_picture_version_id"), "reels", ["picture_version_id"])
    op.create_table(
        "sync_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("tolerance_frames", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "tolerance_frames IS NULL OR tolerance_frames >= 0",
            name=op.f("ck_sync_points_tolerance_not_negative"),
        ),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_sync_points_weight_not_negative")),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_sync_points_cue_id_cues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_points")),
    )
    op.create_index(op.f("ix_sync_points_cue_id"), "sync_points", ["cue_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_points_cue_id"), table_name="sync_points")
    op.drop_table("sync_points")
    op.drop_index(op.f("ix_reels_picture_version_id"), table_name="reels")
    op.drop_table("reels")
    op.drop_index(op.f("ix_picture_events_picture_version_id"), table_name="picture_events")
    op.drop_table("picture_events")
    op.drop_index(op.f("ix_markers_picture_version_id"), table_name="markers")
    op.drop_table("markers")
    op.drop_index(op.f("ix_picture_versions_project_id"), table_name="picture_versions")
    op.drop_table("picture_versions")
    op.drop_index(op.f("ix_cues_project_id"), table_name="cues")
    op.drop_table("cues")
    op.drop_table("projects")

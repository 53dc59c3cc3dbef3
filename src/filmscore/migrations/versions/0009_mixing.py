"""The mixing stage: comps (edit lists of takes) and mixes per cue, each use of a cue in
the film's music timeline, and the cue sheet's rights holders and their shares.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "rights_holders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pro", sa.String(length=16), nullable=False),
        sa.Column("ipi", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_rights_holders_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_holders")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_rights_holders_project_id_name")),
    )
    with op.batch_alter_table("rights_holders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rights_holders_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "comps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("edits", sa.JSON(), nullable=False),
        sa.Column("crossfade_ms", sa.Double(), nullable=False),
        sa.Column("proposed", sa.Boolean(), nullable=False),
        sa.Column("tempo_map_version", sa.Integer(), nullable=True),
        sa.Column("flagged", sa.Text(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("crossfade_ms >= 0", name=op.f("ck_comps_crossfade_not_negative")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_comps_number_positive")),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_comps_cue_id_cues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comps")),
        sa.UniqueConstraint("cue_id", "number", name=op.f("uq_comps_cue_id_number")),
    )
    with op.batch_alter_table("comps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comps_cue_id"), ["cue_id"], unique=False)

    op.create_table(
        "cue_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("share", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_cue_shares_cue_id_cues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["rights_holders.id"],
            name=op.f("fk_cue_shares_holder_id_rights_holders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_cue_shares_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cue_shares")),
        sa.UniqueConstraint(
            "project_id",
            "cue_id",
            "holder_id",
            name=op.f("uq_cue_shares_project_id_cue_id_holder_id"),
        ),
    )
    with op.batch_alter_table("cue_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cue_shares_cue_id"), ["cue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cue_shares_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cue_shares_project_id"), ["project_id"], unique=False)

    op.create_table(
        "mixes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("comp_number", sa.Integer(), nullable=True),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("master_gain_db", sa.Double(), nullable=False),
        sa.Column("loudness_lufs", sa.Double(), nullable=True),
        sa.Column("true_peak_dbtp", sa.Double(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_mixes_number_positive")),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_mixes_cue_id_cues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mixes")),
        sa.UniqueConstraint("cue_id", "number", name=op.f("uq_mixes_cue_id_number")),
    )
    with op.batch_alter_table("mixes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mixes_cue_id"), ["cue_id"], unique=False)

    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=False),
        sa.Column("use", sa.Integer(), nullable=False),
        sa.Column("start_frame", sa.Integer(), nullable=True),
        sa.Column("mix_number", sa.Integer(), nullable=True),
        sa.Column("head_trim", sa.Integer(), nullable=False),
        sa.Column("tail_trim", sa.Integer(), nullable=False),
        sa.Column("fade_in", sa.Integer(), nullable=False),
        sa.Column("fade_out", sa.Integer(), nullable=False),
        sa.Column("usage", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "head_trim >= 0 AND tail_trim >= 0 AND fade_in >= 0 AND fade_out >= 0",
            name=op.f("ck_placements_not_negative"),
        ),
        sa.CheckConstraint("use >= 1", name=op.f("ck_placements_use_positive")),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["cues.id"], name=op.f("fk_placements_cue_id_cues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
        sa.UniqueConstraint("cue_id", "use", name=op.f("uq_placements_cue_id_use")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placements_cue_id"), ["cue_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placements_cue_id"))

    op.drop_table("placements")
    with op.batch_alter_table("mixes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mixes_cue_id"))

    op.drop_table("mixes")
    with op.batch_alter_table("cue_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cue_shares_project_id"))
        batch_op.drop_index(batch_op.f("ix_cue_shares_holder_id"))
        batch_op.drop_index(batch_op.f("ix_cue_shares_cue_id"))

    op.drop_table("cue_shares")
    with op.batch_alter_table("comps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comps_cue_id"))

    op.drop_table("comps")
    with op.batch_alter_table("rights_holders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rights_holders_project_id"))

    op.drop_table("rights_holders")

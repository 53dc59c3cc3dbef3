"""The team's accounts for the web workspace (users: name, role, argon2 hash), and the key
a web page gives a take entry so that a resent entry is not logged twice.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_login", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_users_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_users_project_id_name")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_project_id"), ["project_id"], unique=False)

    with op.batch_alter_table("takes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entry_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_takes_entry_key"), ["entry_key"])


def downgrade() -> None:
    with op.batch_alter_table("takes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_takes_entry_key"), type_="unique")
        batch_op.drop_column("entry_key")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_project_id"))

    op.drop_table("users")

"""The project's credits for its parts and scores: composer, orchestrator, and whether
sync points show their footage (feet+frames) beside their timecode.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("composer", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("orchestrator", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("sync_feet", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("sync_feet")
        batch_op.drop_column("orchestrator")
        batch_op.drop_column("composer")

"""Cursors carry their parser's context across reads, and count the messages read.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:00:49.872051
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transcript_cursors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("context", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("messages", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("transcript_cursors", schema=None) as batch_op:
        batch_op.drop_column("messages")
        batch_op.drop_column("context")

"""The event log records exports: `exported` joins the actions its CHECK constraint allows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "created",
    "merged",
    "confirmed",
    "rejected",
    "superseded",
    "edited",
    "deprecated",
    "locked",
    "unlocked",
    "undone",
)
AFTER = (*BEFORE, "exported")


def _action(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="action", native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table with the new one.
    with op.batch_alter_table("events", schema=None, recreate="always") as batch_op:
        batch_op.alter_column(
            "action", existing_type=_action(BEFORE), type_=_action(AFTER), existing_nullable=False
        )


def downgrade() -> None:
    # The older schema cannot hold export events: they go (the exports table keeps the writes).
    op.execute("DELETE FROM events WHERE action = 'exported'")
    with op.batch_alter_table("events", schema=None, recreate="always") as batch_op:
        batch_op.alter_column(
            "action", existing_type=_action(AFTER), type_=_action(BEFORE), existing_nullable=False
        )

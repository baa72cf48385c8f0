"""tree operations: forks, archiving, branch names, metadata index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only ADD COLUMN and CREATE/DROP INDEX, never a batch copy of a table: on SQLite a copy
# drops the old table, and with foreign keys on that deletes every message and branch
# through ON DELETE CASCADE.


def upgrade() -> None:
    op.add_column("conversation", sa.Column("archived_at", sa.DateTime(timezone=True)))
    op.add_column("conversation", sa.Column("forked_from_conversation_id", sa.Uuid()))
    op.add_column("conversation", sa.Column("forked_from_message_id", sa.Uuid()))
    op.create_index(
        "ix_conversation_forked_from",
        "conversation",
        ["forked_from_conversation_id", "created_at", "id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_conversation_metadata", "conversation", ["metadata"], postgresql_using="gin"
        )
    op.add_column("branch", sa.Column("name", sa.Text()))
    op.create_index(
        "uq_branch_conversation_name", "branch", ["conversation_id", "name"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_branch_conversation_name", table_name="branch")
    op.drop_column("branch", "name")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_conversation_metadata", table_name="conversation")
    op.drop_index("ix_conversation_forked_from", table_name="conversation")
    op.drop_column("conversation", "forked_from_message_id")
    op.drop_column("conversation", "forked_from_conversation_id")
    op.drop_column("conversation", "archived_at")

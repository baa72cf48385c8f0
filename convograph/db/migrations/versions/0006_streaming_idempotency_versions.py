"""streamed messages, idempotency keys and conversation versions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Adds message.status (every message already there is COMPLETE) and message.delta_count,
conversation.version (filled in with each conversation's latest event sequence, so that
new events continue where the old ones stopped), and the idempotency_key table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# Only ADD COLUMN, never a batch copy of a table: on SQLite a copy drops the old table,
# and with foreign keys on that deletes every message through ON DELETE CASCADE.

CONVERSATION = sa.table("conversation", sa.column("id", sa.Uuid()), sa.column("version"))
EVENT = sa.table("event", sa.column("conversation_id", sa.Uuid()), sa.column("sequence"))

IN_PROGRESS = sa.text("status = 'IN_PROGRESS'")


def upgrade() -> None:
    op.add_column(
        "message",
        sa.Column("status", sa.String(length=16), nullable=False, server_default="COMPLETE"),
    )
    op.add_column(
        "message",
        sa.Column("delta_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.create_index(
        "ix_message_in_progress",
        "message",
        ["updated_at"],
        postgresql_where=IN_PROGRESS,
        sqlite_where=IN_PROGRESS,
    )
    op.add_column(
        "conversation",
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    latest = (
        sa.select(sa.func.coalesce(sa.func.max(EVENT.c.sequence), 0))
        .where(EVENT.c.conversation_id == CONVERSATION.c.id)
        .scalar_subquery()
    )
    op.execute(sa.update(CONVERSATION).values(version=latest))
    op.create_table(
        "idempotency_key",
        sa.Column("owner", sa.String(length=255), primary_key=True),
        sa.Column("key", sa.String(length=255), primary_key=True),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("result", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_idempotency_key_created_at", "idempotency_key", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_key_created_at", table_name="idempotency_key")
    op.drop_table("idempotency_key")
    op.drop_column("conversation", "version")
    op.drop_index("ix_message_in_progress", table_name="message")
    op.drop_column("message", "delta_count")
    op.drop_column("message", "status")

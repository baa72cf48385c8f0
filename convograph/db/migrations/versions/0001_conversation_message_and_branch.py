"""conversation, message and branch

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("metadata", JSON_DOCUMENT, nullable=False),
        sa.Column("current_branch_id", sa.Uuid(), nullable=True),
        *_timestamps(),
    )
    op.create_index("ix_conversation_owner_created", "conversation", ["owner", "created_at", "id"])
    op.create_index("ix_conversation_owner_updated", "conversation", ["owner", "updated_at", "id"])

    op.create_table(
        "message",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Uuid(),
            sa.ForeignKey("conversation.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("message.id", ondelete="CASCADE")),
        sa.Column("edit_of_id", sa.Uuid(), sa.ForeignKey("message.id", ondelete="SET NULL")),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("tool_calls", JSON_DOCUMENT, nullable=True),
        sa.Column("tool_call_id", sa.Text(), nullable=True),
        sa.Column("metadata", JSON_DOCUMENT, nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        *_timestamps(),
    )
    op.create_index(
        "ix_message_siblings", "message", ["conversation_id", "parent_id", "created_at", "id"]
    )
    op.create_index("ix_message_parent", "message", ["parent_id", "created_at", "id"])
    op.create_index("ix_message_edit_of", "message", ["edit_of_id"])

    op.create_table(
        "branch",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Uuid(),
            sa.ForeignKey("conversation.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("tip_id", sa.Uuid(), sa.ForeignKey("message.id", ondelete="SET NULL")),
        sa.Column("forked_from_id", sa.Uuid(), sa.ForeignKey("branch.id", ondelete="SET NULL")),
        sa.Column("branch_point_id", sa.Uuid(), sa.ForeignKey("message.id", ondelete="SET NULL")),
        *_timestamps(),
    )
    op.create_index("ix_branch_conversation", "branch", ["conversation_id", "created_at", "id"])
    op.create_index("ix_branch_tip", "branch", ["tip_id"])


def downgrade() -> None:
    op.drop_table("branch")
    op.drop_table("message")
    op.drop_table("conversation")

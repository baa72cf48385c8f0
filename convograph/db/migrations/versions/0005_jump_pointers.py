"""jump pointers: a level-ancestor pointer on every message

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Adds message.jump_id and message.jump_depth (see convograph/db/jump_pointers.py) and
fills them in for the messages already there, one conversation at a time: its tree is
read parents first and the pointers are computed in Python, as the writers do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from convograph.db.jump_pointers import tree_jumps

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only ADD COLUMN, never a batch copy of the table: on SQLite a copy drops the old
# table, and with foreign keys on that deletes every message through ON DELETE CASCADE.

MESSAGE = sa.table(
    "message",
    sa.column("id", sa.Uuid()),
    sa.column("conversation_id", sa.Uuid()),
    sa.column("parent_id", sa.Uuid()),
    sa.column("depth", sa.Integer()),
    sa.column("jump_id", sa.Uuid()),
    sa.column("jump_depth", sa.Integer()),
)

BATCH_SIZE = 1000


def upgrade() -> None:
    op.add_column("message", sa.Column("jump_id", sa.Uuid()))
    op.add_column("message", sa.Column("jump_depth", sa.Integer()))
    bind = op.get_bind()
    conversations = bind.scalars(sa.select(MESSAGE.c.conversation_id).distinct()).all()
    for conversation_id in conversations:
        _backfill(bind, conversation_id)


def _backfill(bind: sa.Connection, conversation_id: object) -> None:
    tree = bind.execute(
        sa.select(MESSAGE.c.id, MESSAGE.c.parent_id, MESSAGE.c.depth)
        .where(MESSAGE.c.conversation_id == conversation_id)
        .order_by(MESSAGE.c.depth)
    )
    rows = [
        {"message_id": id, "target_id": jump_id, "target_depth": jump_depth}
        for id, (jump_id, jump_depth) in tree_jumps(tuple(row) for row in tree).items()
        if jump_id is not None
    ]
    statement = (
        sa.update(MESSAGE)
        .where(
            MESSAGE.c.conversation_id == conversation_id,
            MESSAGE.c.id == sa.bindparam("message_id"),
        )
        .values(jump_id=sa.bindparam("target_id"), jump_depth=sa.bindparam("target_depth"))
    )
    for start in range(0, len(rows), BATCH_SIZE):
        bind.execute(statement, rows[start : start + BATCH_SIZE])


def downgrade() -> None:
    op.drop_column("message", "jump_depth")
    op.drop_column("message", "jump_id")
